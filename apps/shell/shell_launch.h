/*
 * apps/shell: how a parent starts the shell (a program of its own, in its
 * own address space): the capabilities it expects in its CNode and its
 * start argument.
 */
#ifndef APPS_SHELL_LAUNCH_H
#define APPS_SHELL_LAUNCH_H

#define SHELL_SLOT_CONSOLE 16 /* the console's endpoint, its own badge (Write, Grant) */
#define SHELL_SLOT_NOTIFY  17 /* the notification the console signals for its input (Read) */
#define SHELL_SLOT_ECHO    18 /* the echo server's endpoint */
#define SHELL_SLOT_ROOT    19 /* the supervisor's endpoint, badged for the shell */
#define SHELL_SLOT_UT      20 /* 2^18 bytes for its helper threads and receivers */
#define SHELL_SLOT_TALK_A  21 /* two more console caps, other badges: the `talk` clients */
#define SHELL_SLOT_TALK_B  22
#define SHELL_SLOT_TCB     32 /* + component: its main thread's TCB, Read only (ps) */
#define SHELL_SLOT_FREE    48 /* from here on: the shell's own objects */

/* Start argument: flags | harts online << 8. */
#define SHELL_ARG_SCRIPTED 1u /* no terminal: a short session, then poweroff */

#endif /* APPS_SHELL_LAUNCH_H */
