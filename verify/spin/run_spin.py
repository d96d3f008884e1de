#!/usr/bin/env python3
"""Check one Promela model with Spin and compare the verdict with an expectation.

Usage:
  run_spin.py MODEL.pml [-D NAME[=VALUE]]... [--expect pass|fail]
              [--error-match REGEX] [--np] [--depth N] [--hash-bits N]
              [--memlim MB] [--collapse] [--spin PATH] [--cc PATH] [--show-trail]

Steps, in a fresh temporary directory (nothing is written next to the model):
  1. spin -a [-D...] MODEL           generate the verifier pan.c
  2. cc -O2 -DSAFETY -DMEMLIM=MB     compile it (-DNP instead of -DSAFETY with
                                     --np: search for non-progress cycles;
                                     -DCOLLAPSE with --collapse: exact state
                                     compression, never bitstate)
  3. ./pan -m DEPTH -w HASH [-l]     exhaustive search (no bitstate, no random
                                     seed: the run is deterministic)

It prints the model's bounds (the `#define NAME VALUE /* bound: ... */` lines,
with -D overrides applied), the states stored, transitions, depth reached,
memory, time and "errors: N", and exits 0 iff the result matches --expect:
  pass  Spin found no error (assertion, invalid end state, or with --np a
        non-progress cycle);
  fail  Spin found an error and, with --error-match, the first error it
        reported matches REGEX (so a mutant fails for the documented reason).
Whatever the expectation, a run is a failure (exit 1) when the model does not
parse, pan.c does not compile, the search was truncated by the depth limit
("max search depth too small"), or it ran out of memory (the -DMEMLIM bound,
or malloc): a verdict from an incomplete search proves nothing. Exit 2 means a
usage error. Only the Python standard library is used.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

BOUND_RE = re.compile(r"^\s*#\s*define\s+(\w+)\s+(\S+)\s*/\*\s*bound:\s*(.*?)\s*\*/")
ERROR_LINE_RE = re.compile(r"^pan:\d+:\s*(.*)$", re.M)
TRUNCATED_MARKERS = ("max search depth too small",)
MEMORY_MARKERS = ("reached -DMEMLIM bound", "out of memory", "memory limit")


class RunFailure(Exception):
    """A run that cannot give a verdict (syntax error, truncation, memory)."""


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VALUE]",
                    help="a macro for the model (selects a mutant, or overrides a bound)")
    ap.add_argument("--expect", choices=("pass", "fail"), default="pass")
    ap.add_argument("--error-match", metavar="REGEX",
                    help="with --expect fail: the first error must match REGEX")
    ap.add_argument("--np", action="store_true",
                    help="search for non-progress cycles (-DNP, pan -l) instead of safety")
    ap.add_argument("--collapse", action="store_true",
                    help="compile with -DCOLLAPSE (exact state compression: less memory)")
    ap.add_argument("--depth", type=int, default=10000, help="pan -m (default 10000)")
    ap.add_argument("--hash-bits", type=int, default=22, help="pan -w (default 22)")
    ap.add_argument("--memlim", type=int, default=1024, help="pan's memory limit in MB (default 1024)")
    ap.add_argument("--spin", default="spin")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--timeout", type=int, default=900, help="seconds for each step")
    ap.add_argument("--show-trail", action="store_true",
                    help="print the counterexample Spin found (it is always printed "
                         "when an error was not expected)")
    args = ap.parse_args(argv)
    if args.error_match and args.expect != "fail":
        ap.error("--error-match needs --expect fail")
    for d in args.defines:
        if not re.fullmatch(r"\w+(=\S+)?", d):
            ap.error(f"bad -D {d!r}")
    return args


def model_bounds(path, defines):
    """The bound lines of the model, with -D overrides applied."""
    overrides = {}
    for d in defines:
        name, _, value = d.partition("=")
        overrides[name] = value or "1"
    bounds = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = BOUND_RE.match(line)
            if m and all(b[0] != m.group(1) for b in bounds):
                name = m.group(1)
                bounds.append((name, overrides.get(name, m.group(2)), m.group(3)))
    return bounds


def run(cmd, cwd, timeout):
    t0 = time.monotonic()
    try:
        res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                             check=False)
    except FileNotFoundError as e:
        raise RunFailure(f"cannot run {cmd[0]}: {e}") from e
    except subprocess.TimeoutExpired as e:
        raise RunFailure(f"{' '.join(cmd)}: no result after {timeout} s") from e
    return res, time.monotonic() - t0


def generate(args, work, model_name):
    cmd = [args.spin, "-a"] + [f"-D{d}" for d in args.defines] + [model_name]
    res, _ = run(cmd, work, args.timeout)
    out = res.stdout + res.stderr
    if res.returncode != 0 or re.search(r"error", out, re.I) or \
            not os.path.exists(os.path.join(work, "pan.c")):
        raise RunFailure(f"spin -a failed (exit {res.returncode}):\n{out.strip()}")


def compile_pan(args, work):
    mode = "-DNP" if args.np else "-DSAFETY"
    cmd = [args.cc, "-O2", "-w", mode, f"-DMEMLIM={args.memlim}"] + \
        (["-DCOLLAPSE"] if args.collapse else []) + ["-o", "pan", "pan.c"]
    res, secs = run(cmd, work, args.timeout)
    if res.returncode != 0:
        raise RunFailure(f"{' '.join(cmd)} failed:\n{(res.stdout + res.stderr).strip()}")
    return " ".join(cmd), secs


def search(args, work):
    cmd = ["./pan", f"-m{args.depth}", f"-w{args.hash_bits}"] + (["-l"] if args.np else [])
    res, secs = run(cmd, work, args.timeout)
    return " ".join(cmd), res.stdout + res.stderr, secs


def stats(out):
    def grab(pattern, conv=int):
        m = re.search(pattern, out)
        return conv(m.group(1)) if m else None
    return {
        "errors": grab(r"errors:\s*(\d+)"),
        "states": grab(r"(\d+) states, stored"),
        "transitions": grab(r"(\d+) transitions"),
        "depth": grab(r"depth reached (\d+)"),
        "vector": grab(r"State-vector (\d+) byte"),
        "memory": grab(r"([\d.]+)\s+total actual memory usage", float),
        "pan_time": grab(r"pan: elapsed time ([\d.e+-]+) seconds", float),
    }


def trail(args, work, model_name):
    cmd = [args.spin, "-t", "-p"] + [f"-D{d}" for d in args.defines] + [model_name]
    res, _ = run(cmd, work, args.timeout)
    return res.stdout + res.stderr


def main(argv):
    args = parse_args(argv)
    if not os.path.isfile(args.model):
        print(f"run_spin: no such model: {args.model}", file=sys.stderr)
        return 2
    model_name = os.path.basename(args.model)
    what = "non-progress cycles" if args.np else "safety (assertions, invalid end states)"
    print(f"model: {args.model}")
    print(f"defines: {' '.join('-D' + d for d in args.defines) or '(none)'}")
    print(f"check: {what}; expect: {args.expect}"
          + (f" (first error matching /{args.error_match}/)" if args.error_match else ""))
    for name, value, desc in model_bounds(args.model, args.defines):
        print(f"bound: {name} = {value}  ({desc})")
    sys.stdout.flush()

    work = tempfile.mkdtemp(prefix="spin-")
    try:
        shutil.copy(args.model, os.path.join(work, model_name))
        generate(args, work, model_name)
        cc_cmd, cc_secs = compile_pan(args, work)
        pan_cmd, out, pan_secs = search(args, work)
        print(f"compile: {cc_cmd} ({cc_secs:.1f} s)")
        print(f"search: {pan_cmd} ({pan_secs:.1f} s)")
        s = stats(out)
        errors_found = ERROR_LINE_RE.findall(out)
        for marker in MEMORY_MARKERS:
            if marker in out:
                raise RunFailure(f"search ran out of memory ({marker})\n{out.strip()}")
        for marker in TRUNCATED_MARKERS:
            if marker in out:
                raise RunFailure(f"search incomplete ({marker}): raise --depth\n{out.strip()}")
        if s["errors"] is None or s["states"] is None:
            raise RunFailure(f"pan gave no result:\n{out.strip()}")
        if s["errors"] == 0 and "Search not completed" in out:
            raise RunFailure(f"search incomplete without an error:\n{out.strip()}")
        print(f"states stored: {s['states']}")
        print(f"transitions: {s['transitions']}")
        print(f"depth reached: {s['depth']}")
        print(f"state vector: {s['vector']} bytes")
        if s["memory"] is not None:
            print(f"memory: {s['memory']:.1f} MB")
        print(f"time: {pan_secs:.1f} s")
        if errors_found:
            print(f"first error: {errors_found[0]}")
        print(f"errors: {s['errors']}")

        ok = (s["errors"] == 0) if args.expect == "pass" else (s["errors"] > 0)
        if ok and args.expect == "fail" and args.error_match:
            first = errors_found[0] if errors_found else ""
            if not re.search(args.error_match, first):
                print(f"run_spin: the error is not the expected one: /{args.error_match}/")
                ok = False
        if s["errors"] and (args.show_trail or not ok):
            print("---- counterexample (spin -t -p) ----")
            print(trail(args, work, model_name).rstrip())
            print("---- end of counterexample ----")
        verdict = "as expected" if ok else "NOT as expected"
        print(f"result: {'PASS' if ok else 'FAIL'} ({'errors' if s['errors'] else 'no errors'}, "
              f"{verdict}: --expect {args.expect})")
        return 0 if ok else 1
    except RunFailure as e:
        print(f"run_spin: {e}")
        print("result: FAIL (no verdict)")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
