/*
 * servers/fs/tree.c: the file system's tree (fs.h): nodes, path lookup,
 * creation, detaching and freeing, and the size of a file. Every path
 * starts at the root; "." stays, ".." goes up (the root's parent is the
 * root), empty components ("//") are skipped.
 */
#include <stdlib.h>
#include <string.h>
#include "fs.h"

static struct fs_node root = {.name = "/", .kind = FS_KIND_DIR, .mode = 0755, .ino = 1};
static uint64_t next_ino = 2;

struct fs_node *fs_root(void)
{
	return &root;
}

uint64_t fs_now_ns(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t * 100; /* the time CSR counts at 10 MHz on QEMU virt */
}

struct fs_node *fs_child(const struct fs_node *dir, const char *name)
{
	for (struct fs_node *c = dir->child; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The next component of *p into name; 0 at the end, else 1 or an error (negative). */
static int next_component(const char **p, char name[FS_NAME_MAX + 1])
{
	const char *s = *p;
	size_t n = 0;

	while (*s == '/')
		s++;
	if (!*s)
		return 0;
	while (s[n] && s[n] != '/')
		n++;
	if (n > FS_NAME_MAX)
		return -FS_ERROR_NAME_TOO_LONG;
	memcpy(name, s, n);
	name[n] = 0;
	*p = s + n;
	return 1;
}

static int step(struct fs_node **cur, const char *name)
{
	struct fs_node *d = *cur;

	if (d->kind != FS_KIND_DIR)
		return FS_ERROR_NOT_DIR;
	if (!strcmp(name, "."))
		return SEL_OK;
	if (!strcmp(name, "..")) {
		*cur = d->parent ? d->parent : d;
		return SEL_OK;
	}
	*cur = fs_child(d, name);
	return *cur ? SEL_OK : FS_ERROR_NOT_FOUND;
}

int fs_lookup(const char *path, struct fs_node **out)
{
	char name[FS_NAME_MAX + 1];
	struct fs_node *cur = &root;
	int r;

	if (path[0] != '/')
		return FS_ERROR_INVALID;
	while ((r = next_component(&path, name)) > 0) {
		int err = step(&cur, name);
		if (err != SEL_OK)
			return err;
	}
	if (r < 0)
		return -r;
	*out = cur;
	return SEL_OK;
}

int fs_lookup_parent(const char *path, struct fs_node **dir, char name[FS_NAME_MAX + 1])
{
	char next[FS_NAME_MAX + 1];
	struct fs_node *cur = &root;
	int r;

	if (path[0] != '/')
		return FS_ERROR_INVALID;
	r = next_component(&path, name);
	if (r <= 0)
		return r < 0 ? -r : FS_ERROR_BUSY; /* "/" has no parent to name it in */
	while ((r = next_component(&path, next)) > 0) {
		int err = step(&cur, name);
		if (err != SEL_OK)
			return err;
		memcpy(name, next, sizeof(next));
	}
	if (r < 0)
		return -r;
	if (cur->kind != FS_KIND_DIR)
		return FS_ERROR_NOT_DIR;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return FS_ERROR_INVALID;
	*dir = cur;
	return SEL_OK;
}

void fs_attach(struct fs_node *dir, struct fs_node *n)
{
	struct fs_node **at = &dir->child;

	while (*at && strcmp((*at)->name, n->name) < 0) /* sorted: readdir lists in order */
		at = &(*at)->next;
	n->next = *at;
	*at = n;
	n->parent = dir;
	dir->mtime_ns = fs_now_ns();
}

void fs_detach(struct fs_node *n)
{
	struct fs_node **at = &n->parent->child;

	while (*at != n)
		at = &(*at)->next;
	*at = n->next;
	n->parent->mtime_ns = fs_now_ns();
	n->parent = NULL;
	n->next = NULL;
}

int fs_create(struct fs_node *dir, const char *name, enum fs_kind kind, uint32_t mode,
              uint32_t owner, struct fs_node **out)
{
	struct fs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return FS_ERROR_NO_SPACE;
	strcpy(n->name, name);
	n->kind = kind;
	n->mode = mode & 07777;
	n->ino = next_ino++;
	n->owner = owner;
	n->mtime_ns = fs_now_ns();
	fs_attach(dir, n);
	*out = n;
	return SEL_OK;
}

/* An unlinked node with no descriptor left: its bytes go back to its owner and the heap. */
void fs_free_if_unused(struct fs_node *n)
{
	if (n->parent || n->opens || n == &root)
		return;
	fs_charge(n->owner, -(int64_t)n->size);
	free(n->data);
	free(n);
}

int fs_resize(struct fs_node *n, uint64_t size)
{
	if (n->kind != FS_KIND_FILE)
		return FS_ERROR_IS_DIR;
	if (size > n->cap) {
		uint64_t cap = n->cap ? n->cap : 64;
		while (cap < size)
			cap *= 2;
		if (fs_charge(n->owner, (int64_t)(size - n->size)) != SEL_OK)
			return FS_ERROR_NO_SPACE;
		uint8_t *d = realloc(n->data, cap);
		if (!d) {
			fs_charge(n->owner, -(int64_t)(size - n->size));
			return FS_ERROR_NO_SPACE;
		}
		n->data = d;
		n->cap = cap;
	} else if (fs_charge(n->owner, (int64_t)size - (int64_t)n->size) != SEL_OK) {
		return FS_ERROR_NO_SPACE;
	}
	if (size > n->size)
		memset(n->data + n->size, 0, size - n->size);
	n->size = size;
	n->mtime_ns = fs_now_ns();
	return SEL_OK;
}
