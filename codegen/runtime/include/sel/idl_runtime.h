/*
 * The IDL runtime: messages, the transport table, futures and the codec
 * helpers that idlc-generated stubs and skeletons call.
 *
 * Freestanding C11: it needs only <stdint.h>, <stdbool.h>, <stddef.h> and
 * Selene's ABI headers, and it never allocates.
 *
 * Wire format (docs/idl.md, codegen/idlc/layout.py): a message is a buffer of
 * bytes, native little-endian order. Word 0 is the header
 *
 *   bits 0-15 ordinal, 16-19 kind, 20-23 flags, 24-31 wire version,
 *   32-63 status (replies: 0, an enum sel_error, or a typed error value)
 *
 * followed by the fixed part (fields at natural alignment; bytes and strings
 * as (offset u32, length u32) pairs) and the variable part (payloads at
 * 8-byte boundaries). Capabilities and leases travel beside the buffer in the
 * message descriptor, never in it.
 *
 * Trust: a message descriptor (struct sel_idl_msg) is private to the side
 * that holds it; only the bytes at `buf` may be shared with the peer (a
 * window), which can rewrite them at any time. Every read of an incoming
 * buffer therefore goes through sel_idl_copy_in() (idl_copyin.c), exactly
 * once per byte, into private memory that is then checked. Opaque payloads
 * are the one exception: they are handed out as (pointer, checked length)
 * and their contents must be treated as changing under the reader.
 */
#ifndef SEL_IDL_RUNTIME_H
#define SEL_IDL_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <selene/error.h>
#include <selene/object.h>
#if defined(__riscv)
#include <selene/ipc.h>
#include <selene/syscall.h>
#endif

/* Wire constants; codegen/idlc/layout.py holds the same values. */
#define SEL_IDL_WIRE_VERSION      1u
#define SEL_IDL_HEADER_BYTES      8u
#define SEL_IDL_MAX_MESSAGE_BYTES 4096u
#define SEL_IDL_MAX_CAPS          3u
#define SEL_IDL_MAX_LEASES        1u /* the kernel lends one range per Call */
#define SEL_IDL_PAYLOAD_ALIGN     8u
#define SEL_IDL_FLAG_APP_ERROR    0x1u
#define SEL_IDL_LEASE_READ        1u /* the server may read the lent memory */
#define SEL_IDL_LEASE_WRITE       2u /* the server may write it */
#define SEL_IDL_ANY_OBJECT        0u /* a capability of any object type */

/*
 * Typed errors. A method's declared error `e` (1..0xffff) reaches the caller
 * as the int SEL_IDL_APP_ERROR_BASE + e, disjoint from enum sel_error, so one
 * int carries SEL_OK, a transport/protocol error or a typed error; the
 * generated error enums already include the base.
 */
#define SEL_IDL_APP_ERROR_BASE  0x10000
#define SEL_IDL_MAX_ERROR_VALUE 0xffff

enum sel_idl_kind {
	SEL_IDL_KIND_REQUEST = 1,
	SEL_IDL_KIND_ONEWAY = 2,
	SEL_IDL_KIND_REPLY = 3,
	SEL_IDL_KIND_EVENT = 4
};

/* True if rc is a typed (user-declared) error rather than an enum sel_error. */
static inline bool sel_idl_is_app_error(int rc)
{
	return rc > SEL_IDL_APP_ERROR_BASE &&
	       rc <= SEL_IDL_APP_ERROR_BASE + SEL_IDL_MAX_ERROR_VALUE;
}

/* A capability in a message: its slot in the receiver's CSpace, with the
 * rights and object type the transport reports for it. */
struct sel_idl_cap {
	uint64_t slot;
	uint32_t rights; /* enum sel_right mask */
	uint32_t type;   /* enum sel_object_type */
};

/* A lease as it travels (in registers): the caller lends [base, base + len). */
struct sel_idl_lease_desc {
	uint64_t base;
	uint64_t len;
	uint32_t access; /* SEL_IDL_LEASE_READ | SEL_IDL_LEASE_WRITE */
	uint32_t reserved;
};

/* How a receiving transport reaches lent memory (copy, mapping, loopback). */
struct sel_idl_lease_ops {
	int (*read)(void *ctx, const struct sel_idl_lease_desc *lease, uint64_t off, void *dst,
	            size_t n);
	int (*write)(void *ctx, const struct sel_idl_lease_desc *lease, uint64_t off,
	             const void *src, size_t n);
};

/* A checked lease as a handler sees it. */
struct sel_idl_lease {
	struct sel_idl_lease_desc desc;
	const struct sel_idl_lease_ops *ops;
	void *ctx;
};

/*
 * A message: the buffer (maybe shared) and the private descriptor.
 * `len` bytes of `buf` are the message; `capacity` bytes may be written.
 */
struct sel_idl_msg {
	uint8_t *buf;
	uint32_t len;
	uint32_t capacity;
	uint32_t ncaps;
	uint32_t nleases;
	struct sel_idl_cap caps[SEL_IDL_MAX_CAPS];
	struct sel_idl_lease_desc leases[SEL_IDL_MAX_LEASES];
	const struct sel_idl_lease_ops *lease_ops; /* receiver side: how to reach leases */
	void *lease_ctx;
	/* Requests: the largest reply the method can have and the capabilities it
	 * carries (set by the stub), so a transport can provide room for it, and a
	 * path for its caps, only when it needs to. */
	uint32_t reply_max;
	uint32_t reply_caps;
};

/* The header and descriptor counts of an incoming message, read once. */
struct sel_idl_hdr {
	uint32_t len;
	uint32_t status;
	uint32_t ncaps;
	uint32_t nleases;
	uint16_t ordinal;
	uint8_t kind;
	uint8_t flags;
};

/*
 * The transport table: how one connection moves messages. Each in-flight
 * call owns a slot (0..nslots-1) and the transport owns that slot's request
 * and reply buffers (for a window transport, areas of the window).
 *   request_buffer  lend the request buffer of `slot` (sets buf, capacity)
 *   send            send the encoded request of `slot`
 *   wait            block until the reply of `slot` arrives; fill `rep`
 *   poll            like wait, but SEL_ERR_WOULD_BLOCK if it has not arrived
 *   release         the reply of `slot` has been read (may be NULL)
 *   next_event      the next server event, or SEL_ERR_EMPTY (may be NULL)
 * A synchronous transport completes the call inside send; its poll then
 * succeeds at once, so the caller gets an already-resolved future.
 */
struct sel_idl_transport {
	int (*request_buffer)(void *ctx, uint32_t slot, struct sel_idl_msg *req);
	int (*send)(void *ctx, uint32_t slot, struct sel_idl_msg *req, bool oneway);
	int (*wait)(void *ctx, uint32_t slot, struct sel_idl_msg *rep);
	int (*poll)(void *ctx, uint32_t slot, struct sel_idl_msg *rep);
	void (*release)(void *ctx, uint32_t slot);
	int (*next_event)(void *ctx, struct sel_idl_msg *ev);
	/* Optional (may be NULL): register-sized messages (see below). */
	int (*call_words)(void *ctx, uint64_t *w, uint32_t *nwords);
	int (*send_words)(void *ctx, uint32_t slot, const uint64_t *w, uint32_t nwords);
	int (*wait_words)(void *ctx, uint32_t slot, struct sel_idl_msg *rep, uint64_t *w,
	                  uint32_t *nwords, bool *generic);
};

enum sel_idl_future_state {
	SEL_IDL_FUTURE_FREE = 0,  /* slot unused */
	SEL_IDL_FUTURE_PENDING,   /* sent, reply not yet here */
	SEL_IDL_FUTURE_RESOLVED,  /* status (and reply) available */
	SEL_IDL_FUTURE_ABANDONED, /* released while pending; reply is dropped */
	SEL_IDL_FUTURE_STATIC     /* the connection's "no free slot" future */
};

struct sel_idl_future;
typedef void (*sel_idl_then_fn)(struct sel_idl_future *future, void *arg);

/*
 * A future: one call in flight. Futures live in the connection's slot table
 * (storage the caller gave sel_idl_conn_init), so making a call never
 * allocates. A future is finished with the generated <svc>_<method>_finish(),
 * which waits if needed, decodes the results and frees the slot.
 */
struct sel_idl_future {
	struct sel_idl_conn *conn;
	uint32_t slot;
	uint16_t ordinal;
	uint8_t state;
	bool oneway;
	int status; /* transport status once resolved */
	struct sel_idl_msg request;
	struct sel_idl_msg reply;
	sel_idl_then_fn then;
	void *then_arg;
};

/* A client's connection to one service instance. */
struct sel_idl_conn {
	const struct sel_idl_transport *transport;
	void *ctx;
	struct sel_idl_future *slots;
	uint32_t nslots;
	struct sel_idl_future busy; /* resolved with SEL_ERR_FULL: returned when no slot is free */
	uint32_t hint;              /* every slot below it is taken: a free one is at or above */
	/*
	 * The register path as a bare endpoint Call, for a transport whose
	 * call_words is one (sync): the endpoint, the info word of a request of
	 * no words (its label, no capabilities) and the mapping of a failed
	 * Call's kernel error to the IDL's. regs_info 0 (sel_idl_conn_init's
	 * default): stubs go through transport->call_words.
	 */
	uint64_t regs_ep, regs_info;
	int (*regs_error)(int err);
};

/* A server's way to send events to one client. */
struct sel_idl_event_sink {
	int (*buffer)(void *ctx, struct sel_idl_msg *ev); /* lend an event buffer */
	int (*send)(void *ctx, struct sel_idl_msg *ev);
	void *ctx;
};

/* Signature of every generated <svc>_dispatch(). */
typedef int (*sel_idl_dispatch_fn)(void *ctx, uint64_t badge, const struct sel_idl_msg *req,
                                   struct sel_idl_msg *rep);

/* Validity test of a typed error value (generated <enum>_is_valid). */
typedef bool (*sel_idl_valid_fn)(int64_t value);

/* Private-memory helpers (no libc). */
void sel_idl_zero(void *dst, size_t n);
void sel_idl_copy(void *dst, const void *src, size_t n);
size_t sel_idl_strnlen(const char *s, size_t max);
bool sel_idl_utf8_valid(const uint8_t *s, size_t n);

/*
 * The only reader of incoming message buffers: copies n bytes at `off` of
 * m->buf to private memory, reading each byte once (idl_copyin.c).
 */
void sel_idl_copy_in(void *dst, const struct sel_idl_msg *m, size_t off, size_t n);

/* Scalar access to the private copy of a fixed part (offsets relative to it). */
static inline uint8_t sel_idl_get_u8(const void *fixed, size_t off)
{
	return ((const uint8_t *)fixed)[off];
}

static inline uint16_t sel_idl_get_u16(const void *fixed, size_t off)
{
	uint16_t v;
	__builtin_memcpy(&v, (const uint8_t *)fixed + off, sizeof(v));
	return v;
}

static inline uint32_t sel_idl_get_u32(const void *fixed, size_t off)
{
	uint32_t v;
	__builtin_memcpy(&v, (const uint8_t *)fixed + off, sizeof(v));
	return v;
}

static inline uint64_t sel_idl_get_u64(const void *fixed, size_t off)
{
	uint64_t v;
	__builtin_memcpy(&v, (const uint8_t *)fixed + off, sizeof(v));
	return v;
}

/* Scalar stores into an outgoing message's fixed part (offsets relative to it). */
static inline void sel_idl_put_u8(struct sel_idl_msg *m, size_t off, uint8_t v)
{
	m->buf[SEL_IDL_HEADER_BYTES + off] = v;
}

static inline void sel_idl_put_u16(struct sel_idl_msg *m, size_t off, uint16_t v)
{
	__builtin_memcpy(m->buf + SEL_IDL_HEADER_BYTES + off, &v, sizeof(v));
}

static inline void sel_idl_put_u32(struct sel_idl_msg *m, size_t off, uint32_t v)
{
	__builtin_memcpy(m->buf + SEL_IDL_HEADER_BYTES + off, &v, sizeof(v));
}

static inline void sel_idl_put_u64(struct sel_idl_msg *m, size_t off, uint64_t v)
{
	__builtin_memcpy(m->buf + SEL_IDL_HEADER_BYTES + off, &v, sizeof(v));
}

/*
 * Encoding (outgoing messages), called by generated encoders: begin zeroes
 * the fixed part, the put functions place values and payloads (checking
 * bounds and capacity: SEL_ERR_RANGE), end pads the length to 8 bytes.
 */
void sel_idl_write_header(struct sel_idl_msg *m, uint16_t ordinal, uint8_t kind, uint8_t flags,
                          uint32_t status);
int sel_idl_encode_begin(struct sel_idl_msg *m, size_t fixed_bytes);
int sel_idl_encode_end(struct sel_idl_msg *m, size_t cursor, uint32_t ncaps, uint32_t nleases);
int sel_idl_put_bytes(struct sel_idl_msg *m, size_t pair_off, size_t *cursor, const void *src,
                      size_t n, size_t bound);
int sel_idl_put_string(struct sel_idl_msg *m, size_t pair_off, size_t *cursor, const char *s,
                       size_t bound);
int sel_idl_put_reserved(struct sel_idl_msg *m, size_t pair_off, size_t pos, size_t n, size_t bound,
                         size_t *cursor);
int sel_idl_put_lease(struct sel_idl_msg *m, uint32_t index, const void *base, size_t len,
                      size_t bound, uint32_t access);

/*
 * Decoding (incoming messages), called by generated decoders. `fixed` is the
 * private copy of the fixed part; payloads are taken in order through
 * `cursor` and copied with sel_idl_copy_in() (opaque ones: pointed to).
 * Every failure is SEL_ERR_PROTOCOL, SEL_ERR_NO_RIGHTS or SEL_ERR_WRONG_TYPE.
 */
int sel_idl_read_header(const struct sel_idl_msg *m, struct sel_idl_hdr *h);
int sel_idl_check_shape(const struct sel_idl_hdr *h, uint8_t kind, size_t fixed_bytes,
                        uint32_t ncaps, uint32_t nleases);
int sel_idl_get_bool(const void *fixed, size_t off, bool *out);
int sel_idl_get_bytes(const struct sel_idl_msg *m, const void *fixed, size_t pair_off,
                      size_t *cursor, size_t len, size_t bound, uint8_t *dst, size_t *n);
int sel_idl_get_string(const struct sel_idl_msg *m, const void *fixed, size_t pair_off,
                       size_t *cursor, size_t len, size_t bound, char *dst);
int sel_idl_get_opaque(const struct sel_idl_msg *m, const void *fixed, size_t pair_off,
                       size_t *cursor, size_t len, size_t bound, const uint8_t **ptr, size_t *n);
int sel_idl_get_cap(const struct sel_idl_msg *m, uint32_t index, uint32_t rights, uint32_t type,
                    struct sel_idl_cap *out);
int sel_idl_get_lease(const struct sel_idl_msg *m, uint32_t index, size_t bound, uint32_t access,
                      struct sel_idl_lease *out);

/*
 * Leases, from a handler: read or write [off, off + n) of the lent memory.
 * SEL_ERR_RANGE outside the lease, SEL_ERR_NO_RIGHTS against its direction.
 */
int sel_idl_lease_read(const struct sel_idl_lease *lease, uint64_t off, void *dst, size_t n);
int sel_idl_lease_write(const struct sel_idl_lease *lease, uint64_t off, const void *src, size_t n);

/*
 * Register-sized messages. A method whose request and reply hold only
 * scalars (integers, bools, enums; also inside structs) and fit in
 * SEL_IDL_WORDS_MAX words, header included, has a second path beside the
 * generic one: its message is an array of words, as many as the kernel
 * carries in registers. The wire format is unchanged: the words are the
 * message, 8 bytes each. The transport's optional entries:
 *   call_words(ctx, w, n)  send w[0..*n), block for the reply and put it in
 *                          w[0..*n) (*n <= SEL_IDL_WORDS_MAX); returns the
 *                          call's transport status. The blocking call uses
 *                          it when the transport has it (it takes no
 *                          future slot then).
 *   send_words(ctx, slot, w, n)  like send, the request being the words (w
 *                          has SEL_IDL_WORDS_MAX of them); the reply comes
 *                          through wait/poll as any other. <svc>_<m>_async()
 *                          uses it through sel_idl_call_words(); without it
 *                          the words go into the request buffer.
 *   wait_words(ctx, slot, rep, w, n, generic)  like wait, for
 *                          <svc>_<m>_finish(): a reply of at most
 *                          SEL_IDL_WORDS_MAX words that the transport holds
 *                          in private memory goes straight into w[0..*n)
 *                          and the slot is free (*generic false); any
 *                          other is left in rep as wait leaves it
 *                          (*generic true). Returns the transport status.
 * <svc>_<m>_finish() copies a reply of at most SEL_IDL_WORDS_MAX words once
 * into a word array (sel_idl_finish_words()) and decodes it there; a longer
 * one takes the generic path. On the server, <svc>_dispatch_words() decodes
 * a request from words in private memory (the registers the kernel filled,
 * a descriptor copied out of a ring) and encodes the reply over them
 * (SEL_OK), or returns non-zero without running a handler for anything it
 * does not take (an unknown method, a wrong header, a bad bool or enum
 * value, a short message): the serve loop then passes the request to the
 * generic <svc>_dispatch(), whose checks and error replies apply.
 */
#define SEL_IDL_WORDS_MAX 5u

typedef int (*sel_idl_words_fn)(void *ctx, uint64_t badge, uint64_t *w, uint32_t *nwords);

/* The header word of a message with status 0 and no flags (a constant expression). */
#define SEL_IDL_WORDS_HEADER(ordinal, kind)                                                        \
	((uint64_t)(uint16_t)(ordinal) | (uint64_t)(uint8_t)(kind) << 16 |                         \
	 (uint64_t)SEL_IDL_WIRE_VERSION << 24)

static inline uint64_t sel_idl_words_header(uint16_t ordinal, uint8_t kind)
{
	return SEL_IDL_WORDS_HEADER(ordinal, kind);
}

/* True if w[0] is a request header (any method): kind, version, no flags, status 0. */
static inline bool sel_idl_words_is_request(uint64_t header)
{
	return (header & ~0xffffull) == sel_idl_words_header(0, SEL_IDL_KIND_REQUEST);
}

/*
 * Scalars in the fixed part of a register-sized message (offsets relative
 * to it, naturally aligned): whole-word operations, no byte copies. A store
 * ORs into its word, so the encoder zeroes the fixed words first.
 */
static inline void sel_idl_wput(uint64_t *w, size_t off, uint64_t v)
{
	w[1 + off / 8] |= v << (off % 8 * 8);
}

static inline uint64_t sel_idl_wget(const uint64_t *w, size_t off, unsigned bits)
{
	uint64_t v = w[1 + off / 8] >> (off % 8 * 8);

	return bits == 64 ? v : v & ((1ull << bits) - 1);
}

/* A bool: 0 or 1, anything else refused (SEL_ERR_PROTOCOL). */
static inline int sel_idl_wget_bool(const uint64_t *w, size_t off, bool *out)
{
	uint64_t v = sel_idl_wget(w, off, 8);

	if (v > 1)
		return SEL_ERR_PROTOCOL;
	*out = v != 0;
	return SEL_OK;
}

/*
 * The blocking register-path call of a generated stub: w[0..*nwords) sent,
 * the reply in w[0..*nwords). On RISC-V, with conn->regs_info set, the Call
 * is issued here (a0 = endpoint, a1 = info, a2-a6 = the words; the reply in
 * the same registers), so the words stay in registers from the encoder to
 * the decoder; a reply with another label, a capability or more than
 * SEL_IDL_WORDS_MAX words is SEL_ERR_PROTOCOL, as in the sync transport's
 * call_words. Otherwise the transport's call_words.
 */
static inline int sel_idl_call_regs(struct sel_idl_conn *conn, uint64_t *w, uint32_t *nwords)
{
#if defined(__riscv)
	if (conn->regs_info != 0) {
		register uint64_t r0 __asm__("a0") = conn->regs_ep;
		register uint64_t r1 __asm__("a1") = conn->regs_info | *nwords;
		register uint64_t r2 __asm__("a2") = w[0];
		register uint64_t r3 __asm__("a3") = w[1];
		register uint64_t r4 __asm__("a4") = w[2];
		register uint64_t r5 __asm__("a5") = w[3];
		register uint64_t r6 __asm__("a6") = w[4];
		register uint64_t r7 __asm__("a7") = SEL_SYS_CALL;

		__asm__ volatile("ecall"
		                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5),
		                   "+r"(r6), "+r"(r7)
		                 :
		                 : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
		if (r0 != SEL_OK) { /* the kernel's status, zero-extended */
			/* a failed Call is never a reply, whatever the mapping says */
			int e = conn->regs_error((int)r0);

			return e != SEL_OK ? e : SEL_ERR_TRANSPORT;
		}
		/* regs_info's length is 0: the reply's label and caps are regs_info's and its
		 * length at most SEL_IDL_WORDS_MAX exactly when the difference is that length */
		r1 -= conn->regs_info;
		if (r1 > SEL_IDL_WORDS_MAX)
			return SEL_ERR_PROTOCOL;
		w[0] = r2;
		w[1] = r3;
		w[2] = r4;
		w[3] = r5;
		w[4] = r6;
		*nwords = (uint32_t)r1;
		return SEL_OK;
	}
#endif
	{
		/* w's address stays here: the stub keeps its words in registers */
		uint64_t t[SEL_IDL_WORDS_MAX] = {w[0], w[1], w[2], w[3], w[4]};
		uint32_t n = *nwords;
		int rc = conn->transport->call_words(conn->ctx, t, &n);

		w[0] = t[0], w[1] = t[1], w[2] = t[2], w[3] = t[3], w[4] = t[4];
		*nwords = n;
		return rc;
	}
}

/* A call whose request is the words w[0..nwords) (w: SEL_IDL_WORDS_MAX words). */
struct sel_idl_future *sel_idl_call_words(struct sel_idl_conn *conn, uint16_t ordinal,
                                          const uint64_t *w, uint32_t nwords);
/*
 * Waits for the reply of f; a reply of at most SEL_IDL_WORDS_MAX words is
 * copied once into w (*nwords) and f is released (*generic false), or
 * *generic is true and f is left for the generic finish. Returns the
 * transport status.
 */
int sel_idl_finish_words(struct sel_idl_future *f, uint64_t *w, uint32_t *nwords, bool *generic);

/* A reply of `nwords` words to `ordinal`, its fixed part `fixed_bytes`: as finish decides. */
int sel_idl_words_reply(const uint64_t *w, uint32_t nwords, uint16_t ordinal, size_t fixed_bytes,
                        sel_idl_valid_fn valid_error);
/* The same through a copy, so that w's address never leaves the inlined stub (w in registers). */
static inline int sel_idl_words_reply_copy(const uint64_t *w, uint32_t nwords, uint16_t ordinal,
                                           size_t fixed_bytes, sel_idl_valid_fn valid_error)
{
	const uint64_t t[SEL_IDL_WORDS_MAX] = {w[0], w[1], w[2], w[3], w[4]};

	return sel_idl_words_reply(t, nwords, ordinal, fixed_bytes, valid_error);
}
/* The reply of a handler that returned rc != SEL_OK: one header word, as the generic path. */
int sel_idl_words_result(uint64_t *w, uint32_t *nwords, uint16_t ordinal, int rc,
                         sel_idl_valid_fn valid_error);
/*
 * The same through a copy, so that w's address never leaves the caller: a
 * register path inlined into a serve loop keeps its words in registers.
 */
static inline int sel_idl_words_result_copy(uint64_t *w, uint32_t *nwords, uint16_t ordinal, int rc,
                                            sel_idl_valid_fn valid_error)
{
	uint64_t t[SEL_IDL_WORDS_MAX] = {0};
	uint32_t n = 0;
	int r = sel_idl_words_result(t, &n, ordinal, rc, valid_error);

	w[0] = t[0], w[1] = t[1], w[2] = t[2], w[3] = t[3], w[4] = t[4]; /* constant indices */
	*nwords = n;
	return r;
}

/*
 * Client side. sel_idl_conn_init() gives a connection its transport and its
 * table of future slots (caller-owned storage). Generated calls use
 * call_start/call_send and finish_begin/finish_oneway. For users:
 *   sel_idl_future_wait     block until resolved; returns the transport status
 *   sel_idl_future_poll     SEL_ERR_WOULD_BLOCK while pending, else as wait
 *   sel_idl_future_then     run fn(future, arg) once resolved (now, if it is)
 *   sel_idl_future_release  give the slot back without taking the results
 *   sel_idl_conn_poll       collect arrived replies, run then-callbacks;
 *                           returns how many futures it resolved
 *   sel_idl_conn_next_event the next event for <svc>_event_dispatch(), or
 *                           SEL_ERR_EMPTY
 */
void sel_idl_conn_init(struct sel_idl_conn *conn, const struct sel_idl_transport *transport,
                       void *ctx, struct sel_idl_future *slots, uint32_t nslots);
struct sel_idl_future *sel_idl_call_start(struct sel_idl_conn *conn, uint16_t ordinal, bool oneway,
                                          struct sel_idl_msg **req);
struct sel_idl_future *sel_idl_call_send(struct sel_idl_future *future, int encode_status);
int sel_idl_future_wait(struct sel_idl_future *future);
int sel_idl_future_poll(struct sel_idl_future *future);
void sel_idl_future_then(struct sel_idl_future *future, sel_idl_then_fn fn, void *arg);
void sel_idl_future_release(struct sel_idl_future *future);
int sel_idl_finish_begin(struct sel_idl_future *future, struct sel_idl_hdr *h,
                         sel_idl_valid_fn valid_error);
int sel_idl_finish_oneway(struct sel_idl_future *future);
int sel_idl_conn_poll(struct sel_idl_conn *conn);
int sel_idl_conn_next_event(struct sel_idl_conn *conn, struct sel_idl_msg *ev);

/*
 * Server side, called by generated dispatch functions: serve_begin reads and
 * checks the request header; reply_status answers a two-way request with a
 * status (one-way requests get no reply); reply_result maps a handler's
 * non-zero result to a reply; reserve zeroes and lends a reply area for an
 * opaque result.
 */
int sel_idl_serve_begin(const struct sel_idl_msg *req, struct sel_idl_msg *rep, size_t max_reply,
                        struct sel_idl_hdr *h);
int sel_idl_reply_status(const struct sel_idl_hdr *h, struct sel_idl_msg *rep, int status);
int sel_idl_reply_result(const struct sel_idl_hdr *h, struct sel_idl_msg *rep, int rc,
                         sel_idl_valid_fn valid_error);
int sel_idl_reply_begin(const struct sel_idl_hdr *h, struct sel_idl_msg *rep);
uint8_t *sel_idl_reserve(struct sel_idl_msg *rep, size_t pos, size_t bound);

/*
 * Events: event_start/event_send for generated <svc>_emit_<event>() (server),
 * event_begin for <svc>_event_dispatch() (client).
 */
int sel_idl_event_start(struct sel_idl_event_sink *sink, struct sel_idl_msg *ev, uint16_t ordinal);
int sel_idl_event_send(struct sel_idl_event_sink *sink, struct sel_idl_msg *ev, int encode_status);
int sel_idl_event_begin(const struct sel_idl_msg *ev, struct sel_idl_hdr *h);

#endif /* SEL_IDL_RUNTIME_H */
