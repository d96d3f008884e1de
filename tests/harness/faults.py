#!/usr/bin/env python3
"""Fault injection into a server, measured (docs/reliability.md).

    faults.py --system-dir DIR --qemu QEMU [--seed S] [--boots B] [--timeout T] SYSTEM...

Boots each system image (apps/faultinj, apps/faultinj-async) B times on one
hart under -icount, with boot arguments fseed=S, S+1, ... (S + B <= 64), and
prints the figures summed over the boots as ROBUST lines: faults injected (by
kind), kernel crashes (a PANIC line, or a boot that did not end), client calls
answered and their share of the calls the clients had to make, hung clients
(no final line: a call that never came back), restarts and the instructions
the supervisor spent on the longest and the average restart. Fails unless
there was no kernel crash, no hung client, every call answered and at least
one fault injected.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu as harness  # noqa: E402  (tests/harness/qemu.py)

CALLS = 300  # apps/faultinj/main.c: calls of each client (the driver makes more)
CLIENTS = 3  # clients in each system
DRIVER_RE = re.compile(r"^fault driver: seed \d+, (\d+) faults injected, (\d+) restarts$")
KIND_RE = re.compile(r"^fault driver: ([a-z_]+) (\d+)$")
CLIENT_RE = re.compile(r"^fault client (\d+): (\d+) calls, (\d+) answered: (\d+) ok, "
                       r"(\d+) errors \((\d+) peer dead\)$")
RESTART_RE = re.compile(r"^root: restart took (\d+) instructions$")


def run_one(args, system, seed, figures, problems):
    """Boots one system with one seed and adds what it printed to figures."""
    image = os.path.join(args.system_dir, "images", system + ".elf")
    cmd = harness.qemu_command(args.qemu, image, 1, "virt", True, bootargs=f"fseed={seed}")
    status, lines = harness.boot(cmd, args.timeout)
    where = f"{system} fseed={seed}"
    finished = set()
    for line in lines:
        if m := DRIVER_RE.match(line):
            figures["faults_injected"] += int(m.group(1))
            figures["fault_restarts"] += int(m.group(2))
        elif m := KIND_RE.match(line):
            figures[f"faults_{m.group(1)}"] += int(m.group(2))
        elif m := CLIENT_RE.match(line):
            finished.add(m.group(1))
            figures["fault_client_calls_due"] += int(m.group(2))
            figures["fault_client_calls_answered"] += int(m.group(3))
            figures["fault_client_errors"] += int(m.group(5))
        elif m := RESTART_RE.match(line):
            took = int(m.group(1))
            figures["fault_restart_instructions_max"] = max(
                figures["fault_restart_instructions_max"], took)
            figures["restart_sum"] += took
            figures["restart_count"] += 1
        elif line.startswith("PANIC"):
            figures["fault_kernel_crashes"] += 1
            problems.append(f"{where}: {line}")
    hung = CLIENTS - len(finished)
    figures["fault_client_calls_due"] += hung * CALLS  # a hung client: none counted answered
    figures["fault_hung_clients"] += hung
    ended = any(line.startswith("root: system ") for line in lines)
    if status is not None and not ended:  # the kernel stopped before the system ended
        figures["fault_kernel_crashes"] += 1
    if status is None or not ended or hung:
        problems.append(f"{where}: exit status {status}, {hung} clients hung")
    for line in lines:
        if line.startswith(("fault driver: seed", "root: ")) and "took" not in line:
            print(f"{where}: {line}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system-dir", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--boots", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("systems", nargs="+")
    args = ap.parse_args()
    if args.seed < 0 or args.seed + args.boots > 64:
        ap.error("the seeds must lie in 0..63 (the driver reads fseed=S for S < 64)")
    figures = dict.fromkeys(
        ["faults_injected", "fault_kernel_crashes", "fault_client_calls_due",
         "fault_client_calls_answered", "fault_client_errors", "fault_hung_clients",
         "fault_restarts", "fault_restart_instructions_max", "restart_sum", "restart_count"], 0)
    for k in ("reg_flip", "wild_jump", "mem_flip", "illegal", "wild_store"):
        figures[f"faults_{k}"] = 0
    problems = []
    for system in args.systems:
        for seed in range(args.seed, args.seed + args.boots):
            run_one(args, system, seed, figures, problems)
    due, answered = figures["fault_client_calls_due"], figures["fault_client_calls_answered"]
    figures["fault_answered_percent"] = 100 * answered // due if due else 0
    figures["fault_restart_instructions_mean"] = (
        figures["restart_sum"] // figures["restart_count"] if figures["restart_count"] else 0)
    units = {"percent": "percent", "instructions": "instructions", "crashes": "count",
             "clients": "count", "restarts": "count"}
    for name, value in figures.items():
        if name.startswith("restart_"):
            continue
        unit = next((u for k, u in units.items() if k in name), "calls" if "calls" in name
                    or "errors" in name else "count")
        print(f"ROBUST {name} {value} {unit}")
    if answered != due:
        problems.append(f"{answered} of {due} client calls answered")
    if not figures["faults_injected"]:
        problems.append("no fault injected")
    for p in problems:
        print(f"faults: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
