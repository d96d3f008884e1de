/*
 * Host tests of kernel/boot/devicetree.c and the free-range arithmetic of
 * kernel/boot/boot_alloc.c, built natively under ASan and UBSan.
 *
 * The device trees are dumped from QEMU's virt machine at build time. The
 * kernel's panic() is replaced by one that records the message and jumps
 * back to the test, so "a malformed tree panics with a clear message" is
 * checked, and so is "it never reads out of bounds or loops" (ASan, and
 * the test finishing at all).
 *
 * Usage: boot_host_tests <case> <dtb-dir>; prints "TEST <ID> PASS|FAIL".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot_alloc.h"
#include "boot/devicetree.h"
#include "lib/panic.h"

static jmp_buf panic_env;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	longjmp(panic_env, 1);
}

static const char *dir;
static int failures;

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("  %s:%d: expected %s\n", __FILE__, __LINE__, #cond);               \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static unsigned char *load(const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/virt-%s.dtb", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("  cannot open %s\n", path);
		exit(1);
	}
	unsigned char *buf = malloc(1 << 20);
	*size = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Parses blob; returns NULL on success or the panic message. */
static const char *parse(const void *blob, struct dt_info *out)
{
	if (setjmp(panic_env))
		return panic_msg;
	dt_parse(blob, out);
	return NULL;
}

static void check_common(const struct dt_info *dt)
{
	EXPECT(dt->n_mem == 1);
	EXPECT(dt->mem[0].base == 0x80000000 && dt->mem[0].size == 128u << 20);
	EXPECT(dt->timebase_hz == 10000000);
	EXPECT(dt->uart == 0x10000000);
	EXPECT(dt->uart_irq == 10); /* the UART node's `interrupts`, not a constant in the kernel */
	EXPECT(dt->plic == 0xc000000 && dt->plic_ndev > 11);
	EXPECT(dt->finisher == 0x100000);
}

static void case_smp1(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *b = load("smp1", &n);
	EXPECT(parse(b, &dt) == NULL);
	check_common(&dt);
	EXPECT(dt.n_harts == 1 && dt.hart_ids[0] == 0);
	EXPECT(dt.clint == 0x2000000 && dt.aclint_sswi == 0);
	free(b);
}

static void case_smp4a(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *b = load("smp4a", &n);
	EXPECT(parse(b, &dt) == NULL);
	check_common(&dt);
	EXPECT(dt.n_harts == 4);
	for (unsigned i = 0; i < 4; i++)
		EXPECT(dt.hart_ids[i] == i);
	EXPECT(dt.aclint_sswi == 0x2f00000);
	free(b);
}

static void case_args(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *b = load("args", &n);
	EXPECT(parse(b, &dt) == NULL);
	EXPECT(strcmp(dt.bootargs, "console=selene quick") == 0);
	EXPECT(dt.n_harts == 2);
	free(b);
}

static void case_badmagic(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *b = load("smp1", &n);
	b[0] ^= 0xff;
	const char *msg = parse(b, &dt);
	EXPECT(msg && strstr(msg, "no FDT magic"));
	EXPECT(parse(NULL, &dt) != NULL);
	free(b);
}

static uint32_t be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bytes the tree really uses (QEMU pads its dump to 1 MiB). */
static size_t used_size(const unsigned char *b)
{
	size_t s = be32_at(b + 8) + be32_at(b + 36), t = be32_at(b + 12) + be32_at(b + 32);
	return s > t ? s : t;
}

/* Cutting the tree at every length (header totalsize adjusted) never crashes. */
static void case_truncations(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *orig = load("smp1", &n);
	unsigned panics = 0;

	n = used_size(orig);
	for (size_t len = 40; len < n; len += 4) {
		unsigned char *b = malloc(len);
		memcpy(b, orig, len);
		b[4] = (unsigned char)(len >> 24);
		b[5] = (unsigned char)(len >> 16);
		b[6] = (unsigned char)(len >> 8);
		b[7] = (unsigned char)len;
		panics += parse(b, &dt) != NULL;
		free(b);
	}
	EXPECT(panics > 0);
	free(orig);
}

/* Random corruption of the structure block: a result or a panic, never a crash. */
static void case_corruptions(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *orig = load("smp4a", &n);
	unsigned char *b = malloc(n);

	n = used_size(orig);
	unsigned seed = 12345, panics = 0;

	for (int round = 0; round < 3000; round++) {
		memcpy(b, orig, n);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			b[40 + (seed >> 8) % (n - 40)] ^= (unsigned char)(1u << (seed % 8));
		}
		panics += parse(b, &dt) != NULL;
	}
	printf("  3000 corrupted trees, %u panicked with a message\n", panics);
	EXPECT(panics > 0);
	free(b);
	free(orig);
}

static void case_nomemory(void)
{
	size_t n;
	struct dt_info dt;
	unsigned char *b = load("smp1", &n);
	int patched = 0;

	for (size_t i = 0; i + 7 <= n; i++)
		if (!memcmp(b + i, "memory\0", 7) && i % 4 == 0) {
			b[i + 5] = 'x'; /* device_type = "memorx" */
			patched++;
		}
	EXPECT(patched >= 1);
	const char *msg = parse(b, &dt);
	EXPECT(msg && strstr(msg, "no /memory node"));
	free(b);
}

static void case_regions(void)
{
	struct region_set s = {0};

	regions_add(&s, 0x80000000, 0x8000000);
	regions_remove(&s, 0x80000000, 0x22e123); /* firmware + kernel, rounded out */
	EXPECT(s.n == 1 && s.r[0].base == 0x8022f000);
	regions_remove(&s, 0x87e00000, 0x1000); /* the device tree: splits the range */
	EXPECT(s.n == 2 && s.r[0].base + s.r[0].size == 0x87e00000);
	EXPECT(s.r[1].base == 0x87e01000 && s.r[1].base + s.r[1].size == 0x88000000);
	regions_remove(&s, 0x90000000, 0x1000); /* outside: unchanged */
	EXPECT(s.n == 2);
	regions_remove(&s, 0x0, 0x100000000ull); /* everything */
	EXPECT(s.n == 0);
	regions_add(&s, 0x80000001, 0xfff); /* less than a page once aligned */
	EXPECT(s.n == 0);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name, *id;
		void (*fn)(void);
	} cases[] = {
	    {"smp1", "BOOT_0101", case_smp1},
	    {"smp4a", "BOOT_0102", case_smp4a},
	    {"args", "BOOT_0103", case_args},
	    {"badmagic", "BOOT_0104", case_badmagic},
	    {"truncations", "BOOT_0105", case_truncations},
	    {"corruptions", "BOOT_0106", case_corruptions},
	    {"nomemory", "BOOT_0107", case_nomemory},
	    {"regions", "BOOT_0108", case_regions},
	};

	if (argc != 3)
		return 2;
	dir = argv[2];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name))
			continue;
		cases[i].fn();
		printf("TEST %s %s\n", cases[i].id, failures ? "FAIL" : "PASS");
		return failures ? 1 : 0;
	}
	printf("unknown case %s\n", argv[1]);
	return 2;
}
