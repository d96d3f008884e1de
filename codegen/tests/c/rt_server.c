/*
 * Handlers of the round-trip test service (rt.idl): each returns what it
 * was given, so a test can compare a call's results with its arguments.
 * In "strict" mode (the malformed-message test) they also check that every
 * value the skeleton hands them is valid, and abort if not: a decoder that
 * let a bad value through is caught even when nothing else crashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_harness.h"

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAIL handler received an invalid value: %s\n", what);
		abort();
	}
}

static void check_string(const char *s, size_t bound, const char *what)
{
	require(sel_idl_strnlen(s, bound + 1) <= bound, what);
	require(sel_idl_utf8_valid((const uint8_t *)s, strlen(s)), what);
}

static void check_inner(const struct rt_inner *in)
{
	check_string(in->name, 12, "rt_inner.name");
	require(in->blob_len <= 9, "rt_inner.blob_len");
}

static void check_all(const struct rt_all *x)
{
	require(rt_color_is_valid(x->color), "rt_all.color");
	require(rt_level_is_valid(x->level), "rt_all.level");
	require(rt_wide_is_valid((int64_t)x->wide), "rt_all.wide");
	check_inner(&x->inner);
	for (int i = 0; i < 3; i++)
		check_inner(&x->inners[i]);
	for (int i = 0; i < 4; i++)
		require(rt_color_is_valid(x->colors[i]), "rt_all.colors");
	check_string(x->text, 40, "rt_all.text");
	require(x->data_len <= 33, "rt_all.data_len");
}

int rt_impl_scalars(void *ctx, uint64_t badge, uint8_t a, uint16_t b, uint32_t c, uint64_t d,
                    int8_t e, int16_t f, int32_t g, int64_t h, bool yes, enum rt_color color,
                    enum rt_level level, enum rt_wide wide, uint8_t *oa, uint16_t *ob, uint32_t *oc,
                    uint64_t *od, int8_t *oe, int16_t *of, int32_t *og, int64_t *oh, bool *oyes,
                    enum rt_color *ocolor, enum rt_level *olevel, enum rt_wide *owide)
{
	struct rt_server *srv = ctx;

	srv->calls++;
	srv->last_badge = badge;
	require(rt_color_is_valid(color) && rt_level_is_valid(level) &&
	            rt_wide_is_valid((int64_t)wide),
	        "scalars enums");
	*oa = a;
	*ob = b;
	*oc = c;
	*od = d;
	*oe = e;
	*of = f;
	*og = g;
	*oh = h;
	*oyes = yes;
	*ocolor = color;
	*olevel = level;
	*owide = wide;
	return SEL_OK;
}

int rt_impl_everything(void *ctx, uint64_t badge, const struct rt_all *x, const char *s,
                       const uint8_t *raw, size_t raw_len, struct rt_all *y, char s_out[100 + 1],
                       uint8_t raw_out[200], size_t *raw_out_len)
{
	struct rt_server *srv = ctx;

	(void)badge;
	srv->calls++;
	check_all(x);
	check_string(s, 100, "everything.s");
	require(raw_len <= 200, "everything.raw_len");
	*y = *x;
	strcpy(s_out, s);
	memcpy(raw_out, raw, raw_len);
	*raw_out_len = raw_len;
	return SEL_OK;
}

int rt_impl_arrays(void *ctx, uint64_t badge, const uint8_t m[4][4], const int64_t v[5],
                   uint8_t m_out[4][4], int64_t v_out[5])
{
	struct rt_server *srv = ctx;

	(void)badge;
	srv->calls++;
	memcpy(m_out, m, 16);
	memcpy(v_out, v, 5 * sizeof(int64_t));
	return SEL_OK;
}

int rt_impl_opaque_echo(void *ctx, uint64_t badge, const uint8_t *blob, size_t blob_len,
                        const char *extra, uint8_t blob_out[1000], size_t *blob_out_len,
                        uint8_t tail[7], size_t *tail_len)
{
	struct rt_server *srv = ctx;
	size_t n = strlen(extra);

	(void)badge;
	srv->calls++;
	require(blob_len <= 1000, "opaque_echo.blob_len");
	check_string(extra, 8, "opaque_echo.extra");
	srv->opaque_seen = blob;
	memcpy(blob_out, blob, blob_len);
	*blob_out_len = blob_len;
	if (n > 7)
		n = 7;
	memcpy(tail, extra, n);
	*tail_len = n;
	return SEL_OK;
}

int rt_impl_caps(void *ctx, uint64_t badge, struct sel_idl_cap c1, struct sel_idl_cap c2,
                 struct sel_idl_cap *c3)
{
	struct rt_server *srv = ctx;

	(void)badge;
	srv->calls++;
	require((c1.rights & SEL_RIGHT_READ) && c1.type == SEL_OBJ_ENDPOINT, "caps.c1");
	require((c2.rights & (SEL_RIGHT_WRITE | SEL_RIGHT_GRANT)) ==
	            (SEL_RIGHT_WRITE | SEL_RIGHT_GRANT),
	        "caps.c2");
	c3->slot = c1.slot + c2.slot;
	c3->rights = SEL_RIGHT_READ | SEL_RIGHT_WRITE;
	c3->type = SEL_OBJ_FRAME;
	return SEL_OK;
}

int rt_impl_leases(void *ctx, uint64_t badge, const struct sel_idl_lease *src, uint64_t *copied)
{
	struct rt_server *srv = ctx;
	size_t n = (size_t)src->desc.len;
	int rc;

	(void)badge;
	srv->calls++;
	require(src->desc.len <= 4096, "leases.len");
	rc = sel_idl_lease_read(src, 0, srv->lease_copy, n);
	/* A write through an in lease must be refused. */
	if (rc == SEL_OK && sel_idl_lease_write(src, 0, srv->lease_copy, 1) != SEL_ERR_NO_RIGHTS)
		rc = SEL_ERR_PROTOCOL;
	*copied = n;
	return rc;
}

int rt_impl_fail(void *ctx, uint64_t badge, uint32_t code)
{
	struct rt_server *srv = ctx;

	(void)badge;
	srv->calls++;
	switch (code) {
	case 0:
		return SEL_OK;
	case 1000:
		return RT_ERROR_BAD;
	case 1001:
		return RT_ERROR_WORST;
	case 2000:
		return SEL_IDL_APP_ERROR_BASE + 7; /* not a member of rt_error */
	case 3000:
		return -5; /* outside the contract entirely */
	default:
		return (int)code; /* an enum sel_error, passed to the caller */
	}
}

int rt_impl_note(void *ctx, uint64_t badge, const char *text, uint32_t n)
{
	struct rt_server *srv = ctx;

	(void)badge;
	srv->calls++;
	check_string(text, 50, "note.text");
	strcpy(srv->note, text);
	srv->note_n = n;
	return SEL_OK;
}

int rt_impl_last_note(void *ctx, uint64_t badge, char text[50 + 1], uint32_t *n)
{
	struct rt_server *srv = ctx;

	(void)badge;
	srv->calls++;
	strcpy(text, srv->note);
	*n = srv->note_n;
	return SEL_OK;
}

int rt_impl_inout(void *ctx, uint64_t badge, const struct sel_idl_lease *buf)
{
	struct rt_server *srv = ctx;
	uint8_t tmp[64];
	size_t n = (size_t)buf->desc.len;
	int rc;

	(void)badge;
	srv->calls++;
	require(n <= 64, "inout.len");
	rc = sel_idl_lease_read(buf, 0, tmp, n);
	for (size_t i = 0; i < n; i++)
		tmp[i]++;
	if (rc == SEL_OK)
		rc = sel_idl_lease_write(buf, 0, tmp, n);
	return rc;
}
