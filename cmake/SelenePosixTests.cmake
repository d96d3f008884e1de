# The POSIX layer's and the file system's tests (label posix, docs/posix.md):
# each boots a system of apps/ and looks for its line (selene_system_expect,
# cmake/SeleneHost.cmake). apps/posix: alice and bob on one fs server;
# apps/posix-crash: the server crashes under two clients.
set(SELENE_POSIX_TESTS
    "POSIX_0001\;argv, environment"
    "POSIX_0002\;the archive"
    "POSIX_0003\;lseek beyond the end and write"
    "POSIX_0004\;EEXIST"
    "POSIX_0005\;EMFILE"
    "POSIX_0006\;1 MiB"
    "POSIX_0007\;mkdir, rmdir"
    "POSIX_0008\;dup/dup2"
    "POSIX_0009\;O_APPEND from two clients"
    "POSIX_0010\;ENOSPC at the client's quota")
foreach(t IN LISTS SELENE_POSIX_TESTS)
    list(GET t 0 id)
    list(GET t 1 what)
    set(more "")
    if(id STREQUAL "POSIX_0001") # exit: the atexit handler once, the status to the root task
        set(more "posix-test: atexit handler ran" "root: alice exited with 0")
    endif()
    selene_system_expect(${id} posix LINES "${id} ok ${what}.*" ${more} "root: system posix done")
endforeach()
selene_system_expect(POSIX_0011 posix-crash LINES
    "root: fs faulted: cause 15 .*"
    "root: fs restarted \\(1 of 3\\): 0"
    "crasher: crash -> 20"
    "POSIX_0011 ok the fs server crashes.*"
    "bystander: [1-9][0-9]* rounds served by the first instance, [1-9][0-9]* by the restarted one.*"
    "POSIX_0011 ok the bystander is served before and after the restart"
    "root: system posix-crash done")

# Third-party programs from Debian's sources, unmodified (docs/porting.md): each
# system runs one and its output must be the one recorded in the tree.
function(selene_port_expect id system component)
    add_test(NAME ${id}
        COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/posix/expect_output.py
                --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN}
                --component ${component} --expected ${CMAKE_SOURCE_DIR}/apps/${system}/expected.txt
                ${system})
    set_tests_properties(${id} PROPERTIES LABELS "qemu;posix" TIMEOUT 120)
endfunction()
selene_port_expect(POSIX_0012 figlet figlet)
selene_port_expect(POSIX_0013 lua lua)

# The POSIX layer over an async connection and asynchronous I/O: one client ELF
# placed async (apps/posix-async) and sync (apps/posix-sync).
selene_system_expect(POSIX_0014 posix-async LINES
    "posix-aio: descriptor 3 routes to fs: placement async, endpoint slot 16, window 0x1000000000, sender 0, server descriptor 0"
    "POSIX_0014 ok read\\(\\) and write\\(\\) of 8192 bytes over the async connection"
    "root: system posix-async done")
selene_system_expect(POSIX_0015 posix-async LINES
    "posix-aio: sel_aio_read returned after [0-9]+ instructions. [1-9][0-9]* steps of computation ran before .*"
    "POSIX_0015 ok sel_aio_read returns at once. the computation goes on during the read"
    "root: system posix-async done")
selene_system_expect(POSIX_0016 posix-sync LINES
    "posix-aio: descriptor 3 routes to fs: placement sync, endpoint slot 16, window 0x0, sender 0, server descriptor 0"
    "POSIX_0014 ok read\\(\\) and write\\(\\) of 8192 bytes over the sync connection"
    "POSIX_0016 ok over a sync connection sel_aio_read completes as it is sent"
    "root: system posix-sync done")
# Completion by user interrupt (SEL_AIO_INTERRUPT): the callback runs in the handler while
# the program computes (async), or before sel_aio_read returns (sync).
selene_system_expect(POSIX_0021 posix-async LINES
    "posix-aio: the callback ran once after [1-9][0-9]* steps of computation .not yet when sel_aio_read returned., the data in place"
    "POSIX_0021 ok the completion runs its callback in the user-interrupt handler while the program computes"
    "root: system posix-async done")
# Its positive control: the connection not armed (apps/posix-async-control), the callback
# does not run while the program computes, and POSIX_0021's check must say FAIL.
selene_system_expect(POSIX_0023 posix-async-control LINES
    "posix-aio: the callback ran not after 0 steps of computation .not yet when sel_aio_read returned., the data WRONG"
    "POSIX_0021 FAIL the completion runs its callback in the user-interrupt handler while the program computes"
    "root: system posix-async-control done")
selene_system_expect(POSIX_0022 posix-sync LINES
    "posix-aio: the callback ran once after 0 steps of computation .already when sel_aio_read returned., the data in place"
    "POSIX_0022 ok over a sync connection the callback runs before sel_aio_read returns"
    "root: system posix-sync done")

# `bench-posix`: posix_write_4k, posix_read_4k, posix_open_close, sync and async placements.
add_custom_target(bench-posix
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/manifest/tests/placement_check.py bench
            --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN} posix-sync posix-async
    DEPENDS system USES_TERMINAL)

# Positive control of POSIX_0009: a file system that ignores O_APPEND
# (apps/posix-control) must fail the check.
selene_system_expect(POSIX_0017 posix-control LINES
    "POSIX_0009 FAIL O_APPEND from two clients at once.*"
    "root: system posix-control done")

# The same tests with the clients and the server on three harts that really run in
# parallel (-smp 4, multi-threaded TCG): apps/posix-smp.
set(lines "")
foreach(t IN LISTS SELENE_POSIX_TESTS)
    list(GET t 0 id)
    list(APPEND lines --line "${id} ok .*")
endforeach()
add_test(NAME POSIX_0018
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/posix/expect_output.py
            --system-dir ${SELENE_SYSTEM_DIR} --qemu ${SELENE_QEMU_BIN} --smp 4 ${lines}
            --line "root: alice exited with 0" --line "root: bob exited with 0" posix-smp)
set_tests_properties(POSIX_0018 PROPERTIES LABELS "qemu;posix" TIMEOUT 120)
