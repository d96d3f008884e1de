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

include(SeleneImage)
include(SeleneIdl) # selene_idl(): generated stubs and skeletons, in the build tree

add_subdirectory(kernel)
add_subdirectory(libsel)
add_subdirectory(servers/root)
add_subdirectory(servers/echo)
add_subdirectory(apps/bench)
add_subdirectory(tests/qemu)

# The demo system boots the root server.
selene_image(demo ROOT root)
