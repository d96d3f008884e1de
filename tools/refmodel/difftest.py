#!/usr/bin/env python3
"""The differential test: the fuzzer's trace replayed against the reference model.

Boots the fuzzer image (tests/qemu/robust_fuzz.c) on one hart under -icount
with one fuzzing thread and the boot argument fuzz-trace, or reads a saved
console log (--log), replays every traced run against the model of
docs/capabilities.md (tools/refmodel/model.py) and prints

    ROBUST model_calls <n> calls          calls replayed
    ROBUST model_checked <n> calls        calls whose answer the model decided
    ROBUST model_checked_changes <n> calls   of those, Copy .. Revoke, Retype, Reset,
                                             CreateSender (labels that may write slots)
    ROBUST model_checked_changes_ok <n> calls  of those, the ones that succeeded
    ROBUST model_divergences <n> count    runs that diverged (each stops at its first)
    ROBUST model_divergences_per_1e5 <n> count

and, for each divergence, the run's seed, the call's number, its trace line
and how the answers differ. Exit status 0 when there is no divergence, no
panic and every run ended; with --expect-divergence (a positive control) 0
only when a divergence was found. Standard library only.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "harness"))

import replay  # noqa: E402

BOOTARGS = "test test-debug=check {check}untyped-bits=22 test-budget=600"


def boot_lines(args, seed):
    import qemu  # tests/harness/qemu.py
    check = "" if args.no_capcheck else "capcheck=all "
    bootargs = (BOOTARGS.format(check=check) +
                f" {args.extra} fuzz={seed},{args.calls},1 fuzz-trace").replace("  ", " ")
    conf = qemu.CONFIGS["smp1"]
    cmd = qemu.qemu_command(args.qemu, args.image, conf["smp"], conf["machine"],
                            conf["icount"], bootargs=bootargs)
    status, lines = qemu.boot(cmd, args.timeout)
    problems = [l for l in lines if l.startswith("PANIC")]
    if status is None:
        problems.append(f"timeout after {args.timeout}s")
    return lines, problems, bootargs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    ap.add_argument("--image", help="test-robust.elf")
    ap.add_argument("--log", action="append", default=[], help="a saved console log instead")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--boots", type=int, default=1, help="seeds --seed, --seed + 1, ...")
    ap.add_argument("--calls", type=int, default=1000, help="calls of the fuzzing thread")
    ap.add_argument("--extra", default="", help="more boot arguments (inject=...)")
    ap.add_argument("--no-capcheck", action="store_true",
                    help="no invariant check after every syscall (a planted bug then "
                         "reaches the model before the checker's panic)")
    ap.add_argument("--mutant", default=None, help="a planted bug in the model: copy-rights")
    ap.add_argument("--expect-divergence", action="store_true")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--save", default="", help="write the console logs here")
    args = ap.parse_args()

    total, problems = replay.Report(), []
    sources = [("log", path) for path in args.log]
    if not sources:
        if not args.image or not os.path.exists(args.image):
            print(f"difftest: no image {args.image} (build it first)")
            return 1
        sources = [("boot", args.seed + b) for b in range(args.boots)]
    for kind, what in sources:
        if kind == "log":
            with open(what, encoding="utf-8", errors="replace") as f:
                lines, where = f.read().splitlines(), what
        else:
            lines, bad, where = boot_lines(args, what)
            problems += [f"{p} (-append \"{where}\")" for p in bad]
            if args.save:
                with open(f"{args.save}.{what}", "w", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
        runs = replay.parse(lines)
        if not runs:
            problems.append(f"no traced run in {where}")
        report = replay.replay_all(runs, args.mutant)
        for seed, n, line, why in report.divergences:
            print(f"difftest: divergence in the run of seed {seed} at call {n}: {line}: {why}"
                  f" ({where})")
        total.merge(report)
    if total.incomplete and not args.expect_divergence:
        problems.append(f"{total.incomplete} traced runs did not end")
    per = len(total.divergences) * 100000 // max(total.ops, 1)
    print(f"ROBUST model_calls {total.ops} calls")
    print(f"ROBUST model_checked {total.checked} calls")
    print(f"ROBUST model_checked_changes {total.changes} calls")
    print(f"ROBUST model_checked_changes_ok {total.changes_ok} calls")
    print(f"ROBUST model_divergences {len(total.divergences)} count")
    print(f"ROBUST model_divergences_per_1e5 {per} count")
    for p in problems:
        print(f"difftest: {p}")
    if args.expect_divergence:
        ok = bool(total.divergences)
        print(f"difftest: positive control: {'caught' if ok else 'NOT caught'}")
        return 0 if ok else 1
    return 1 if total.divergences or problems or not total.ops else 0


if __name__ == "__main__":
    sys.exit(main())
