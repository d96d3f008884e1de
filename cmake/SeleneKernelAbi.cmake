# cmake/SeleneKernelAbi.cmake: the kernel interface generated from idl/kernel/.
#
# `idlc --kernel` compiles idl/kernel/kernel.idl (and the object files it
# imports) at configure time into ${SELENE_KERNEL_ABI_DIR}:
#   selene/kernel_abi.h   the label enum and SEL_KERNEL_ABI_HASH (via <selene/invocation.h>)
#   kernel_unpack.h       the kernel's argument structs and unpack functions
#   sel/kernel_stubs.h    libsel's typed stubs
#   kernel-api.md         the reference (docs/kernel-api.md is its committed copy)
# Editing a .idl file, idlc or its kernel templates re-runs the configure step;
# files whose text did not change are not rewritten, so nothing recompiles.
include_guard(GLOBAL)

get_filename_component(_selene_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(SELENE_KERNEL_ABI_DIR "${CMAKE_BINARY_DIR}/kernel-abi")
file(GLOB _selene_kabi_deps CONFIGURE_DEPENDS
     "${_selene_root}/idl/kernel/*.idl"
     "${_selene_root}/codegen/idlc/*.py"
     "${_selene_root}/codegen/templates/kernel/*.j2")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_selene_kabi_deps})
if(NOT SELENE_PYTHON)
    include(SelenePython)
endif()
execute_process(
    COMMAND "${SELENE_PYTHON}" "${_selene_root}/codegen/idlc.py" --kernel
            --root "${_selene_root}" -o "${SELENE_KERNEL_ABI_DIR}"
            "${_selene_root}/idl/kernel/kernel.idl"
    RESULT_VARIABLE _selene_kabi_rc
    ERROR_VARIABLE _selene_kabi_err)
if(NOT _selene_kabi_rc EQUAL 0)
    message(FATAL_ERROR "idlc --kernel failed on idl/kernel/kernel.idl:\n${_selene_kabi_err}")
endif()
