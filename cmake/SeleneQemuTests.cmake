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
    cmake_parse_arguments(G "PROCESS" "TIMEOUT;BOOTARGS" "SOURCES;CONFIGS;EMBED" ${ARGN})
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
    foreach(config IN LISTS G_CONFIGS)
        foreach(id IN LISTS ids)
            selene_area_label(label ${id})
            set(test ${id}.${config})
            add_test(NAME ${test}
                COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} test
                    --qemu ${SELENE_QEMU_BIN}
                    --image ${SELENE_IMAGE_DIR}/test-${name}.elf
                    --config ${config} --group ${name} --timeout ${G_TIMEOUT}
                    --expect ${id_csv} --id ${id} --cache ${SELENE_QEMU_RESULTS}
                    --bootargs "test ${G_BOOTARGS}")
            math(EXPR t "${G_TIMEOUT} * 2 + 30")
            set_tests_properties(${test} PROPERTIES LABELS "qemu;${label}" TIMEOUT ${t})
        endforeach()
    endforeach()
endfunction()

include(${CMAKE_SOURCE_DIR}/tests/qemu/groups.cmake)

# The benchmark image, run briefly twice: well-formed lines, identical figures.
add_test(NAME BENCH_0001
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} bench-check
        --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/bench.elf)
set_tests_properties(BENCH_0001 PROPERTIES LABELS "qemu;bench" TIMEOUT 300)

# The README's run command without a terminal: 4 harts, each its own line
# from its own stack; QEMU exits 0 within 10 s.
add_test(NAME BOOT_0021
    COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} run-check
        --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/demo.elf --smp 4)
set_tests_properties(BOOT_0021 PROPERTIES LABELS "qemu;boot" TIMEOUT 60)
