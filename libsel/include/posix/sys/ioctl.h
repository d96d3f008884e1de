/*
 * <sys/ioctl.h> for libsel's POSIX layer (picolibc has none): ioctl exists
 * so that programs that ask for a terminal's size build unchanged; it
 * knows no request (no TIOCGWINSZ is defined) and fails with ENOTTY.
 */
#ifndef SEL_POSIX_SYS_IOCTL_H
#define SEL_POSIX_SYS_IOCTL_H

int ioctl(int fd, unsigned long request, ...);

#endif /* SEL_POSIX_SYS_IOCTL_H */
