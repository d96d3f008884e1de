"""An executable model of Selene's capability operations, from docs/capabilities.md.

The model is written from the document, not from kernel/cap: slots, the
derivation tree, rights, badges, CNode guards, CSpace address resolution,
Copy/Mint/Move/Mutate/Delete/Revoke/Identify, Retype/Reset/Info of Untyped
memory, user-interrupt senders, and the destruction of an object when its
last cap goes (a container -- CNode, TCB, Window -- then empties its slots).

It keeps the derivation tree as a tree (each slot knows its parent and its
children), not as the kernel's preordered list with depths: the document
defines parent, descendants and "last cap to an object" and the model uses
those definitions directly, so a list that lost its shape shows up as a
different answer. Deletion is atomic here (no zombies, no preemption): the
fuzzer repeats a preempted call until it is done, and the model compares
only finished calls.

State: `Model.root` is the caller's CSpace root (a CNode object), `Model.tcb`
the calling thread's TCB (its sender table is slots 4-15). Objects that
exist before the trace starts are *external*: the model knows their caps but
not what else refers to them, so it never destroys them.

Invariants of the model's state (checked by `Model.check()`):
  - a slot's cap is None or a Cap; an empty slot has no parent and no children;
  - every child lists its parent and the parent lists it, depth = parent + 1;
  - a child's rights lie within its parent's when both name the same object;
  - `Obj.caps` counts exactly the caps that name the object (a sender names
    its receiver), and an object with no cap is dead and holds no cap.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layout  # noqa: E402

# enum sel_error (kernel/abi/selene/error.h), the names the document uses.
OK, INVALID_CAP, EMPTY_SLOT, WRONG_TYPE, SLOT_OCCUPIED, NO_RIGHTS, RANGE = 0, 1, 2, 3, 4, 5, 6
NO_MEMORY, INVALID_ARG, BAD_ADDRESS, ILLEGAL_OP, BADGE_SET, HAS_CHILDREN = 7, 8, 9, 10, 11, 12
DELETED, FULL = 13, 26
ERROR_NAMES = ["ok", "invalid_cap", "empty_slot", "wrong_type", "slot_occupied", "no_rights",
               "range", "no_memory", "invalid_arg", "bad_address", "illegal_op", "badge_set",
               "has_children", "deleted", "would_block", "preempted", "unknown_syscall",
               "cancelled", "not_supported", "busy", "peer_dead", "peer_closed", "transport",
               "unknown_method", "protocol", "timeout", "full", "empty", "no_page_table",
               "already_mapped", "no_reply"]

# enum sel_object_type (kernel/abi/selene/object.h).
NULL, UNTYPED, CNODE, TCB, ENDPOINT, NOTIFICATION, FRAME, PAGE_TABLE, VSPACE = range(9)
ASID_CONTROL, ASID_POOL, IRQ_CONTROL, IRQ_HANDLER, RECEIVER, SENDER, WINDOW, DEBUG = range(9, 17)
TYPE_COUNT = 17

READ, WRITE, GRANT, GRANT_REPLY, EXECUTE = 1, 2, 4, 8, 16
RIGHTS_ALL = 0x1F
FLAG_DEVICE = 1

# Labels (kernel/abi/selene/invocation.h).
CNODE_COPY, CNODE_MINT, CNODE_MOVE, CNODE_MUTATE = 1, 2, 3, 4
CNODE_DELETE, CNODE_REVOKE, CNODE_IDENTIFY = 5, 6, 7
UNTYPED_RETYPE, UNTYPED_RESET, UNTYPED_INFO = 16, 17, 18
TCB_CONFIGURE, TCB_SET_FAULT_ENDPOINT = 32, 41
RECEIVER_REGISTER, RECEIVER_CREATE_SENDER, SENDER_INSTALL = 70, 71, 72
WINDOW_SET_PEER = 82
SYS_UINTR_CTL, UINTR_UNINSTALL = 12, 2

# Every method's label, object type, needed rights and register layout
# (idl/kernel/, as docs/kernel-api.md shows it); any other label is SEL_ERR_ILLEGAL_OP.
METHODS = layout.load()
# The methods whose answer the model decides (the others it follows or skips).
DECIDED = (CNODE_COPY, CNODE_MINT, CNODE_MOVE, CNODE_MUTATE, CNODE_DELETE, CNODE_REVOKE,
           CNODE_IDENTIFY, UNTYPED_RETYPE, UNTYPED_RESET, UNTYPED_INFO,
           RECEIVER_CREATE_SENDER, SENDER_INSTALL, WINDOW_SET_PEER, TCB_SET_FAULT_ENDPOINT)

TCB_SLOTS, TCB_SLOT_CSPACE, TCB_SLOT_VSPACE, TCB_SLOT_IPC_BUFFER = 16, 0, 1, 2
TCB_SLOT_FAULT_EP, TCB_SLOT_UITT, UITT_SIZE = 3, 4, 12
WINDOW_SLOTS = 4
UNCOPYABLE = (UNTYPED, PAGE_TABLE, IRQ_CONTROL, ASID_CONTROL)
BADGED = (ENDPOINT, NOTIFICATION)
RETYPE_MAX = 256
GUARD_BITS_WIDTH = 6  # CNode Mint data: guard value << 6 | guard bits


def object_bits(otype, size_bits):
    """log2 of the object's size for Retype, or None when size_bits is not accepted
    (the table "Object sizes")."""
    fixed = {TCB: 11, ENDPOINT: 5, NOTIFICATION: 6, PAGE_TABLE: 12, VSPACE: 13,
             ASID_POOL: 12, RECEIVER: 6}
    if otype in fixed:
        return fixed[otype]
    if otype == UNTYPED:
        return size_bits if 4 <= size_bits <= 40 else None
    if otype == CNODE:
        return size_bits + 6 if 1 <= size_bits <= 20 else None
    if otype == FRAME:
        return size_bits if size_bits in (12, 21) else None
    if otype == WINDOW:
        return size_bits + 1 if 12 <= size_bits <= 21 else None
    return None


RETYPEABLE = (UNTYPED, CNODE, TCB, ENDPOINT, NOTIFICATION, FRAME, PAGE_TABLE, VSPACE,
              ASID_POOL, RECEIVER, WINDOW)


class Obj:
    """A kernel object: its type, its slots if it is a container, how many caps name it."""

    def __init__(self, otype, nslots=0, external=False, base=0, bits=0):
        self.type = otype
        self.slots = [Slot(self, i) for i in range(nslots)]
        self.external = external
        self.base, self.bits = base, bits
        self.caps = 0
        self.dead = False


class Cap:
    """What a slot holds. `size_bits` is what Identify reports (Untyped size, CNode
    radix, Frame and Window size); `word` is the Untyped watermark or a sender's vector."""

    def __init__(self, ctype, obj, rights, badge=0, size_bits=0, guard_bits=0, guard=0,
                 word=0, device=False):
        self.type, self.obj, self.rights, self.badge = ctype, obj, rights, badge
        self.size_bits, self.guard_bits, self.guard = size_bits, guard_bits, guard
        self.word, self.device = word, device

    def derived(self, rights):
        c = Cap(self.type, self.obj, self.rights & rights, self.badge, self.size_bits,
                self.guard_bits, self.guard, self.word, self.device)
        return c


class Slot:
    """A capability slot of a container object, with its derivation-tree links."""

    def __init__(self, owner, index):
        self.owner, self.index = owner, index
        self.cap = None
        self.parent = None
        self.children = []


def low_bits(cptr, left, n):
    """The n bits of cptr below bit `left` (resolution reads the low `depth` bits of a
    capability address, most significant first)."""
    if n == 0:
        return 0
    return (cptr >> (left - n)) & ((1 << n) - 1)


class Model:
    def __init__(self, root_radix, mutant=None):
        self.mutant = mutant
        self.root = Obj(CNODE, 1 << root_radix, external=True)
        self.root_cap = Cap(CNODE, self.root, RIGHTS_ALL, size_bits=root_radix,
                            guard_bits=64 - root_radix)
        # The calling thread: the model looks only at its sender table, empty at the start.
        self.tcb = Obj(TCB, TCB_SLOTS, external=True)

    # ---- the state ------------------------------------------------------------------
    def declare(self, index, ctype, rights, badge, size_bits, flags, untyped=None):
        """A cap the trace says is in slot `index` of the root before it starts. Slot 2
        is the root CNode itself; everything else names an external object."""
        slot = self.root.slots[index]
        if index == 2 and ctype == CNODE:
            obj = self.root
            cap = Cap(CNODE, obj, rights, badge, size_bits, 64 - size_bits)
        else:
            base, bits = (untyped[0], untyped[1]) if untyped else (0, size_bits)
            obj = Obj(ctype, external=True, base=base, bits=bits)
            cap = Cap(ctype, obj, rights, badge, size_bits, device=bool(flags & FLAG_DEVICE))
            if untyped:
                cap.word = untyped[2]
        self.place(slot, cap, None)
        if untyped and untyped[2]:
            # It has carved something already: say so with a child the model cannot see.
            hidden = Obj(UNTYPED, external=True)
            self.place(Slot(hidden, 0), Cap(NULL, hidden, 0), slot)

    def place(self, slot, cap, parent, at=0):
        assert slot.cap is None, "place needs an empty slot"
        slot.cap, slot.parent, slot.children = cap, parent, []
        cap.obj.caps += 1
        if parent is not None:
            parent.children.insert(at, slot)

    def unlink(self, slot):
        """Take the cap out of its slot; its children move up to its parent."""
        parent, cap = slot.parent, slot.cap
        if parent is not None:
            at = parent.children.index(slot)
            parent.children[at:at + 1] = slot.children
        for c in slot.children:
            c.parent = parent
        slot.cap, slot.parent, slot.children = None, None, []
        cap.obj.caps -= 1
        return cap

    def delete(self, slot):
        """Delete: the cap goes; if it was the last to its object, the object is
        destroyed and a container's slots are deleted in turn."""
        work = [slot]
        while work:
            s = work.pop()
            if s.cap is None:
                continue
            cap = self.unlink(s)
            obj = cap.obj
            if obj.caps == 0 and not obj.external and not obj.dead:
                obj.dead = True
                work.extend(o for o in obj.slots if o.cap is not None)

    def revoke(self, slot):
        """Revoke: every descendant is deleted, the slot stays."""
        while slot.cap is not None and slot.children:
            leaf = slot.children[0]
            while leaf.children:
                leaf = leaf.children[0]
            self.delete(leaf)

    # ---- address resolution -------------------------------------------------------
    def resolve(self, root_cap, cptr, depth):
        """cspace_resolve: (error, slot)."""
        if depth == 0 or depth > 64:
            return RANGE, None
        node, left = root_cap, depth
        if node is None or node.type != CNODE:
            return INVALID_CAP, None
        while True:
            gbits, radix = node.guard_bits, node.size_bits
            if gbits + radix > left:
                return INVALID_CAP, None
            if low_bits(cptr, left, gbits) != node.guard:
                return INVALID_CAP, None
            left -= gbits
            slot = node.obj.slots[low_bits(cptr, left, radix)]
            left -= radix
            if left == 0:
                return OK, slot
            if slot.cap is None or slot.cap.type != CNODE:
                return INVALID_CAP, None
            node = slot.cap

    def lookup_cap(self, cptr, ctype, right):
        """A cap of `ctype` holding `right`, named at depth 64 in the caller's CSpace."""
        err, slot = self.resolve(self.root_cap, cptr, 64)
        if err:
            return err, None
        if slot.cap is None:
            return EMPTY_SLOT, None
        if slot.cap.type != ctype:
            return WRONG_TYPE, None
        if slot.cap.rights & right != right:
            return NO_RIGHTS, None
        return OK, slot

    # ---- invocations ----------------------------------------------------------------
    def invoke(self, a, kernel):
        """One invocation a[0..6]; `kernel` is the kernel's answer (err, out[1..5]).
        Returns the model's answer (err, outs or None), or None where the model follows
        the kernel (methods whose outcome depends on more than capabilities)."""
        err, slot = self.resolve(self.root_cap, a[0], 64)
        if err:
            return err, None
        cap = slot.cap
        if cap is None:
            return EMPTY_SLOT, None
        label = a[1]
        if cap.type == ENDPOINT or cap.type == NOTIFICATION:
            return None  # an IPC call (the fuzzer never makes one)
        if cap.type == DEBUG:
            return None
        method = METHODS.get(label)
        if method is None or method.obj != cap.type:
            if cap.type == RECEIVER and label == SENDER_INSTALL:
                return WRONG_TYPE, None  # a receiver cap cannot send
            return ILLEGAL_OP, None
        if label == TCB_CONFIGURE:
            self.configure(slot, a, kernel[0])
        if label not in DECIDED:
            return None
        err, args = self.unpack(slot, method, a)
        if err:
            return err, None
        if cap.type == CNODE:
            return self.cnode(slot, label, args)
        if cap.type == UNTYPED:
            return self.untyped(slot, label, args)
        if label == RECEIVER_CREATE_SENDER:
            return self.create_sender(slot, args), None
        if label == SENDER_INSTALL:
            return self.install(slot, args["index"]), None
        if label == WINDOW_SET_PEER:
            return self.set_peer(slot, args), None
        return self.set_fault_endpoint(slot, args), None

    def unpack(self, slot, method, a):
        """What the kernel checks of every method before its own checks, in this order
        (docs/kernel-api.md): the rights the invoked cap needs (SEL_ERR_NO_RIGHTS), a
        nonzero reserved bit of a2-a6 (SEL_ERR_INVALID_ARG), a field above its @max
        (SEL_ERR_RANGE), then each capability argument in declaration order, looked up
        at depth 64 with its type and rights (0: none where it is optional). Returns
        (error, {name: value or Slot or None})."""
        if slot.cap.rights & method.needs != method.needs:
            return NO_RIGHTS, None
        if any(a[r] & bits for r, bits in method.reserved.items()):
            return INVALID_ARG, None
        args = {f.name: f.value(a) for f in method.fields}
        if any(f.max is not None and args[f.name] > f.max for f in method.fields):
            return RANGE, None
        for f in method.fields:
            if f.kind != "cap":
                continue
            if f.optional and args[f.name] == 0:
                args[f.name] = None
                continue
            err, args[f.name] = self.lookup_cap(args[f.name], f.obj, f.rights)
            if err:
                return err, None
        return OK, args

    def cnode(self, slot, label, args):
        if label in (CNODE_IDENTIFY, CNODE_DELETE, CNODE_REVOKE):
            err, target = self.resolve(slot.cap, args["index"], args["depth"])
            if err:
                return err, None
            if label == CNODE_IDENTIFY:
                return OK, self.identify(target)
            if label == CNODE_DELETE:
                self.delete(target)
            else:
                self.revoke(target)
            return OK, None
        # The source root was looked up with the arguments; then the two slots.
        err, dest = self.resolve(slot.cap, args["dest_index"], args["dest_depth"])
        if err:
            return err, None
        err, src = self.resolve(args["src_root"].cap, args["src_index"], args["src_depth"])
        if err:
            return err, None
        return self.derive(label, src, dest, args.get("rights", RIGHTS_ALL),
                           args.get("data", 0)), None

    def identify(self, slot):
        c = slot.cap
        if c is None:
            return (0, 0, 0, 0, 0)
        return (c.type, c.rights, c.badge, c.size_bits, FLAG_DEVICE if c.device else 0)

    def apply_data(self, src, data, out):
        """Mint/Mutate data: a badge, a CNode guard, or 0."""
        if src.type in BADGED:
            if src.badge != 0 and data != src.badge:
                return BADGE_SET
            out.badge = data
            return OK
        if src.type == CNODE:
            bits, guard = data & ((1 << GUARD_BITS_WIDTH) - 1), data >> GUARD_BITS_WIDTH
            if bits + src.size_bits > 64 or guard >> bits:
                return INVALID_ARG
            out.guard_bits, out.guard = bits, guard
            return OK
        return OK if data == 0 else INVALID_ARG

    def derive(self, label, src, dest, rights, data):
        if dest.cap is not None:
            return SLOT_OCCUPIED
        if src.cap is None:
            return EMPTY_SLOT
        if label in (CNODE_COPY, CNODE_MINT):
            if src.cap.type in UNCOPYABLE:
                return ILLEGAL_OP
            new = src.cap.derived(rights)
            if self.mutant == "copy-rights" and label == CNODE_COPY:
                new.rights = RIGHTS_ALL
            if label == CNODE_MINT:
                err = self.apply_data(src.cap, data, new)
                if err:
                    return err
            self.place(dest, new, src)
            return OK
        new = src.cap.derived(RIGHTS_ALL)
        if label == CNODE_MUTATE:
            new.rights = src.cap.rights & rights
            err = self.apply_data(src.cap, data, new)
            if err:
                return err
            changed = new.rights != src.cap.rights or new.badge != src.cap.badge
            if changed and src.children:
                return HAS_CHILDREN
        self.move(src, dest, new)
        return OK

    def move(self, src, dest, new):
        """dest takes src's place in the tree (same parent, same children), holding `new`."""
        parent, children = src.parent, src.children
        if parent is not None:
            parent.children[parent.children.index(src)] = dest
        for c in children:
            c.parent = dest
        dest.cap, dest.parent, dest.children = new, parent, children
        src.cap, src.parent, src.children = None, None, []

    def untyped(self, slot, label, args):
        ut = slot.cap
        if label == UNTYPED_INFO:
            return OK, (ut.obj.base, ut.size_bits, ut.word, 1 if ut.device else 0, 0)
        if label == UNTYPED_RESET:
            if slot.children:
                return HAS_CHILDREN, None
            ut.word = 0
            return OK, None
        return self.retype(slot, args), None

    def retype(self, slot, args):
        otype, size_bits, count, first = (args["type"], args["size_bits"], args["count"],
                                          args["first"])
        ut, cn = slot.cap, args["dest"]  # dest: looked up with the arguments
        if otype >= TYPE_COUNT or size_bits > 64:
            return INVALID_ARG
        if count == 0 or count > RETYPE_MAX:
            return RANGE
        n = 1 << cn.cap.size_bits
        if first >= n or count > n - first:
            return RANGE
        dest = cn.cap.obj.slots[first:first + count]
        if any(d.cap is not None for d in dest):
            return SLOT_OCCUPIED
        if otype not in RETYPEABLE:
            return INVALID_ARG
        bits = object_bits(otype, size_bits)
        if bits is None or bits > ut.size_bits or (otype == UNTYPED and bits >= ut.size_bits):
            return RANGE
        if ut.device and otype not in (FRAME, UNTYPED):
            return WRONG_TYPE
        mark = ut.word if slot.children else 0
        start = -(-mark // (1 << bits)) * (1 << bits)
        end = start + count * (1 << bits)
        if end > 1 << ut.size_bits:
            return NO_MEMORY
        ut.word = end
        nslots = {CNODE: 1 << size_bits if otype == CNODE else 0, TCB: TCB_SLOTS,
                  WINDOW: WINDOW_SLOTS}.get(otype, 0)
        shown = {UNTYPED: size_bits, CNODE: size_bits, FRAME: size_bits,
                 WINDOW: size_bits}.get(otype, 0)
        for i, d in enumerate(dest):
            base = ut.obj.base + start + (i << bits)
            obj = Obj(otype, nslots, base=base, bits=bits)
            cap = Cap(otype, obj, RIGHTS_ALL, size_bits=shown, device=ut.device)
            self.place(d, cap, slot)
        return OK

    def create_sender(self, slot, args):
        vector = args["vector"]  # at most 63 (@max), checked with the arguments
        err, dest = self.resolve(args["dest"].cap, args["index"], args["depth"])
        if err:
            return err
        if dest.cap is not None:
            return SLOT_OCCUPIED
        if not slot.cap.rights & GRANT:
            return NO_RIGHTS
        rcv = slot.cap
        self.place(dest, Cap(SENDER, rcv.obj, rcv.rights, word=vector), slot)
        return OK

    # ---- methods that write slots of other objects ---------------------------------
    def copy_into(self, dest, src):
        """A kernel copy with every right of the source into a container slot."""
        self.place(dest, src.cap.derived(RIGHTS_ALL), src)

    def install(self, slot, index):
        if index >= UITT_SIZE:
            return RANGE
        dest = self.tcb.slots[TCB_SLOT_UITT + index]
        if dest.cap is not None:
            return SLOT_OCCUPIED
        self.copy_into(dest, slot)
        return OK

    def set_peer(self, slot, args):
        """The sender (optional) was looked up with the arguments, before the side."""
        if args["side"] >= WINDOW_SLOTS:
            return INVALID_ARG
        dest = slot.cap.obj.slots[args["side"]]
        self.delete(dest)
        if args["sender"] is not None:
            self.copy_into(dest, args["sender"])
        return OK

    def set_fault_endpoint(self, slot, args):
        src = args["endpoint"]  # looked up with Write (optional) with the arguments
        if src is not None and not src.cap.rights & (GRANT | GRANT_REPLY):
            return NO_RIGHTS
        dest = slot.cap.obj.slots[TCB_SLOT_FAULT_EP]
        self.delete(dest)
        if src is not None:
            self.copy_into(dest, src)
        return OK

    def configure(self, slot, a, err):
        """Followed: whether Configure succeeds depends on the thread's state (runnable:
        SEL_ERR_BUSY) and on the IPC-buffer address, which the model does not hold; when
        the kernel says it did, the model writes the slots the document says."""
        if err != OK:
            return
        tslots = slot.cap.obj.slots
        for i, cptr in ((TCB_SLOT_CSPACE, a[2]), (TCB_SLOT_VSPACE, a[3]),
                        (TCB_SLOT_IPC_BUFFER, a[4])):
            self.delete(tslots[i])
            if cptr or i != TCB_SLOT_IPC_BUFFER:
                self.copy_into(tslots[i], self.resolve(self.root_cap, cptr, 64)[1])

    def syscall(self, nr, a0, a1):
        """A syscall that is not an invocation: the model decides Uninstall, the only one
        that changes capabilities (its answer), and skips the others (None)."""
        if nr != SYS_UINTR_CTL or a0 != UINTR_UNINSTALL:
            return None
        if a1 >= UITT_SIZE:
            return RANGE
        self.delete(self.tcb.slots[TCB_SLOT_UITT + a1])
        return OK

    # ---- self-check -----------------------------------------------------------------
    def check(self):
        """The model's own invariants (see the top of this file); returns a problem or None."""
        seen, counts = set(), {}
        work = [self.root, self.tcb]
        while work:
            obj = work.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            for s in obj.slots:
                if s.cap is None:
                    if s.parent is not None or s.children:
                        return f"empty slot {s.index} has links"
                    continue
                counts[id(s.cap.obj)] = counts.get(id(s.cap.obj), 0) + 1
                if s.parent is not None and s not in s.parent.children:
                    return f"slot {s.index}: its parent does not list it"
                for c in s.children:
                    if c.parent is not s:
                        return f"slot {s.index}: a child names another parent"
                    if c.cap.obj is s.cap.obj and c.cap.type == s.cap.type \
                            and c.cap.rights & ~s.cap.rights:
                        return f"slot {c.index}: a right its parent lacks"
                work.append(s.cap.obj)
        return None
