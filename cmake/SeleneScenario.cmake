# selene_scenario(<file> [CONFIGS <config>...] [BOOTARGS <args>] [TIMEOUT <s>]):
# makes a capability-rights scenario file (docs/scenarios.md) a QEMU test image.
#
# The compiler (tools/scenario/scenc.py) runs at configure time in both
# builds: a file with an error stops the configuration with its
# `file:line: error: message`. It writes scen-<name>.c (the tables and one
# TEST per scenario) into the build tree.
#  - cross build: the image test-scen-<name>.elf, a process-mode group whose
#    test program is the director (tests/scenarios/director.c) and the
#    generated tables, with the party program (scen-party) embedded;
#  - native build: one CTest test <ID>.<config> per scenario and
#    configuration (labels qemu;scenario). A scenario with `control = "text"`
#    is a positive control: its test passes only if the scenario FAILS with a
#    reason containing that text.
include(SeleneAreas)

set(SELENE_SCENC ${CMAKE_SOURCE_DIR}/tools/scenario/scenc.py)
file(GLOB SELENE_SCENC_SOURCES ${CMAKE_SOURCE_DIR}/tools/scenario/*.py)

function(selene_scenario file)
    cmake_parse_arguments(S "" "TIMEOUT;BOOTARGS" "CONFIGS" ${ARGN})
    if(NOT S_CONFIGS)
        set(S_CONFIGS smp1 smp4)
    endif()
    if(NOT S_TIMEOUT)
        set(S_TIMEOUT 180)
    endif()
    if(NOT DEFINED S_BOOTARGS)
        set(S_BOOTARGS "capcheck=all untyped-bits=22 test-budget=60")
    endif()
    get_filename_component(path ${file} ABSOLUTE)
    get_filename_component(name ${file} NAME_WE)
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${path})
    set(out ${CMAKE_CURRENT_BINARY_DIR}/scen-${name}.c)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path}
        ${SELENE_SCENC_SOURCES} ${CMAKE_SOURCE_DIR}/kernel/abi/selene/error.h)
    execute_process(
        COMMAND ${SELENE_PYTHON} ${SELENE_SCENC} ${path} --name ${rel} --list -o ${out}
        OUTPUT_VARIABLE listing ERROR_VARIABLE diag RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "scenario file ${rel}:\n${diag}")
    endif()
    set(group scen-${name})
    if(CMAKE_CROSSCOMPILING)
        set(q ${CMAKE_SOURCE_DIR}/tests/qemu)
        selene_test_group(${group} PROCESS SOURCES ${out}
            ${CMAKE_SOURCE_DIR}/tests/scenarios/director.c ${q}/ipc_util.c ${q}/ipc_probe.S
            ${q}/proc_util.c ${q}/caps_util.c EMBED scen-party)
        target_include_directories(test-${group}-prog PRIVATE ${q} ${CMAKE_SOURCE_DIR}/tests/scenarios)
        return()
    endif()
    string(REPLACE "\n" ";" lines "${listing}")
    set(ids "")
    set(controls "")
    foreach(line IN LISTS lines)
        if(line MATCHES "^(SCEN_[0-9]+)( (.*))?$")
            list(APPEND ids ${CMAKE_MATCH_1})
            if(CMAKE_MATCH_3)
                set(control_${CMAKE_MATCH_1} "${CMAKE_MATCH_3}")
            endif()
        endif()
    endforeach()
    list(JOIN ids "," id_csv)
    foreach(config IN LISTS S_CONFIGS)
        foreach(id IN LISTS ids)
            selene_area_label(label ${id})
            add_test(NAME ${id}.${config}
                COMMAND ${SELENE_PYTHON} ${SELENE_QEMU_PY} test
                    --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-${group}.elf
                    --config ${config} --group ${group} --timeout ${S_TIMEOUT}
                    --expect ${id_csv} --id ${id} --cache ${SELENE_QEMU_RESULTS}
                    --bootargs "test ${S_BOOTARGS}")
            math(EXPR t "${S_TIMEOUT} * 2 + 30")
            set_tests_properties(${id}.${config} PROPERTIES LABELS "qemu;${label}" TIMEOUT ${t})
            if(DEFINED control_${id})
                # Passes only on the expected failure (any other output fails it).
                string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" text "${control_${id}}")
                set_tests_properties(${id}.${config} PROPERTIES
                    PASS_REGULAR_EXPRESSION "TEST ${id} FAIL [^\n]*${text}")
            endif()
        endforeach()
    endforeach()
endfunction()
