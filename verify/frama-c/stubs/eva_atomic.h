/*
 * eva_atomic.h: the GCC __atomic builtins, for the EVA run over the object
 * decoders (run_eva.py --target objects, -include). Frama-C does not know
 * them (it would take each for an undeclared function). The analysis is
 * sequential -- one hart under the big lock -- so an atomic access is the
 * plain access it performs; the memory orders are what the Spin models
 * (verify/spin/asid.pml) are about, not EVA.
 */
#ifndef SELENE_EVA_ATOMIC_H
#define SELENE_EVA_ATOMIC_H

#define __atomic_load_n(p, order)     (*(p))
#define __atomic_store_n(p, v, order) ((void)(*(p) = (v)))
#define __atomic_exchange_n(p, v, order)                                                           \
	__extension__({                                                                            \
		__typeof__(*(p)) eva_atomic_old_ = *(p);                                           \
		*(p) = (v);                                                                        \
		eva_atomic_old_;                                                                   \
	})

#endif /* SELENE_EVA_ATOMIC_H */
