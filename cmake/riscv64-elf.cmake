# Toolchain file for Debian's bare-metal RISC-V GCC (gcc-riscv64-unknown-elf).
#
# GCC 12 picks the hard-float multilib for -march=rv64imac_zicsr_zifencei and
# then cannot link libgcc (soft-float): compile with the zicsr/zifencei
# spelling the assembler needs, but link with plain -march=rv64imac.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

find_program(SELENE_RISCV_GCC riscv64-unknown-elf-gcc)
if(NOT SELENE_RISCV_GCC)
    message(FATAL_ERROR "riscv64-unknown-elf-gcc not found: "
        "apt-get install gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf")
endif()
set(CMAKE_C_COMPILER ${SELENE_RISCV_GCC})
set(CMAKE_ASM_COMPILER ${SELENE_RISCV_GCC})
set(CMAKE_OBJCOPY riscv64-unknown-elf-objcopy CACHE FILEPATH "objcopy")

set(SELENE_ARCH_FLAGS "-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany")
set(CMAKE_C_FLAGS_INIT "${SELENE_ARCH_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${SELENE_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=rv64imac -mabi=lp64 -nostdlib -nostartfiles -static")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
