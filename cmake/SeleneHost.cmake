# The native half of the build: host tests, the system as an external
# project, and the registration of every QEMU test with CTest.
include(CTest)
include(ExternalProject)
include(SelenePython)

option(SELENE_SYSTEM "Build the RISC-V system and register its QEMU tests" ON)
set(SELENE_SYSTEM_BUILD_TYPE "Debug" CACHE STRING "Build type of the RISC-V system")
option(SELENE_KERNEL_DEBUG "Kernel asserts and invariant checks" ON)
set(SELENE_QEMU qemu-system-riscv64 CACHE STRING "QEMU for riscv64")

set(SELENE_SYSTEM_DIR ${CMAKE_BINARY_DIR}/system)
set(SELENE_IMAGE_DIR ${SELENE_SYSTEM_DIR}/images)
set(SELENE_QEMU_PY ${CMAKE_SOURCE_DIR}/tests/harness/qemu.py)

# Host unit tests (ASan + UBSan), the IDL compiler's tests.
add_subdirectory(tests/host)
add_subdirectory(codegen)
# Proofs and models (label verify): Spin models, Frama-C on the capability core.
if(EXISTS ${CMAKE_SOURCE_DIR}/verify/CMakeLists.txt)
    add_subdirectory(verify)
endif()

# Formatting: clang-format must leave every hand-written C file unchanged.
find_program(SELENE_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(SELENE_CLANG_FORMAT)
    add_test(NAME STYLE_0001
        COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/check_format.py
                --clang-format ${SELENE_CLANG_FORMAT} ${CMAKE_SOURCE_DIR})
    set_tests_properties(STYLE_0001 PROPERTIES LABELS "host;style")
else()
    message(WARNING "clang-format not found: the format check (STYLE_0001) is not registered; "
        "apt-get install clang-format")
endif()

# STYLE_0002: the kernel's layers (which folder may include which), one
# basename per file in kernel/ and libsel/src/, no #if inside a kernel
# function body (kernel/README.md); the checker first proves on planted
# violations that each rule fires.
add_test(NAME STYLE_0002
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/check_layers.py ${CMAKE_SOURCE_DIR})
set_tests_properties(STYLE_0002 PROPERTIES LABELS "host;style")

if(NOT SELENE_SYSTEM)
    return()
endif()

find_program(SELENE_QEMU_BIN ${SELENE_QEMU})
if(NOT SELENE_QEMU_BIN)
    message(FATAL_ERROR "${SELENE_QEMU} not found: apt-get install qemu-system-misc opensbi")
endif()

ExternalProject_Add(system
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${SELENE_SYSTEM_DIR}
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    CMAKE_ARGS
        -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/riscv64-elf.cmake
        -DCMAKE_BUILD_TYPE=${SELENE_SYSTEM_BUILD_TYPE}
        -DSELENE_KERNEL_DEBUG=${SELENE_KERNEL_DEBUG}
        -DSELENE_PYTHON=${SELENE_PYTHON}
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    USES_TERMINAL_BUILD ON)

add_custom_target(image ALL DEPENDS system)

# `run`: boot the demo system; interactive when stdin is a terminal.
add_custom_target(run
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} run
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4
    DEPENDS system USES_TERMINAL)

# `debug`: QEMU halted with its gdb stub, gdb-multiarch attached.
add_custom_target(debug
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} debug
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4
            --symbols ${SELENE_SYSTEM_DIR}/user/root.elf
    DEPENDS system USES_TERMINAL)

# `bench`: the benchmark figures (meaningful with the bench preset's release kernel).
add_custom_target(bench
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} bench
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/bench.elf --timeout 900
    DEPENDS system USES_TERMINAL)

# `robust`: the long fuzzer run (docs/reliability.md) on the debug kernel, with the
# invariant checker after every syscall; prints ROBUST <name> <value> <unit> lines.
# -DSELENE_ROBUST_BOOTS=B -DSELENE_ROBUST_CALLS=N: B fuzzer boots per configuration, each
# with N calls per fuzzing thread (4 threads): 10 x 25000 x 4 = 10^6 calls per configuration;
# -DSELENE_ROBUST_SOAK_BOOTS=B -DSELENE_ROBUST_SOAK_CYCLES=N: the soak, 20 x 50000 = 10^6
# create/delete cycles per configuration.
set(SELENE_ROBUST_BOOTS 10 CACHE STRING "fuzzer boots per configuration (robust target)")
set(SELENE_ROBUST_CALLS 25000 CACHE STRING "calls per fuzzing thread and boot (robust target)")
set(SELENE_ROBUST_SEED 1000 CACHE STRING "first seed of the robust target")
set(SELENE_ROBUST_SOAK_BOOTS 20 CACHE STRING "soak boots per configuration (robust target)")
set(SELENE_ROBUST_SOAK_CYCLES 50000 CACHE STRING "soak cycles per boot (robust target)")
set(SELENE_ROBUST_CONFIGS "smp1,smp4" CACHE STRING "QEMU configurations of the robust target")
add_custom_target(robust
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} robust
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-robust.elf
            --configs ${SELENE_ROBUST_CONFIGS} --boots ${SELENE_ROBUST_BOOTS} --calls ${SELENE_ROBUST_CALLS}
            --seed ${SELENE_ROBUST_SEED} --timeout 700
            --soak-image ${SELENE_IMAGE_DIR}/test-robustsoak.elf
            --soak-boots ${SELENE_ROBUST_SOAK_BOOTS} --soak-cycles ${SELENE_ROBUST_SOAK_CYCLES}
    DEPENDS system USES_TERMINAL)

include(SeleneQemuTests)
