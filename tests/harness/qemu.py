#!/usr/bin/env python3
"""Boot Selene images in QEMU: run, debug, test and benchmark.

Standard library only. Subcommands:

  run         boot an image with the serial console on this terminal. When
              stdin is not a terminal the image is told so (bootargs
              "scripted") and must power off by itself; a timeout stops it.
  debug       boot halted with QEMU's gdb stub and attach gdb-multiarch with
              the kernel's and the root task's symbols.
  test        report one test ID of a test image (ctest runs this once per
              ID). The first ID of a group to run boots QEMU and caches the
              results of every ID in the group; the others read the cache.
              An ID fails on its FAIL line, and every ID fails when its line
              is missing, the kernel panicked, QEMU timed out or exited
              with an unexpected status.
  bench       boot the benchmark image under -icount and print its BENCH
              lines; fails on a BENCH-REJECTED line or a malformed one.
  bench-check boot the benchmark image twice briefly; fails unless both runs
              print the same well-formed BENCH lines.
  run-check   what `run` does with stdin not a terminal, checked: every hart
              prints its own online line from its own stack, and QEMU exits
              0 within 30 s (the demo's scripted session included).
  demo        report one DEMO test ID: the first to run boots the demo image
              once, types a session of shell commands into QEMU's serial
              input (DEMO_STEPS) and checks each command's output; the
              others read the cached verdicts.
  demo-control  the console's positive control: booted with the console told
              not to keep lines whole ("console-broken"), the `talk` check
              must see interleaved lines.
  demo-run    what `run` does with stdin not a terminal, checked: the
              scripted session's output, and exit status 0.

QEMU configurations (--config):
  smp1   -smp 1, -icount shift=0,sleep=off (deterministic; one hart at a time)
  smp4   -smp 4, multi-threaded TCG (harts really run in parallel)
  smp4a  as smp4, with -machine virt,aclint=on (ACLINT supervisor software
         interrupts instead of SBI IPIs)
"""
import argparse
import fcntl
import threading
import json
import os
import re
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_chart  # noqa: E402  (beside this file)

CONFIGS = {
    "smp1": {"smp": 1, "machine": "virt", "icount": True},
    "smp4": {"smp": 4, "machine": "virt", "icount": False},
    "smp4a": {"smp": 4, "machine": "virt,aclint=on", "icount": False},
    "smp1a": {"smp": 1, "machine": "virt,aclint=on", "icount": True},
}

RESULT_RE = re.compile(r"^TEST ([A-Z]+_[0-9]{4}) (PASS|FAIL)(?: (.*))?$")
EXPECT_FAULT_RE = re.compile(r"^EXPECT-FAULT ([A-Z]+_[0-9]{4}) cause (\d+) pc (0x[0-9a-f]+)$")
FAULT_RE = re.compile(r"^FAULT: thread (\S+) cause (\d+) \(.*\) pc (0x[0-9a-f]+) stval")
BENCH_RE = re.compile(r"^BENCH ([a-z0-9_]+) (\d+) (instr|count|pct|bytes)$")
EXIT_FAULT = 3


def qemu_command(qemu, image, smp, machine, icount, bootargs=None, extra=()):
    cmd = [qemu, "-machine", machine, "-smp", str(smp), "-m", "128M",
           "-bios", "default", "-kernel", image,
           "-nographic", "-monitor", "none", "-serial", "stdio"]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    else:
        cmd += ["-accel", "tcg,thread=multi"]
    if bootargs:
        cmd += ["-append", bootargs]
    return cmd + list(extra)


def boot(cmd, timeout):
    """Runs QEMU to completion; returns (exit status or None on timeout, lines)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        status = None
    text = out.decode("utf-8", errors="replace").replace("\r", "")
    return status, text.splitlines()


def judge(lines, status, expected_ids, timeout):
    """Turns one boot's output into {id: (passed, reason)} for every expected ID."""
    results, problems = {}, []
    expect_fault = None
    for line in lines:
        m = RESULT_RE.match(line)
        if m:
            tid, verdict, reason = m.groups()
            if tid in results:
                problems.append(f"{tid} reported twice")
            results[tid] = (verdict == "PASS", reason or "")
            continue
        m = EXPECT_FAULT_RE.match(line)
        if m:
            expect_fault = (m.group(1), int(m.group(2)), int(m.group(3), 16))
            continue
        m = FAULT_RE.match(line)
        if m and expect_fault:
            tid, cause, pc = expect_fault
            ok = int(m.group(2)) == cause and int(m.group(3), 16) == pc
            why = "" if ok else f"expected cause {cause} pc {pc:#x}, got: {line}"
            results[tid] = (ok, why)
            expect_fault = None
    faulted = any(FAULT_RE.match(line) for line in lines)
    problems += [line for line in lines if line.startswith("DRIVER-ERROR")]
    if any(line.startswith("PANIC") for line in lines):
        problems.append("kernel panic: " + next(l for l in lines if l.startswith("PANIC")))
    if status is None:
        problems.append(f"timeout after {timeout}s")
    elif status != 0 and not (status == EXIT_FAULT and faulted and results):
        problems.append(f"QEMU exited with status {status}")
    for tid in list(results):
        if tid not in expected_ids:
            problems.append(f"unexpected test ID {tid}")
    verdicts = {}
    for tid in expected_ids:
        if problems:
            verdicts[tid] = (False, "; ".join(problems))
        elif tid not in results:
            verdicts[tid] = (False, "no result line (test did not run to completion)")
        else:
            verdicts[tid] = results[tid]
    return verdicts


def cached_group_results(args, expected):
    """Boots the group once per ctest run; later IDs read the cached results."""
    os.makedirs(args.cache, exist_ok=True)
    key = f"{args.group}.{args.config}{'-' + args.variant if args.variant else ''}"
    path = os.path.join(args.cache, key + ".json")
    log = os.path.join(args.cache, key + ".log")
    stamp = {"image_mtime": os.stat(args.image).st_mtime_ns, "runner": os.getppid(),
             "expected": expected, "bootargs": args.bootargs}
    with open(os.path.join(args.cache, key + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(path, encoding="utf-8") as f:
                cached = json.load(f)
            if cached["stamp"] == stamp:
                return cached["verdicts"], log
        except (OSError, ValueError, KeyError):
            pass
        conf = CONFIGS[args.config]
        cmd = qemu_command(args.qemu, args.image, conf["smp"], conf["machine"], conf["icount"],
                           bootargs=args.bootargs.strip() or None)
        start = time.monotonic()
        status, lines = boot(cmd, args.timeout)
        with open(log, "w", encoding="utf-8") as f:
            f.write(" ".join(cmd) + "\n" + "\n".join(lines) + "\n")
            f.write(f"# exit status {status}, {time.monotonic() - start:.1f}s\n")
        verdicts = judge(lines, status, expected, args.timeout)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"stamp": stamp, "verdicts": verdicts}, f)
        return verdicts, log


def cmd_test(args):
    expected = [e for e in args.expect.split(",") if e]
    if args.id not in expected:
        print(f"{args.id} is not among the group's IDs")
        return 1
    verdicts, log = cached_group_results(args, expected)
    ok, reason = verdicts[args.id]
    print(f"TEST {args.id} {'PASS' if ok else 'FAIL'}{'' if ok else ' ' + reason}")
    if not ok:
        print(f"(console log of the boot: {log})")
    return 0 if ok else 1


def cmd_control(args):
    """A positive control: with a bug injected (boot argument inject=...), at
    least one of the --catch tests must report FAIL on its own result line, or
    the kernel must panic while it runs (a debug check caught the bug)."""
    conf = CONFIGS[args.config]
    cmd = qemu_command(args.qemu, args.image, conf["smp"], conf["machine"], conf["icount"],
                       bootargs=args.bootargs)
    status, lines = boot(cmd, args.timeout)
    caught = []
    for line in lines:
        m = RESULT_RE.match(line)
        if m and m.group(2) == "FAIL" and m.group(1) in args.catch.split(","):
            caught.append(line)
    if not any(l.startswith("inject: ") for l in lines):
        print("control: the kernel did not confirm the injected bug (a debug kernel is needed)")
        return 1
    # A kernel panic counts when it stopped the boot inside a --catch test:
    # none of them reported, and every test that did report comes before them.
    catch_ids = args.catch.split(",")
    reported = [m.group(1) for m in map(RESULT_RE.match, lines) if m]
    panic = next((l for l in lines if l.startswith("PANIC")), None)
    if (not caught and panic and not set(reported) & set(catch_ids)
            and all(r < min(catch_ids) for r in reported)):
        caught.append(f"{panic} (during {min(catch_ids)}; reported before it: "
                      f"{' '.join(reported) or 'none'})")
    if caught:
        print(f"control: the injected bug was caught:\n" + "\n".join(caught))
        return 0
    print("control: the injected bug went unnoticed by " + args.catch)
    print("\n".join(lines[-30:]))
    return 1


# The benchmark boots: the one-hart figures, then the cross-hart user-interrupt
# figures on two harts with ACLINT (the table's) and without (SBI IPIs).
BENCH_BOOTS = [(1, "virt", ""), (2, "virt,aclint=on", "xhart"), (2, "virt", "xhart noaclint")]


def run_bench(args, mode, timeout):
    bench, errors, lines = [], [], []
    for smp, machine, extra in BENCH_BOOTS:
        bootargs = " ".join(a for a in (mode, extra) if a) or None
        cmd = qemu_command(args.qemu, args.image, smp, machine, True, bootargs=bootargs)
        status, out = boot(cmd, timeout)
        lines += out
        bench += [l for l in out if l.startswith("BENCH")]
        where = f"(-smp {smp}, {machine}{', ' + extra if extra else ''})"
        if status != 0:
            errors.append(f"QEMU exited with status {status} {where}" if status is not None
                          else f"timeout after {timeout}s {where}")
        panic = next((i for i, l in enumerate(out) if l.startswith("PANIC")), None)
        if panic is not None:
            context = "\n".join(out[max(0, panic - 12):panic + 12])
            errors.append(f"kernel panic {where}:\n{context}\n")
    for line in bench:
        if line.startswith("BENCH-REJECTED "):
            errors.append(f"rejected window: {line}")
        elif not BENCH_RE.match(line):
            errors.append(f"malformed line: {line!r}")
    if not bench:
        errors.append("no BENCH lines")
    return bench, errors, lines


def cmd_bench(args):
    bench, errors, lines = run_bench(args, None, args.timeout)
    for line in bench:
        print(line)
    for e in errors:
        print(f"bench: {e}", file=sys.stderr)
    if errors:
        print("\n".join(lines[-20:]), file=sys.stderr)
    if args.chart and bench_chart.write_chart(bench, args.chart):
        print(f"bench: chart {os.path.abspath(args.chart)}")
    return 1 if errors else 0


def cmd_bench_check(args):
    runs = []
    for _ in range(2):
        bench, errors, lines = run_bench(args, "quick", args.timeout)
        if errors:
            print("\n".join(lines[-30:]))
            print("bench-check: " + "; ".join(errors))
            return 1
        runs.append(bench)
    if runs[0] != runs[1]:
        print("bench-check: two runs differ:\n" + "\n".join(runs[0]) + "\n---\n" +
              "\n".join(runs[1]))
        return 1
    print("\n".join(runs[0]))
    print(f"bench-check: {len(runs[0])} figures, identical in two runs")
    return 0


def cmd_run(args):
    interactive = sys.stdin.isatty()
    cmd = qemu_command(args.qemu, args.image, args.smp, args.machine, False,
                       bootargs="interactive" if interactive else "scripted")
    if interactive:
        print("selene: booting; the console is this terminal (Ctrl-A X quits QEMU)")
        return subprocess.call(cmd)
    try:
        return subprocess.call(cmd, stdin=subprocess.DEVNULL, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"selene: the demo did not power off within {args.timeout}s", file=sys.stderr)
        return 1


HART_RE = re.compile(r"^hart (\d+): online, kernel stack (0x[0-9a-f]+), sp (0x[0-9a-f]+)$")


def cmd_run_check(args):
    cmd = qemu_command(args.qemu, args.image, args.smp, args.machine, False,
                       bootargs="scripted")
    start = time.monotonic()
    status, lines = boot(cmd, 30)
    elapsed = time.monotonic() - start
    harts = {}
    for line in lines:
        m = HART_RE.match(line)
        if m:
            stack, sp = int(m.group(2), 16), int(m.group(3), 16)
            harts[int(m.group(1))] = (stack, sp)
    errors = []
    if status != 0:
        errors.append("timeout after 30 s" if status is None else f"exit status {status}")
    if sorted(harts) != list(range(args.smp)):
        errors.append(f"online lines from harts {sorted(harts)}, expected 0-{args.smp - 1}")
    stacks = [st for st, _ in harts.values()]
    if len(set(stacks)) != len(stacks):
        errors.append("two harts report the same kernel stack")
    for hart, (stack, sp) in harts.items():
        if not stack - 16 * 1024 < sp <= stack:
            errors.append(f"hart {hart}: sp {sp:#x} is not on its stack (top {stack:#x})")
    print("\n".join(lines[-12:]))
    print(f"run-check: exit {status} after {elapsed:.1f}s; {len(harts)} harts online")
    for e in errors:
        print(f"run-check: {e}")
    return 1 if errors else 0


def cmd_debug(args):
    cmd = qemu_command(args.qemu, args.image, args.smp, args.machine, False,
                       bootargs="interactive", extra=["-s", "-S"])
    gdb = ["gdb-multiarch", "-q", args.image,
           "-ex", "set confirm off",
           "-ex", "target remote localhost:1234"]
    for sym in args.symbols:
        gdb += ["-ex", f"add-symbol-file {sym}"]
    print("selene: QEMU halted at reset with its gdb stub on :1234; attaching gdb-multiarch")
    print("selene: try `break kmain`, `continue`; QEMU's console output goes to qemu.log")
    with open("qemu.log", "w") as log:
        qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            return subprocess.call(gdb)
        finally:
            qemu.kill()


class Serial:
    """QEMU with its serial console on pipes: type into it, wait for output."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.text, self.mark = "", 0
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                break
            with self.cond:
                self.text += chunk.decode("utf-8", errors="replace").replace("\r", "")
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def type(self, keys):
        """Types keys into the serial input (a byte at a time, like a person)."""
        for i, b in enumerate(keys.encode()):
            self.proc.stdin.write(bytes([b]))
            self.proc.stdin.flush()
            # an arrow key is answered by the shell (set_line): let it, before typing on
            time.sleep(0.5 if keys[max(0, i - 2):i + 1] in ("\x1b[A", "\x1b[B") else 0.002)

    def expect(self, regex, timeout):
        """Waits for regex (multi-line) in the output after the mark; returns the match."""
        pattern = re.compile(regex, re.M)
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                m = pattern.search(self.text, self.mark)
                if m:
                    return m
                left = end - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self.reader.is_alive()):
                    return None
                self.cond.wait(min(left, 0.5))

    def since_mark(self):
        with self.cond:
            return self.text[self.mark:]

    def set_mark(self):
        with self.cond:
            self.mark = len(self.text)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)


PROMPT = r"^selene> "
TALK_LINE_RE = re.compile(r"^talk-([ab]) (\d\d) ([ab])\3{39}$")


def talk_problems(text, lines_each=20):
    """The `talk` output checked: every line with talk- in it whole, 20 from each client."""
    seen, bad = {"a": set(), "b": set()}, []
    for line in text.splitlines():
        if "talk-" not in line or line.startswith("talk: "):
            continue
        m = TALK_LINE_RE.match(line)
        if not m or m.group(1) != m.group(3):
            bad.append(line)
            continue
        seen[m.group(1)].add(int(m.group(2)))
    problems = [f"{len(bad)} interleaved or broken lines, e.g. {bad[0]!r}"] if bad else []
    for who in "ab":
        if seen[who] != set(range(lines_each)):
            problems.append(f"client {who}: {len(seen[who])} of {lines_each} lines whole")
    return problems


def keys_problems(text, expected):
    """Raw mode: the bytes the `keys` lines show, in order, are exactly those typed."""
    got = [int(h, 16) for line in text.splitlines() if re.match(r"^keys:( [0-9a-f]{2})+$", line)
           for h in line.split()[1:]]
    return [] if got == expected else [f"raw mode delivered {got}, typed {expected}"]


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PS_RE = re.compile(r"^(\d+) +(\S+) +(\d+) +(\d+) +(running|ready|blocked|stopped|exited|"
                   r"faulted)$")


def demo_manifest():
    """apps/demo/system.toml: what the shell's commands must agree with."""
    import tomllib
    with open(os.path.join(REPO, "apps", "demo", "system.toml"), "rb") as f:
        return tomllib.load(f)


def ps_problems(text, shell_threads=4):
    """`ps` lists every thread: the root, both console threads, the echo server, the file
    system, the shell's main thread and the helper threads `uintr` and `talk` made (the
    programs started on request are not running); tids unique."""
    rows = [PS_RE.match(line) for line in text.splitlines()]
    rows = [m.groups() for m in rows if m]
    count = {}
    for r in rows:
        count[r[1]] = count.get(r[1], 0) + 1
    problems = []
    want = {"root": 1, "console": 2, "echo": 1, "shell": shell_threads, "fs": 1}
    if count != want:
        problems.append(f"threads by component {count}, expected {want}")
    if len({r[0] for r in rows}) != len(rows):
        problems.append("a thread id appears twice")
    if not re.search(rf"^{len(rows)} threads ", text, re.M):
        problems.append(f"the summary does not count {len(rows)} threads")
    return problems


def manifest_caps(name):
    """The caps apps/demo/system.toml gives component `name`, by slot: (type, rights,
    badge), as servers/root/wire.c installs them (docs/manifest.md, the slot table)."""
    doc = demo_manifest()
    comps = [c["name"] for c in doc["component"]]
    me = comps.index(name)
    c = doc["component"][me]
    letters = {"info": 0, "write": 1, "shutdown": 2, "bench": 3, "check": 4}
    want = {2: ("CNode", "RWGgX", 0), 4: ("VSpace", "RWGgX", 0)}
    if c.get("debug"):
        want[3] = ("Debug", "".join("RWGgX"[i] if any(letters[r] == i for r in c["debug"])
                                    else "-" for i in range(5)), 0)
    if "untyped" in c:
        want[1] = ("TCB", "RWGgX", 0)
        want[5] = ("Untyped", "RWGgX", 0)
    if c.get("supervisor"):
        want[6] = ("Endpoint", "-W-g-", 0x100 + me)
    if c.get("provides"):
        want[8] = ("Endpoint", "RWG--", 0)
    for k in range(len(c.get("device", []))):
        want[12 + k] = ("IRQHandler", "-W---", 0)
    conns = [k for k in doc["connection"] if k["client"] == name]
    for n, k in enumerate(conns):
        for ses in range(k.get("sessions", 1)):
            want[16 + 8 * n + ses] = ("Endpoint", "-W-g-", me + 1 + 16 * ses)
        if k.get("events"):
            want[16 + 8 * n + 5] = ("Notification", "R----", 0)
    for k in doc["connection"]:
        if k["server"] == name and k.get("events"):
            want[48 + comps.index(k["client"]) + 1] = ("Notification", "-W---", 0)
    return want


def caps_problems(text, name="shell"):
    """`caps` shows exactly what the manifest gives the component (the slots below those
    where it keeps objects it made itself, from 128 on)."""
    want = manifest_caps(name)
    got = {}
    for line in text.splitlines():
        m = re.match(r"^(\d+) +(\w+) +([-RWGgX]{5}) +(\d+)", line)
        if m and int(m.group(1)) < 128:
            got[int(m.group(1))] = (m.group(2), m.group(3), int(m.group(4)))
    return [] if got == want else [f"caps of {name} {got}, the manifest gives {want}"]


def services_problems(text):
    """`services` prints every component and connection of the manifest."""
    doc = demo_manifest()
    problems = []
    for c in doc["component"]:
        r = (rf"^  {c['name']} +hart {c.get('harts', [0])[0]} +prio {c.get('priority', 100)} "
             rf"+{c['program']} +{c.get('restart', 'stop')}")
        if not re.search(r, text, re.M):
            problems.append(f"no line for component {c['name']}")
    for k in doc["connection"]:
        r = rf"^  {k['client']} +-> {k['server']} +{k['service']} +{k['placement']} +call"
        if not re.search(r, text, re.M):
            problems.append(f"no line for {k['client']} -> {k['service']}")
    return problems


def bench_problems(text):
    """`bench`'s table is docs/performance.md's: Selene's figure and seL4's."""
    docs = {}
    with open(os.path.join(REPO, "docs", "performance.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\| `(\w+)` \| (\d+) \| [^|]* \| (\d*)", line)
            if m and m.group(1) not in docs:  # the first table; later ones are history
                docs[m.group(1)] = (m.group(2), m.group(3) or "-")
    rows = re.findall(r"^  (\w+) +(\d+) +(\d+|-)$", text, re.M)
    problems = [f"{n}: shown {s} / {l}, docs/performance.md {docs.get(n)}"
                for n, s, l in rows if docs.get(n) != (s, l)]
    return problems + ([] if len(rows) >= 10 else [f"{len(rows)} table rows"])


def console_restarted_problems(text):
    """After its crash the console driver runs again: both its threads, none faulted."""
    rows = [m.groups() for m in map(PS_RE.match, text.splitlines()) if m]
    console = [r for r in rows if r[1] == "console"]
    if len(console) != 2 or any(r[4] in ("faulted", "exited", "stopped") for r in console):
        return [f"console threads after the restart: {console}"]
    return []


def rootfs_problems(text):
    """`ls /` shows apps/demo/rootfs's top level (files with their sizes) and share/ (the
    font the build adds)."""
    root = os.path.join(REPO, "apps", "demo", "rootfs")
    want = {n + "/" if os.path.isdir(os.path.join(root, n)) else
            f"{n} {os.path.getsize(os.path.join(root, n))}" for n in os.listdir(root)}
    want.add("share/")
    got = set(re.findall(r"^(\S+/|\S+ \d+)$", text, re.M))
    return [] if got == want else [f"ls / shows {sorted(got)}, the tree has {sorted(want)}"]


def motd_problems(text):
    """`cat /etc/motd` prints apps/demo/rootfs/etc/motd as it is in the tree."""
    with open(os.path.join(REPO, "apps", "demo", "rootfs", "etc", "motd"),
              encoding="utf-8") as f:
        motd = f.read().replace("\n", "\r\n")
    return [] if motd in text or motd.replace("\r", "") in text else [
        "cat /etc/motd does not print apps/demo/rootfs/etc/motd"]


QUOTA_LINE = "q" * 195  # with its newline 196 bytes: the 21st append passes the shell's 4 KiB


def quota_steps():
    """Appends of 196 bytes to /big under the shell's quota of 4 KiB (apps/demo/system.toml):
    20 fit (3,920 bytes), the 21st fails with ENOSPC and leaves the file as it was; removing
    the file gives the bytes back."""
    steps = [step(f"echo {QUOTA_LINE} >> /big\r", PROMPT, forbid=[r"^echo: "])
             for _ in range(20)]
    steps.append(step(f"echo {QUOTA_LINE} >> /big\r",
                      r"^echo: /big: No space left on device$", PROMPT))
    steps.append(step("ls /\r", r"^big 3920$", PROMPT))
    steps.append(step("rm /big\r", PROMPT, forbid=[r"^rm: "]))
    steps.append(step(f"echo {QUOTA_LINE} > /big\r", PROMPT, forbid=[r"^echo: "]))
    steps.append(step("ls /\r", r"^big 196$", PROMPT))
    steps.append(step("rm /big\r", PROMPT, forbid=[r"^rm: "]))
    return steps


FIGLET_SELENE = [r"^ ____       _ +$", r"^/ ___\|  ___\| \| ___ _ __   ___ *$",
                 r"^\|____/ \\___\|_\|\\___\|_\| \|_\|\\___\| *$"]


def step(keys, *expect, forbid=(), check=None, timeout=30):
    return {"keys": keys, "expect": expect, "forbid": forbid, "check": check,
            "timeout": timeout}


# The demo session: (test ID, steps). Keys are typed; each regex must appear, in order,
# before the next prompt; `forbid` regexes must not; `check` gets the command's output.
DEMO_STEPS = [
    ("DEMO_0001", [step("help\r", r"^commands:$", r"^  ps ", r"^  caps ", r"^  services ",
                        r"^  uintr ", r"^  bench ", r"^  crash <component> ",
                        r"^  talk ", r"^  keys ", r"^  poweroff ", PROMPT)]),
    ("DEMO_0002", [step("ps\r", r"^TID +COMPONENT +HART +PRIO +STATE$",
                        r"^1 +root +\d +255 +(blocked|ready|running)$",
                        r"^\d+ +console +0 +150 +(blocked|ready|running)$",
                        r"^\d+ +echo +2 +100 +blocked$", r"^\d+ +shell +1 +100 +running$",
                        PROMPT)]),
    ("DEMO_0003", [step("caps\r", r"^SLOT +TYPE +RIGHTS +BADGE$", r"^2 +CNode +RWGgX ",
                        r"^6 +Endpoint +-W-g- +258$", r"^16 +Endpoint +-W-g- +3$",
                        r"^21 +Notification +R---- +0$", r"^24 +Endpoint +-W-g- +3$",
                        r"^\d+ capabilities", PROMPT)]),
    ("DEMO_0004", [step("services\r", r"^system demo: components$",
                        r"^  console +hart 0 +prio 150 +console-server +restart +device uart$",
                        r"^  shell +-> console +console +sync +call, 3 sessions, events$",
                        r"^  shell +-> echo +echo +sync +call$", PROMPT)]),
    ("DEMO_0005", [step("uintr\r", r"^uintr: 20 user interrupts from hart 1 to a thread "
                        r"waiting on hart 2, all delivered$",
                        r"^uintr: send \d+ instructions, \d+ cycles on the sender's hart; "
                        r"delivery \d+ ns", PROMPT)]),
    ("DEMO_0006", [step("bench\r", r"^bench: now, 100 of each from the shell \(hart 1\):$",
                        r"^  echo.add, sync +\d+ ns, \d+ instructions per call",
                        r"^  ipc_call_rt_xas +\d+ +554$", PROMPT)]),
    ("DEMO_0007", [step("frobnicate now\r",
                        r"^shell: unknown command 'frobnicate' \(try 'help'\)$", PROMPT)]),
    ("DEMO_0008", [step("crash nosuch\r", r"^crash: no component 'nosuch' \(try 'services'\)$",
                        PROMPT),
                   step("crash\r", r"^crash: usage: crash <component>$", PROMPT),
                   step("ps extra\r", r"^ps: usage: ps$", PROMPT),
                   step("crash shell\r", r"^crash: will not crash 'shell'", PROMPT)]),
    ("DEMO_0009", [step("crash echo\r",
                        r"^crash: echo took a fault \(pc 0\) and the supervisor restarted it "
                        r"\(restart 1\)$",
                        r'^crash: echo\("still here"\) -> "still here" \(error 0\)$', PROMPT),
                   step("ps\r", r"^\d+ +echo +2 +100 +blocked$", PROMPT)]),
    ("DEMO_0010", [step("hepl\x7f\x7flp\r", r"^commands:$", PROMPT, forbid=[r"unknown"]),
                   step("xyz\x15ps\r", r"^TID +COMPONENT", PROMPT, forbid=[r"unknown"]),
                   step("garbage\x03", r"\^C$", PROMPT, forbid=[r"unknown command"]),
                   step("services\r", r"^system demo: components$", PROMPT),
                   step("\x1b[A\x1b[A\r", r"^TID +COMPONENT", PROMPT),
                   step("\x1b[A\x1b[A\x1b[A\x1b[B\r", r"^system demo: components$", PROMPT)]),
    ("DEMO_0011", [step("talk\r", r"^talk: done$", PROMPT,
                        check=lambda out: talk_problems(out))]),
    ("DEMO_0018", [step("ps\r", r"^TID +COMPONENT", PROMPT,
                        check=lambda out: ps_problems(out))]),
    ("DEMO_0019", [step("caps\r", r"^\d+ capabilities", PROMPT,
                        check=lambda out: caps_problems(out))]),
    ("DEMO_0026", [step("caps console\r", r"^\d+ capabilities of console", PROMPT,
                        check=lambda out: caps_problems(out, "console")),
                   step("caps echo\r", r"^\d+ capabilities of echo", PROMPT,
                        check=lambda out: caps_problems(out, "echo")),
                   step("caps nosuch\r", r"^caps: no component 'nosuch' \(try 'services'\)$",
                        PROMPT),
                   step("caps echo shell\r", r"^caps: usage: caps \[component\]$", PROMPT)]),
    ("DEMO_0020", [step("services\r", r"^\(from apps/demo/system.toml", PROMPT,
                        check=lambda out: services_problems(out))]),
    ("DEMO_0021", [step("bench\r", r"^bench: the live instructions", PROMPT,
                        check=lambda out: bench_problems(out), timeout=60)]),
    ("DEMO_0022", [step("help me\r", r"^help: usage: help$", PROMPT),
                   step("talk 3\r", r"^talk: usage: talk$", PROMPT),
                   step("crash echo console\r", r"^crash: usage: crash <component>$", PROMPT),
                   step("crash root\r", r"^crash: no component 'root'", PROMPT),
                   step("   \r", PROMPT, forbid=[r"unknown", r"usage"]),
                   step("PS\r", r"^shell: unknown command 'PS' \(try 'help'\)$", PROMPT)]),
    ("DEMO_0023", [step("crash echo\r", r"\(restart 2\)$",
                        r'^crash: echo\("still here"\) -> "still here" \(error 0\)$', PROMPT),
                   step("bench\r", r"^  echo.add, sync +\d+ ns", PROMPT, timeout=60)]),
    ("DEMO_0012", [step("crash console\r",
                        r"^crash: console took a fault \(pc 0\) and the supervisor restarted "
                        r"it \(restart 1\)$",
                        r"^crash: this line went through the restarted console$", PROMPT),
                   step("help\r", r"^commands:$", PROMPT)]),
    ("DEMO_0024", [step("ps\r", r"^\d+ +console +0 +150 ", PROMPT,
                        check=lambda out: console_restarted_problems(out)),
                   step("hepl\x7f\x7flp\r", r"^commands:$", PROMPT, forbid=[r"unknown"])]),
    ("DEMO_0017", [step("keys\r", r"^keys: raw mode: "),
                   step("ab\x7f\x15\x03\rq", r"^keys: cooked mode again$", PROMPT,
                        forbid=[r"\^C"], check=lambda out: keys_problems(
                            out, [0x61, 0x62, 0x7f, 0x15, 0x03, 0x0d, 0x71])),
                   step("ps\r", r"^TID +COMPONENT", PROMPT)]),
    ("DEMO_0027", [step("help\r", r"^  ls \[dir\] ", r"^  cat <file> ", r"^  echo \[words\] ",
                        r"^  rm <file> ", r"^  mkdir <dir> ", r"^  rmdir <dir> ",
                        r"^  run <program> \[args\] ", PROMPT),
                   step("ls /\r", r"^\d+ entries$", PROMPT, check=lambda out: rootfs_problems(out)),
                   step("cat /etc/motd\r", PROMPT, check=lambda out: motd_problems(out)),
                   step("ls etc\r", r"^motd \d+$", r"^1 entry$", PROMPT),
                   step("ls /etc/motd\r", r"^/etc/motd \d+$", PROMPT)]),
    ("DEMO_0028", [step("echo hello world > /note\r", PROMPT, forbid=[r"^echo: "]),
                   step("echo again >> note\r", PROMPT, forbid=[r"^echo: "]),
                   step("cat /note\r", r"^hello world$", r"^again$", PROMPT),
                   step("ls /\r", r"^note 18$", PROMPT),
                   step("echo >/note\r", PROMPT, forbid=[r"^echo: "]),
                   step("ls /\r", r"^note 1$", PROMPT),
                   step("echo just words\r", r"^just words$", PROMPT),
                   step("rm /note\r", PROMPT, forbid=[r"^rm: "]),
                   step("cat /note\r", r"^cat: /note: No such file or directory$", PROMPT)]),
    ("DEMO_0029", [step("mkdir /work\r", PROMPT, forbid=[r"^mkdir: "]),
                   step("echo inside > /work/f\r", PROMPT, forbid=[r"^echo: "]),
                   step("ls /work\r", r"^f 7$", r"^1 entry$", PROMPT),
                   step("rmdir /work\r", r"^rmdir: /work: Directory not empty$", PROMPT),
                   step("rm /work/f\r", PROMPT, forbid=[r"^rm: "]),
                   step("ls /work\r", r"^0 entries$", PROMPT),
                   step("rmdir /work\r", PROMPT, forbid=[r"^rmdir: "]),
                   step("ls /work\r", r"^ls: /work: No such file or directory$", PROMPT)]),
    ("DEMO_0030", [step("cat nofile\r", r"^cat: nofile: No such file or directory$", PROMPT),
                   step("cat /etc\r", r"^cat: /etc: Is a directory$", PROMPT),
                   step("rm /etc\r", r"^rm: /etc: Is a directory$", PROMPT),
                   step("rm nofile\r", r"^rm: nofile: No such file or directory$", PROMPT),
                   step("mkdir /etc\r", r"^mkdir: /etc: File exists$", PROMPT),
                   step("mkdir /no/sub\r", r"^mkdir: /no/sub: No such file or directory$",
                        PROMPT),
                   step("rmdir /\r", r"^rmdir: /: Device or resource busy$", PROMPT),
                   step("echo x > /etc\r", r"^echo: /etc: Is a directory$", PROMPT),
                   step("echo x > /etc/motd/x\r", r"^echo: /etc/motd/x: Not a directory$",
                        PROMPT),
                   step("ls /nope\r", r"^ls: /nope: No such file or directory$", PROMPT),
                   step("cat\r", r"^cat: usage: cat <file>$", PROMPT),
                   step("echo x >\r", r"^echo: usage: echo \[words\] ", PROMPT),
                   step("echo a > b c\r", r"^echo: usage: echo \[words\] ", PROMPT),
                   step("ls /\r", r"^\d+ entries$", PROMPT, forbid=[r"^b ", r"^x "])]),
    ("DEMO_0031", [step("mkdir " + "n" * 64 + "\r",
                        r"^mkdir: n{60}\.\.\.: File name too long$", PROMPT),
                   step("echo x > /" + "/".join(["d" * 63] * 3) + "/" + "f" * 40 + "\r",
                        r"^echo: /d{59}\.\.\.: No such file or directory$", PROMPT),
                   step("cat " + "c" * 300 + "\r", PROMPT,
                        check=lambda out: [] if re.search(
                            r"^cat: c{60}\.\.\.: (File name too long|No such file or "
                            r"directory)$", out, re.M) else ["no error line for 300 bytes"]),
                   step("ls /\r", r"^\d+ entries$", PROMPT, forbid=[r"^nnnn", r"^cccc"])]),
    ("DEMO_0032", [step("ls /etc/..\r", r"^README \d+$", r"^etc/$", PROMPT),
                   step("cat /../../etc/motd\r", r"^Welcome to Selene", PROMPT),
                   step("echo x > ../../escape\r", PROMPT, forbid=[r"^echo: "]),
                   step("ls /\r", r"^escape 2$", PROMPT),
                   step("cat /etc/../escape\r", r"^x$", PROMPT),
                   step("rm ./escape\r", PROMPT, forbid=[r"^rm: "]),
                   step("ls ..\r", PROMPT, forbid=[r"^escape"])]),
    ("DEMO_0033", quota_steps()),
    ("DEMO_0034", [step("run figlet\r", *FIGLET_SELENE,
                        r"^run: figlet exited with status 0$", PROMPT, timeout=60),
                   step("run figlet -w 40 Hi there\r", r"^\| \| \| \(_\) \| \|_\| \|__ ",
                        r"^run: figlet exited with status 0$", PROMPT, timeout=60),
                   step("run figlet\r", *FIGLET_SELENE,
                        r"^run: figlet exited with status 0$", PROMPT, timeout=60),
                   step("ls /share\r", r"^figlet/$", PROMPT)]),
    ("DEMO_0035", [step("run nosuch\r", r"^run: no program 'nosuch' ", PROMPT),
                   step("run echo\r", r"^run: not started on request: 'echo' ", PROMPT),
                   step("run\r", r"^run: usage: run <program> \[args\]$", PROMPT),
                   step("run figlet -f nofont x\r", r"^run: figlet exited with status [1-9]",
                        PROMPT, timeout=60),
                   step("services\r", r"^  figlet +hart 1 +prio 100 +figlet +stop +on request$",
                        r"^  shell +-> fs +fs +sync +call$", PROMPT),
                   # 28 bytes of arguments: the request's words past MR4 go by the IPC buffer
                   step("run hello one two three four five six\r", r"what is your name\? $",
                        timeout=60),
                   step("X\r", r"^hello, X! one two three four five six$",
                        r"^run: hello exited with status 0$", PROMPT),
                   step("echo " + " ".join(str(i) for i in range(1, 18)) + "\r",
                        r"^shell: more than 17 words$", PROMPT)]),
    ("POSIX_0019", [step("run hello you\r",
                         r"^hello: fd 0: console, endpoint slot 16, a tty: yes$",
                         r"^hello: fd 1: console, endpoint slot 16, a tty: yes$",
                         r"^hello: fd 2: console, endpoint slot 16, a tty: yes$",
                         r"^hello: this line went to stderr$",
                         r"what is your name\? $", timeout=60),
                    step("Selene\r", r"^hello, Selene! you$",
                         r"^run: hello exited with status 0$", PROMPT)]),
    ("POSIX_0020", [step("run hello\r", r"what is your name\? $", timeout=60),
                    step("\x03", r"^hello: end of input$", r"^run: hello exited with status 1$",
                         PROMPT),
                    step("help\r", r"^commands:$", PROMPT)]),
    ("DEMO_0036", [step("echo before the crash > /kept\r", PROMPT, forbid=[r"^echo: "]),
                   step("crash fs\r", r"^crash: fs took a fault \(pc 0\) and the supervisor "
                        r"restarted it \(restart 1\)$", PROMPT),
                   step("cat /kept\r", r"^cat: /kept: No such file or directory$", PROMPT),
                   step("cat /etc/motd\r", r"^Welcome to Selene", PROMPT),
                   step("run figlet\r", *FIGLET_SELENE, r"^run: figlet exited with status 0$",
                        PROMPT, timeout=60)]),
    ("DEMO_0013", [step("poweroff\r", r"^poweroff: bye$")]),
]
DEMO_EXIT_ID = "DEMO_0013"


def run_steps(serial, steps):
    """Types each step; returns the problems (empty: the test passes)."""
    problems = []
    for st in steps:
        serial.set_mark()
        serial.type(st["keys"])
        start = serial.mark
        for regex in st["expect"]:
            m = serial.expect(regex, st["timeout"])
            if not m:
                problems.append(f"after {st['keys']!r}: no {regex!r} within {st['timeout']}s")
                break
            serial.mark = m.end()  # the next regex comes after this one
        out = serial.text[start:serial.mark]
        problems += [f"after {st['keys']!r}: unexpected {r!r}" for r in st["forbid"]
                     if re.search(r, out, re.M)]
        if st["check"]:
            problems += st["check"](out)
        if any(l.startswith("PANIC") for l in out.splitlines()):
            problems.append("kernel panic")
    return problems


def demo_session(args, bootargs, steps, exit_id):
    """Boots the demo, waits for the prompt, runs steps; returns ({id: (ok, why)}, log)."""
    cmd = qemu_command(args.qemu, args.image, args.smp, args.machine, False, bootargs=bootargs)
    serial = Serial(cmd)
    verdicts = {}
    start = time.monotonic()
    try:
        if not serial.expect(PROMPT, args.timeout):
            why = "no shell prompt after boot"
            return {tid: (False, why) for tid, _ in steps}, serial.text
        boot = time.monotonic() - start
        for tid, st in steps:
            problems = run_steps(serial, st)
            if tid == exit_id:
                status = serial.wait_exit(30)
                if status != 0:
                    problems.append(f"QEMU exit status {status} (0 expected)")
                after = serial.text.split("the kernel prints only on panic", 1)[-1]
                if re.search(r"^(selene:|PANIC|FAULT)", after, re.M):
                    problems.append("the kernel printed after the hand-over")
            verdicts[tid] = (not problems, "; ".join(problems))
        return verdicts, serial.text + f"\n# prompt after {boot:.1f}s\n"
    finally:
        serial.kill()


def cmd_demo(args):
    os.makedirs(args.cache, exist_ok=True)
    path = os.path.join(args.cache, "demo.json")
    log = os.path.join(args.cache, "demo.log")
    stamp = {"image_mtime": os.stat(args.image).st_mtime_ns, "runner": os.getppid()}
    with open(os.path.join(args.cache, "demo.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        verdicts = None
        try:
            with open(path, encoding="utf-8") as f:
                cached = json.load(f)
            if cached["stamp"] == stamp:
                verdicts = cached["verdicts"]
        except (OSError, ValueError, KeyError):
            pass
        if verdicts is None:
            verdicts, text = demo_session(args, "interactive", DEMO_STEPS, DEMO_EXIT_ID)
            with open(log, "w", encoding="utf-8") as f:
                f.write(text)
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"stamp": stamp, "verdicts": verdicts}, f)
    ok, why = verdicts.get(args.id, (False, "not a step of the demo session"))
    print(f"TEST {args.id} {'PASS' if ok else 'FAIL ' + why}")
    if not ok:
        print(f"(console log of the session: {log})")
    return 0 if ok else 1


def cmd_demo_control(args):
    """The console keeping lines whole is what DEMO_0011 checks: with the driver built
    not to (the image of apps/demo-broken-console), the same check must find interleaved
    lines."""
    steps = [("talk", [step("talk\r", r"^talk: done$", PROMPT,
                            check=lambda out: talk_problems(out))])]
    caught = False
    for attempt in range(3):
        verdicts, text = demo_session(args, "interactive", steps, None)
        ok, why = verdicts["talk"]
        if not ok and "interleaved" in why:
            print(f"control: the broken console was caught: {why}")
            return 0
        if "no shell prompt" in why:
            break
    print(f"control: the broken console went unnoticed ({why or 'every line whole'})")
    print(text[-2000:])
    return 1


SCRIPTED_RE = [r"^shell: no terminal: a scripted session$", r"^selene> help$",
               r"^commands:$", r"^selene> services$", r"^selene> ps$", r"^selene> uintr$",
               r"^uintr: 20 user interrupts .* all delivered$", r"^selene> poweroff$",
               r"^poweroff: bye$"]


def cmd_readme_run(args):
    """The README's run command without a terminal: the `run` command of this harness (what
    `./selene run` ends in) with its input not a terminal runs the scripted session and
    exits 0."""
    cmd = [sys.executable, os.path.abspath(__file__), "run", "--qemu", args.qemu,
           "--image", args.image, "--smp", str(args.smp), "--timeout", str(args.timeout)]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=args.timeout + 30, check=False)
        status, text = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        status, text = None, (e.stdout or b"").decode(errors="replace")
    errors = [f"no {r!r}" for r in SCRIPTED_RE if not re.search(r, text, re.M)]
    if status != 0:
        errors.append("timeout" if status is None else f"exit status {status}")
    print(f"readme-run: exit {status} after {time.monotonic() - start:.1f}s")
    for e in errors:
        print(f"readme-run: {e}")
    if errors:
        print(text[-3000:])
    return 1 if errors else 0


def cmd_demo_run(args):
    """`run` without a terminal (what ./selene run does in CI): the scripted session, 0."""
    cmd = qemu_command(args.qemu, args.image, args.smp, args.machine, False,
                       bootargs="scripted")
    start = time.monotonic()
    status, lines = boot(cmd, args.timeout)
    took = time.monotonic() - start
    text = "\n".join(lines)
    errors = [f"no {r!r}" for r in SCRIPTED_RE if not re.search(r, text, re.M)]
    if status != 0:
        errors.append("timeout" if status is None else f"exit status {status}")
    print("\n".join(lines if errors else lines[-12:]))
    print(f"demo-run: exit {status} after {took:.1f}s")
    for e in errors:
        print(f"demo-run: {e}")
    return 1 if errors else 0


ROBUST_RE = re.compile(r"^ROBUST ([a-z0-9_]+) (\d+) ([a-z]+)$")
ROBUST_BOOTARGS = "test test-debug=check capcheck=all untyped-bits=22 test-budget=600"
SOAK_BOOTARGS = "test test-debug=check untyped-bits=22 test-budget=600"
IRQ_BOOTARGS = "test test-debug=info+check untyped-bits=23 capcheck=off"
STORM4_BOOTARGS = "test test-debug=info+check untyped-bits=22 capcheck=off"


def children_cpu():
    """CPU seconds used by this process's ended children (QEMU, once it exits)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cmd_robust(args):
    """The long runs: the fuzzer, --boots boots per configuration with seeds
    --seed, --seed + 1, ..., each with --calls calls per fuzzing thread; then
    the soak image, --soak-boots boots of --soak-cycles cycles; then the
    interrupt-storm and deep-revoke image (--irq-image) once on smp1 (its
    figures are measured under -icount there), and the storms on four harts
    (--storm4-image) once on smp4. --capcheck N runs the invariant checker
    after every N-th syscall of the fuzzer (default "all": every one); --extra
    adds boot arguments to the fuzzer's and the soak's boots. Prints
    the figures summed over the boots as ROBUST lines, and each panic or
    failure with the boot arguments that replay it; on stderr, each boot's
    wall-clock and CPU time."""
    totals, panics, problems = {}, 0, []
    fuzz_args = ROBUST_BOOTARGS.replace("capcheck=all", f"capcheck={args.capcheck}")
    extra = f" {args.extra}" if args.extra else ""
    runs = [(args.image, f"{fuzz_args} fuzz={args.seed + b},{args.calls}{extra}")
            for b in range(args.boots)]
    runs += [(args.soak_image, f"{SOAK_BOOTARGS} soak-cycles={args.soak_cycles}{extra}")
             for _ in range(args.soak_boots if args.soak_image else 0)]
    plan = [(config, image, bootargs) for config in args.configs.split(",")
            for image, bootargs in runs]
    if args.irq_image:
        plan.append(("smp1", args.irq_image, IRQ_BOOTARGS))
    if args.storm4_image:
        plan.append(("smp4", args.storm4_image, STORM4_BOOTARGS))
    for config, image, bootargs in plan:
        conf = CONFIGS[config]
        cmd = qemu_command(args.qemu, image, conf["smp"], conf["machine"],
                           conf["icount"], bootargs=bootargs)
        start, cpu = time.monotonic(), children_cpu()
        status, lines = boot(cmd, args.timeout)
        took, cpu = time.monotonic() - start, children_cpu() - cpu
        where = f"{config}, -append \"{bootargs}\""
        for line in lines:
            m = ROBUST_RE.match(line)
            if m:
                name = f"{config}_{m.group(1)}"
                value, unit = totals.get(name, (0, m.group(3)))
                totals[name] = (value + int(m.group(2)), unit)
            elif line.startswith("PANIC"):
                panics += 1
                problems.append(f"{line} ({where})")
            elif RESULT_RE.match(line) and " FAIL" in line or line.startswith("DRIVER-ERROR"):
                problems.append(f"{line} ({where})")
        if status is None:
            problems.append(f"timeout after {args.timeout}s ({where})")
        print(f"robust: {config} {bootargs}: {took:.0f}s ({cpu:.0f}s of CPU), "
              f"exit status {status}", file=sys.stderr)
    for name in [n for n in totals if n.endswith("_distinct_results")]:
        prefix = name[:-len("distinct_results")] + "result_"
        totals[name] = (sum(1 for n, (v, _) in totals.items() if n.startswith(prefix) and v),
                        "count")
    for name, (value, unit) in sorted(totals.items()):
        print(f"ROBUST {name} {value} {unit}")
    print(f"ROBUST fuzz_panics {panics} count")
    for p in problems:
        print(f"robust: {p}", file=sys.stderr)
    return 1 if problems else 0


def cmd_robust_replay(args):
    """Minimises a failing fuzzer seed: one fuzzing thread on one hart under
    -icount replays exactly, so the shortest run that still panics (or
    fails) is found by bisecting the calls; that run is then booted again
    with tracing and its last calls and the panic line are printed."""
    conf = CONFIGS["smp1"]

    def run(calls, trace=False):
        bootargs = (f"{ROBUST_BOOTARGS} {args.extra} "
                    f"fuzz={args.seed},{calls},1,{int(trace)}").replace("  ", " ")
        cmd = qemu_command(args.qemu, args.image, conf["smp"], conf["machine"], conf["icount"],
                           bootargs=bootargs)
        status, lines = boot(cmd, args.timeout)
        # a panic while the fuzzer runs (before its result line), or a violation it counted
        bad = []
        for line in lines:
            if line.startswith("TEST ROBUST_0001"):
                break
            if line.startswith("PANIC") or re.match(r"^fuzz seed .* [1-9]\d* violations", line):
                bad.append(line)
        return bad, lines, bootargs

    bad, _, bootargs = run(args.calls)
    if not bad:
        print(f"robust-replay: seed {args.seed} with {args.calls} calls does not fail")
        return 1
    lo, hi = 0, args.calls  # lo passes, hi fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if run(mid)[0]:
            hi = mid
        else:
            lo = mid
        print(f"robust-replay: between {lo} and {hi} calls", file=sys.stderr)
    bad, lines, bootargs = run(hi, trace=True)
    trace = [l for l in lines if l.startswith("fuzz ")]
    print(f"robust-replay: seed {args.seed} fails after {hi} calls of one thread; "
          f"replay with -append \"{bootargs}\"")
    print("\n".join(trace[-args.last:]))
    print("\n".join(bad))
    return 0


def main():
    ap = argparse.ArgumentParser(description="Boot Selene images in QEMU.")
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("run", "debug", "test", "bench", "bench-check", "run-check", "control",
                 "robust", "robust-replay", "demo", "demo-control", "demo-run",
                 "readme-run"):
        p = sub.add_parser(name)
        p.add_argument("--qemu", default="qemu-system-riscv64")
        p.add_argument("--image", required=True)
        p.add_argument("--timeout", type=int, default=120)
        if name in ("run", "debug", "run-check", "demo", "demo-control", "demo-run",
                    "readme-run"):
            p.add_argument("--smp", type=int, default=4)
            p.add_argument("--machine", default="virt")
        if name == "debug":
            p.add_argument("--symbols", action="append", default=[])
        if name == "bench":
            p.add_argument("--chart", default="", help="write the SVG chart of the figures here")
        if name == "test":
            p.add_argument("--config", choices=sorted(CONFIGS), required=True)
            p.add_argument("--group", required=True)
            p.add_argument("--expect", required=True, help="comma-separated IDs of the group")
            p.add_argument("--id", required=True)
            p.add_argument("--cache", required=True)
            p.add_argument("--bootargs", default="test")
            p.add_argument("--variant", default="", help="names the boot-argument variant")
        if name == "control":
            p.add_argument("--config", choices=sorted(CONFIGS), required=True)
            p.add_argument("--bootargs", required=True)
            p.add_argument("--catch", required=True, help="comma-separated IDs; one must FAIL")
        if name == "demo":
            p.add_argument("--id", required=True)
            p.add_argument("--cache", required=True)
        if name == "robust":
            p.add_argument("--configs", default="smp1,smp4")
            p.add_argument("--boots", type=int, default=10)
            p.add_argument("--calls", type=int, default=25000, help="per fuzzing thread")
            p.add_argument("--seed", type=int, default=1000)
            p.add_argument("--soak-image", default="")
            p.add_argument("--soak-boots", type=int, default=20)
            p.add_argument("--soak-cycles", type=int, default=50000)
            p.add_argument("--irq-image", default="", help="the storm and deep-revoke image")
            p.add_argument("--storm4-image", default="", help="the storms on four harts")
            p.add_argument("--capcheck", default="all",
                           help="the fuzzer's checker after every N-th syscall (or all)")
            p.add_argument("--extra", default="",
                           help="more boot arguments of the fuzzer's and the soak's boots "
                                "(spin-watchdog=<ms> on a host that starves QEMU)")
        if name == "robust-replay":
            p.add_argument("--seed", type=int, required=True)
            p.add_argument("--calls", type=int, default=5000, help="a run this long fails")
            p.add_argument("--extra", default="", help="more boot arguments (inject=...)")
            p.add_argument("--last", type=int, default=12, help="trace lines to print")
    args = ap.parse_args()
    if not os.path.exists(args.image):
        print(f"{args.image}: no such image (build it first)")
        return 1
    handler = {"run": cmd_run, "debug": cmd_debug, "test": cmd_test, "bench": cmd_bench,
               "bench-check": cmd_bench_check, "run-check": cmd_run_check,
               "control": cmd_control, "robust": cmd_robust, "demo": cmd_demo,
               "demo-control": cmd_demo_control, "demo-run": cmd_demo_run,
               "readme-run": cmd_readme_run,
               "robust-replay": cmd_robust_replay}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
