/*
 * servers/fs/archive.c: fills the tree from the ustar archive that the build
 * made from the system's root folder (cmake/SelenePosix.cmake,
 * selene_fs_program()) and linked into this program between
 * fs_archive_start and fs_archive_end. Directories ('5') and regular files
 * ('0' or NUL) are taken, with their mode; anything else is skipped. A
 * malformed archive stops the load with FS_ERROR_INVALID.
 */
#include <string.h>
#include "fs.h"

extern const uint8_t fs_archive_start[], fs_archive_end[];

#define BLOCK 512u

static uint64_t octal(const uint8_t *s, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(s[i] - '0');
	return v;
}

/* "/" + prefix + "/" + name of a header, without a trailing '/'. */
static int header_path(const uint8_t *h, char *path, size_t size)
{
	size_t n = 0;
	const char *prefix = (const char *)h + 345, *name = (const char *)h;

	path[n++] = '/';
	if (prefix[0]) {
		size_t k = strnlen(prefix, 155);
		if (n + k + 1 >= size)
			return FS_ERROR_NAME_TOO_LONG;
		memcpy(path + n, prefix, k);
		n += k;
		path[n++] = '/';
	}
	size_t k = strnlen(name, 100);
	if (n + k >= size)
		return FS_ERROR_NAME_TOO_LONG;
	memcpy(path + n, name, k);
	n += k;
	while (n > 1 && path[n - 1] == '/')
		n--;
	path[n] = 0;
	return SEL_OK;
}

static int add(const char *path, char type, uint32_t mode, const uint8_t *data, uint64_t size)
{
	char name[FS_NAME_MAX + 1];
	struct fs_node *dir, *n;
	int err;

	if (!strcmp(path, "/") || !strcmp(path, "/."))
		return SEL_OK;
	err = fs_lookup_parent(path, &dir, name);
	if (err != SEL_OK)
		return err;
	n = fs_child(dir, name);
	if (!n)
		err = fs_create(dir, name, type == '5' ? FS_KIND_DIR : FS_KIND_FILE, mode, 0, &n);
	if (err != SEL_OK || type == '5')
		return err;
	err = fs_resize(n, size);
	if (err == SEL_OK && size)
		memcpy(n->data, data, size);
	return err;
}

int fs_load_archive(void)
{
	const uint8_t *p = fs_archive_start;
	char path[300];

	while (p + BLOCK <= fs_archive_end && p[0]) {
		uint64_t size = octal(p + 124, 12);
		char type = (char)p[156];
		const uint8_t *data = p + BLOCK;
		if (memcmp(p + 257, "ustar", 5) || size > (uint64_t)(fs_archive_end - data))
			return FS_ERROR_INVALID;
		int err = header_path(p, path, sizeof(path));
		if (err == SEL_OK && (type == '0' || type == 0 || type == '5'))
			err = add(path, type, (uint32_t)octal(p + 100, 8), data, size);
		if (err != SEL_OK)
			return err;
		p = data + (size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return SEL_OK;
}
