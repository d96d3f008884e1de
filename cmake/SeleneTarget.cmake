# The RISC-V half of the build: kernel, libsel, servers, apps and images.
# Reached through the `system` external project of cmake/SeleneHost.cmake.
option(SELENE_KERNEL_DEBUG "Kernel asserts and invariant checks" ON)

set(SELENE_WARNINGS -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes
    -Wundef -Wshadow)
set(SELENE_TARGET_CFLAGS -std=c11 -ffreestanding -fno-common -fno-stack-protector
    -fno-asynchronous-unwind-tables -g ${SELENE_WARNINGS})
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    list(APPEND SELENE_TARGET_CFLAGS -O1)
else()
    list(APPEND SELENE_TARGET_CFLAGS -O2)
endif()
add_compile_options("$<$<COMPILE_LANGUAGE:C>:${SELENE_TARGET_CFLAGS}>")
include(SeleneKernelAbi) # the kernel interface from idl/kernel/, in the build tree
set(SELENE_ABI_INCLUDE ${CMAKE_SOURCE_DIR}/kernel/abi ${SELENE_KERNEL_ABI_DIR})
# Code the kernel and libsel share (common/README.md): each compiles these
# sources itself, with its own flags, and includes <common/...>.
set(SELENE_COMMON_INCLUDE ${CMAKE_SOURCE_DIR}/common/include)
set(SELENE_COMMON_SOURCES ${CMAKE_SOURCE_DIR}/common/format.c
    ${CMAKE_SOURCE_DIR}/common/libc_string.c)

include(SeleneImage)
include(SeleneIdl) # selene_idl(): generated stubs and skeletons, in the build tree
include(SeleneSystem) # selene_system(): images built from apps/<system>/system.toml
include(SelenePosix) # selene_posix_program(), selene_fs_program(): picolibc and libsel's POSIX layer

add_subdirectory(kernel)
add_subdirectory(libsel)
add_subdirectory(servers/root)
add_subdirectory(servers/echo)
add_subdirectory(servers/console)
add_subdirectory(apps/shell)
add_subdirectory(apps/bench)
add_subdirectory(tests/qemu)
add_subdirectory(tests/scenarios)
add_subdirectory(servers/counter)
add_subdirectory(apps/counter-client)
add_subdirectory(apps/placement-bench)

# Every system under apps/ with a manifest: images/<system>.elf (apps/demo, what
# `./selene run` boots, adds the target demo).
file(GLOB manifests RELATIVE ${CMAKE_SOURCE_DIR}/apps CONFIGURE_DEPENDS
    ${CMAKE_SOURCE_DIR}/apps/*/system.toml)
foreach(m IN LISTS manifests)
    get_filename_component(system ${m} DIRECTORY)
    if(EXISTS ${CMAKE_SOURCE_DIR}/apps/${system}/CMakeLists.txt)
        add_subdirectory(apps/${system}) # the system's own programs
    endif()
    selene_system(${system})
endforeach()
