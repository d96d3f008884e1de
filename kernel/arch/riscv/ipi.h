/*
 * Cross-hart kicks: a supervisor software interrupt on another hart, through
 * the ACLINT SSWI when the device tree has one (one store), else SBI.
 */
#ifndef SELENE_ARCH_IPI_H
#define SELENE_ARCH_IPI_H

#include "lib/types.h"

void ipi_send(uint64_t hartid);

#endif /* SELENE_ARCH_IPI_H */
