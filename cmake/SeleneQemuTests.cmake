# Registers every QEMU test ID with CTest.
#
# tests/qemu/groups.cmake lists the test images; each image's sources are
# scanned here for TEST(AREA_NNNN, ...) and EXPECT_FAULT(AREA_NNNN, ...), and
# every ID becomes one CTest test per QEMU configuration, named
# <ID>.<config>. The first test of a group to run boots QEMU once and caches
# every result line; the others read the cache (tests/harness/qemu.py).
include(SeleneAreas)

set(SELENE_QEMU_RESULTS ${CMAKE_BINARY_DIR}/qemu-results)

function(selene_test_group name)
    cmake_parse_arguments(G "PROCESS" "TIMEOUT;BOOTARGS" "SOURCES;CONFIGS;EMBED;VARIANTS"
        ${ARGN})
    if(NOT G_TIMEOUT)
        set(G_TIMEOUT 60)
    endif()
    set(ids "")
    foreach(src IN LISTS G_SOURCES)
        set(path ${CMAKE_SOURCE_DIR}/tests/qemu/${src})
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path})
        file(STRINGS ${path} lines
            REGEX "^(TEST|EXPECT_FAULT|EXPECT_HANG)\\([A-Z]+_[0-9][0-9][0-9][0-9],")
        foreach(line IN LISTS lines)
            string(REGEX MATCH "[A-Z]+_[0-9][0-9][0-9][0-9]" id "${line}")
            if(id IN_LIST ids)
                message(FATAL_ERROR "test ID ${id} defined twice (tests/qemu/${src})")
            endif()
            list(APPEND ids ${id})
        endforeach()
    endforeach()
    list(JOIN ids "," id_csv)
    set_property(GLOBAL PROPERTY SELENE_GROUP_${name}_BOOTARGS "${G_BOOTARGS}")
    set_property(GLOBAL PROPERTY SELENE_GROUP_${name}_TIMEOUT "${G_TIMEOUT}")
    # A variant "name:args" runs the same image again with more boot arguments
    # (tests <ID>.<config>-<name>), e.g. the IPC tests with the fastpath off.
    set(variants "-:")
    foreach(v IN LISTS G_VARIANTS)
        list(APPEND variants "${v}")
    endforeach()
    foreach(config IN LISTS G_CONFIGS)
        foreach(v IN LISTS variants)
            string(REPLACE ":" ";" parts "${v}")
            list(GET parts 0 vname)
            list(LENGTH parts n)
            set(vargs "")
            if(n GREATER 1)
                list(GET parts 1 vargs)
            endif()
            set(suffix "")
            set(vflag "")
            if(NOT vname STREQUAL "-")
                set(suffix "-${vname}")
                set(vflag --variant ${vname})
            endif()
            foreach(id IN LISTS ids)
                selene_area_label(label ${id})
                set(test ${id}.${config}${suffix})
                add_test(NAME ${test}
                    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} test
                        --qemu ${SELENE_QEMU_BIN}
                        --image ${SELENE_IMAGE_DIR}/test-${name}.elf
                        --config ${config} --group ${name} --timeout ${G_TIMEOUT}
                        --expect ${id_csv} --id ${id} --cache ${SELENE_QEMU_RESULTS}
                        --bootargs "test ${G_BOOTARGS} ${vargs}" ${vflag})
                math(EXPR t "${G_TIMEOUT} * 2 + 30")
                set_tests_properties(${test} PROPERTIES LABELS "qemu;${label}" TIMEOUT ${t})
            endforeach()
        endforeach()
    endforeach()
endfunction()

# A positive control: test ID boots group GROUP's image in CONFIG with the
# kernel bug INJECT (debug kernels: boot argument inject=INJECT, see
# kernel/lib/inject.h) and passes only if one of the CATCH tests reports FAIL.
function(selene_control id)
    cmake_parse_arguments(C "" "GROUP;CONFIG;INJECT" "CATCH" ${ARGN})
    get_property(bootargs GLOBAL PROPERTY SELENE_GROUP_${C_GROUP}_BOOTARGS)
    get_property(timeout GLOBAL PROPERTY SELENE_GROUP_${C_GROUP}_TIMEOUT)
    list(JOIN C_CATCH "," catch)
    selene_area_label(label ${id})
    add_test(NAME ${id}
        COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} control
            --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-${C_GROUP}.elf
            --config ${C_CONFIG} --timeout ${timeout}
            --bootargs "test ${bootargs} inject=${C_INJECT}" --catch ${catch})
    math(EXPR t "${timeout} + 30")
    set_tests_properties(${id} PROPERTIES LABELS "qemu;${label}" TIMEOUT ${t})
endfunction()

include(${CMAKE_SOURCE_DIR}/tests/qemu/groups.cmake)

# The benchmark image, run briefly twice: well-formed lines, identical figures.
add_test(NAME BENCH_0001
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} bench-check
        --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/bench.elf)
set_tests_properties(BENCH_0001 PROPERTIES LABELS "qemu;bench" TIMEOUT 300)

# The README's run command without a terminal: 4 harts, each its own line
# from its own stack; QEMU exits 0 within 30 s (the demo's scripted session included).
add_test(NAME BOOT_0021
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} run-check
        --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4)
set_tests_properties(BOOT_0021 PROPERTIES LABELS "qemu;boot" TIMEOUT 60)

# The demo system (label demo, apps/demo/system.toml): one boot on 4 harts types a session
# into the shell through QEMU's serial input and checks each command's output
# (tests/harness/qemu.py, DEMO_STEPS); each DEMO ID reads the verdict of its steps.
# DEMO_0014 is the console's positive control (the image of apps/demo-broken-console, whose
# driver does not keep lines whole: lines from two clients must interleave); DEMO_0015 is
# the scripted session the demo runs when booted with `scripted`, exit status 0; DEMO_0025
# the README's run command (the harness's `run`) with its input not a terminal.
foreach(id DEMO_0001 DEMO_0002 DEMO_0003 DEMO_0004 DEMO_0005 DEMO_0006 DEMO_0007 DEMO_0008
        DEMO_0009 DEMO_0010 DEMO_0011 DEMO_0012 DEMO_0013 DEMO_0017 DEMO_0018 DEMO_0019
        DEMO_0020 DEMO_0021 DEMO_0022 DEMO_0023 DEMO_0024 DEMO_0026 DEMO_0027 DEMO_0028
        DEMO_0029 DEMO_0030 DEMO_0031 DEMO_0032 DEMO_0033 DEMO_0034 DEMO_0035 DEMO_0036
        POSIX_0019 POSIX_0020)
    add_test(NAME ${id}
        COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} demo --qemu ${SELENE_QEMU_BIN}
            --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4 --timeout 120 --id ${id}
            --cache ${SELENE_QEMU_RESULTS})
    set_tests_properties(${id} PROPERTIES LABELS "qemu;demo" TIMEOUT 600)
endforeach()
# The demo's file system and its POSIX programs (docs/posix.md): POSIX_0019 and POSIX_0020
# are steps of the same session (`run hello`: stdio on the console service), labelled posix.
set_tests_properties(POSIX_0019 POSIX_0020 PROPERTIES LABELS "qemu;posix")
add_test(NAME DEMO_0014
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} demo-control --qemu ${SELENE_QEMU_BIN}
        --image ${SELENE_IMAGE_DIR}/demo-broken-console.elf --smp 4 --timeout 120)
set_tests_properties(DEMO_0014 PROPERTIES LABELS "qemu;demo" TIMEOUT 600)
add_test(NAME DEMO_0015
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} demo-run --qemu ${SELENE_QEMU_BIN}
        --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4 --timeout 60)
set_tests_properties(DEMO_0015 PROPERTIES LABELS "qemu;demo" TIMEOUT 120)
add_test(NAME DEMO_0025
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} readme-run --qemu ${SELENE_QEMU_BIN}
        --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4 --timeout 60)
set_tests_properties(DEMO_0025 PROPERTIES LABELS "qemu;demo" TIMEOUT 120)
