# cmake/SeleneIdl.cmake: selene_idl(), which compiles an .idl file with idlc and
# adds the generated C (and the IDL runtime) to a target.
#
#   selene_idl(<target> <file.idl> [CLIENT] [SERVER] [DOCS] [VERSION <n>]
#              [IMPORT_DIRS <dir>...])
#
# CLIENT adds the client stubs, SERVER the server skeleton, DOCS the Markdown
# reference; with none of them, CLIENT and SERVER. The types header is always
# added. A client and a server target in one directory may share an .idl. VERSION selects the interface version (default: HEAD). Outputs go
# to ${CMAKE_CURRENT_BINARY_DIR}/idl/, which becomes a PUBLIC include
# directory of <target>, together with the runtime headers and kernel/abi.
#
# idlc runs with ${SELENE_PYTHON} (an interpreter that imports jinja2). The
# files it generates are known at configure time (idlc --list-outputs), and
# the build regenerates them when the .idl, anything it imports (through a
# depfile), idlc or its templates change. The generated C is freestanding
# C11, so the function works the same in a native and in a cross build.

include_guard(GLOBAL)

get_filename_component(SELENE_IDL_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(SELENE_IDL_CODEGEN "${SELENE_IDL_ROOT}/codegen")
set(SELENE_IDLC "${SELENE_IDL_CODEGEN}/idlc.py")

file(GLOB SELENE_IDLC_DEPENDS CONFIGURE_DEPENDS
     "${SELENE_IDL_CODEGEN}/idlc/*.py"
     "${SELENE_IDL_CODEGEN}/templates/c/*.j2"
     "${SELENE_IDL_CODEGEN}/templates/md/*.j2")
list(APPEND SELENE_IDLC_DEPENDS "${SELENE_IDLC}")

function(selene_idl target idl)
    cmake_parse_arguments(PARSE_ARGV 2 ARG "CLIENT;SERVER;DOCS" "VERSION" "IMPORT_DIRS")
    if(ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "selene_idl(${target} ${idl}): unknown arguments "
                            "${ARG_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT TARGET ${target})
        message(FATAL_ERROR "selene_idl: ${target} is not a target")
    endif()
    if(NOT SELENE_PYTHON)
        message(FATAL_ERROR "selene_idl: set SELENE_PYTHON to a Python 3 interpreter "
                            "that can import jinja2")
    endif()

    get_filename_component(idl_path "${idl}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/idl")
    get_filename_component(stem "${idl_path}" NAME_WE)

    set(args --root "${CMAKE_SOURCE_DIR}")
    if(DEFINED ARG_VERSION)
        list(APPEND args --version "${ARG_VERSION}")
    endif()
    foreach(dir IN LISTS ARG_IMPORT_DIRS)
        get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        list(APPEND args -I "${dir}")
    endforeach()

    # One command per .idl and directory generates every output; each call
    # then adds the parts it asked for to its target. So a client and a
    # server target in one directory can share the file.
    string(MD5 key "${idl_path}")
    set(key "SELENE_IDL_${key}")
    get_property(done DIRECTORY PROPERTY "${key}" SET)
    get_property(outputs DIRECTORY PROPERTY "${key}")
    get_property(done_args DIRECTORY PROPERTY "${key}_ARGS")
    if(done AND NOT "${done_args}" STREQUAL "${args}")
        message(FATAL_ERROR "selene_idl(${target} ${idl}): this directory already generates "
                            "${idl} with other options (${done_args}); use one VERSION and "
                            "IMPORT_DIRS per .idl and directory")
    endif()
    if(NOT done)
        # The outputs depend on the services the file declares: ask idlc.
        execute_process(
            COMMAND "${SELENE_PYTHON}" "${SELENE_IDLC}" --list-outputs -o "${out_dir}" ${args}
                    "${idl_path}"
            OUTPUT_VARIABLE outputs
            ERROR_VARIABLE errors
            RESULT_VARIABLE status)
        if(NOT status EQUAL 0)
            message(FATAL_ERROR "selene_idl(${target} ${idl}): idlc failed:\n${errors}")
        endif()
        string(REGEX REPLACE "\n$" "" outputs "${outputs}")
        string(REPLACE "\n" ";" outputs "${outputs}")
        if(NOT outputs)
            message(FATAL_ERROR "selene_idl(${target} ${idl}): the file declares no service "
                                "(at the selected version), so there is nothing to generate")
        endif()
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${idl_path}")
        set_property(DIRECTORY PROPERTY "${key}" "${outputs}")
        set_property(DIRECTORY PROPERTY "${key}_ARGS" "${args}")
        add_custom_command(
            OUTPUT ${outputs}
            COMMAND "${SELENE_PYTHON}" "${SELENE_IDLC}" -o "${out_dir}" ${args}
                    --depfile "${out_dir}/${stem}.d" "${idl_path}"
            DEPENDS "${idl_path}" ${SELENE_IDLC_DEPENDS}
            DEPFILE "${out_dir}/${stem}.d"
            COMMENT "idlc ${idl}"
            VERBATIM)
    endif()

    if(NOT ARG_CLIENT AND NOT ARG_SERVER AND NOT ARG_DOCS)
        set(ARG_CLIENT ON)
        set(ARG_SERVER ON)
    endif()
    set(wanted "_types\\.h$")
    if(ARG_CLIENT)
        string(APPEND wanted "|_client\\.[ch]$")
    endif()
    if(ARG_SERVER)
        string(APPEND wanted "|_server\\.[ch]$")
    endif()
    if(ARG_DOCS)
        string(APPEND wanted "|\\.md$")
    endif()
    set(selected)
    foreach(file IN LISTS outputs)
        if(file MATCHES "(${wanted})")
            list(APPEND selected "${file}")
        endif()
    endforeach()
    target_sources(${target} PRIVATE ${selected})
    target_include_directories(${target} PUBLIC
        "${out_dir}"
        "${SELENE_IDL_CODEGEN}/runtime/include"
        "${SELENE_IDL_ROOT}/kernel/abi")

    # The runtime, once per target, built with the target's own flags.
    get_property(has_runtime TARGET ${target} PROPERTY SELENE_IDL_RUNTIME)
    if(NOT has_runtime)
        target_sources(${target} PRIVATE
            "${SELENE_IDL_CODEGEN}/runtime/idl_runtime.c"
            "${SELENE_IDL_CODEGEN}/runtime/idl_copyin.c")
        set_property(TARGET ${target} PROPERTY SELENE_IDL_RUNTIME ON)
    endif()
endfunction()
