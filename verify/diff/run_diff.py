#!/usr/bin/env python3
"""Build and run the fast/slow differential harness (verify/diff/diff_main.c).

The kernel's IPC, syscall, scheduler and capability-core C files are compiled
for the host with the machine-layer stubs of diff_stubs.c; their .data and .bss
sections are renamed to `kstate` (objcopy), the section that holds the whole
kernel state the harness snapshots and compares; the harness is linked with
them and run.

  run_diff.py [--situations N] [--seed S] [--mutant NAME] [--cc CC]

Without --mutant: exit 0 iff every situation agreed (the harness's exit code).
With --mutant: one kernel file is compiled with that seeded bug (MUTANTS
below: one exact piece of its text replaced, in a copy; the production
sources carry no mutant code) and the run must report a DIVERGENCE (or a
broken invariant): exit 0 iff it does, so the test shows the comparison can
fail. A mutant whose text is no longer found in the file is a harness error:
the mutant must be rewritten for the new code. Exit 2 on a build error or a
harness error (never a pass).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))

# The kernel files compiled as they are (never copies).
KERNEL_SOURCES = [
    "kernel/ipc/fastpath.c", "kernel/ipc/endpoint.c", "kernel/ipc/message.c",
    "kernel/ipc/queue.c", "kernel/ipc/call.c", "kernel/ipc/lease.c",
    "kernel/ipc/notification.c", "kernel/ipc/fault.c",
    "kernel/syscall/syscall.c", "kernel/syscall/sys_ipc.c",
    "kernel/sched/scheduler.c", "kernel/object/objects.c",
]

# name: (file, text, replacement, the bug). The text must occur exactly once.
MUTANTS = {
    "prio": ("kernel/ipc/fastpath.c", "h->ready_top <= (uint64_t)to->priority + 1 &&", "",
             "can_switch_to() ignores the threads ready here: the direct switch runs a "
             "thread while one of higher priority is ready"),
    "queue": ("kernel/ipc/fastpath.c", "ipc_queue_add(&ep->queue, t, ep, TCB_BLOCKED_RECV);",
              "diff_mutant_queue_add(&ep->queue, t, ep, TCB_BLOCKED_RECV);",
              "ReplyRecv queues the server behind every waiting receiver, whatever its "
              "priority"),
    "ready-top": ("kernel/sched/scheduler.c",
                  "if (p + 1 > h->ready_top && !inject_on(INJECT_STALE_READY_TOP))",
                  "if (false)",
                  "enqueue() leaves the hart's cached top priority as it was"),
    "ready-top-remove": ("kernel/sched/scheduler.c",
                         "if (!q->head[p]) {\n\t\tq->map[p / 64] &= ~(1ull << (p % 64));\n"
                         "\t\th->ready_top = q->ready ? (uint64_t)(highest_ready(h) + 1) : 0;",
                         "if (!q->head[p]) {\n\t\tq->map[p / 64] &= ~(1ull << (p % 64));",
                         "remove_ready() leaves the cached top priority when its queue empties"),
    "ntfn-bound": ("kernel/ipc/fastpath.c",
                   " || (n->bound && n->bound->state == TCB_BLOCKED_RECV)", "",
                   "the Signal fast path only sets bits even when the bound thread waits in "
                   "Recv"),
    "poll": ("kernel/ipc/fastpath.c", "\t\tn->word = 0;\n\t\tn->active = 0;",
             "\t\tn->word = 0;", "the Poll fast path leaves the notification active"),
    "badge": ("kernel/ipc/fastpath.c", "inject_on(INJECT_FASTPATH_BADGE) ? 0 : cap->badge", "0",
              "the Call fast path gives the receiver badge 0"),
    "wake": ("kernel/ipc/fastpath.c", "w->priority <= t->priority || ", "",
             "a Signal switches to its waiter even when the waiter's priority is not higher"),
    "grant": ("kernel/ipc/fastpath.c",
              "IPC_CALL | (cap->rights & SEL_RIGHT_GRANT ? IPC_GRANT : 0)",
              "IPC_CALL | IPC_GRANT", "the Call fast path lets the caller grant without the "
              "Grant right"),
}

# Writable sections a kernel object may have; all become `kstate`.
STATE_SECTIONS = [".data", ".bss", ".data.rel", ".data.rel.local"]


def fail(msg):
    print("run_diff: ERROR: " + msg, file=sys.stderr)
    sys.exit(2)


def run(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        print(" ".join(cmd), file=sys.stderr)
        print(res.stdout + res.stderr, file=sys.stderr)
        fail("command failed")
    return res


def kernel_abi_dir(tmp):
    """The kernel interface idlc generates from idl/kernel/ (objects.c includes it)."""
    out = os.path.join(tmp, "kernel-abi")
    os.makedirs(out)
    run([sys.executable, os.path.join(ROOT, "codegen", "idlc.py"), "--kernel", "--root", ROOT,
         "-o", out, os.path.join(ROOT, "idl", "kernel", "kernel.idl")])
    return out


def writable_sections(objcopy_dir, obj):
    """Names of the allocated, writable sections of an object file."""
    res = run(["readelf", "-SW", obj])
    names = []
    for line in res.stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S*)", line)
        if m and "W" in m.group(2) and "A" in m.group(2):
            names.append(m.group(1))
    return names


def rename_state(objcopy, obj):
    """Every writable section of obj becomes `kstate` (bss with contents: one output section)."""
    ren = []
    for s in STATE_SECTIONS:
        ren += ["--rename-section", "%s=kstate,alloc,load,contents,data" % s]
    run([objcopy] + ren + [obj])


def mutated_copy(tmp, mutant):
    """The mutant's file with its seeded bug, in tmp (never the source tree)."""
    src, old, new, _ = MUTANTS[mutant]
    with open(os.path.join(ROOT, src)) as f:
        text = f.read()
    if text.count(old) != 1:
        fail("mutant '%s' no longer applies: its text occurs %d times in %s (rewrite it for "
             "the new code)" % (mutant, text.count(old), src))
    out = os.path.join(tmp, "mutant_" + os.path.basename(src))
    with open(out, "w") as f:
        f.write(text.replace(old, new))
    return out


def build(tmp, cc, objcopy, mutant):
    abi = kernel_abi_dir(tmp)
    incs = ["-I" + HERE, "-I%s/kernel/abi" % ROOT, "-I%s/kernel" % ROOT,
            "-I%s/common/include" % ROOT, "-I" + abi]
    common = ["-std=gnu11", "-O1", "-g", "-fno-pie", "-fno-common", "-fno-strict-aliasing",
              "-Wall", "-Wno-unused-function", "-fsanitize=undefined",
              "-fno-sanitize-recover=all",
              "-DSELENE_DEBUG", "-DSELENE_EVA", "-DSELENE_HOST_MODEL"]
    objs = []
    for src in KERNEL_SOURCES + [os.path.relpath(os.path.join(HERE, "diff_stubs.c"), ROOT)]:
        path = os.path.join(ROOT, src)
        if not os.path.isfile(path):
            fail("missing source " + src)
        obj = os.path.join(tmp, os.path.basename(src) + ".o")
        extra = []
        if mutant and src == MUTANTS[mutant][0]:
            path = mutated_copy(tmp, mutant)
            extra = ["-include", os.path.join(HERE, "diff_mutant.h")]
        run([cc] + common + incs + extra + ["-c", path, "-o", obj])
        rename_state(objcopy, obj)
        left = [s for s in writable_sections(tmp, obj) if s != "kstate"]
        if left:
            fail("%s has writable sections outside kstate: %s" % (src, ", ".join(left)))
        objs.append(obj)
    cap = sorted(f for f in os.listdir(os.path.join(ROOT, "kernel", "cap")) if f.endswith(".c"))
    for f in cap:
        obj = os.path.join(tmp, "cap_" + f + ".o")
        run([cc] + common + incs + ["-c", os.path.join(ROOT, "kernel", "cap", f), "-o", obj])
        rename_state(objcopy, obj)
        objs.append(obj)
    main_obj = os.path.join(tmp, "diff_main.o")
    run([cc] + common + incs + ["-c", os.path.join(HERE, "diff_main.c"), "-o", main_obj])
    exe = os.path.join(tmp, "diff")
    run([cc, "-no-pie", "-fsanitize=undefined", "-o", exe, main_obj] + objs)
    return exe


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", default=shutil.which("cc") or "cc")
    ap.add_argument("--objcopy", default=shutil.which("objcopy") or "objcopy")
    ap.add_argument("--situations", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mutant", choices=sorted(MUTANTS))
    ap.add_argument("--keep", help="copy the built harness here")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="run_diff.")
    try:
        t0 = time.monotonic()
        exe = build(tmp, args.cc, args.objcopy, args.mutant)
        if args.keep:
            shutil.copy(exe, args.keep)
        t1 = time.monotonic()
        res = subprocess.run([exe, "--seed", str(args.seed), "--situations",
                              str(args.situations)], capture_output=True, text=True)
        t2 = time.monotonic()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = res.stdout + res.stderr
    print(out[-6000:], end="")
    print("run_diff: build %.0f s, run %.1f s" % (t1 - t0, t2 - t1))
    diverged = res.returncode == 1 and re.search(r"^(DIVERGENCE|INVARIANT):", out, re.M)
    if args.mutant:
        if diverged:
            print("run_diff: PASS: the seeded bug '%s' (%s) was caught"
                  % (args.mutant, MUTANTS[args.mutant][3]))
            return 0
        print("run_diff: FAIL: the seeded bug '%s' (%s) was not caught (exit %d)"
              % (args.mutant, MUTANTS[args.mutant][3], res.returncode))
        return 1
    if res.returncode == 0 and re.search(r"^diff: \d+ situations", out, re.M):
        print("run_diff: PASS")
        return 0
    if diverged:
        print("run_diff: FAIL: the fastpath and the generic path diverged")
        return 1
    fail("the harness exited with %d" % res.returncode)


if __name__ == "__main__":
    sys.exit(main())
