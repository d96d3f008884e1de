# The QEMU test images. Each group is one image (its sources plus a test
# driver: in the root task's own process, or with PROCESS a fresh process
# per test) booted once per configuration:
#   smp1   -smp 1 under -icount shift=0,sleep=off (deterministic)
#   smp4   -smp 4 under multi-threaded TCG
#   smp4a  -smp 4, multi-threaded TCG, -machine virt,aclint=on
# EMBED links user programs into the image's root task (tests spawn them).
# BOOTARGS go to the kernel (e.g. "capcheck=all": check the capability
# invariants after every syscall) and the process driver ("test-debug=info+bench+check":
# debug rights a test process gets beyond Write; docs/processes.md). Included by the native
# build (to register IDs with CTest) and by the RISC-V build (to build the images); each
# defines selene_test_group().
selene_test_group(boot SOURCES boot.c abi.c abi_probe.S CONFIGS smp1 smp4 smp4a TIMEOUT 60)
# The kernel interface as idl/kernel/ declares it (in the root task: every boot cap).
selene_test_group(kabi SOURCES kabi.c caps_util.c proc_util.c CONFIGS smp1 smp4
    BOOTARGS "capcheck=all untyped-bits=23" TIMEOUT 120)
selene_test_group(fault SOURCES fault.c CONFIGS smp1 TIMEOUT 60)
# The console hand-over refused (docs/console.md), in the root task: it holds the debug cap.
selene_test_group(demohandover SOURCES demo_handover.c caps_util.c CONFIGS smp1 TIMEOUT 60)
selene_test_group(capsboot SOURCES caps_boot.c caps_util.c CONFIGS smp1 smp4
    BOOTARGS "capcheck=all" TIMEOUT 60)
selene_test_group(caps PROCESS SOURCES caps.c caps_errors.c caps_lattice.c caps_util.c
    CONFIGS smp1 smp4 BOOTARGS "test-debug=info+check capcheck=all" TIMEOUT 180)
selene_test_group(capsbig PROCESS SOURCES caps_revoke.c caps_util.c CONFIGS smp1
    BOOTARGS "test-debug=info+check untyped-bits=23" TIMEOUT 120)
selene_test_group(proc PROCESS SOURCES proc.c proc_maps.c proc_threads.c proc_spawn.c
    proc_util.c caps_util.c EMBED embedded_a embedded_b CONFIGS smp1 smp4
    BOOTARGS "test-debug=bench untyped-bits=23" TIMEOUT 180)
# Process mode: each test in a fresh process (tests/harness/process_driver.c).
selene_test_group(process PROCESS SOURCES process.c CONFIGS smp1 smp4 TIMEOUT 120)
# Synchronous IPC, with the fastpath on and (variant "nofast") off.
selene_test_group(ipc PROCESS SOURCES ipc.c ipc_calls.c ipc_caps.c ipc_faults.c
    ipc_util.c ipc_probe.S proc_util.c caps_util.c CONFIGS smp1 smp4 smp4a
    VARIANTS "nofast:fastpath=off" BOOTARGS "capcheck=all untyped-bits=22" TIMEOUT 240)
# A view computed with more harts online left saying one hart: the IPC fastpath's lock-free
# copy runs on -smp 4 and its debug check (fastpath.c: ipc_body) stops the first Call that
# finds a view current.
selene_control(SCHED_0412 GROUP ipc CONFIG smp4 INJECT view-solo CATCH IPC_0009)
# Equal-priority order around a Call, one hart, with the fastpath on and off.
selene_test_group(ipcorder PROCESS SOURCES ipc_order.c ipc_views.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 VARIANTS "nofast:fastpath=off" BOOTARGS "untyped-bits=22"
    TIMEOUT 120)
# The fast path's per-thread view, renewed by TCB invocations (ipc_views.c).
selene_control(SCHED_0410 GROUP ipcorder CONFIG smp1 INJECT stale-eligible CATCH IPC_0402 IPC_0403)
selene_control(SCHED_0411 GROUP ipcorder CONFIG smp1 INJECT stale-satp CATCH IPC_0403)
# Notifications: 10^5 signals, so the invariant checker runs every 64th syscall.
selene_test_group(ipcntfn PROCESS SOURCES ipc_notify.c ipc_util.c proc_util.c caps_util.c
    CONFIGS smp1 smp4 smp4a BOOTARGS "untyped-bits=22" TIMEOUT 240)
# Positive controls: the same images with one kernel bug injected must fail.
selene_control(SCHED_0101 GROUP ipc CONFIG smp1 INJECT fastpath-badge
    CATCH IPC_0006 IPC_0017 IPC_0023)
# The per-hart kernel info page.
selene_test_group(kinfo PROCESS SOURCES kinfo.c ipc_util.c ipc_probe.S proc_util.c caps_util.c
    CONFIGS smp1 smp4 smp4a BOOTARGS "test-debug=info untyped-bits=22" TIMEOUT 120)
# Device interrupts (the goldfish RTC alarm) to a user driver's receiver.
selene_test_group(uintrirq PROCESS SOURCES uintr_irq.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4 smp4a BOOTARGS "untyped-bits=22" TIMEOUT 120)
selene_control(UINTR_0399 GROUP uintrirq CONFIG smp4 INJECT irq-no-mask CATCH UINTR_0301)
# Leases: memory lent for one call.
selene_test_group(lease PROCESS SOURCES lease.c ipc_util.c ipc_probe.S proc_util.c caps_util.c
    CONFIGS smp1 smp4 smp4a BOOTARGS "capcheck=all untyped-bits=22" TIMEOUT 120)
# User interrupts: the basics.
selene_test_group(uintrbasic PROCESS SOURCES uintr_basic.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4 smp4a
    BOOTARGS "test-debug=info capcheck=all untyped-bits=22" TIMEOUT 120)
# User interrupts and floating point: the interrupted code's f0-f31 and fcsr survive a handler
# that loads all of them; the control's kernel says at every diversion that the FPU is not live.
selene_test_group(uintrfpu PROCESS SOURCES uintr_fpu.c uintr_fpu.S ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp1 smp4 smp4a
    BOOTARGS "test-debug=info untyped-bits=22" TIMEOUT 120)
selene_control(UINTR_0397 GROUP uintrfpu CONFIG smp4 INJECT uintr-no-fpu CATCH UINTR_0310 UINTR_0311)
# User interrupts, the fast paths from the trap entry (and, variant "nofast", the C paths);
# the controls plant a bug in the assembly: a uret that leaves what is pending, a send to
# oneself that diverts inside the handler (the nested handler breaks the outer one's return:
# its uret is refused and the trampoline faults), a send that leaves a waiter of its hart
# asleep.
selene_test_group(uintrfast PROCESS SOURCES uintr_fast.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4 smp4a VARIANTS "nofast:fastpath=off"
    BOOTARGS "test-debug=info untyped-bits=22" TIMEOUT 120)
selene_control(UINTR_0447 GROUP uintrfast CONFIG smp1 INJECT uintr-uret-no-recheck CATCH UINTR_0401)
selene_control(UINTR_0448 GROUP uintrfast CONFIG smp1 INJECT uintr-reenter CATCH UINTR_0401)
selene_control(UINTR_0449 GROUP uintrfast CONFIG smp1 INJECT uintr-fast-no-wake CATCH UINTR_0402)
# Scheduling and SMP: priorities, preemption, migration, wake-ups, FPU, shootdown.
selene_test_group(schedbasic PROCESS SOURCES sched_basic.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4 smp4a BOOTARGS "test-debug=info untyped-bits=22" TIMEOUT 180)
selene_control(SCHED_0110 GROUP schedbasic CONFIG smp4 INJECT no-shootdown CATCH SCHED_0209)
selene_control(SCHED_0111 GROUP schedbasic CONFIG smp4 INJECT drop-wakeup CATCH SCHED_0205)
# The hart's cached top ready priority (fast_entry.S's Yield, the IPC fastpath) left stale.
selene_control(SCHED_0401 GROUP schedbasic CONFIG smp1 INJECT stale-ready-top CATCH SCHED_0204)
# Windows and rings.
selene_test_group(window PROCESS SOURCES window.c ipc_util.c ipc_probe.S proc_util.c caps_util.c
    CONFIGS smp1 smp4 smp4a BOOTARGS "capcheck=all untyped-bits=22" TIMEOUT 120)
# User interrupts under stress: 10^5 sends to a 31-register loop, threads deleted with
# interrupts pending, waited for or arriving.
selene_test_group(uintrstress PROCESS SOURCES uintr_stress.c uintr_regs.S ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp1 smp4 smp4a
    BOOTARGS "test-debug=info untyped-bits=22 test-budget=400" TIMEOUT 720)
# Receivers revoked while another hart sends to them: race-delay=N widens the send's window
# (debug kernels), and the control frees receivers without waiting for the sends.
selene_test_group(uintrrevoke PROCESS SOURCES uintr_revoke.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp1 smp4 smp4a
    BOOTARGS "test-debug=info untyped-bits=22 race-delay=20000 test-budget=120" TIMEOUT 300)
selene_control(UINTR_0398 GROUP uintrrevoke CONFIG smp4 INJECT uintr-no-sync CATCH UINTR_0111)
# The spin watchdog's own control: a kernel whose uintr_sync() waits for its own hart hangs
# with the big lock held; the watchdog must turn that into a panic naming the wait.
selene_control(SEC_0296 GROUP uintrrevoke CONFIG smp4 INJECT sync-self CATCH UINTR_0111)
# Windows across harts (multi-threaded TCG only: they need another hart running at the same
# time): a revoke seen at once on another hart, a hostile client, and its positive control
# WIN_0097 (a server that reads the length twice must fault past the window).
selene_test_group(windowsmp PROCESS SOURCES window_smp.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp4 smp4a BOOTARGS "test-debug=info untyped-bits=22 test-budget=60"
    TIMEOUT 300)
selene_control(WIN_0098 GROUP windowsmp CONFIG smp4 INJECT no-shootdown CATCH WIN_0006)
# Many clients of one server: 100 sessions sharing 64 vectors, fair and clock order. Tearing
# the 100 sessions down holds the big lock for a while; on a host with fewer CPUs than the
# harts and other QEMUs running, a waiting hart then outlasted the default 10 s spin
# watchdog, so this group allows 30 s.
selene_test_group(windowmany PROCESS SOURCES window_many.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4 smp4a
    BOOTARGS "test-debug=info untyped-bits=22 test-budget=60 spin-watchdog=30000" TIMEOUT 300)
# Authority (docs/security-authority.md): the debug cap's rights (test processes hold Write
# only), IPC buffers the kernel may write, priorities bounded by the MCP.
selene_test_group(secauth PROCESS SOURCES security_authority.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp1 smp4 BOOTARGS "untyped-bits=22" TIMEOUT 120)
# Generated services across address spaces: idlc's stubs in the test process, the echo
# server (servers/echo) and the test service's server (idl/idltest.idl) spawned into processes
# of their own, over endpoint Calls.
if(CMAKE_CROSSCOMPILING)
    selene_user_program(idltest-server SOURCES idl_test_server.c)
    target_link_libraries(idltest-server PRIVATE sel_idl)
    selene_idl(idltest-server ${CMAKE_SOURCE_DIR}/idl/idltest.idl SERVER)
    target_include_directories(idltest-server PRIVATE ${CMAKE_SOURCE_DIR}/tests/harness)
    add_custom_command(TARGET idltest-server POST_BUILD
        COMMAND ${CMAKE_OBJCOPY} --strip-debug $<TARGET_FILE:idltest-server> VERBATIM)
endif()
selene_test_group(idl PROCESS SOURCES idl_sync.c idl_util.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c EMBED echo-server CONFIGS smp1 smp4
    BOOTARGS "untyped-bits=22" TIMEOUT 180)
selene_test_group(idlparams PROCESS SOURCES idl_params.c idl_util.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c EMBED idltest-server CONFIGS smp1 smp4
    BOOTARGS "untyped-bits=22" TIMEOUT 180)
# The same services over the async transport (session windows, rings, doorbells).
selene_test_group(idlasync PROCESS SOURCES idl_async.c idl_util.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c EMBED echo-server CONFIGS smp1 smp4
    BOOTARGS "untyped-bits=22" TIMEOUT 180)
selene_test_group(idlasyncparams PROCESS SOURCES idl_async_params.c idl_util.c ipc_util.c
    ipc_probe.S proc_util.c caps_util.c EMBED idltest-server CONFIGS smp1 smp4
    BOOTARGS "untyped-bits=22" TIMEOUT 180)
# WIN_0007's hostile client against the generated skeleton (in the test's process, so a
# thread on another hart can flip the request under it): multi-threaded TCG only.
selene_test_group(idlhostile PROCESS SOURCES idl_hostile.c idl_util.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp4 smp4a BOOTARGS "untyped-bits=22" TIMEOUT 120)
if(TARGET test-idl-prog)
    selene_idl(test-idl-prog ${CMAKE_SOURCE_DIR}/idl/echo.idl CLIENT)
    selene_idl(test-idlparams-prog ${CMAKE_SOURCE_DIR}/idl/idltest.idl CLIENT)
    selene_idl(test-idlasync-prog ${CMAKE_SOURCE_DIR}/idl/echo.idl CLIENT)
    selene_idl(test-idlasyncparams-prog ${CMAKE_SOURCE_DIR}/idl/idltest.idl CLIENT)
    selene_idl(test-idlhostile-prog ${CMAKE_SOURCE_DIR}/idl/echo.idl SERVER)
    foreach(prog test-idl-prog test-idlparams-prog test-idlasync-prog
            test-idlasyncparams-prog test-idlhostile-prog)
        target_link_libraries(${prog} PRIVATE sel_idl)
        target_include_directories(${prog} PRIVATE ${CMAKE_SOURCE_DIR}/servers/echo)
    endforeach()
endif()
# Address-space security (docs/security-vm.md): page tables carry no old entries, a failed
# window mapping is fenced; ASID exhaustion is refused (root process: it needs ASID control
# and 32 MiB); across harts, shootdown sets keep running harts and a VSpace freed under a
# running thread stops it first, each with its positive control.
selene_test_group(secvm PROCESS SOURCES security_vm.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4
    BOOTARGS "capcheck=all test-debug=check+bench untyped-bits=22" TIMEOUT 120)
selene_test_group(secasid SOURCES security_asid.c proc_util.c caps_util.c CONFIGS smp1
    TIMEOUT 120)
selene_test_group(secsmp PROCESS SOURCES security_smp.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp4
    BOOTARGS "capcheck=all test-debug=info untyped-bits=22 test-budget=60" TIMEOUT 120)
selene_control(SEC_0090 GROUP secsmp CONFIG smp4 INJECT vspace-no-evict CATCH SEC_0010)
selene_control(SEC_0091 GROUP secsmp CONFIG smp4 INJECT asid-drop-running CATCH SEC_0011)
# Security: leases that outlive their call, wild user pointers into every call that takes
# one (docs/security-ipc.md).
selene_test_group(securityipc PROCESS SOURCES security_ipc.c ipc_util.c ipc_probe.S proc_util.c
    caps_util.c CONFIGS smp1 smp4 BOOTARGS "capcheck=all untyped-bits=22" TIMEOUT 120)
# Security: device memory (the UART's partly backed page) named as a kernel buffer. In the
# root task, which holds the UART's device Untyped.
selene_test_group(securitydev SOURCES security_dev.c proc_util.c caps_util.c CONFIGS smp1 smp4
    TIMEOUT 60)
# Security on SMP: a fixed-seed random syscall sequence on every hart (multi-threaded TCG).
# Its control SEC_0299 plants the scheduler bug the stress found: a thread made RUNNING on one
# hart still names the hart it last ran on (none, if it never ran), so stopping it kicks, waits
# for and clears the wrong hart's `current`; SEC_0251 must catch it.
selene_test_group(securitysmp PROCESS SOURCES security_stress.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp1 smp4
    BOOTARGS "test-debug=info untyped-bits=22 test-budget=60" TIMEOUT 180)
selene_control(SEC_0299 GROUP securitysmp CONFIG smp1 INJECT stale-hart CATCH SEC_0251)
# The rest of the hang the stress found on 4 harts: a hart left running in a freed VSpace
# (its satp naming memory that is retyped under it). With eviction off, the address-space
# checker must name it during SEC_0250.
selene_control(SEC_0297 GROUP securitysmp CONFIG smp4 INJECT vspace-no-evict CATCH SEC_0250)
# Security: the user-interrupt send reads the sending thread's own receiver inside its epoch;
# race-delay widens the window, the control SEC_0298 moves the read after the epoch.
selene_test_group(securityuintr PROCESS SOURCES security_uintr.c ipc_util.c ipc_probe.S
    proc_util.c caps_util.c CONFIGS smp4 smp4a
    BOOTARGS "test-debug=info untyped-bits=22 race-delay=20000 test-budget=120" TIMEOUT 300)
selene_control(SEC_0298 GROUP securityuintr CONFIG smp4 INJECT uintr-late-check CATCH SEC_0220)
# Robustness (docs/reliability.md): the syscall fuzzer with the invariant checker after every
# syscall. The boot argument fuzz=SEED,CALLS,THREADS,TRACE (the `robust` target's long run,
# a replay) reaches the test process.
selene_test_group(robust PROCESS SOURCES robust_fuzz.c proc_util.c caps_util.c
    EMBED robust_fuzzproc CONFIGS smp1 smp4
    BOOTARGS "test-debug=check capcheck=all untyped-bits=22 test-budget=600" TIMEOUT 900)
# The soak: every object type and mapping kind created and deleted, no drift (the checker
# runs every 64th syscall; boot argument soak-cycles=N for the long run).
selene_test_group(robustsoak PROCESS SOURCES robust_soak.c proc_util.c caps_util.c
    CONFIGS smp1 smp4 BOOTARGS "test-debug=check untyped-bits=22 test-budget=600" TIMEOUT 600)
# Positive control: with a Copy that gives the copy every right, the fuzzer's run ends in the
# invariant checker's panic.
selene_control(ROBUST_0099 GROUP robust CONFIG smp1 INJECT copy-rights CATCH ROBUST_0001)
# The reference model (tools/refmodel, docs/reliability.md): one fuzzing thread traced on
# one hart, its trace replayed against the model of docs/capabilities.md; any divergence
# fails. Its positive control: a kernel whose Copy gives the copy every right, booted
# without the check after every syscall so that the copy reaches the trace; the model
# must name the divergence.
add_test(NAME ROBUST_0020
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/refmodel/difftest.py
        --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-robust.elf
        --seed 7 --calls 1000 --timeout 300)
set_tests_properties(ROBUST_0020 PROPERTIES LABELS "qemu;robust" TIMEOUT 330)
add_test(NAME ROBUST_0098
    COMMAND ${SELENE_PYTHON} ${CMAKE_SOURCE_DIR}/tools/refmodel/difftest.py
        --qemu ${SELENE_QEMU_BIN} --image ${SELENE_IMAGE_DIR}/test-robust.elf
        --seed 7 --calls 1000 --timeout 300 --no-capcheck --extra inject=copy-rights
        --expect-divergence)
set_tests_properties(ROBUST_0098 PROPERTIES LABELS "qemu;robust" TIMEOUT 330)
# Interrupt storms and deep revoke (docs/reliability.md), on one hart under -icount (instret
# counts instructions): a device interrupt never acknowledged, a user-interrupt sender flooding
# a receiver, and a revoke of 10^4 descendants with a tick due. The control: a kernel that
# completes a device interrupt at once (no masking until the Ack) must fail ROBUST_0040.
selene_test_group(robustirq PROCESS SOURCES robust_storm.c robust_revoke.c robust_rtc.c ipc_util.c
    ipc_probe.S proc_util.c caps_util.c CONFIGS smp1 BOOTARGS "test-debug=info+check untyped-bits=23 capcheck=off"
    TIMEOUT 420)
selene_control(ROBUST_0049 GROUP robustirq CONFIG smp1 INJECT irq-no-mask CATCH ROBUST_0040)
# The scheduler's control: with the tick rotating whatever runs and no slice charged to a
# preempted thread, a flood at a higher-priority receiver starves the sender's peer again.
selene_control(ROBUST_0048 GROUP robustirq CONFIG smp1 INJECT no-slice-charge
    CATCH ROBUST_0042 ROBUST_0043)
# Storms on four harts in parallel (smp4, no -icount: shares from work counters).
selene_test_group(robuststorm4 PROCESS SOURCES robust_storm_smp.c robust_revoke_smp.c robust_rtc.c
    ipc_util.c ipc_probe.S proc_util.c caps_util.c CONFIGS smp4
    BOOTARGS "test-debug=info+check untyped-bits=22 capcheck=off" TIMEOUT 240)
# The revoke's control: fencing every unmapped frame at once, one SBI call per hart, exceeds
# the bound on remote fences of a revoke of 240 frames live on three other harts.
selene_control(ROBUST_0005 GROUP robuststorm4 CONFIG smp4 INJECT flush-per-frame CATCH ROBUST_0004)
