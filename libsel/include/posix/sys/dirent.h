/*
 * <sys/dirent.h> for libsel's POSIX layer (picolibc leaves it to the
 * system): the directory stream is libsel/src/posix/path.c's; its entries
 * come from the file system server's readdir.
 */
#ifndef SEL_POSIX_SYS_DIRENT_H
#define SEL_POSIX_SYS_DIRENT_H

#include <sys/types.h>

#define MAXNAMLEN 255

#define DT_UNKNOWN 0
#define DT_DIR     4
#define DT_REG     8

struct dirent {
	ino_t d_ino;
	unsigned char d_type;
	char d_name[MAXNAMLEN + 1];
};

typedef struct sel_dir DIR;

#endif /* SEL_POSIX_SYS_DIRENT_H */
