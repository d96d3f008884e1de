/*
 * apps/shell: what the shell expects of the system that starts it, a
 * component of a system manifest (apps/demo/system.toml): connections to
 * `console` (sync, `sessions = 3`, `events = true`), `echo` and `fs` (the
 * file commands; without it they say so), an Untyped of SHELL_UNTYPED_BITS
 * for its helper threads (`untyped = "256K"`), the supervisor rights
 * `threads`, `caps`, `crash` and `run`, and the debug rights `info` and
 * `shutdown`. Everything else it finds through its connection table
 * (<sel/bind.h>) and the system's generated tables (servers/root/system.h).
 */
#ifndef APPS_SHELL_LAUNCH_H
#define APPS_SHELL_LAUNCH_H

#define SHELL_UNTYPED_BITS 18  /* its Untyped (SYS_SLOT_UNTYPED): threads and receivers */
#define SHELL_SLOT_FREE    128 /* from here on: the shell's own objects */

#endif /* APPS_SHELL_LAUNCH_H */
