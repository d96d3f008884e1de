/* The formatter shared by printk and sel_printf: see format.h. */
#include <common/format.h>
#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, bool neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (int i = n; i < width; i++)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

/* Reads an integer argument of the size the length modifier names. */
static uint64_t get_arg(va_list *ap, int longs, bool is_signed)
{
	if (longs)
		return va_arg(*ap, uint64_t);
	if (is_signed)
		return (uint64_t)(int64_t)va_arg(*ap, int);
	return va_arg(*ap, unsigned);
}

static void format_one(struct out *o, char conv, int longs, int width, char pad, va_list *ap)
{
	switch (conv) {
	case 'd': {
		int64_t v = (int64_t)get_arg(ap, longs, true);
		put_num(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
		break;
	}
	case 'u':
		put_num(o, get_arg(ap, longs, false), 10, false, width, pad);
		break;
	case 'x':
		put_num(o, get_arg(ap, longs, false), 16, false, width, pad);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uint64_t)va_arg(*ap, void *), 16, false, 0, ' ');
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		for (s = s ? s : "(null)"; *s; s++)
			put(o, *s);
		break;
	}
	default:
		put(o, conv);
	}
}

int format_string(char *buf, size_t size, const char *f, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list aq;

	va_copy(aq, ap);
	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		int width = 0, longs = 0;
		char pad = *++f == '0' ? '0' : ' ';
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		for (; *f == 'l' || *f == 'z'; f++)
			longs++;
		if (!*f)
			break;
		format_one(&o, *f, longs, width, pad, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
