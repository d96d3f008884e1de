/*
 * Calls of every rt.idl method with random arguments, checking that the
 * results equal the arguments. Shared by the round-trip and double-fetch
 * programs; each sets rt_conn, rt_srv and rt_lb first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_calls.h"

const char *rt_mode = "?";
struct sel_idl_conn *rt_conn;
struct rt_server *rt_srv;
struct loopback *rt_lb;

void rt_fail_now(void)
{
	exit(1);
}

void rt_call_scalars(uint64_t *rng, int iter)
{
	uint8_t a = (uint8_t)rng_next(rng), oa;
	uint16_t b = (uint16_t)rng_next(rng), ob;
	uint32_t c = (uint32_t)rng_next(rng), oc;
	uint64_t d = rng_next(rng), od;
	int8_t e = (int8_t)rng_next(rng), oe;
	int16_t f = (int16_t)rng_next(rng), of;
	int32_t g = (int32_t)rng_next(rng), og;
	int64_t h = (int64_t)rng_next(rng), oh;
	bool yes = rng_below(rng, 2) != 0, oyes;
	enum rt_color color = rand_color(rng), ocolor;
	enum rt_level level = rand_level(rng), olevel;
	enum rt_wide wide = rand_wide(rng), owide;
	int rc = rt_scalars(rt_conn, a, b, c, d, e, f, g, h, yes, color, level, wide, &oa, &ob, &oc,
	                    &od, &oe, &of, &og, &oh, &oyes, &ocolor, &olevel, &owide);

	RT_CHECK(rc == SEL_OK, "scalars #%d: rc %d", iter, rc);
	RT_CHECK(oa == a && ob == b && oc == c && od == d && oe == e && of == f && og == g &&
	             oh == h && oyes == yes && ocolor == color && olevel == level && owide == wide,
	         "scalars #%d: values differ", iter);
	RT_CHECK(rt_srv->last_badge == 0x5eed, "scalars #%d: badge %llu", iter,
	         (unsigned long long)rt_srv->last_badge);
}

void rt_call_everything(uint64_t *rng, int iter)
{
	static struct rt_all x, y;
	char s[101], s_out[101];
	uint8_t raw[200], raw_out[200];
	size_t raw_len, raw_out_len = 0;
	int rc;

	rand_all(rng, &x);
	memset(&y, 0xab, sizeof(y));
	rand_string(rng, s, 100);
	rand_bytes(rng, raw, &raw_len, 200);
	rc = rt_everything(rt_conn, &x, s, raw, raw_len, &y, s_out, raw_out, &raw_out_len);
	RT_CHECK(rc == SEL_OK, "everything #%d: rc %d", iter, rc);
	RT_CHECK(all_equal(&x, &y), "everything #%d: struct rt_all differs", iter);
	RT_CHECK(strcmp(s, s_out) == 0, "everything #%d: string differs", iter);
	RT_CHECK(raw_len == raw_out_len && memcmp(raw, raw_out, raw_len) == 0,
	         "everything #%d: bytes differ", iter);
}

void rt_call_arrays(uint64_t *rng, int iter)
{
	uint8_t m[4][4], m_out[4][4];
	int64_t v[5], v_out[5];
	int rc;

	for (int i = 0; i < 16; i++)
		m[i / 4][i % 4] = (uint8_t)rng_next(rng);
	for (int i = 0; i < 5; i++)
		v[i] = (int64_t)rng_next(rng);
	rc = rt_arrays(rt_conn, (const uint8_t(*)[4])m, v, m_out, v_out);
	RT_CHECK(rc == SEL_OK, "arrays #%d: rc %d", iter, rc);
	RT_CHECK(memcmp(m, m_out, sizeof(m)) == 0 && memcmp(v, v_out, sizeof(v)) == 0,
	         "arrays #%d: values differ", iter);
}

void rt_call_opaque(uint64_t *rng, int iter)
{
	uint8_t blob[1000], out[1000], tail[7];
	size_t len, out_len, tail_len;
	char extra[9];
	int rc;

	rand_bytes(rng, blob, &len, 1000);
	rand_string(rng, extra, 8);
	rc = rt_opaque_echo(rt_conn, blob, len, extra, out, &out_len, tail, &tail_len);
	RT_CHECK(rc == SEL_OK, "opaque_echo #%d: rc %d", iter, rc);
	RT_CHECK(out_len == len && memcmp(blob, out, len) == 0, "opaque_echo #%d: payload differs",
	         iter);
	RT_CHECK(tail_len == (strlen(extra) < 7 ? strlen(extra) : 7) &&
	             memcmp(tail, extra, tail_len) == 0,
	         "opaque_echo #%d: tail differs", iter);
	/* Zero copy: the handler read the payload inside the request buffer. */
	RT_CHECK(rt_srv->opaque_seen >= rt_lb->slots[0].req &&
	             rt_srv->opaque_seen < rt_lb->slots[0].req + sizeof(rt_lb->slots[0].req),
	         "opaque_echo #%d: payload was not passed in place", iter);
}

void rt_call_caps_leases(uint64_t *rng, int iter)
{
	struct sel_idl_cap c1 = {rng_below(rng, 1000), SEL_RIGHT_READ | SEL_RIGHT_WRITE,
	                         SEL_OBJ_ENDPOINT};
	struct sel_idl_cap c2 = {rng_below(rng, 1000), SEL_RIGHTS_ALL, SEL_OBJ_WINDOW};
	struct sel_idl_cap c3;
	uint8_t src[4096], io[64], expect[64];
	size_t n = (size_t)rng_below(rng, 4097);
	uint64_t copied = 0;
	int rc = rt_caps(rt_conn, c1, c2, &c3);

	RT_CHECK(rc == SEL_OK, "caps #%d: rc %d", iter, rc);
	RT_CHECK(c3.slot == c1.slot + c2.slot && c3.type == SEL_OBJ_FRAME &&
	             c3.rights == (SEL_RIGHT_READ | SEL_RIGHT_WRITE),
	         "caps #%d: result cap differs", iter);
	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)rng_next(rng);
	rc = rt_leases(rt_conn, src, n, &copied);
	RT_CHECK(rc == SEL_OK, "leases #%d: rc %d", iter, rc);
	RT_CHECK(copied == n && memcmp(src, rt_srv->lease_copy, n) == 0, "leases #%d: copy differs",
	         iter);
	for (size_t i = 0; i < sizeof(io); i++) {
		io[i] = (uint8_t)rng_next(rng);
		expect[i] = (uint8_t)(io[i] + 1);
	}
	rc = rt_inout(rt_conn, io, sizeof(io));
	RT_CHECK(rc == SEL_OK && memcmp(io, expect, sizeof(io)) == 0, "inout #%d: rc %d", iter, rc);
}

void rt_call_notes(uint64_t *rng, int iter)
{
	char text[51], back[51];
	uint32_t n = (uint32_t)rng_next(rng), n_back = 0;
	int rc;

	rand_string(rng, text, 50);
	rc = rt_note(rt_conn, text, n);
	RT_CHECK(rc == SEL_OK, "note #%d: rc %d", iter, rc);
	rc = rt_last_note(rt_conn, back, &n_back);
	RT_CHECK(rc == SEL_OK && strcmp(text, back) == 0 && n_back == n,
	         "note/last_note #%d: rc %d", iter, rc);
}

void rt_call_all(uint64_t *rng, int iter)
{
	rt_call_scalars(rng, iter);
	rt_call_everything(rng, iter);
	rt_call_arrays(rng, iter);
	rt_call_opaque(rng, iter);
	rt_call_caps_leases(rng, iter);
	rt_call_notes(rng, iter);
}
