# Systems built from a manifest (docs/manifest.md).
#
# selene_service_program(<target> IDL <file.idl> SOURCES ...)
#   A server program for <file.idl>, built twice: <target> (a process of its
#   own) and <target>-direct, the same sources linked at SEL_BIND_DIRECT_BASE
#   to be loaded as a private instance into a client's address space.
#
# selene_system(<name>)
#   apps/<name>/system.toml -> images/<name>.elf: tools/manifest checks the
#   manifest (its errors stop the build, as file:line: error: message) and
#   generates the wiring tables; the root task (servers/root/wire.c) is linked
#   with them and embeds every component's program. Also images/probe-<name>.elf,
#   the system's probe twin: every process runs apps/probe's twin-probe, which
#   reports what it holds and reaches (the generated negative test, PLACE_0014).
include_guard(GLOBAL)

set(SELENE_MANIFEST_PY ${CMAKE_SOURCE_DIR}/tools/manifest/manifest.py)
set(SELENE_BIND_DIRECT_BASE 0x20000000) # <sel/bind.h>

function(selene_service_program target)
    cmake_parse_arguments(S "" "IDL" "SOURCES" ${ARGN})
    foreach(t ${target} ${target}-direct)
        selene_user_program(${t} SOURCES ${S_SOURCES})
        target_link_libraries(${t} PRIVATE sel_bind)
        selene_idl(${t} ${S_IDL} SERVER)
        # Embedded in the root task, which needs its symbol table: keep only that.
        add_custom_command(TARGET ${t} POST_BUILD
            COMMAND ${CMAKE_OBJCOPY} --strip-debug $<TARGET_FILE:${t}> VERBATIM)
    endforeach()
    target_link_options(${target}-direct PRIVATE
        -Wl,--defsym=SEL_USER_BASE=${SELENE_BIND_DIRECT_BASE})
endfunction()

# selene_client_program(<target> IDL <file.idl>... SOURCES ...): a client of those services.
function(selene_client_program target)
    cmake_parse_arguments(S "" "" "IDL;SOURCES" ${ARGN})
    selene_user_program(${target} SOURCES ${S_SOURCES})
    target_link_libraries(${target} PRIVATE sel_bind)
    foreach(idl IN LISTS S_IDL)
        selene_idl(${target} ${idl} CLIENT)
    endforeach()
    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_OBJCOPY} --strip-debug $<TARGET_FILE:${target}> VERBATIM)
endfunction()

function(selene_system name)
    selene_system_image(${name} ${name} "")
    # Its probe twin (the generated negative test, apps/probe/twin.c): the same wiring, every
    # process running the probe; images/probe-<name>.elf.
    selene_system_image(${name} probe-${name} twin-probe)
endfunction()

# selene_system_image(<system> <image> <probe>): apps/<system>/system.toml wired by a root
# task into images/<image>.elf, every process running <probe> if it is not "".
function(selene_system_image name image probe)
    set(manifest ${CMAKE_SOURCE_DIR}/apps/${name}/system.toml)
    set(out ${CMAKE_BINARY_DIR}/systems/${image})
    set(twin "")
    if(probe)
        set(twin --probe ${probe})
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest})
    execute_process(
        COMMAND ${SELENE_PYTHON} ${SELENE_MANIFEST_PY} programs ${manifest}
                --idl-dir ${CMAKE_SOURCE_DIR}/idl ${twin}
        OUTPUT_VARIABLE programs ERROR_VARIABLE errors RESULT_VARIABLE status
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "system ${name}:\n${errors}")
    endif()
    add_custom_command(OUTPUT ${out}/tables.c
        COMMAND ${SELENE_PYTHON} ${SELENE_MANIFEST_PY} generate ${manifest}
                --idl-dir ${CMAKE_SOURCE_DIR}/idl --out ${out}/tables.c ${twin}
        DEPENDS ${manifest} ${SELENE_MANIFEST_PY}
        COMMENT "manifest apps/${name}/system.toml" VERBATIM)
    file(MAKE_DIRECTORY ${out})
    set(root ${image}-root)
    selene_user_program(${root} SOURCES ${CMAKE_SOURCE_DIR}/servers/root/wire.c ${out}/tables.c)
    target_include_directories(${root} PRIVATE ${CMAKE_SOURCE_DIR}/servers/root)
    target_link_libraries(${root} PRIVATE sel_bind)
    selene_embed_programs(${root} ${programs})
    selene_image(${image} ROOT ${root})
endfunction()
