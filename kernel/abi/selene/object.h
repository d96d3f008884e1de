/*
 * Kernel object types and capability rights, as user space sees them.
 *
 * Identify reports a cap's type as one of enum sel_object_type and its
 * rights as a mask of enum sel_right. Numbers are stable ABI.
 */
#ifndef SELENE_ABI_OBJECT_H
#define SELENE_ABI_OBJECT_H

enum sel_object_type {
	SEL_OBJ_NULL = 0, /* an empty slot */
	SEL_OBJ_UNTYPED = 1,
	SEL_OBJ_CNODE = 2,
	SEL_OBJ_TCB = 3,
	SEL_OBJ_ENDPOINT = 4,
	SEL_OBJ_NOTIFICATION = 5,
	SEL_OBJ_FRAME = 6,
	SEL_OBJ_PAGE_TABLE = 7,
	SEL_OBJ_VSPACE = 8,
	SEL_OBJ_ASID_CONTROL = 9,
	SEL_OBJ_ASID_POOL = 10,
	SEL_OBJ_IRQ_CONTROL = 11,
	SEL_OBJ_IRQ_HANDLER = 12,
	SEL_OBJ_UINTR_RECEIVER = 13,
	SEL_OBJ_UINTR_SENDER = 14,
	SEL_OBJ_WINDOW = 15,
	SEL_OBJ_DEBUG = 16, /* debug console / test channel (debug builds) */
	SEL_OBJ_TYPE_COUNT
};

/* Rights. Mint and Copy intersect; nothing ever adds a right. */
enum sel_right {
	SEL_RIGHT_READ = 1u << 0,
	SEL_RIGHT_WRITE = 1u << 1,
	SEL_RIGHT_GRANT = 1u << 2,
	SEL_RIGHT_GRANT_REPLY = 1u << 3,
	SEL_RIGHT_EXECUTE = 1u << 4, /* frames and windows: may be mapped X */
	SEL_RIGHTS_ALL = 0x1fu
};

#endif /* SELENE_ABI_OBJECT_H */
