#!/usr/bin/env python3
"""Run Frama-C EVA on a target with its driver.

Targets (verify/frama-c/README.md, "EVA" and "EVA of IPC and windows"):
  cap  kernel/cap/*.c with the driver eva_main.c (VERIFY_0103, the default);
  ipc  synchronous IPC, the IPC syscalls, windows, invocation dispatch, the
       capability core and libsel's SPSC ring, with the driver
       eva_ipc_main.c and the stubs eva_ipc_stubs.c (VERIFY_0104);
  objects  the object decoders with the driver eva_obj_main.c, one group of
       invoked caps per run (--group; group 3 one CNode method per run,
       --label): VERIFY_0360-0367.

Exit 0 iff the analysis completes, reports at most the target's recorded
number of alarms (each remaining alarm is explained in README.md) and no
precondition gets the status "invalid" (the driver must meet every contract
it reaches; cap_assert_fail() and panic(), which require \\false, must be
unreachable). For the ipc target, also: every named `check` of the driver is
reached and valid (each scenario ends in one, so a scenario cut short fails
the test), no precondition is left unknown, the key functions were analysed
(Eva's per-function statement coverage, -metrics-eva-cover). Exit 2 if
frama-c is missing or its output cannot be parsed, so the test never passes
vacuously.
"""
import argparse
import csv
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))

# Recorded alarm counts (README.md). Lower one when alarms go away.
MAX_ALARMS = {"cap": 0, "ipc": 3, "objects": 0}

# The alarms of each target that are known to be false, each explained in
# README.md ("EVA of IPC and windows"): (file, line, the asserted property).
# Any other alarm fails the run, whatever the count.
FALSE_ALARMS = {
    "ipc": {
        # asid_note_active() from satp_change(), inline in the fast path's
        # direct switch: the index is (satp >> 44) & 0xffff, tested < ASID_COUNT
        # just before; satp holds the VSpace's address, on which EVA does no
        # bit arithmetic (a garbled value the test cannot reduce).
        ("kernel/arch/riscv/asid.h", 47, "0 ≤ asid"),
        ("kernel/arch/riscv/asid.h", 47, "asid < 4096u"),
        ("kernel/arch/riscv/asid.h", 47, "\\valid(&asid_harts_seen[asid])"),
    },
}


def unexplained_alarms(out, target):
    """The alarms of the output (file, line, property) not in FALSE_ALARMS[target]."""
    found = re.findall(r"^\[eva:alarm\] (\S+):(\d+): Warning: \n\s+[^\n]*?assert (.*);$", out,
                       re.M)
    allowed = FALSE_ALARMS.get(target, set())
    return [a for a in ((f, int(n), p) for f, n, p in found) if a not in allowed]

IPC_SOURCES = [
    "kernel/ipc/queue.c", "kernel/ipc/message.c", "kernel/ipc/endpoint.c",
    "kernel/ipc/notification.c", "kernel/ipc/fault.c", "kernel/ipc/lease.c",
    "kernel/ipc/call.c", "kernel/syscall/sys_ipc.c", "kernel/syscall/sys_lease.c",
    "kernel/object/window.c", "kernel/object/objects.c",
    "libsel/src/ring.c",
]

# The objects target: the decoders of CNode, Untyped, TCB, VSpace, PageTable and
# Frame, and ASIDs, over the ipc target's files (objects.c dispatches to both).
OBJ_SOURCES = IPC_SOURCES + [
    "kernel/object/cnode.c", "kernel/object/untyped.c", "kernel/object/tcb.c",
    "kernel/object/vspace.c", "kernel/arch/riscv/asid.c",
]

# Functions the objects driver must reach, by group of invoked caps (--group).
OBJ_GROUP_KEYS = {
    1: ["invocation_call", "method_allowed", "control_decode", "page_table_decode",
        "page_table_map", "frame_decode", "frame_map", "frame_info", "unmap", "unmap_cap",
        "vspace_cap_removed", "mapped_vspace", "vspace_decode", "record_mapping",
        "vspace_object_init", "asid_alloc", "asid_flush", "asid_owner", "running"],
    2: ["invocation_call", "tcb_decode", "configure_decode", "configure", "set_slot",
        "registers", "resume", "get_state", "set_fault_endpoint", "bind_notification",
        "set_priority", "set_mcp", "set_fault_handler", "set_affinity", "simple", "cdt_copy",
        "cdt_delete"],
    3: ["invocation_call", "cnode_decode", "decode_pair", "invoke_derive", "invoke_identify",
        "revoke", "decode_slot", "delete_slot", "cspace_resolve", "cdt_copy", "cdt_mint",
        "cdt_move", "cdt_mutate", "cdt_delete", "cdt_revoke"],
    4: ["invocation_call", "untyped_decode", "decode_retype", "decode_dest", "info",
        "untyped_retype", "untyped_reset", "cap_object_init"],
}
# Group 3 run one CNode method at a time (--label; "other" for every label
# but these four): the functions each run must reach.
CNODE_LABELS = {"copy": 1, "mint": 2, "move": 3, "mutate": 4}
CNODE_LABEL_KEYS = {
    "copy": ["cnode_decode", "decode_pair", "unpack_pair", "invoke_derive", "cdt_copy",
             "derive_child", "cdt_insert_new"],
    "mint": ["cnode_decode", "decode_pair", "unpack_pair", "invoke_derive", "cdt_mint",
             "apply_data", "derive_child", "cdt_insert_new"],
    "move": ["cnode_decode", "decode_pair", "unpack_pair", "cdt_move", "cdt_relocate"],
    "mutate": ["cnode_decode", "decode_pair", "unpack_pair", "cdt_mutate", "cdt_relocate",
               "cdt_has_children"],
    "other": ["cnode_decode", "decode_slot", "invoke_identify", "revoke", "delete_slot",
              "cdt_delete", "cdt_revoke"],
}
OBJ_KEY_FUNCTIONS = [
    "invocation_call", "method_allowed", "control_decode",
    "cnode_decode", "decode_pair", "invoke_derive", "invoke_identify", "revoke", "decode_slot",
    "untyped_decode", "decode_retype", "decode_dest", "info",
    "tcb_decode", "configure_decode", "configure", "set_slot", "registers", "resume",
    "get_state", "set_fault_endpoint", "bind_notification", "set_priority", "set_mcp",
    "set_fault_handler", "set_affinity", "simple",
    "page_table_decode", "page_table_map", "frame_decode", "frame_map", "frame_info", "unmap",
    "unmap_cap", "vspace_cap_removed", "mapped_vspace", "vspace_decode", "record_mapping",
    "vspace_object_init", "asid_alloc", "asid_flush", "asid_owner",
    "cdt_copy", "cdt_mint", "cdt_move", "cdt_mutate", "cdt_delete", "cdt_revoke",
    "untyped_retype", "cap_object_init",
]

# Functions the ipc driver must reach (a CIL-renamed static, name_N, counts).
IPC_KEY_FUNCTIONS = [
    # endpoints, Call and reply, the IPC syscalls
    "ep_send", "ep_recv", "ep_call", "ipc_reply", "ipc_drop_reply", "ipc_deliver",
    "transfer_caps", "ipc_check_message", "ipc_sender_message", "ipc_queue_add",
    "ipc_queue_remove", "ipc_abort", "ipc_cancel", "ipc_requeue", "ep_finalise",
    "ep_cancel_badged_sends", "sys_send", "sys_nb_send", "sys_recv", "sys_nb_recv",
    "sys_reply", "sys_reply_recv", "lease_record", "sys_lease_read", "sys_lease_write",
    # notifications
    "ntfn_signal", "ntfn_wait", "ntfn_take_bound", "ntfn_bind", "ntfn_unbind",
    "ntfn_finalise",
    # faults
    "fault_send", "exit_send", "fault_resume",
    # windows and dispatch
    "invocation_call", "lookup_cap", "window_decode", "map", "map_decode", "check_pages", "unmap",
    "unmap_pages", "set_peer", "tell_peers", "window_cap_removed",
    # the ring
    "sel_ring_attach", "sel_ring_push", "sel_ring_pop", "sel_ring_publish", "sel_ring_wait",
    "sel_ring_count",
    # the fast paths' C halves (ipc/fastpath.c)
    "fastpath_ipc", "ipc_calls", "fast_call", "fast_reply_recv", "switch_to",
    "copy_buffer_words", "fastpath_ntfn", "fastpath_ntfn_slow", "signal_wake",
    "fastpath_slow",
    # the capability core under them
    "cdt_copy", "cdt_delete", "cdt_revoke", "make_zombie", "reap_step", "zombie_finish",
    "cspace_resolve",
]

KNOWN_BUGS_DEFINE = "EVA_KNOWN_BUGS"

# Messages that make an ipc run unsound or meaningless: a recursive call
# analysed through a specification, a reached function with neither code nor
# specification, a specification EVA cannot use, an analysis that gave up.
# fastpath.c's recursion (a fast path's common copy calls its out-of-line copy,
# which never calls back) is allowed: it is unrolled (-eva-unroll-recursive-calls),
# and going past the unrolling is the "without a specification" message.
IPC_UNSOUND = [
    r"detected recursive call of function (?!(ipc_body|fast_call|fast_reply_recv|ntfn_body)\.)",
    r"Recursive call to \w+ without a specification", r"using specification for recursive",
    r"Neither code nor specification for function",
    r"Cannot handle empty assigns clause", r"no assigns clauses for function",
    r"analysis degenerated", r"Degeneration occurred",
]


def fail(msg):
    print("run_eva: ERROR: " + msg, file=sys.stderr)
    sys.exit(2)


def cap_command(frama_c, defines):
    srcs = sorted(glob.glob(os.path.join(ROOT, "kernel/cap/*.c")))
    if not srcs:
        fail("no sources in kernel/cap/")
    return [frama_c, "-cpp-extra-args=-DSELENE_DEBUG -I%s/kernel/abi -I%s/kernel%s"
            % (ROOT, ROOT, "".join(" -D" + d for d in defines))] + srcs + [
            os.path.join(HERE, "eva_main.c"),
            "-eva", "-main", "main", "-eva-precision", "2",
            # Keep a callee's return states apart by return value, so that an
            # error path (output not written) is not joined with the success
            # path before the caller tests the result.
            "-eva-split-return", "auto"]


def kernel_abi_dir():
    """The kernel interface idlc generates from idl/kernel/ (objects.c and window.c use it)."""
    out = tempfile.mkdtemp(prefix="eva-kernel-abi-")
    cmd = [sys.executable, os.path.join(ROOT, "codegen", "idlc.py"), "--kernel", "--root", ROOT,
           "-o", out, os.path.join(ROOT, "idl", "kernel", "kernel.idl")]
    if subprocess.run(cmd, check=False).returncode != 0:
        fail("idlc --kernel failed")
    return out


def ipc_command(frama_c, defines, csv_path, target="ipc"):
    srcs = [os.path.join(ROOT, s) for s in (IPC_SOURCES if target == "ipc" else OBJ_SOURCES)]
    srcs += sorted(glob.glob(os.path.join(ROOT, "kernel/cap/*.c")))
    for s in srcs:
        if not os.path.isfile(s):
            fail("missing source " + s)
    # stubs/ first: its <sel/syscall.h> replaces libsel's (no inline assembly).
    incs = ["-I%s/stubs" % HERE, "-I%s/kernel/abi" % ROOT, "-I%s/kernel" % ROOT, "-I%s/libsel/include" % ROOT,
            "-I%s/common/include" % ROOT, "-I%s" % kernel_abi_dir()]
    # SELENE_EVA: the few inline-assembly helpers of csr.h and hart.h give way to their
    # EVA versions, declared beside them; eva_ipc_stubs.c defines eva_csr_read, eva_ecall.
    # Sequential analysis under the big lock: an atomic access is a plain one.
    incs.append("-include %s" % os.path.join(HERE, "stubs", "eva_atomic.h"))
    if target == "ipc":
        # The fast paths' C halves too, with harts_online constant (stubs/eva_smp.h) and
        # the big lock's inline release in C (SELENE_HOST_MODEL: scheduler.h).
        srcs.append(os.path.join(ROOT, "kernel/ipc/fastpath.c"))
        incs.append("-include %s" % os.path.join(HERE, "stubs", "eva_smp.h"))
        defines = list(defines) + ["SELENE_HOST_MODEL"]
        drivers = [os.path.join(HERE, "eva_ipc_stubs.c"), os.path.join(HERE, "eva_ipc_main.c")]
    else:
        defines = list(defines) + ["EVA_OBJECTS"]
        drivers = [os.path.join(HERE, f) for f in
                   ("eva_ipc_stubs.c", "eva_obj_stubs.c", "eva_obj_main.c")]
    return [frama_c, "-c11",
            "-cpp-extra-args=-DSELENE_DEBUG -DSELENE_EVA %s%s"
            % (" ".join(incs), "".join(" -D" + d for d in defines))] + srcs + drivers + [
            "-eva", "-main", "main", "-eva-precision", "2"] + (
            # fastpath.c's common copy of a fast path calls its out-of-line copy,
            # which never calls back (calls == true): one level of recursion.
            ["-eva-unroll-recursive-calls", "2"] if target == "ipc" else []) + (
            # The objects driver's classes of slots are sets of up to 20 values.
            ["-eva-ilevel", "48"] if target == "objects" else []) + [
            # Every return value of a callee is a state of its own (the driver's
            # scenarios keep them apart with a high slevel): a refused call's
            # state is never joined with a successful one's.
            "-eva-split-return", "full",
            "-eva-no-print", "-eva-msg-key=-initial-state",
            "-then", "-report-csv", csv_path, "-metrics", "-metrics-eva-cover"]


def driver_checks(path, defines):
    """Named checks of the driver: name -> line (known-bug ones only with the define)."""
    checks = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = re.search(r"//@ check (\w+):", line)
            if m:
                if m.group(1).startswith("known_bug_") and KNOWN_BUGS_DEFINE not in defines:
                    continue
                checks[m.group(1)] = n
    return checks


def ipc_results(out, csv_path, defines, target="ipc"):
    """Checks of the ipc and objects targets; returns a list of failure reasons."""
    bad = []
    for pat in IPC_UNSOUND:
        for m in re.finditer(r"^.*%s.*$" % pat, out, re.M):
            bad.append("unsound or incomplete analysis: " + m.group(0).strip())
    driver = "eva_ipc_main.c" if target == "ipc" else "eva_obj_main.c"
    group = [int(d.split("=")[1]) for d in defines if d.startswith("EVA_OBJ_GROUP=")]
    label = [d.split("=")[1] for d in defines if d.startswith("EVA_OBJ_LABEL_NAME=")]
    key_functions = (IPC_KEY_FUNCTIONS if target == "ipc" else
                     ["invocation_call"] + CNODE_LABEL_KEYS[label[0]] if label else
                     OBJ_GROUP_KEYS.get(group[0], OBJ_KEY_FUNCTIONS) if group else
                     OBJ_KEY_FUNCTIONS)
    checks = driver_checks(os.path.join(HERE, driver), defines)
    if not checks and target == "ipc":
        fail("no named check in eva_ipc_main.c")
    by_line = {line: name for name, line in checks.items()}
    status = {}
    pre_unknown = []
    try:
        with open(csv_path, newline="") as f:
            rows = list(csv.reader(f, delimiter="\t"))
    except OSError:
        fail("no property report (-report-csv)")
    if not rows or rows[0][:7] != ["directory", "file", "line", "function", "property kind",
                                   "status", "property"]:
        fail("unexpected -report-csv format")
    for row in rows[1:]:
        if len(row) < 7:
            fail("unexpected -report-csv row: %r" % (row,))
        kind, st = row[4], row[5]
        if row[1] == driver and kind == "user check":
            name = by_line.get(int(row[2]))
            if name is None:
                fail("a check at %s:%s has no name" % (driver, row[2]))
            status[name] = st
        elif kind.startswith("precondition") and st == "Unknown":
            pre_unknown.append("%s/%s:%s %s" % (row[0], row[1], row[2], kind))
    for name in sorted(checks, key=checks.get):
        st = status.get(name, "not reached")
        if st != "Valid":
            bad.append("check %s (%s:%d): %s" % (name, driver, checks[name], st))
    if pre_unknown:
        bad.append("precondition(s) not proved valid: " + "; ".join(pre_unknown))
    cover = dict((m.group(1), (int(m.group(2)), int(m.group(3))))
                 for m in re.finditer(r"^\s+(\w+): (\d+) stmts out of (\d+)", out, re.M))
    if not cover:
        fail("no per-function coverage in the output (-metrics-eva-cover)")
    missing = []
    for fn in key_functions:
        hits = [v for k, v in cover.items() if re.fullmatch(re.escape(fn) + r"(_\d+)?", k)]
        if not any(reached > 0 for reached, _ in hits):
            missing.append(fn)
    if missing:
        bad.append("key function(s) not analysed: " + ", ".join(missing))
    reached = sum(cover[k][0] for k in cover)
    total = sum(cover[k][1] for k in cover)
    print("EVA: %d/%d named checks valid; %d key functions analysed; statements reached in "
          "analysed functions: %d/%d"
          % (sum(1 for n in checks if status.get(n) == "Valid"), len(checks),
             len(key_functions) - len(missing), reached, total))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frama-c", default=shutil.which("frama-c"))
    ap.add_argument("--target", choices=sorted(MAX_ALARMS), default="cap")
    ap.add_argument("--max-alarms", type=int, default=None)
    ap.add_argument("--define", action="append", default=[],
                    help="pass -DNAME to the preprocessor (EVA_KNOWN_BUGS: the ipc driver's "
                    "known-bug scenarios, README.md 'Findings'; expected to fail)")
    ap.add_argument("--group", type=int, default=0,
                    help="objects target: the group of caps invoked (1 address spaces, 2 TCBs, "
                    "3 CNodes, 4 Untyped and the rest; 0 every slot)")
    ap.add_argument("--label", choices=sorted(CNODE_LABELS) + ["other"],
                    help="objects target, group 3: one CNode method (or every other label)")
    ap.add_argument("--log", help="write frama-c's whole output to this file")
    args = ap.parse_args()
    if not args.frama_c or not os.access(args.frama_c, os.X_OK):
        fail("frama-c not found (apt-get install frama-c-base)")
    max_alarms = MAX_ALARMS[args.target] if args.max_alarms is None else args.max_alarms
    for d in args.define:
        if not re.fullmatch(r"[A-Za-z_]\w*(=\w+)?", d):
            fail("bad --define " + d)
    if args.group:
        args.define.append("EVA_OBJ_GROUP=%d" % args.group)
    if args.label:
        if args.target != "objects" or args.group != 3:
            fail("--label is for --target objects --group 3")
        args.define.append("EVA_OBJ_LABEL_NAME=" + args.label)
        args.define.append("EVA_OBJ_OTHER_LABELS" if args.label == "other" else
                           "EVA_OBJ_LABEL=%d" % CNODE_LABELS[args.label])
    tmp = tempfile.mkdtemp(prefix="run_eva.")
    try:
        csv_path = os.path.join(tmp, "report.csv")
        if args.target == "cap":
            cmd = cap_command(args.frama_c, args.define)
        else:
            cmd = ipc_command(args.frama_c, args.define, csv_path, args.target)
        t0 = time.monotonic()
        res = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, PWD=ROOT), capture_output=True,
                             text=True)
        elapsed = time.monotonic() - t0
        out = res.stdout + res.stderr
        if args.log:
            with open(args.log, "w") as f:
                f.write(out)
        if res.returncode != 0:
            print(out[-4000:], file=sys.stderr)
            fail("frama-c exited with %d" % res.returncode)
        m = re.search(r"(\d+) alarms? generated by the analysis", out)
        if not m:
            m0 = re.search(r"No alarms? generated|0 alarms", out)
            if not m0 or "Eva" not in out and "eva" not in out:
                print(out[-4000:], file=sys.stderr)
                fail("no alarm summary in the EVA output")
            alarms = 0
        else:
            alarms = int(m.group(1))
        cov = re.search(r"(\d+) functions? analyzed \(out of (\d+)\)", out)
        # Each warning with its continuation lines (not the parser's notes on
        # implicit void * conversions and asm clobbers).
        block = []
        for line in out.splitlines() + ["["]:
            if line.startswith("["):
                if block and ("Warning:" in block[0] or "alarm" in block[0].lower()) and \
                        "implicit-conv-void-ptr" not in block[0] and \
                        "asm:clobber" not in block[0]:
                    print("\n".join(block))
                block = [line]
            elif block:
                block.append(line)
        pre = re.search(
            r"Preconditions\s+(\d+) valid\s+(\d+) unknown\s+(\d+) invalid\s+(\d+) total", out)
        if not pre:
            print(out[-4000:], file=sys.stderr)
            fail("no precondition summary in the EVA output")
        pre_invalid = int(pre.group(3))
        invalid_lines = [l for l in out.splitlines()
                         if "precondition" in l and "status invalid" in l]
        print("EVA (%s): %d alarm(s) (recorded maximum %d), preconditions %s valid / %s unknown "
              "/ %d invalid, %s, %.0f s"
              % (args.target, alarms, max_alarms, pre.group(1), pre.group(2), pre_invalid,
                 cov.group(0) if cov else "coverage unknown", elapsed))
        bad = False
        if alarms > max_alarms:
            print("run_eva: FAIL: more alarms than recorded")
            bad = True
        for f, n, prop in unexplained_alarms(out, args.target):
            print("run_eva: FAIL: an alarm not known to be false: %s:%d: assert %s" % (f, n, prop))
            bad = True
        if pre_invalid != 0 or invalid_lines:
            print("run_eva: FAIL: a precondition is invalid (a contract violated by the driver, "
                  "or a cap_assert()/assert() that may fail)")
            bad = True
        if args.target in ("ipc", "objects"):
            if not cov:
                fail("no function coverage summary in the EVA output")
            reasons = ipc_results(out, csv_path, args.define, args.target)
            for r in reasons:
                print("run_eva: FAIL: " + r)
            bad = bad or bool(reasons)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if bad:
        return 1
    print("run_eva: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
