/*
 * eva_obj_main.c: the driver of the EVA run over the object decoders
 * (run_eva.py --target objects; tests VERIFY_0360-0367, one per group of
 * invoked caps, the CNode's by method).
 *
 * Analysed as compiled: kernel/object/{objects,cnode,untyped,tcb,vspace}.c,
 * kernel/arch/riscv/asid.c, every kernel/cap/*.c, and the IPC files the
 * decoders reach (as in the ipc target). eva_ipc_stubs.c (-DEVA_OBJECTS)
 * and eva_obj_stubs.c stand in for the scheduler, page tables, user memory
 * and the rest of the machine.
 *
 * Setup builds, through the capability core as boot does, a CSpace CNode
 * of 32 slots shared by three threads, and in it caps of every type the
 * decoders take: a 64 KiB Untyped, the CNode itself (and a Read-only
 * copy), two TCBs besides the invoker's own, a VSpace (created by the real
 * vspace_object_init: a real ASID), a PageTable, two Frames (one read-only
 * copy), an endpoint, a notification, ASID control; the rest empty. The
 * threads' states are any of the TCB states.
 *
 * main() then makes ONE invocation: the cap is any slot (0-31), the label
 * any value 0-63, a2-a6 any 64-bit values, each (slot, label) pair its own
 * state (`split`). So every decoder runs on every argument a user can
 * give: arbitrary capability addresses and depths, rights, badges, types,
 * sizes, counts, addresses. The analysis must find no alarm and every
 * precondition (the stubs' contracts, the capability core's, every
 * kernel assert() through panic(): requires \false) valid.
 */
#include "__fc_builtin.h"
#include "arch/riscv/asid.h"
#include "cap/cap.h"
#include "ipc/ipc.h"
#include "object/objects.h"
#include "object/vspace.h"
#include "sched/scheduler.h"
#include <selene/invocation.h>

/* A TCB object: struct tcb, then CAP_TCB_SLOTS slots at CAP_TCB_SLOT_OFFSET. */
union tcb_object {
	struct tcb tcb;
	struct {
		uint8_t below[CAP_TCB_SLOT_OFFSET];
		struct cte slot[CAP_TCB_SLOTS];
	} s;
};

#define CSPACE_RADIX 5u
#define CSPACE_SLOTS (1u << CSPACE_RADIX)
#define UT_BITS      16u

static union tcb_object tcb_obj[3] __attribute__((aligned(2048)));
static struct cte cspace[CSPACE_SLOTS] __attribute__((aligned(2048)));
static struct cte boot_slot; /* the CSpace CNode's original cap */
static struct endpoint ep __attribute__((aligned(32)));
static struct notification ntfn __attribute__((aligned(64)));
static uint8_t frame0[4096] __attribute__((aligned(4096)));
static uint8_t frame1[4096] __attribute__((aligned(4096)));
static uint8_t page_table[4096] __attribute__((aligned(4096)));
static uint8_t vspace_memory[8192] __attribute__((aligned(8192)));
static uint8_t untyped_memory[1u << UT_BITS] __attribute__((aligned(1u << UT_BITS)));
static uint8_t asid_control; /* an identity, as boot gives it */

enum {
	C_CNODE = 0,
	C_UNTYPED = 1,
	C_TCB0 = 2,
	C_TCB1 = 3,
	C_TCB2 = 4,
	C_VS = 5,
	C_PT = 6,
	C_FRAME0 = 7,
	C_FRAME1 = 8,
	C_EP = 9,
	C_NTFN = 10,
	C_ASID = 11,
	C_CNODE_R = 12,
	C_FRAME_R = 13,
	C_VS_R = 14,
};

/*
 * The caps a run invokes: EVA_OBJ_GROUP (run_eva.py --group) picks one
 * group, so that each decoder's run stays within minutes; without it,
 * every slot.
 */
#ifndef EVA_OBJ_GROUP
#define EVA_OBJ_GROUP 0
#endif

/*
 * Where setup()'s variants are chosen (a Frame's and the PageTable's mapping
 * records, a thread queued on the endpoint: map_variants(), queue_variant()).
 * In setup() for the address-space group (1) and every slot (0); the TCBs'
 * (2) read no mapping record, only the queue; the CNode's Copy, Mint, Move
 * and Mutate and the Untyped group (3 with a label, 4) read neither (they copy
 * a Frame cap at most, which clears its record), and the other CNode methods
 * (3, "other") read them only to delete or revoke those caps: main() chooses
 * them there, after the arguments, where they name those slots.
 */
#if EVA_OBJ_GROUP == 0 || EVA_OBJ_GROUP == 1
#define EVA_OBJ_VARIANTS_IN_SETUP 1
#else
#define EVA_OBJ_VARIANTS_IN_SETUP 0
#endif

#define INVOKER (&tcb_obj[0].tcb)

static int insert(struct cte *slot, uint8_t type, void *object, uint8_t size_bits,
                  uint8_t guard_bits)
{
	struct cap c = {0};

	c.type = type;
	c.rights = SEL_RIGHTS_ALL;
	c.object = (uint64_t)(uintptr_t)object;
	c.size_bits = size_bits;
	c.guard_bits = guard_bits;
	return cdt_insert_root(&kernel_cdt, slot, c) == SEL_OK;
}

/*
 * Frame 1 (not its read-only copy) and the PageTable may be mapped: a
 * record naming the VSpace (live), or one of a VSpace since gone (an older
 * generation). Each choice its own state.
 */
static void map_variants(void)
{
	if (Frama_C_interval(0, 1)) {
		struct cap *f = &cspace[C_FRAME1].cap;
		f->word0 = 0x40000u | 1u;
		f->word1 = vspace_mapping_word(vspace_memory) + (Frama_C_interval(0, 1) << 16);
	}
	if (Frama_C_interval(0, 1)) {
		struct cap *p = &cspace[C_PT].cap;
		p->word0 = 0x200000u | 1u << 1 | 1u; /* a level-1 table at 2 MiB */
		p->word1 = vspace_mapping_word(vspace_memory) + (Frama_C_interval(0, 1) << 16);
	}
}

/* The third TCB is inactive, or blocked in Recv on the endpoint: two states. */
static void queue_variant(void)
{
	if (Frama_C_interval(0, 1))
		ipc_queue_add(&ep.queue, &tcb_obj[2].tcb, &ep, TCB_BLOCKED_RECV),
		    ep.state = EP_RECEIVERS;
}

static int setup(void)
{
	cdt_init(&kernel_cdt);
	harts[0].online = true;
	vspace_object_init(vspace_memory);
	if (!insert(&boot_slot, SEL_OBJ_CNODE, cspace, CSPACE_RADIX, 64 - CSPACE_RADIX) ||
	    cdt_copy(&kernel_cdt, &boot_slot, &cspace[C_CNODE], SEL_RIGHTS_ALL) != SEL_OK ||
	    cdt_copy(&kernel_cdt, &boot_slot, &cspace[C_CNODE_R], SEL_RIGHT_READ) != SEL_OK ||
	    !insert(&cspace[C_UNTYPED], SEL_OBJ_UNTYPED, untyped_memory, UT_BITS, 0) ||
	    !insert(&cspace[C_VS], SEL_OBJ_VSPACE, vspace_memory, 0, 0) ||
	    !insert(&cspace[C_PT], SEL_OBJ_PAGE_TABLE, page_table, 0, 0) ||
	    !insert(&cspace[C_FRAME0], SEL_OBJ_FRAME, frame0, 12, 0) ||
	    !insert(&cspace[C_FRAME1], SEL_OBJ_FRAME, frame1, 12, 0) ||
	    !insert(&cspace[C_EP], SEL_OBJ_ENDPOINT, &ep, 0, 0) ||
	    !insert(&cspace[C_NTFN], SEL_OBJ_NOTIFICATION, &ntfn, 0, 0) ||
	    !insert(&cspace[C_ASID], SEL_OBJ_ASID_CONTROL, &asid_control, 0, 0) ||
	    cdt_copy(&kernel_cdt, &cspace[C_FRAME1], &cspace[C_FRAME_R], SEL_RIGHT_READ) !=
	        SEL_OK ||
	    cdt_copy(&kernel_cdt, &cspace[C_VS], &cspace[C_VS_R], SEL_RIGHT_READ) != SEL_OK)
		return 0;
	for (int i = 0; i < 3; i++) {
		struct tcb *t = &tcb_obj[i].tcb;
		if (!insert(&cspace[C_TCB0 + i], SEL_OBJ_TCB, t, 0, 0) ||
		    cdt_copy(&kernel_cdt, &boot_slot, tcb_slot(t, TCB_SLOT_CSPACE),
		             SEL_RIGHTS_ALL) != SEL_OK)
			return 0;
		t->priority = (uint32_t)Frama_C_interval(0, SEL_PRIORITIES - 1);
		t->mcp = (uint32_t)Frama_C_interval(0, SEL_PRIORITIES - 1);
		t->tid = (uint64_t)i + 1;
	}
	/* The VSpace ran on hart 0 and runs on hart 1 now (its ASID's shootdown set, a remote fence). */
	for (uint32_t i = 1; i < SEL_MAX_HARTS; i++) {
		harts[i].online = Frama_C_interval(0, 1);
		harts[i].id = i;
	}
	harts[1].online = true;
	harts[1].satp = vspace_satp(vspace_memory);
	asid_note_active((uint32_t)vspace_asid(vspace_memory));
#if EVA_OBJ_VARIANTS_IN_SETUP
	map_variants();
#endif
	/* The invoker runs; the others are inactive, or blocked in Recv on the endpoint. */
	INVOKER->state = TCB_RUNNING;
	harts[0].current = INVOKER;
	if (cdt_copy(&kernel_cdt, &cspace[C_VS], tcb_slot(INVOKER, TCB_SLOT_VSPACE),
	             SEL_RIGHTS_ALL) != SEL_OK)
		return 0;
#if EVA_OBJ_VARIANTS_IN_SETUP || EVA_OBJ_GROUP == 2
	queue_variant();
#endif
	return 1;
}

static const uint8_t vm_slots[] = {C_VS, C_PT, C_FRAME0, C_FRAME1, C_ASID, C_FRAME_R, C_VS_R};

static uint64_t invoked_slot(void)
{
	switch (EVA_OBJ_GROUP) {
	case 1: /* address spaces: VSpace, PageTable, Frame, ASID control */
		return vm_slots[Frama_C_interval(0, (int)ARRAY_SIZE(vm_slots) - 1)];
	case 2: /* threads */
		return Frama_C_unsigned_long_interval(C_TCB0, C_TCB2);
	case 3: /* CNodes */
		return Frama_C_interval(0, 1) ? C_CNODE : C_CNODE_R;
	case 4: { /* Untyped, and the rest: endpoint, notification, the empty slots together */
		int class = Frama_C_interval(0, 3);
		//@ split class;
		return class == 0   ? C_UNTYPED
		       : class == 1 ? C_EP
		       : class == 2 ? C_NTFN
		                    : Frama_C_unsigned_long_interval(C_VS_R + 1, CSPACE_SLOTS - 1);
	}
	default:
		return Frama_C_unsigned_long_interval(0, CSPACE_SLOTS - 1);
	}
}

/*
 * A capability argument the method expects of `type`: every 64-bit value,
 * partitioned into classes, one EVA state per class (`split`): each slot
 * holding a cap of that type on its own, every other slot (other types and
 * empty ones), and every value from 32 up (it fails the CSpace's guard).
 * The union of the classes is all of uint64_t, so nothing is left out; the
 * partition only keeps EVA from joining different slots behind one slot
 * pointer. Its value domain does not tie a slot's object, rights or links
 * to its type: a join reads an endpoint as a TCB, or the rights of one cap
 * with the links of another -- false alarms, not kernel bugs.
 */
static uint64_t cap_arg(uint8_t type)
{
	uint64_t same[CSPACE_SLOTS], other[CSPACE_SLOTS];
	int ns = 0, no = 0, class;

	for (uint64_t i = 0; i < CSPACE_SLOTS; i++) {
		if (cspace[i].cap.type == type)
			same[ns++] = i;
		else
			other[no++] = i;
	}
	class = Frama_C_interval(0, ns + 1);
	//@ split class;
	if (class < ns)
		return same[class];
	if (class == ns)
		return other[Frama_C_interval(0, no - 1)];
	return Frama_C_unsigned_long_interval(CSPACE_SLOTS, UINT64_MAX);
}

/*
 * A slot index argument (a CNode method's index, Retype's first slot): every
 * 64-bit value, in classes, one state each: each occupied slot of the
 * CSpace, the empty slots together (one state: their contents are equal, all
 * zero), and every value from 32 up. As for cap_arg(), the union is all of
 * uint64_t; the classes keep EVA from resolving an index to a join of
 * different caps.
 */
static uint64_t slot_index(void)
{
	uint64_t full[CSPACE_SLOTS], empty[CSPACE_SLOTS];
	int nf = 0, ne = 0, class;

	for (uint64_t i = 0; i < CSPACE_SLOTS; i++) {
		if (cspace[i].cap.type != SEL_OBJ_NULL)
			full[nf++] = i;
		else
			empty[ne++] = i;
	}
	class = Frama_C_interval(0, nf + 1);
	//@ split class;
	if (class < nf)
		return full[class];
	if (class == nf)
		return empty[Frama_C_interval(0, ne - 1)];
	return Frama_C_unsigned_long_interval(CSPACE_SLOTS, UINT64_MAX);
}

/*
 * A destination index (Copy, Mint, Move, Mutate's a2): every 64-bit value in
 * three classes, one state each: the occupied slots together (each refuses
 * the call, slot_occupied: nothing of the cap in it is read but its type),
 * the empty slots together, every value from 32 up. Fewer states than
 * slot_index() and the same outcomes.
 */
static uint64_t dest_index(void)
{
	uint64_t full[CSPACE_SLOTS], empty[CSPACE_SLOTS];
	int nf = 0, ne = 0, class;

	for (uint64_t i = 0; i < CSPACE_SLOTS; i++) {
		if (cspace[i].cap.type != SEL_OBJ_NULL)
			full[nf++] = i;
		else
			empty[ne++] = i;
	}
	class = Frama_C_interval(0, 2);
	//@ split class;
	if (class == 0)
		return full[Frama_C_interval(0, nf - 1)];
	if (class == 1)
		return empty[Frama_C_interval(0, ne - 1)];
	return Frama_C_unsigned_long_interval(CSPACE_SLOTS, UINT64_MAX);
}

/*
 * Retype's type (a2): every 64-bit value, each type its own state, and every
 * value from SEL_OBJ_TYPE_COUNT up (the type's size is checked against the
 * Untyped's: EVA keeps that relation only on a single type). Retype's first
 * slot is split in main() (see there).
 */
static uint64_t each_below(uint64_t n)
{
	uint64_t v = Frama_C_unsigned_long_interval(0, n);
	//@ split v;
	return v < n ? v : Frama_C_unsigned_long_interval(n, UINT64_MAX);
}

enum index_kind { NOT_INDEX, SOURCE_INDEX, DEST_INDEX, RETYPE_TYPE };

/*
 * Whether a_i of a method of a cap of type `invoked` is a slot index, and
 * which (idl/kernel/cnode.idl, untyped.idl). Other types refuse these
 * labels before reading a_i: any value, one state.
 */
static enum index_kind slot_index_kind(uint8_t invoked, uint64_t label, int i)
{
	if (invoked != SEL_OBJ_CNODE && invoked != SEL_OBJ_UNTYPED)
		return NOT_INDEX;
	switch (label) {
	case SEL_CNODE_COPY:
	case SEL_CNODE_MINT:
	case SEL_CNODE_MOVE:
	case SEL_CNODE_MUTATE:
		return invoked != SEL_OBJ_CNODE ? NOT_INDEX
		       : i == 2                 ? DEST_INDEX
		       : i == 4                 ? SOURCE_INDEX
		                                : NOT_INDEX;
	case SEL_CNODE_DELETE:
	case SEL_CNODE_REVOKE:
	case SEL_CNODE_IDENTIFY:
		return invoked == SEL_OBJ_CNODE && i == 2 ? SOURCE_INDEX : NOT_INDEX;
	case SEL_UNTYPED_RETYPE:
		return invoked == SEL_OBJ_UNTYPED && i == 2 ? RETYPE_TYPE : NOT_INDEX;
	default:
		return NOT_INDEX;
	}
}

/*
 * The label of the one invocation: EVA_OBJ_LABEL (run_eva.py --label) makes a
 * run of one method; EVA_OBJ_OTHER_LABELS (--other-labels) one of every
 * label but the CNode's Copy, Mint, Move and Mutate (each run on its own);
 * otherwise any label 0-63.
 */
static uint64_t invoked_label(void)
{
#if defined(EVA_OBJ_LABEL)
	return EVA_OBJ_LABEL;
#else
	uint64_t label = Frama_C_unsigned_long_interval(0, 63);
#if defined(EVA_OBJ_OTHER_LABELS)
	if (label >= SEL_CNODE_COPY && label <= SEL_CNODE_MUTATE)
		label = SEL_CNODE_DELETE;
#endif
	return label;
#endif
}

/*
 * The type of capability argument a_i of a method of a cap of type
 * `invoked` (idl/kernel/*.idl), or SEL_OBJ_NULL (the CNode and Untyped
 * methods' only for those caps, as slot_index_kind()).
 */
static uint8_t cap_arg_type(uint8_t invoked, uint64_t label, int i)
{
	switch (label) {
	case SEL_PAGE_TABLE_MAP:
	case SEL_FRAME_MAP:
		return i == 2 ? SEL_OBJ_VSPACE : SEL_OBJ_NULL;
	case SEL_TCB_SET_FAULT_ENDPOINT:
		return i == 2 ? SEL_OBJ_ENDPOINT : SEL_OBJ_NULL;
	case SEL_TCB_BIND_NOTIFICATION:
		return i == 2 ? SEL_OBJ_NOTIFICATION : SEL_OBJ_NULL;
	case SEL_TCB_SET_PRIORITY:
	case SEL_TCB_SET_MCP:
		return i == 3 ? SEL_OBJ_TCB : SEL_OBJ_NULL;
	case SEL_CNODE_COPY:
	case SEL_CNODE_MINT:
	case SEL_CNODE_MOVE:
	case SEL_CNODE_MUTATE:
		return invoked == SEL_OBJ_CNODE && i == 3 ? SEL_OBJ_CNODE : SEL_OBJ_NULL;
	case SEL_UNTYPED_RETYPE:
		return invoked == SEL_OBJ_UNTYPED && i == 4 ? SEL_OBJ_CNODE : SEL_OBJ_NULL;
	case SEL_TCB_CONFIGURE:
		return i == 2   ? SEL_OBJ_CNODE
		       : i == 3 ? SEL_OBJ_VSPACE
		       : i == 4 ? SEL_OBJ_FRAME
		                : SEL_OBJ_NULL;
	default:
		return SEL_OBJ_NULL;
	}
}

/* a_i of a method of a cap of type `invoked`: every value, in its classes. */
static uint64_t arg_value(uint8_t invoked, uint64_t label, int i)
{
	if (cap_arg_type(invoked, label, i) != SEL_OBJ_NULL)
		return cap_arg(cap_arg_type(invoked, label, i));
	switch (slot_index_kind(invoked, label, i)) {
	case SOURCE_INDEX:
		return slot_index();
	case DEST_INDEX:
		return dest_index();
	case RETYPE_TYPE:
		return each_below(SEL_OBJ_TYPE_COUNT);
	default:
		return Frama_C_unsigned_long_interval(0, UINT64_MAX);
	}
}

int main(void)
{
	struct syscall_args args = {{0}, {0}};
	uint64_t slot, label;
	uint8_t invoked;
	int err;

	/*
	 * Every split state is kept apart to the end (no join mixes two slots or
	 * two labels): the TCB group needs it (Configure's three capability
	 * arguments); the address-space group is precise without it, and runs
	 * within minutes only without it.
	 */
#if EVA_OBJ_GROUP != 1
	//@ slevel 1000000;
#endif
	if (!setup())
		return 1;
	slot = invoked_slot();
#if EVA_OBJ_GROUP != 4
	//@ split slot;
#endif
	label = invoked_label();
	//@ split label;
	args.a[0] = slot;
	args.a[1] = label;
	invoked = cspace[slot].cap.type;
	for (int i = 2; i < 7; i++)
		args.a[i] = arg_value(invoked, label, i);
	if (label == SEL_UNTYPED_RETYPE && invoked == SEL_OBJ_UNTYPED) {
		/*
		 * Retype's first slot (a5): each slot its own state, and every value
		 * from 32 up, so that the range check against the CNode's size is
		 * made on one value. Split here: 33 states returned by a callee came
		 * back joined.
		 */
		int first = Frama_C_interval(0, CSPACE_SLOTS);
		//@ split first;
		args.a[5] = first < (int)CSPACE_SLOTS
		                ? (uint64_t)first
		                : Frama_C_unsigned_long_interval(CSPACE_SLOTS, UINT64_MAX);
	}
#if EVA_OBJ_GROUP == 3 && !defined(EVA_OBJ_LABEL)
	if (label == SEL_CNODE_DELETE || label == SEL_CNODE_REVOKE) {
		if (args.a[2] == C_FRAME1 || args.a[2] == C_PT)
			map_variants();
		if (args.a[2] == C_EP || args.a[2] == C_TCB2)
			queue_variant();
	}
#endif
	err = invocation_call(INVOKER, &args);
	(void)err;
	return 0;
}
