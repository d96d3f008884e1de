/*
 * The IDL runtime: codec helpers, futures and the server/event plumbing that
 * idlc-generated code calls (see sel/idl_runtime.h for the wire format and
 * the trust rules).
 *
 * Decoding rules, applied to the private copies only:
 *   - a header is read once; its length, kind, wire version and descriptor
 *     counts must be in range before anything else is looked at;
 *   - a payload's (offset, length) must lie after the previous payload
 *     (so no byte is read twice), inside the message, 8-byte aligned, with
 *     length <= its bound; strings must be UTF-8 without NUL;
 *   - capabilities must carry the rights (and object type) declared;
 *   - leases must be within their bound and lend the access declared.
 * Every failure is SEL_ERR_PROTOCOL unless a more precise code applies
 * (SEL_ERR_NO_RIGHTS, SEL_ERR_WRONG_TYPE).
 *
 * Futures: a call takes a free slot of the connection's table (or gets the
 * connection's static "busy" future, resolved with SEL_ERR_FULL), is
 * encoded straight into the transport's request buffer, sent, and polled
 * once so that a synchronous transport resolves it at once. Nothing here
 * allocates.
 */
#include <sel/idl_runtime.h>

static size_t round_up8(size_t n)
{
	return (n + (SEL_IDL_PAYLOAD_ALIGN - 1)) & ~(size_t)(SEL_IDL_PAYLOAD_ALIGN - 1);
}

/* A word of any object type: word copies may go through it (no aliasing assumption). */
typedef uint64_t __attribute__((may_alias)) idl_word;

/* Private memory only: four words a loop once the destination is 8-byte aligned. */
void sel_idl_zero(void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t i = 0;

	for (; i < n && ((uintptr_t)(d + i) & 7u) != 0; i++)
		d[i] = 0;
	for (; i + 32 <= n; i += 32) {
		idl_word *q = (idl_word *)(void *)(d + i);
		q[0] = 0, q[1] = 0, q[2] = 0, q[3] = 0;
	}
	for (; i + 8 <= n; i += 8)
		*(idl_word *)(void *)(d + i) = 0;
	for (; i < n; i++)
		d[i] = 0;
}

/*
 * Private memory only. When both sides share their offset within a word,
 * the bytes up to a word boundary go one by one, then eight words a loop:
 * the payloads of messages are 8-byte aligned, so 2 KiB is 32 loops.
 */
void sel_idl_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t i = 0;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7u) == 0) {
		for (; i < n && ((uintptr_t)(d + i) & 7u) != 0; i++)
			d[i] = s[i];
		for (; i + 64 <= n; i += 64) {
			idl_word *q = (idl_word *)(void *)(d + i);
			const idl_word *p = (const idl_word *)(const void *)(s + i);
			uint64_t a = p[0], b = p[1], c = p[2], e = p[3];
			uint64_t f = p[4], g = p[5], h = p[6], k = p[7];
			q[0] = a, q[1] = b, q[2] = c, q[3] = e;
			q[4] = f, q[5] = g, q[6] = h, q[7] = k;
		}
		for (; i + 8 <= n; i += 8)
			*(idl_word *)(void *)(d + i) = *(const idl_word *)(const void *)(s + i);
	}
	for (; i < n; i++)
		d[i] = s[i];
}

size_t sel_idl_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* Length of the UTF-8 sequence starting with byte c, or 0 if c cannot start one. */
static size_t utf8_seq_len(uint8_t c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
bool sel_idl_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = utf8_seq_len(s[i]);
		uint8_t lo = 0x80, hi = 0xbf;

		if (len == 0 || len > n - i)
			return false;
		if (s[i] == 0xe0)
			lo = 0xa0;
		else if (s[i] == 0xed)
			hi = 0x9f;
		else if (s[i] == 0xf0)
			lo = 0x90;
		else if (s[i] == 0xf4)
			hi = 0x8f;
		for (size_t k = 1; k < len; k++) {
			uint8_t c = s[i + k];

			if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf))
				return false;
		}
		i += len;
	}
	return true;
}

/* Encoding. */

void sel_idl_write_header(struct sel_idl_msg *m, uint16_t ordinal, uint8_t kind, uint8_t flags,
                          uint32_t status)
{
	uint64_t word = (uint64_t)ordinal | ((uint64_t)(kind & 0xfu) << 16) |
	                ((uint64_t)(flags & 0xfu) << 20) | ((uint64_t)SEL_IDL_WIRE_VERSION << 24) |
	                ((uint64_t)status << 32);

	__builtin_memcpy(m->buf, &word, sizeof(word));
	m->len = SEL_IDL_HEADER_BYTES;
	m->ncaps = 0;
	m->nleases = 0;
}

int sel_idl_encode_begin(struct sel_idl_msg *m, size_t fixed_bytes)
{
	if (m->buf == NULL || m->capacity < SEL_IDL_HEADER_BYTES + fixed_bytes)
		return SEL_ERR_RANGE;
	sel_idl_zero(m->buf + SEL_IDL_HEADER_BYTES, fixed_bytes);
	m->len = (uint32_t)(SEL_IDL_HEADER_BYTES + fixed_bytes);
	m->ncaps = 0;
	m->nleases = 0;
	return SEL_OK;
}

int sel_idl_encode_end(struct sel_idl_msg *m, size_t cursor, uint32_t ncaps, uint32_t nleases)
{
	size_t end = round_up8(cursor);

	if (end > m->capacity || end > SEL_IDL_MAX_MESSAGE_BYTES)
		return SEL_ERR_RANGE;
	sel_idl_zero(m->buf + cursor, end - cursor);
	m->len = (uint32_t)end;
	m->ncaps = ncaps;
	m->nleases = nleases;
	return SEL_OK;
}

/* Place n bytes at the next aligned cursor position; record the pair. */
int sel_idl_put_bytes(struct sel_idl_msg *m, size_t pair_off, size_t *cursor, const void *src,
                      size_t n, size_t bound)
{
	size_t pos = round_up8(*cursor);

	if (n > bound)
		return SEL_ERR_RANGE;
	if (src == NULL && n != 0)
		return SEL_ERR_INVALID_ARG;
	if (pos > m->capacity || n > m->capacity - pos)
		return SEL_ERR_RANGE;
	sel_idl_zero(m->buf + *cursor, pos - *cursor);
	if (n != 0)
		sel_idl_copy(m->buf + pos, src, n);
	sel_idl_put_u32(m, pair_off, (uint32_t)pos);
	sel_idl_put_u32(m, pair_off + 4, (uint32_t)n);
	*cursor = pos + n;
	return SEL_OK;
}

int sel_idl_put_string(struct sel_idl_msg *m, size_t pair_off, size_t *cursor, const char *s,
                       size_t bound)
{
	size_t n;

	if (s == NULL)
		return SEL_ERR_INVALID_ARG;
	n = sel_idl_strnlen(s, bound + 1);
	if (n > bound)
		return SEL_ERR_RANGE;
	if (!sel_idl_utf8_valid((const uint8_t *)s, n))
		return SEL_ERR_INVALID_ARG;
	return sel_idl_put_bytes(m, pair_off, cursor, s, n, bound);
}

/* A reply's opaque payload, already written by the handler at `pos`. */
int sel_idl_put_reserved(struct sel_idl_msg *m, size_t pair_off, size_t pos, size_t n, size_t bound,
                         size_t *cursor)
{
	if (n > bound)
		return SEL_ERR_RANGE;
	sel_idl_put_u32(m, pair_off, (uint32_t)pos);
	sel_idl_put_u32(m, pair_off + 4, (uint32_t)n);
	if (pos + n > *cursor)
		*cursor = pos + n;
	return SEL_OK;
}

int sel_idl_put_lease(struct sel_idl_msg *m, uint32_t index, const void *base, size_t len,
                      size_t bound, uint32_t access)
{
	if (index >= SEL_IDL_MAX_LEASES)
		return SEL_ERR_RANGE;
	if (len > bound)
		return SEL_ERR_RANGE;
	if (base == NULL && len != 0)
		return SEL_ERR_INVALID_ARG;
	m->leases[index].base = (uint64_t)(uintptr_t)base;
	m->leases[index].len = len;
	m->leases[index].access = access;
	m->leases[index].reserved = 0;
	return SEL_OK;
}

/* Decoding. */

int sel_idl_read_header(const struct sel_idl_msg *m, struct sel_idl_hdr *h)
{
	uint64_t word;

	sel_idl_zero(h, sizeof(*h));
	/* The descriptor is private, but read each count once all the same. */
	h->len = m->len;
	h->ncaps = m->ncaps;
	h->nleases = m->nleases;
	if (m->buf == NULL || h->len < SEL_IDL_HEADER_BYTES || h->len > m->capacity ||
	    h->len > SEL_IDL_MAX_MESSAGE_BYTES || h->ncaps > SEL_IDL_MAX_CAPS ||
	    h->nleases > SEL_IDL_MAX_LEASES)
		return SEL_ERR_PROTOCOL;
	sel_idl_copy_in(&word, m, 0, sizeof(word));
	if (((word >> 24) & 0xffu) != SEL_IDL_WIRE_VERSION)
		return SEL_ERR_PROTOCOL;
	h->ordinal = (uint16_t)(word & 0xffffu);
	h->kind = (uint8_t)((word >> 16) & 0xfu);
	h->flags = (uint8_t)((word >> 20) & 0xfu);
	h->status = (uint32_t)(word >> 32);
	return SEL_OK;
}

int sel_idl_check_shape(const struct sel_idl_hdr *h, uint8_t kind, size_t fixed_bytes,
                        uint32_t ncaps, uint32_t nleases)
{
	if (h->kind != kind || h->len < SEL_IDL_HEADER_BYTES + fixed_bytes)
		return SEL_ERR_PROTOCOL;
	if (h->ncaps != ncaps || h->nleases != nleases)
		return SEL_ERR_PROTOCOL;
	if (kind != SEL_IDL_KIND_REPLY && (h->flags != 0 || h->status != 0))
		return SEL_ERR_PROTOCOL;
	return SEL_OK;
}

int sel_idl_get_bool(const void *fixed, size_t off, bool *out)
{
	uint8_t v = sel_idl_get_u8(fixed, off);

	if (v > 1)
		return SEL_ERR_PROTOCOL;
	*out = v != 0;
	return SEL_OK;
}

/* Check a payload's pair against the cursor and message length; advance. */
static int take_pair(const void *fixed, size_t pair_off, size_t *cursor, size_t len, size_t bound,
                     size_t *off, size_t *n)
{
	size_t o = sel_idl_get_u32(fixed, pair_off);
	size_t l = sel_idl_get_u32(fixed, pair_off + 4);

	if (l > bound || o < *cursor || o > len || l > len - o || (o & 7u) != 0)
		return SEL_ERR_PROTOCOL;
	*cursor = o + l;
	*off = o;
	*n = l;
	return SEL_OK;
}

int sel_idl_get_bytes(const struct sel_idl_msg *m, const void *fixed, size_t pair_off,
                      size_t *cursor, size_t len, size_t bound, uint8_t *dst, size_t *n)
{
	size_t off;
	int rc = take_pair(fixed, pair_off, cursor, len, bound, &off, n);

	if (rc != SEL_OK)
		return rc;
	sel_idl_copy_in(dst, m, off, *n);
	return SEL_OK;
}

int sel_idl_get_string(const struct sel_idl_msg *m, const void *fixed, size_t pair_off,
                       size_t *cursor, size_t len, size_t bound, char *dst)
{
	size_t off, n;
	int rc = take_pair(fixed, pair_off, cursor, len, bound, &off, &n);

	if (rc != SEL_OK)
		return rc;
	sel_idl_copy_in(dst, m, off, n);
	dst[n] = '\0';
	if (sel_idl_strnlen(dst, n) != n || !sel_idl_utf8_valid((const uint8_t *)dst, n))
		return SEL_ERR_PROTOCOL;
	return SEL_OK;
}

int sel_idl_get_opaque(const struct sel_idl_msg *m, const void *fixed, size_t pair_off,
                       size_t *cursor, size_t len, size_t bound, const uint8_t **ptr, size_t *n)
{
	size_t off;
	int rc = take_pair(fixed, pair_off, cursor, len, bound, &off, n);

	if (rc != SEL_OK)
		return rc;
	*ptr = m->buf + off;
	return SEL_OK;
}

int sel_idl_get_cap(const struct sel_idl_msg *m, uint32_t index, uint32_t rights, uint32_t type,
                    struct sel_idl_cap *out)
{
	if (index >= SEL_IDL_MAX_CAPS)
		return SEL_ERR_PROTOCOL;
	*out = m->caps[index];
	if ((out->rights & rights) != rights)
		return SEL_ERR_NO_RIGHTS;
	if (type != SEL_IDL_ANY_OBJECT && out->type != type)
		return SEL_ERR_WRONG_TYPE;
	return SEL_OK;
}

int sel_idl_get_lease(const struct sel_idl_msg *m, uint32_t index, size_t bound, uint32_t access,
                      struct sel_idl_lease *out)
{
	if (index >= SEL_IDL_MAX_LEASES)
		return SEL_ERR_PROTOCOL;
	out->desc = m->leases[index];
	out->ops = m->lease_ops;
	out->ctx = m->lease_ctx;
	if (out->desc.len > bound || out->desc.base + out->desc.len < out->desc.base)
		return SEL_ERR_PROTOCOL;
	if ((out->desc.access & access) != access)
		return SEL_ERR_NO_RIGHTS;
	return SEL_OK;
}

/* Leases. */

int sel_idl_lease_read(const struct sel_idl_lease *lease, uint64_t off, void *dst, size_t n)
{
	if ((lease->desc.access & SEL_IDL_LEASE_READ) == 0)
		return SEL_ERR_NO_RIGHTS;
	if (off > lease->desc.len || n > lease->desc.len - off)
		return SEL_ERR_RANGE;
	if (lease->ops == NULL || lease->ops->read == NULL)
		return SEL_ERR_NOT_SUPPORTED;
	return lease->ops->read(lease->ctx, &lease->desc, off, dst, n);
}

int sel_idl_lease_write(const struct sel_idl_lease *lease, uint64_t off, const void *src, size_t n)
{
	if ((lease->desc.access & SEL_IDL_LEASE_WRITE) == 0)
		return SEL_ERR_NO_RIGHTS;
	if (off > lease->desc.len || n > lease->desc.len - off)
		return SEL_ERR_RANGE;
	if (lease->ops == NULL || lease->ops->write == NULL)
		return SEL_ERR_NOT_SUPPORTED;
	return lease->ops->write(lease->ctx, &lease->desc, off, src, n);
}

/* Client side. */

static int reply_outcome(const struct sel_idl_hdr *h, uint16_t ordinal,
                         sel_idl_valid_fn valid_error);

void sel_idl_conn_init(struct sel_idl_conn *conn, const struct sel_idl_transport *transport,
                       void *ctx, struct sel_idl_future *slots, uint32_t nslots)
{
	sel_idl_zero(conn, sizeof(*conn));
	conn->transport = transport;
	conn->ctx = ctx;
	conn->slots = slots;
	conn->nslots = nslots;
	for (uint32_t i = 0; i < nslots; i++) {
		sel_idl_zero(&slots[i], sizeof(slots[i]));
		slots[i].conn = conn;
		slots[i].slot = i;
		slots[i].state = SEL_IDL_FUTURE_FREE;
	}
	conn->busy.conn = conn;
	conn->busy.state = SEL_IDL_FUTURE_STATIC;
	conn->busy.status = SEL_ERR_FULL;
}

/* Mark a future resolved with `status` and run its callback, if any. */
static void resolve(struct sel_idl_future *f, int status)
{
	sel_idl_then_fn fn = f->then;

	f->status = status;
	f->state = SEL_IDL_FUTURE_RESOLVED;
	f->then = NULL;
	if (fn != NULL)
		fn(f, f->then_arg);
}

/* The lowest free slot (first fit), searched from conn->hint: every slot below it is taken. */
static struct sel_idl_future *free_slot(struct sel_idl_conn *conn)
{
	for (uint32_t i = conn->hint; i < conn->nslots; i++)
		if (conn->slots[i].state == SEL_IDL_FUTURE_FREE) {
			conn->hint = i + 1;
			return &conn->slots[i];
		}
	conn->hint = conn->nslots;
	return NULL;
}

/* Slot f is free again: the search for a free slot starts at it at the latest. */
static void slot_freed(struct sel_idl_future *f)
{
	f->state = SEL_IDL_FUTURE_FREE;
	if (f->slot < f->conn->hint)
		f->conn->hint = f->slot;
}

struct sel_idl_future *sel_idl_call_start(struct sel_idl_conn *conn, uint16_t ordinal, bool oneway,
                                          struct sel_idl_msg **req)
{
	struct sel_idl_future *f;
	int rc;

	*req = NULL;
	f = free_slot(conn);
	if (f == NULL)
		return &conn->busy;
	sel_idl_zero(&f->request, sizeof(f->request));
	sel_idl_zero(&f->reply, sizeof(f->reply));
	f->ordinal = ordinal;
	f->oneway = oneway;
	f->then = NULL;
	f->then_arg = NULL;
	f->status = SEL_OK;
	f->state = SEL_IDL_FUTURE_PENDING;
	rc = conn->transport->request_buffer(conn->ctx, f->slot, &f->request);
	if (rc == SEL_OK && (f->request.buf == NULL || f->request.capacity < SEL_IDL_HEADER_BYTES))
		rc = SEL_ERR_RANGE;
	if (rc != SEL_OK) {
		resolve(f, rc);
		return f;
	}
	sel_idl_write_header(&f->request, ordinal,
	                     oneway ? SEL_IDL_KIND_ONEWAY : SEL_IDL_KIND_REQUEST, 0, 0);
	*req = &f->request;
	return f;
}

/* Register-sized calls. */

struct sel_idl_future *sel_idl_call_words(struct sel_idl_conn *conn, uint16_t ordinal,
                                          const uint64_t *w, uint32_t nwords)
{
	const struct sel_idl_transport *t = conn->transport;
	struct sel_idl_msg *req;
	struct sel_idl_future *f;
	int rc;

	if (t->send_words == NULL) { /* into the transport's request buffer */
		f = sel_idl_call_start(conn, ordinal, false, &req);
		if (req == NULL)
			return f;
		req->reply_max = SEL_IDL_WORDS_MAX * 8u;
		rc = req->capacity < nwords * 8u ? SEL_ERR_RANGE : SEL_OK;
		if (rc == SEL_OK) {
			sel_idl_copy(req->buf, w, nwords * 8u);
			req->len = nwords * 8u;
		}
		return sel_idl_call_send(f, rc);
	}
	f = free_slot(conn);
	if (f == NULL)
		return &conn->busy;
	f->ordinal = ordinal;
	f->oneway = false;
	f->then = NULL;
	f->then_arg = NULL;
	f->status = SEL_OK;
	f->state = SEL_IDL_FUTURE_PENDING;
	f->reply.len = 0;
	rc = t->send_words(conn->ctx, f->slot, w, nwords);
	if (rc != SEL_OK)
		resolve(f, rc);
	return f;
}

int sel_idl_finish_words(struct sel_idl_future *f, uint64_t *w, uint32_t *nwords, bool *generic)
{
	const struct sel_idl_transport *t = f->conn->transport;
	int rc;
	uint32_t len;

	if (f->state == SEL_IDL_FUTURE_PENDING && f->then == NULL && t->wait_words != NULL) {
		rc = t->wait_words(f->conn->ctx, f->slot, &f->reply, w, nwords, generic);
		f->status = rc;
		f->state = SEL_IDL_FUTURE_RESOLVED; /* no callback to run: then is NULL */
		if (!*generic)
			sel_idl_future_release(f);
		return rc;
	}
	rc = sel_idl_future_wait(f);
	len = f->reply.len;

	*generic = false;
	if (rc == SEL_OK) {
		if (f->reply.buf == NULL || len > SEL_IDL_WORDS_MAX * 8u || (len & 7u) != 0 ||
		    f->reply.ncaps != 0 || f->reply.nleases != 0) {
			*generic = true;
			return rc;
		}
		sel_idl_copy_in(w, &f->reply, 0, len);
		*nwords = len / 8u;
	}
	sel_idl_future_release(f);
	return rc;
}

struct sel_idl_future *sel_idl_call_send(struct sel_idl_future *f, int encode_status)
{
	const struct sel_idl_transport *t = f->conn->transport;
	int rc;

	if (f->state != SEL_IDL_FUTURE_PENDING)
		return f;
	if (encode_status != SEL_OK) {
		resolve(f, encode_status);
		return f;
	}
	rc = t->send(f->conn->ctx, f->slot, &f->request, f->oneway);
	if (rc != SEL_OK || f->oneway) {
		resolve(f, rc);
		return f;
	}
	rc = t->poll(f->conn->ctx, f->slot, &f->reply);
	if (rc != SEL_ERR_WOULD_BLOCK)
		resolve(f, rc);
	return f;
}

int sel_idl_future_wait(struct sel_idl_future *f)
{
	if (f->state == SEL_IDL_FUTURE_PENDING)
		resolve(f, f->conn->transport->wait(f->conn->ctx, f->slot, &f->reply));
	if (f->state == SEL_IDL_FUTURE_RESOLVED || f->state == SEL_IDL_FUTURE_STATIC)
		return f->status;
	return SEL_ERR_INVALID_ARG;
}

int sel_idl_future_poll(struct sel_idl_future *f)
{
	if (f->state == SEL_IDL_FUTURE_PENDING) {
		int rc = f->conn->transport->poll(f->conn->ctx, f->slot, &f->reply);

		if (rc == SEL_ERR_WOULD_BLOCK)
			return rc;
		resolve(f, rc);
	}
	if (f->state == SEL_IDL_FUTURE_RESOLVED || f->state == SEL_IDL_FUTURE_STATIC)
		return f->status;
	return SEL_ERR_INVALID_ARG;
}

void sel_idl_future_then(struct sel_idl_future *f, sel_idl_then_fn fn, void *arg)
{
	if (f->state == SEL_IDL_FUTURE_PENDING) {
		f->then = fn;
		f->then_arg = arg;
		return;
	}
	if (f->state == SEL_IDL_FUTURE_RESOLVED || f->state == SEL_IDL_FUTURE_STATIC)
		fn(f, arg);
}

void sel_idl_future_release(struct sel_idl_future *f)
{
	const struct sel_idl_transport *t = f->conn->transport;

	if (f->state == SEL_IDL_FUTURE_PENDING) {
		f->then = NULL;
		f->state = SEL_IDL_FUTURE_ABANDONED;
		return;
	}
	if (f->state != SEL_IDL_FUTURE_RESOLVED)
		return;
	if (t->release != NULL)
		t->release(f->conn->ctx, f->slot);
	slot_freed(f);
}

int sel_idl_finish_begin(struct sel_idl_future *f, struct sel_idl_hdr *h,
                         sel_idl_valid_fn valid_error)
{
	int rc = sel_idl_future_wait(f);

	sel_idl_zero(h, sizeof(*h));
	if (rc != SEL_OK)
		return rc;
	rc = sel_idl_read_header(&f->reply, h);
	if (rc != SEL_OK)
		return rc;
	return reply_outcome(h, f->ordinal, valid_error);
}

/* What a reply header to `ordinal` means for the caller (finish and the register path). */
static int reply_outcome(const struct sel_idl_hdr *h, uint16_t ordinal,
                         sel_idl_valid_fn valid_error)
{
	if (h->kind != SEL_IDL_KIND_REPLY || h->ordinal != ordinal)
		return SEL_ERR_PROTOCOL;
	if (h->flags == SEL_IDL_FLAG_APP_ERROR) {
		if (valid_error != NULL && h->status >= 1 && h->status <= SEL_IDL_MAX_ERROR_VALUE &&
		    valid_error((int64_t)h->status))
			return SEL_IDL_APP_ERROR_BASE + (int)h->status;
		return SEL_ERR_PROTOCOL;
	}
	if (h->flags != 0)
		return SEL_ERR_PROTOCOL;
	if (h->status == SEL_OK)
		return SEL_OK;
	if (h->status < SEL_ERR_COUNT)
		return (int)h->status;
	return SEL_ERR_PROTOCOL;
}

int sel_idl_words_reply(const uint64_t *w, uint32_t nwords, uint16_t ordinal, size_t fixed_bytes,
                        sel_idl_valid_fn valid_error)
{
	struct sel_idl_msg m = {0};
	struct sel_idl_hdr h;
	int rc;

	m.buf = (uint8_t *)(uintptr_t)w; /* private memory: the words the kernel delivered */
	m.len = nwords * 8u;
	m.capacity = SEL_IDL_WORDS_MAX * 8u;
	rc = sel_idl_read_header(&m, &h);
	if (rc != SEL_OK)
		return rc;
	rc = reply_outcome(&h, ordinal, valid_error);
	if (rc == SEL_OK)
		rc = sel_idl_check_shape(&h, SEL_IDL_KIND_REPLY, fixed_bytes, 0, 0);
	return rc;
}

int sel_idl_words_result(uint64_t *w, uint32_t *nwords, uint16_t ordinal, int rc,
                         sel_idl_valid_fn valid_error)
{
	struct sel_idl_hdr h = {0};
	struct sel_idl_msg rep = {0};

	h.ordinal = ordinal;
	h.kind = SEL_IDL_KIND_REQUEST;
	rep.buf = (uint8_t *)w;
	rep.capacity = SEL_IDL_WORDS_MAX * 8u;
	sel_idl_reply_result(&h, &rep, rc, valid_error);
	*nwords = rep.len / 8u;
	return SEL_OK;
}

int sel_idl_finish_oneway(struct sel_idl_future *f)
{
	int rc = sel_idl_future_wait(f);

	sel_idl_future_release(f);
	return rc;
}

int sel_idl_conn_poll(struct sel_idl_conn *conn)
{
	const struct sel_idl_transport *t = conn->transport;
	int resolved = 0;

	for (uint32_t i = 0; i < conn->nslots; i++) {
		struct sel_idl_future *f = &conn->slots[i];
		int rc;

		if (f->state != SEL_IDL_FUTURE_PENDING && f->state != SEL_IDL_FUTURE_ABANDONED)
			continue;
		rc = t->poll(conn->ctx, f->slot, &f->reply);
		if (rc == SEL_ERR_WOULD_BLOCK)
			continue;
		if (f->state == SEL_IDL_FUTURE_ABANDONED) {
			if (t->release != NULL)
				t->release(conn->ctx, f->slot);
			slot_freed(f);
			continue;
		}
		resolve(f, rc);
		resolved++;
	}
	return resolved;
}

int sel_idl_conn_next_event(struct sel_idl_conn *conn, struct sel_idl_msg *ev)
{
	if (conn->transport->next_event == NULL)
		return SEL_ERR_NOT_SUPPORTED;
	return conn->transport->next_event(conn->ctx, ev);
}

/* Server side. */

static bool overlaps(const struct sel_idl_msg *a, const struct sel_idl_msg *b)
{
	uintptr_t a0 = (uintptr_t)a->buf, b0 = (uintptr_t)b->buf;

	return a0 < b0 + b->capacity && b0 < a0 + a->capacity;
}

int sel_idl_serve_begin(const struct sel_idl_msg *req, struct sel_idl_msg *rep, size_t max_reply,
                        struct sel_idl_hdr *h)
{
	int rc;

	rep->len = 0;
	rep->ncaps = 0;
	rep->nleases = 0;
	rc = sel_idl_read_header(req, h);
	if (rc != SEL_OK) {
		h->kind = 0; /* an unreadable header gets no reply */
		return rc;
	}
	if (h->kind != SEL_IDL_KIND_REQUEST && h->kind != SEL_IDL_KIND_ONEWAY) {
		h->kind = 0;
		return SEL_ERR_PROTOCOL;
	}
	if (rep->buf == NULL || rep->capacity < SEL_IDL_HEADER_BYTES) {
		h->kind = 0;
		return SEL_ERR_INVALID_ARG;
	}
	if (rep->capacity < max_reply || overlaps(req, rep))
		return SEL_ERR_INVALID_ARG;
	if (h->flags != 0 || h->status != 0)
		return SEL_ERR_PROTOCOL;
	return SEL_OK;
}

int sel_idl_reply_status(const struct sel_idl_hdr *h, struct sel_idl_msg *rep, int status)
{
	if (h->kind == SEL_IDL_KIND_REQUEST)
		sel_idl_write_header(rep, h->ordinal, SEL_IDL_KIND_REPLY, 0, (uint32_t)status);
	return status;
}

int sel_idl_reply_result(const struct sel_idl_hdr *h, struct sel_idl_msg *rep, int rc,
                         sel_idl_valid_fn valid_error)
{
	uint8_t flags = 0;
	uint32_t status = SEL_ERR_PROTOCOL; /* a handler result outside the contract */

	if (rc > SEL_OK && rc < SEL_ERR_COUNT) {
		status = (uint32_t)rc;
	} else if (sel_idl_is_app_error(rc) && valid_error != NULL &&
	           valid_error((int64_t)(rc - SEL_IDL_APP_ERROR_BASE))) {
		flags = SEL_IDL_FLAG_APP_ERROR;
		status = (uint32_t)(rc - SEL_IDL_APP_ERROR_BASE);
	}
	if (h->kind == SEL_IDL_KIND_REQUEST)
		sel_idl_write_header(rep, h->ordinal, SEL_IDL_KIND_REPLY, flags, status);
	return SEL_OK;
}

int sel_idl_reply_begin(const struct sel_idl_hdr *h, struct sel_idl_msg *rep)
{
	sel_idl_write_header(rep, h->ordinal, SEL_IDL_KIND_REPLY, 0, 0);
	return SEL_OK;
}

uint8_t *sel_idl_reserve(struct sel_idl_msg *rep, size_t pos, size_t bound)
{
	sel_idl_zero(rep->buf + pos, bound);
	return rep->buf + pos;
}

/* Events. */

int sel_idl_event_start(struct sel_idl_event_sink *sink, struct sel_idl_msg *ev, uint16_t ordinal)
{
	int rc;

	sel_idl_zero(ev, sizeof(*ev));
	rc = sink->buffer(sink->ctx, ev);
	if (rc != SEL_OK)
		return rc;
	if (ev->buf == NULL || ev->capacity < SEL_IDL_HEADER_BYTES)
		return SEL_ERR_RANGE;
	sel_idl_write_header(ev, ordinal, SEL_IDL_KIND_EVENT, 0, 0);
	return SEL_OK;
}

int sel_idl_event_send(struct sel_idl_event_sink *sink, struct sel_idl_msg *ev, int encode_status)
{
	if (encode_status != SEL_OK)
		return encode_status;
	return sink->send(sink->ctx, ev);
}

int sel_idl_event_begin(const struct sel_idl_msg *ev, struct sel_idl_hdr *h)
{
	int rc = sel_idl_read_header(ev, h);

	if (rc != SEL_OK)
		return rc;
	if (h->kind != SEL_IDL_KIND_EVENT || h->flags != 0 || h->status != 0)
		return SEL_ERR_PROTOCOL;
	return SEL_OK;
}
