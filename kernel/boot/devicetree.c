/*
 * A flattened-device-tree reader, enough for the QEMU virt machine.
 *
 * The structure block is a token stream: BEGIN_NODE name, PROP len nameoff
 * value, END_NODE, NOP, END. We keep one struct node per depth (a node's
 * properties come before its children), and classify a node when it ends:
 * memory, cpu, UART (and its PLIC source, its `interrupts`), PLIC, CLINT, ACLINT SSWI, test finisher, /chosen,
 * /reserved-memory children. Cells are big-endian; a node's `reg` is read
 * with its parent's #address-cells / #size-cells.
 */
#include "boot/devicetree.h"
#include "lib/panic.h"
#include "lib/string.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define DT_MAX_DEPTH   16
#define DT_MAX_SIZE    (1u << 20)

struct node {
	const char *name;
	const uint8_t *compat, *reg, *device_type, *status;
	uint32_t compat_len, reg_len;
	uint32_t addr_cells, size_cells; /* for this node's children */
	uint32_t ndev;
	uint32_t irq;     /* first cell of `interrupts` (a PLIC source on QEMU virt); 0: none */
	bool in_reserved; /* child of /reserved-memory */
};

struct walker {
	const uint8_t *blob;
	uint32_t size, off, struct_end, strings, strings_size;
	struct node stack[DT_MAX_DEPTH];
	int depth;
	struct dt_info *out;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

static uint32_t next_word(struct walker *w)
{
	if (w->off + 4 > w->struct_end)
		panic("device tree: structure block truncated at offset %u", w->off);
	uint32_t v = be32(w->blob + w->off);
	w->off += 4;
	return v;
}

static bool compat_has(const struct node *n, const char *want)
{
	uint32_t i = 0, len = strlen(want);

	while (n->compat && i < n->compat_len) {
		const char *s = (const char *)n->compat + i;
		uint32_t sl = strlen(s);
		if (sl == len && !memcmp(s, want, len))
			return true;
		i += sl + 1;
	}
	return false;
}

/* reg entry `idx` of node n, read with its parent's cell sizes. */
static bool node_reg(const struct walker *w, const struct node *n, uint32_t idx, struct dt_range *r)
{
	const struct node *parent = &w->stack[w->depth - 1];
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;
	uint32_t entry = 4 * (ac + sc);

	if (!n->reg || ac > 2 || sc > 2 || entry == 0 || (idx + 1) * entry > n->reg_len)
		return false;
	r->base = read_cells(n->reg + idx * entry, ac);
	r->size = read_cells(n->reg + idx * entry + 4 * ac, sc);
	return true;
}

static bool is_prop(const struct node *n, const uint8_t *p, const char *v)
{
	(void)n;
	return p && !strcmp((const char *)p, v);
}

static void classify_memory(struct walker *w, struct node *n)
{
	struct dt_info *o = w->out;
	struct dt_range r;

	for (uint32_t i = 0; node_reg(w, n, i, &r); i++) {
		if (n->in_reserved && o->n_reserved < DT_MAX_RESERVED)
			o->reserved[o->n_reserved++] = r;
		else if (!n->in_reserved && o->n_mem < SEL_BOOTINFO_MAX_MEM)
			o->mem[o->n_mem++] = r;
	}
}

static void classify_device(struct walker *w, struct node *n)
{
	struct dt_info *o = w->out;
	struct dt_range r = {0, 0};

	if (!node_reg(w, n, 0, &r))
		return;
	if ((compat_has(n, "ns16550a") || compat_has(n, "google,goldfish-rtc") ||
	     compat_has(n, "virtio,mmio")) &&
	    o->n_devices < DT_MAX_DEVICES)
		o->devices[o->n_devices++] = r;
	if (compat_has(n, "ns16550a") && !o->uart) {
		o->uart = r.base;
		o->uart_irq = n->irq;
	} else if (compat_has(n, "riscv,plic0") || compat_has(n, "sifive,plic-1.0.0")) {
		o->plic = r.base;
		o->plic_size = r.size;
		o->plic_ndev = n->ndev;
	} else if (compat_has(n, "riscv,clint0") || compat_has(n, "sifive,clint0"))
		o->clint = r.base;
	else if (compat_has(n, "riscv,aclint-sswi"))
		o->aclint_sswi = r.base;
	else if (compat_has(n, "sifive,test1") || compat_has(n, "sifive,test0"))
		o->finisher = r.base;
}

static void classify(struct walker *w, struct node *n)
{
	struct dt_info *o = w->out;
	struct dt_range r;

	if (is_prop(n, n->device_type, "memory") || n->in_reserved) {
		classify_memory(w, n);
	} else if (is_prop(n, n->device_type, "cpu")) {
		if (is_prop(n, n->status, "disabled") || !node_reg(w, n, 0, &r))
			return;
		if (o->n_harts < SEL_MAX_HARTS)
			o->hart_ids[o->n_harts++] = r.base;
	} else {
		classify_device(w, n);
	}
}

static void handle_prop(struct walker *w, struct node *n)
{
	uint32_t len = next_word(w), nameoff = next_word(w);
	const uint8_t *val = w->blob + w->off;

	if (len > w->struct_end - w->off || nameoff >= w->strings_size)
		panic("device tree: property out of bounds at offset %u", w->off);
	const char *name = (const char *)w->blob + w->strings + nameoff;
	if (!strcmp(name, "compatible")) {
		n->compat = val;
		n->compat_len = len;
	} else if (!strcmp(name, "reg")) {
		n->reg = val;
		n->reg_len = len;
	} else if (!strcmp(name, "device_type")) {
		n->device_type = val;
	} else if (!strcmp(name, "status")) {
		n->status = val;
	} else if (!strcmp(name, "#address-cells") && len == 4) {
		n->addr_cells = be32(val);
	} else if (!strcmp(name, "#size-cells") && len == 4) {
		n->size_cells = be32(val);
	} else if (!strcmp(name, "interrupts") && len >= 4) {
		n->irq = be32(val);
	} else if (!strcmp(name, "riscv,ndev") && len == 4) {
		n->ndev = be32(val);
	} else if (!strcmp(name, "timebase-frequency") && (len == 4 || len == 8)) {
		w->out->timebase_hz = read_cells(val, len / 4);
	} else if (!strcmp(name, "bootargs") && !strcmp(n->name, "chosen")) {
		uint32_t m = len < SEL_BOOTARGS_MAX ? len : SEL_BOOTARGS_MAX - 1;
		memcpy(w->out->bootargs, val, m);
		w->out->bootargs[m] = '\0';
	}
	w->off = ALIGN_UP(w->off + len, 4);
}

static void begin_node(struct walker *w)
{
	const char *name = (const char *)w->blob + w->off;
	uint32_t max = w->struct_end - w->off;
	uint32_t len = 0;

	while (len < max && name[len])
		len++;
	if (len == max)
		panic("device tree: unterminated node name at offset %u", w->off);
	w->off = ALIGN_UP(w->off + len + 1, 4);
	if (++w->depth >= DT_MAX_DEPTH)
		panic("device tree: nodes nested deeper than %d", DT_MAX_DEPTH);
	struct node *n = &w->stack[w->depth];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->addr_cells = 2;
	n->size_cells = 1;
	n->in_reserved = w->depth >= 1 && !strcmp(w->stack[w->depth - 1].name, "reserved-memory");
}

static void walk(struct walker *w)
{
	for (;;) {
		uint32_t tok = next_word(w);
		if (tok == FDT_BEGIN_NODE) {
			begin_node(w);
		} else if (tok == FDT_PROP) {
			if (w->depth < 0)
				panic("device tree: property outside any node");
			handle_prop(w, &w->stack[w->depth]);
		} else if (tok == FDT_END_NODE) {
			if (w->depth < 0)
				panic("device tree: unbalanced END_NODE at offset %u", w->off);
			if (w->depth >= 1)
				classify(w, &w->stack[w->depth]);
			w->depth--;
		} else if (tok == FDT_END) {
			return;
		} else if (tok != FDT_NOP) {
			panic("device tree: bad token 0x%x at offset %u", tok, w->off - 4);
		}
	}
}

static void check_result(const struct dt_info *o)
{
	if (o->n_mem == 0)
		panic("device tree: no /memory node with a usable reg");
	if (o->n_harts == 0)
		panic("device tree: no enabled /cpus/cpu node");
	if (o->timebase_hz == 0)
		panic("device tree: /cpus has no timebase-frequency");
	if (o->uart == 0)
		panic("device tree: no ns16550a UART");
	if (o->plic == 0)
		panic("device tree: no PLIC (riscv,plic0)");
}

void dt_parse(const void *fdt, struct dt_info *out)
{
	struct walker w = {.blob = fdt, .out = out, .depth = 0};

	memset(out, 0, sizeof(*out));
	if (!fdt || be32(w.blob) != FDT_MAGIC)
		panic("device tree: no FDT magic at %p", fdt);
	w.size = be32(w.blob + 4);
	uint32_t struct_off = be32(w.blob + 8), struct_size = be32(w.blob + 36);
	w.strings = be32(w.blob + 12);
	w.strings_size = be32(w.blob + 32);
	if (w.size > DT_MAX_SIZE || struct_off + struct_size > w.size ||
	    w.strings + w.strings_size > w.size)
		panic("device tree: header sizes out of bounds (totalsize %u)", w.size);
	w.off = struct_off;
	w.struct_end = struct_off + struct_size;
	w.depth = -1;
	out->totalsize = w.size;
	walk(&w);
	check_result(out);
}
