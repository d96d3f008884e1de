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
# The capability-rights scenario compiler's tests.
add_subdirectory(tools/scenario)
# The system manifest checker (tools/manifest, label placement).
add_subdirectory(tools/manifest)
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
    STEP_TARGETS configure
    USES_TERMINAL_BUILD ON)

add_custom_target(image ALL DEPENDS system)

# `run`: build only what the demo needs (the system's `demo` target: the kernel, libsel,
# the demo's programs and images/demo.elf; no test image), then boot it; interactive when
# stdin is a terminal, a scripted session that powers off when it is not.
add_custom_target(run
    COMMAND ${CMAKE_COMMAND} --build ${SELENE_SYSTEM_DIR} --target demo
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} run
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4
    DEPENDS system-configure USES_TERMINAL)

# `run-<system>`: boot the system apps/<system>/system.toml describes (./selene run <system>).
file(GLOB SELENE_SYSTEM_MANIFESTS RELATIVE ${CMAKE_SOURCE_DIR}/apps CONFIGURE_DEPENDS
    ${CMAKE_SOURCE_DIR}/apps/*/system.toml)
set(SELENE_SYSTEMS "")
foreach(m IN LISTS SELENE_SYSTEM_MANIFESTS)
    get_filename_component(system ${m} DIRECTORY)
    list(APPEND SELENE_SYSTEMS ${system})
    add_custom_target(run-${system}
        COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} run
                --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/${system}.elf --smp 4
        DEPENDS system USES_TERMINAL)
endforeach()

# `bench-placement`: placement_direct, placement_sync and placement_async_b8, one client ELF
# in apps/bench-{direct,sync,async} (meaningful with the bench preset's release kernel).
add_custom_target(bench-placement
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/manifest/tests/placement_check.py bench
            --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN}
            bench-direct bench-sync bench-async
    DEPENDS system USES_TERMINAL)

# `debug`: QEMU halted with its gdb stub, gdb-multiarch attached.
add_custom_target(debug
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} debug
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4
            --symbols ${SELENE_SYSTEM_DIR}/user/demo-root.elf
    DEPENDS system USES_TERMINAL)

# `bench`: the benchmark figures (meaningful with the bench preset's release kernel), their
# chart beside the targets and seL4's (tests/harness/bench_chart.py), then the placement
# figures: every BENCH line comes from this one target.
add_custom_target(bench
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} bench
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/bench.elf --timeout 900
            --chart ${CMAKE_BINARY_DIR}/bench-chart.svg
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/manifest/tests/placement_check.py bench
            --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN}
            bench-direct bench-sync bench-async
    DEPENDS system USES_TERMINAL)

# `robust`: the long fuzzer run (docs/reliability.md) on the debug kernel, with the
# invariant checker after every SELENE_ROBUST_CAPCHECK-th syscall (default 64; "all" checks
# after every one, as the CI tests do, about 20 times slower); prints ROBUST <name> <value>
# <unit> lines.
# -DSELENE_ROBUST_BOOTS=B -DSELENE_ROBUST_CALLS=N: B fuzzer boots per configuration, each
# with N calls per fuzzing thread (4 threads): 10 x 25000 x 4 = 10^6 calls per configuration
# by ROBUST_0001's threads, as many again by ROBUST_0003's four processes;
# -DSELENE_ROBUST_SOAK_BOOTS=B -DSELENE_ROBUST_SOAK_CYCLES=N: the soak, 20 x 50000 = 10^6
# create/delete cycles per configuration.
set(SELENE_ROBUST_BOOTS 10 CACHE STRING "fuzzer boots per configuration (robust target)")
set(SELENE_ROBUST_CALLS 25000 CACHE STRING "calls per fuzzing thread and boot (robust target)")
set(SELENE_ROBUST_SEED 1000 CACHE STRING "first seed of the robust target")
set(SELENE_ROBUST_SOAK_BOOTS 20 CACHE STRING "soak boots per configuration (robust target)")
set(SELENE_ROBUST_SOAK_CYCLES 50000 CACHE STRING "soak cycles per boot (robust target)")
set(SELENE_ROBUST_CONFIGS "smp1,smp4" CACHE STRING "QEMU configurations of the robust target")
set(SELENE_ROBUST_CAPCHECK 64 CACHE STRING "the fuzzer's invariant check after every N-th syscall")
# The reference model's part (tools/refmodel): -DSELENE_REFMODEL_BOOTS=B
# -DSELENE_REFMODEL_CALLS=N: B traced boots of one fuzzing thread making N calls, seeds
# SELENE_ROBUST_SEED, +1, ..., replayed against the model; also alone as target `refmodel`.
set(SELENE_REFMODEL_BOOTS 4 CACHE STRING "traced fuzzer boots replayed against the model")
set(SELENE_REFMODEL_CALLS 5000 CACHE STRING "calls of the traced fuzzing thread per boot")
set(selene_refmodel_command ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/refmodel/difftest.py
    --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-robust.elf
    --seed ${SELENE_ROBUST_SEED} --boots ${SELENE_REFMODEL_BOOTS}
    --calls ${SELENE_REFMODEL_CALLS} --timeout 1800)
# Fault injection into a server (tests/harness/faults.py): -DSELENE_ROBUST_FAULT_BOOTS=B
# boots of each fault-injection system, seeds fseed=0 .. B-1 (B <= 64).
set(SELENE_ROBUST_FAULT_BOOTS 32 CACHE STRING "boots of each fault-injection system (robust)")
set(selene_faults_command ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tests/harness/faults.py
    --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN})
add_custom_target(robust
    COMMAND ${selene_faults_command} --seed 0 --boots ${SELENE_ROBUST_FAULT_BOOTS}
            faultinj faultinj-async
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} robust
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-robust.elf
            --configs ${SELENE_ROBUST_CONFIGS} --boots ${SELENE_ROBUST_BOOTS} --calls ${SELENE_ROBUST_CALLS}
            --seed ${SELENE_ROBUST_SEED} --timeout 700 --capcheck ${SELENE_ROBUST_CAPCHECK}
            --soak-image ${SELENE_IMAGE_DIR}/test-robustsoak.elf
            --soak-boots ${SELENE_ROBUST_SOAK_BOOTS} --soak-cycles ${SELENE_ROBUST_SOAK_CYCLES}
            --irq-image ${SELENE_IMAGE_DIR}/test-robustirq.elf
            --storm4-image ${SELENE_IMAGE_DIR}/test-robuststorm4.elf
    COMMAND ${selene_refmodel_command}
    DEPENDS system USES_TERMINAL)

# `refmodel`: the reference model's part of `robust` alone (docs/reliability.md).
add_custom_target(refmodel
    COMMAND ${selene_refmodel_command}
    DEPENDS system USES_TERMINAL)

include(SeleneQemuTests)
# Capability-rights scenarios (docs/scenarios.md), one QEMU image per file.
add_subdirectory(tests/scenarios)

# selene_system_expect(<ID> <system> [STATUS n] LINES <regex>...): boots images/<system>.elf;
# it must end with status n (default 0) and print a line matching each regex.
function(selene_system_expect id system)
    cmake_parse_arguments(E "" "STATUS" "LINES" ${ARGN})
    if(NOT DEFINED E_STATUS)
        set(E_STATUS 0)
    endif()
    set(args "")
    foreach(l IN LISTS E_LINES)
        list(APPEND args --line "${l}")
    endforeach()
    add_test(NAME ${id}
        COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/manifest/tests/placement_check.py
                expect --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN}
                --status ${E_STATUS} ${args} ${system})
    selene_area_label(label ${id})
    set_tests_properties(${id} PROPERTIES LABELS "qemu;${label}" TIMEOUT 120)
endfunction()

include(SelenePosixTests) # POSIX_NNNN: the file system and the POSIX layer

# The placement systems: one client ELF, placed direct, sync and async by three manifests
# that differ in one word; the same bytes in the three images and the same output.
set(SELENE_PLACEMENT_CHECK ${CMAKE_SOURCE_DIR}/tools/manifest/tests/placement_check.py)
set(SELENE_COUNTER_SYSTEMS counter-direct counter-sync counter-async)
add_test(NAME PLACE_0004
    COMMAND ${SELENE_PYTHON} ${SELENE_PLACEMENT_CHECK} elf --system-dir ${SELENE_SYSTEM_DIR}
            --program counter-client ${SELENE_COUNTER_SYSTEMS})
set_tests_properties(PLACE_0004 PROPERTIES LABELS "qemu;placement" TIMEOUT 60)
add_test(NAME PLACE_0005
    COMMAND ${SELENE_PYTHON} ${SELENE_PLACEMENT_CHECK} output --system-dir ${SELENE_SYSTEM_DIR}
            --qemu ${SELENE_QEMU_BIN} --prefix client ${SELENE_COUNTER_SYSTEMS})
set_tests_properties(PLACE_0005 PROPERTIES LABELS "qemu;placement" TIMEOUT 240)
# Deny by default, enforced: the probes of apps/probe hold exactly what the manifest gives
# them and reach only their declared connections, within the declared rights.
add_test(NAME PLACE_0006
    COMMAND ${SELENE_PYTHON} ${SELENE_PLACEMENT_CHECK} probe --system-dir ${SELENE_SYSTEM_DIR}
            --qemu ${SELENE_QEMU_BIN} ${CMAKE_SOURCE_DIR}/apps/probe/system.toml)
set_tests_properties(PLACE_0006 PROPERTIES LABELS "qemu;placement" TIMEOUT 120)
# Its positive control: held against a manifest that grants alice more than the image
# gives her, the check must name both the extra right and the refused call.
add_test(NAME PLACE_0007
    COMMAND ${SELENE_PYTHON} ${SELENE_PLACEMENT_CHECK} probe --system-dir ${SELENE_SYSTEM_DIR}
            --qemu ${SELENE_QEMU_BIN}
            ${CMAKE_SOURCE_DIR}/tools/manifest/tests/control/probe/system.toml)
set_tests_properties(PLACE_0007 PROPERTIES LABELS "qemu;placement" TIMEOUT 120
    PASS_REGULAR_EXPRESSION
    "slot 16: holds \\(4, 10\\), manifest says \\(4, 14\\).*\n.*slot 16: a call with a capability returned 5, but the manifest grants 'grant'")

# Supervision: a server crashed in the middle of three clients' calls. Restarted, the
# crashing call ends with peer-dead (20) and every other call succeeds; stopped, the call
# in flight and every later call end with peer-dead, and no client hangs.
selene_system_expect(PLACE_0008 supervise LINES
    "root: counter faulted: cause 15 .*"
    "root: counter restarted \\(1 of 3\\): 0"
    "supervise 1: crash at ([5-9]|1[0-9]|2[0-7]) -> 20"
    "supervise 1: 0 failed calls, last get 0"
    "supervise 2: 0 failed calls, last get 0"
    "supervise 3: 0 failed calls, last get 0"
    "root: system supervise done")
set(SELENE_STOPPED_LINES
    "root: counter faulted: cause 15 .*"
    "root: counter stopped: 0"
    "supervise 1: crash at ([5-9]|1[0-9]|2[0-7]) -> 20"
    "supervise 1: [1-9][0-9]* failed calls, last get 20"
    "supervise 2: [1-9][0-9]* failed calls, last get 20"
    "supervise 3: [1-9][0-9]* failed calls, last get 20")
selene_system_expect(PLACE_0009 supervise-stop STATUS 1 LINES ${SELENE_STOPPED_LINES}
    "root: c3 exited with 1"
    "root: system supervise-stop failed")

# Fault injection into a server (docs/reliability.md): the driver of apps/faultinj (sync)
# and apps/faultinj-async injects faults from seed 1 among three clients' calls; no kernel
# crash, no hung client, every call answered.
add_test(NAME ROBUST_0030 COMMAND ${selene_faults_command} --seed 1 faultinj)
add_test(NAME ROBUST_0031 COMMAND ${selene_faults_command} --seed 1 faultinj-async)
set_tests_properties(ROBUST_0030 ROBUST_0031 PROPERTIES LABELS "qemu;robust" TIMEOUT 300)

# docs/tutorial.md is true: its files are the tree's, its commands print what it shows.
add_test(NAME PLACE_0010
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/manifest/tests/tutorial_check.py
            --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN})
set_tests_properties(PLACE_0010 PROPERTIES LABELS "qemu;placement" TIMEOUT 120)
# The same over async sessions: the crashed server's windows go with it, every client sees
# its side closed and gets peer-dead, none hangs.
selene_system_expect(PLACE_0011 supervise-async STATUS 1 LINES ${SELENE_STOPPED_LINES}
    "root: system supervise-async failed")
# Restart over async sessions: the call in flight ends with peer-dead, each client binds
# again and opens a new session with the restarted server; its later calls succeed.
selene_system_expect(PLACE_0012 supervise-restart-async LINES
    "root: counter faulted: cause 15 .*"
    "root: counter restarted \\(1 of 3\\): 0"
    "supervise 1: crash at ([5-9]|1[0-9]|2[0-7]) -> 20"
    "supervise 1: reconnect -> 0"
    "supervise 2: reconnect -> 0"
    "supervise 3: reconnect -> 0"
    "supervise 1: [0-9]+ failed calls, last get 0"
    "supervise 2: [0-9]+ failed calls, last get 0"
    "supervise 3: [0-9]+ failed calls, last get 0"
    "root: system supervise-restart-async done")
# The generated negative test: every system under apps/ has a probe twin (the same wiring,
# every process running apps/probe/twin.c, built by selene_system()); each component holds
# exactly what the manifest lists and reaches no server it is not connected to.
file(GLOB selene_twin_manifests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/apps/*/system.toml)
add_test(NAME PLACE_0014
    COMMAND ${SELENE_PYTHON} ${SELENE_PLACEMENT_CHECK} twin --system-dir ${SELENE_SYSTEM_DIR}
            --qemu ${SELENE_QEMU_BIN} ${selene_twin_manifests})
set_tests_properties(PLACE_0014 PROPERTIES LABELS "qemu;placement" TIMEOUT 900)
# Its positive control: the twin of counter-sync held against that system without its
# connection; the check must name the extra capability and the server it reaches.
add_test(NAME PLACE_0015
    COMMAND ${SELENE_PYTHON} ${SELENE_PLACEMENT_CHECK} twin --system-dir ${SELENE_SYSTEM_DIR}
            --qemu ${SELENE_QEMU_BIN} --image probe-counter-sync
            ${CMAKE_SOURCE_DIR}/tools/manifest/tests/control/twin/system.toml)
set_tests_properties(PLACE_0015 PROPERTIES LABELS "qemu;placement" TIMEOUT 120
    PASS_REGULAR_EXPRESSION
    "slot 16: holds \\(4, 10, 1\\), manifest says None.*\n.*slot 16: a call reached 'counter', which the manifest does not connect it to")
# The name service (apps/names): each component resolves only the paths and services the
# manifest routes for it, to its own server; everyone else's routes stay invisible to it.
selene_system_expect(PLACE_0013 names LINES
    "names 2: routes 3"
    "names 2: route /data -> counter"
    "names 2: route /data/archive -> counter"
    "names 2: route /logs/shared -> logs"
    "names 2: open /data/notes -> 0 rest 'notes' add 0 1"
    "names 2: open /data -> 0 rest '' add 0 2"
    "names 2: open /database -> 2"
    "names 2: open /data/archive/2026 -> 0 rest '2026' add 0 3"
    "names 2: open /logs/today -> 2"
    "names 2: open /logs/shared/x -> 0 rest 'x' add 0 [1-3]"
    "names 2: open / -> 2"
    "names 2: open logs -> 8"
    "names 2: open /data/\\.\\./logs/x -> 8"
    "names 2: service counter -> 0"
    "names 2: service logs -> 0"
    "names 2: service fs -> 2"
    "names 3: routes 1"
    "names 3: route /logs -> counter"
    "names 3: open /data/notes -> 2"
    "names 3: open /data -> 2"
    "names 3: open /data/archive/2026 -> 2"
    "names 3: open /logs/today -> 0 rest 'today' add 0 [12]"
    "names 3: open /logs/shared/x -> 0 rest 'shared/x' add 0 [23]"
    "names 3: open / -> 2"
    "names 3: service counter -> 0"
    "names 3: service logs -> 2"
    "names 3: service fs -> 2"
    "names 4: routes 0"
    "names 4: open /data/notes -> 2"
    "names 4: open /logs/today -> 2"
    "names 4: open /logs/shared/x -> 2"
    "names 4: service counter -> 2"
    "root: system names done")
