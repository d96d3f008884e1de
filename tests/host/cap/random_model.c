/*
 * The reference model of the randomised test; see random_model.h.
 */
#include <string.h>

#include "random_model.h"

#define NS MODEL_SLOTS

struct mcap m[NS];
struct fin_expect expect[NS];
size_t nexpect;

static uint32_t ref_type(uint32_t t)
{
	return t == SEL_OBJ_UINTR_SENDER ? SEL_OBJ_UINTR_RECEIVER : t;
}

/* The model's own size table: log2 object size, or 0 if size_bits is refused. */
static uint32_t m_obj_bits(uint32_t type, uint32_t bits)
{
	switch (type) {
	case SEL_OBJ_ENDPOINT:
		return 5;
	case SEL_OBJ_NOTIFICATION:
	case SEL_OBJ_UINTR_RECEIVER:
		return 6;
	case SEL_OBJ_WINDOW:
		return bits >= 12 && bits <= 21 ? bits + 1 : 0;
	case SEL_OBJ_TCB:
		return 11;
	case SEL_OBJ_CNODE:
		return bits >= 1 && bits <= 20 ? bits + 6 : 0;
	case SEL_OBJ_UNTYPED:
		return bits >= 4 && bits <= 40 ? bits : 0;
	case SEL_OBJ_FRAME:
		return bits == 12 || bits == 21 ? bits : 0;
	default:
		return 0;
	}
}

static uint32_t m_bits_of(const struct mcap *c)
{
	return m_obj_bits(ref_type(c->type), c->type == SEL_OBJ_UINTR_SENDER ? 0 : c->size_bits);
}

static bool same_obj(const struct mcap *a, const struct mcap *b)
{
	return a->used && b->used && a->type != SEL_OBJ_UNTYPED && b->type != SEL_OBJ_UNTYPED &&
	       ref_type(a->type) == ref_type(b->type) && a->object == b->object &&
	       m_bits_of(a) == m_bits_of(b);
}

bool has_children(int i)
{
	for (int j = 0; j < NS; j++) {
		if (m[j].used && m[j].parent == i) {
			return true;
		}
	}
	return false;
}

static bool descends(int j, int i)
{
	for (int p = m[j].parent, k = 0; p >= 0 && k < NS; p = m[p].parent, k++) {
		if (p == i) {
			return true;
		}
	}
	return false;
}

static bool final_after_removal(const struct mcap *gone)
{
	for (int j = 0; j < NS; j++) {
		if (same_obj(&m[j], gone)) {
			return false;
		}
	}
	return true;
}

static void expect_fin(const struct mcap *c)
{
	for (size_t k = 0; k < nexpect; k++) {
		if (expect[k].ref_type == ref_type(c->type) && expect[k].object == c->object &&
		    expect[k].bits == m_bits_of(c)) {
			return; /* one finalisation per object */
		}
	}
	expect[nexpect].ref_type = ref_type(c->type);
	expect[nexpect].object = c->object;
	expect[nexpect].bits = m_bits_of(c);
	nexpect++;
}

/* Remove slot i from the model; its children move to its parent. */
void m_remove(int i)
{
	struct mcap gone = m[i];

	for (int j = 0; j < NS; j++) {
		if (m[j].used && m[j].parent == i) {
			m[j].parent = gone.parent;
		}
	}
	m[i].used = false;
	if (final_after_removal(&gone)) {
		expect_fin(&gone);
	}
}

void m_relocate(int src, int dest)
{
	m[dest] = m[src];
	m[src].used = false;
	for (int j = 0; j < NS; j++) {
		if (m[j].used && m[j].parent == src) {
			m[j].parent = dest;
		}
	}
}

/* Mint/Mutate data rule; returns the error and sets *badge. */
static enum sel_error m_data(const struct mcap *src, uint64_t data, uint64_t *badge)
{
	*badge = src->badge;
	if (src->type == SEL_OBJ_ENDPOINT || src->type == SEL_OBJ_NOTIFICATION) {
		if (src->badge != 0 && data != src->badge) {
			return SEL_ERR_BADGE_SET;
		}
		*badge = data;
		return SEL_OK;
	}
	if (src->type == SEL_OBJ_CNODE) {
		return SEL_OK; /* the generator only uses valid guards */
	}
	return data == 0 ? SEL_OK : SEL_ERR_INVALID_ARG;
}

enum sel_error m_derive(int src, int dest, uint32_t rights, bool mint, uint64_t data)
{
	uint64_t badge;
	enum sel_error err;

	if (m[dest].used) {
		return SEL_ERR_SLOT_OCCUPIED;
	}
	if (!m[src].used) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (m[src].type == SEL_OBJ_UNTYPED) {
		return SEL_ERR_ILLEGAL_OP;
	}
	if (rights > SEL_RIGHTS_ALL) {
		return SEL_ERR_INVALID_ARG;
	}
	err = mint ? m_data(&m[src], data, &badge) : SEL_OK;
	if (err != SEL_OK) {
		return err;
	}
	m[dest] = m[src];
	m[dest].rights &= rights;
	m[dest].parent = src;
	if (mint) {
		m[dest].badge = badge;
	}
	return SEL_OK;
}

enum sel_error m_mutate(int src, int dest, uint32_t rights, uint64_t data)
{
	uint64_t badge;
	enum sel_error err;

	if (m[dest].used) {
		return SEL_ERR_SLOT_OCCUPIED;
	}
	if (!m[src].used) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (rights > SEL_RIGHTS_ALL) {
		return SEL_ERR_INVALID_ARG;
	}
	err = m_data(&m[src], data, &badge);
	if (err != SEL_OK) {
		return err;
	}
	if (((m[src].rights & rights) != m[src].rights || badge != m[src].badge) &&
	    has_children(src)) {
		return SEL_ERR_HAS_CHILDREN;
	}
	m_relocate(src, dest);
	m[dest].rights &= rights;
	m[dest].badge = badge;
	return SEL_OK;
}

enum sel_error m_retype(int ut, uint32_t type, uint32_t bits, int dest, int count)
{
	uint32_t ob = m_obj_bits(type, bits);
	uint64_t mark, start;

	for (int k = 0; k < count; k++) {
		if (m[dest + k].used) {
			return SEL_ERR_SLOT_OCCUPIED;
		}
	}
	if (!m[ut].used) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (m[ut].type != SEL_OBJ_UNTYPED) {
		return SEL_ERR_WRONG_TYPE;
	}
	if (ob == 0 || ob > m[ut].size_bits || (type == SEL_OBJ_UNTYPED && ob >= m[ut].size_bits)) {
		return SEL_ERR_RANGE;
	}
	mark = has_children(ut) ? m[ut].word0 : 0;
	start = (mark + (1ull << ob) - 1) & ~((1ull << ob) - 1);
	if (start + ((uint64_t)count << ob) > (1ull << m[ut].size_bits)) {
		return SEL_ERR_NO_MEMORY;
	}
	m[ut].word0 = start + ((uint64_t)count << ob);
	for (int k = 0; k < count; k++) {
		struct mcap *c = &m[dest + k];

		memset(c, 0, sizeof(*c));
		c->used = true;
		c->parent = ut;
		c->type = type;
		c->rights = SEL_RIGHTS_ALL;
		c->object = m[ut].object + start + ((uint64_t)k << ob);
		c->size_bits =
		    (type == SEL_OBJ_CNODE || type == SEL_OBJ_UNTYPED || type == SEL_OBJ_FRAME)
		        ? bits
		        : 0;
	}
	return SEL_OK;
}

enum sel_error m_sender(int p, int d, uint64_t vector, uint32_t rights)
{
	if (m[d].used) {
		return SEL_ERR_SLOT_OCCUPIED;
	}
	if (!m[p].used) {
		return SEL_ERR_EMPTY_SLOT;
	}
	if (m[p].type != SEL_OBJ_UINTR_RECEIVER) {
		return SEL_ERR_WRONG_TYPE;
	}
	if ((m[p].rights & SEL_RIGHT_GRANT) == 0) {
		return SEL_ERR_NO_RIGHTS;
	}
	if (vector >= CAP_UINTR_VECTORS) {
		return SEL_ERR_RANGE;
	}
	memset(&m[d], 0, sizeof(m[d]));
	m[d].used = true;
	m[d].parent = p;
	m[d].type = SEL_OBJ_UINTR_SENDER;
	m[d].rights = rights & m[p].rights;
	m[d].object = m[p].object;
	m[d].word0 = vector;
	return SEL_OK;
}

void m_revoke(int i)
{
	struct mcap gone[NS];
	size_t n = 0;

	for (int j = 0; j < NS; j++) {
		if (m[j].used && descends(j, i)) {
			gone[n++] = m[j];
		}
	}
	for (int j = 0; j < NS; j++) {
		if (m[j].used && descends(j, i)) {
			m[j].used = false;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (final_after_removal(&gone[k])) {
			expect_fin(&gone[k]);
		}
	}
}
