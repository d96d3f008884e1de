#!/usr/bin/env python3
"""Run Frama-C WP on selected functions of the capability core (kernel/cap/).

Usage: run_wp.py [--frama-c PATH] [--why3 PATH] [--z3-steps N] [--cvc4-steps N]
                 [--timeout S] [--jobs N] [--group core|delete|retype] [--target NAME]...
                 [--manifest FILE] [--write-manifest] [--mutant NAME] [--keep DIR]

--group selects the set of translation units and targets: "core" (default,
VERIFY_0101: Copy, Mint, Move, Mutate and the list primitives), "delete"
(VERIFY_0105: Delete and Revoke, kernel/cap/delete.c) or "retype"
(VERIFY_0307: Retype and Reset, kernel/cap/untyped_retype.c). The last two
parse the same files; they are two tests so that each ends well inside its
time limit on a loaded 2-core host.

Every target (a function, see TARGETS) is proved with -wp-rte, provers z3 and
cvc4 through a private Why3 configuration (`why3 config detect` into a temp
directory), -wp-par N (--jobs, default 2). The summary gives proved/total
goals per function.

What decides a goal is a prover's resource counter, not the clock: each
prover gets a fixed step limit per goal (STEPS, or --z3-steps/--cvc4-steps:
Z3's rlimit, CVC4's --rlimit; the private configuration's step commands
carry them, -wp-steps selects those commands), so a goal's outcome is the
same on a quiet and on a loaded machine. The wall-clock --timeout is only a
safety net, far above the time the step limits take: a goal on which a
prover was stopped by it (not by its steps) is run again at
--retry-timeout, and if the clock still decides, the run exits 2 (its
outcome would depend on the load).

The expected result is a manifest of goal names (manifests/<group>.goals, or
--manifest): one line per goal, "proved NAME" or "open NAME  # why". The run
passes only if the goals of the selected targets are exactly those of the
manifest with exactly the recorded status: a goal expected proved that is not,
a goal expected open that is proved, a goal missing or a goal not listed all
fail it (a regression is a failure; so is an improvement nobody recorded).
--write-manifest records the goals of this run instead (keeping the reasons
of goals already listed as open):

    python3 verify/frama-c/run_wp.py --group core --write-manifest

--mutant NAME (mutants.py) applies one seeded bug to a copy of kernel/ in a
temp directory (the source text it replaces must occur exactly once), proves
the mutant's targets on the copy and passes only if every goal the mutant
must kill is unproved on it and listed "proved" in the manifest of the real
code: the property it breaks is one the proofs establish, and they catch it.

Anything that makes the run meaningless -- frama-c or why3 missing, no prover
detected, no goal found, a summary that cannot be parsed, a target with no
goals, a mutant whose text is not found -- exits 2 whatever is expected, so
no test passes vacuously.
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

# Translation units parsed for the proofs (the helpers' definitions live in
# these; contracts of everything else are used as given).
SOURCES = ["kernel/cap/cdt.c", "kernel/cap/cdt_list.c", "kernel/cap/object_table.c"]

# The functions proved in VERIFY_0101 (Copy, Mint, Move, Mutate and what they
# call). Which of their goals are proved and which stay open (and why) is in
# manifests/core.goals.
TARGETS = [
    "cte_is_empty", "cap_is_zombie", "cap_rights_within", "cap_rights_valid",
    "check_src_dest", "apply_data",
    "derive", "derive_child", "cdt_copy", "cdt_mint", "cdt_move", "cdt_mutate",
    "cdt_insert_new", "cdt_relocate", "cdt_link_after", "cte_clear",
    "cdt_has_children", "cap_type_info", "cap_identify",
]

# Delete, Revoke and Retype. The helpers of cdt_list.c and object_table.c
# are parsed for their contracts; registry hooks (cap_debug.h) and kernel
# hooks (cap.h) are used through their contracts. The reaper's helpers
# (reap_step, zombie_finish, zombie_swap, zombie_inside, zombie_next,
# leaf_below, revoke_step) have contracts but are not targets
# (verify/frama-c/README.md, "Delete, Revoke and Retype"). Two groups over
# the same files: Delete and Revoke (VERIFY_0105), Retype and Reset
# (VERIFY_0307), each with its manifest.
DR_SOURCES = ["kernel/cap/delete.c", "kernel/cap/untyped_retype.c", "kernel/cap/cdt_list.c",
              "kernel/cap/object_table.c"]
DELETE_TARGETS = ["preempt_due", "make_zombie", "delete_one", "cdt_delete", "cdt_revoke"]
RETYPE_TARGETS = ["slots_empty", "new_object_cap", "untyped_retype", "place", "check_kind",
                  "create_one", "untyped_reset"]

GROUPS = {
    "core": (SOURCES, TARGETS),
    "delete": (DR_SOURCES, DELETE_TARGETS),
    "retype": (DR_SOURCES, RETYPE_TARGETS),
}

# Defines of each group's parse. Delete/Revoke and Retype state nothing about
# the tree invariants: CAP_SPEC_NO_TREE leaves the callees' inv_* post-
# conditions out of their goals' context (kernel/cap/cap_spec.h), where they
# made goals that Qed proves without them time out (create_one's new_cap).
GROUP_DEFINES = {
    "delete": ["CAP_SPEC_NO_TREE"],
    "retype": ["CAP_SPEC_NO_TREE"],
}

# Lemmas of the group's ACSL (kernel/cap/cap_spec.h), proved in a run of
# their own.
LEMMAS = {
    "core": ["land_comm", "land_assoc"],
}

# Why3 provers per group. "z3-ce" is Z3 through Why3's counterexample
# driver: with Frama-C 25 and Why3 1.5.1 the plain "z3" entry fails every
# goal with "Unknown error" (so the goals of the groups using it are, in
# fact, all proved by Qed or CVC4), while "z3-ce" runs. The core group, where
# the derivation-tree invariants are proved (cap_spec.h), uses it; the
# Delete/Revoke and Retype groups keep their recorded prover list.
PROVERS = {
    "core": "z3-ce,cvc4",
    "delete": "z3,cvc4",
    "retype": "z3,cvc4",
}

# Per-goal step limits of each group: Z3's rlimit and CVC4's --rlimit (their
# units differ: a CVC4 step costs some ten times a Z3 one). Set from the
# steps the proved goals need (the log of a run with --keep gives each
# prover's count) with a wide margin, and low enough that the goals left
# open, each of which runs both provers to their limits, keep the tests
# within their time (verify/frama-c/README.md, "Determinism").
STEPS = {
    "core": {"Z3": 20000000, "CVC4": 1000000},
    "delete": {"Z3": 5000000, "CVC4": 500000},
    "retype": {"Z3": 5000000, "CVC4": 500000},
}

# CPU seconds per goal and prover, per group (prlimit --cpu in the step
# command). Neither counter ticks in every phase: CVC4's --rlimit on some
# goals runs on for minutes past its limit (the false goal of the mint_or
# mutant ran ten minutes at --rlimit=1000000), and the plain z3 entry of the
# delete and retype groups (bit-vector driver) ran past 20 s of CPU at
# rlimit 5 M. A CPU-time cap stops them there. CPU time, unlike the wall
# clock, hardly grows with the machine's load, and the goals proved need at
# most a third of these (Z3's 16.2 M steps in the core group take about 17 s
# of CPU, its slowest elsewhere under a second; CVC4's slowest, 249 k steps,
# about 3 s).
CPU_CAP = {
    "core": {"Z3": 60, "CVC4": 20},
    "delete": {"Z3": 10, "CVC4": 10},
    "retype": {"Z3": 10, "CVC4": 10},
}

HERE = os.path.dirname(os.path.abspath(__file__))
GOAL_RE = re.compile(r"^\[wp\] \[(\w+)\] Goal (typed_\w+)(?: : (\w+))?")


def fail(msg):
    print("run_wp: ERROR: " + msg, file=sys.stderr)
    sys.exit(2)


def goal_function(goal, functions):
    """The function a WP goal name belongs to (longest matching target)."""
    name = goal[len("typed_"):]
    best = None
    for f in functions:
        if name.startswith(f + "_") and (best is None or len(f) > len(best)):
            best = f
    return best


def read_manifest(path):
    """{goal: (status, reason)} from a manifest file."""
    goals = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            text, _, why = line.partition("#")
            words = text.split()
            if not words:
                continue
            if len(words) != 2 or words[0] not in ("proved", "open"):
                fail("%s:%d: expected 'proved NAME' or 'open NAME  # why'" % (path, n))
            if words[1] in goals:
                fail("%s:%d: goal %s listed twice" % (path, n, words[1]))
            goals[words[1]] = (words[0], why.strip())
    return goals


def write_manifest(path, group, observed, old, targets, run):
    """Record the observed statuses of the functions in `run` (the others'
    lines are kept); reasons of open goals are kept."""
    keep = {g: v for g, v in old.items() if goal_function(g, targets) not in run}
    lines = [
        "# Goals of run_wp.py --group %s: one line per goal, \"proved NAME\" or" % group,
        "# \"open NAME  # why\", each decided by the group's step limits (run_wp.py,",
        "# STEPS). The group's test fails on any other difference in either",
        "# direction. Refresh after a change to the contracts or the code:",
        "#   python3 verify/frama-c/run_wp.py --group %s --write-manifest" % group,
        "# and give every new open goal its reason.",
    ]
    merged = dict(keep)
    for g, st in observed.items():
        why = old.get(g, ("", ""))[1] if st == "open" else ""
        merged[g] = (st, why)
    fns = targets + sorted({goal_function(g, targets) or "" for g in keep} - set(targets))
    for fn in fns:
        gs = sorted(g for g in merged if (goal_function(g, targets) or "") == fn)
        if not gs:
            continue
        lines.append("")
        lines.append("# %s: %d/%d proved" % (fn or "(other)",
                                             sum(merged[g][0] == "proved" for g in gs), len(gs)))
        for g in gs:
            st, why = merged[g]
            lines.append(("%-6s %s" % (st, g)) + ("  # " + why if st != "proved" and why else ""))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


PRLIMIT = shutil.which("prlimit") or "/usr/bin/prlimit"


def write_step_config(why3, env, conf, steps, cpu):
    """Rewrite the private Why3 configuration `conf` in full (`why3 config
    show`), each Z3 and CVC4 entry's step command carrying its limit from
    `steps` in place of Why3's one %S, under a CPU-time cap (CPU_CAP): WP's
    -wp-steps selects those commands, and each prover stops at its own
    count."""
    if not os.access(PRLIMIT, os.X_OK):
        fail("prlimit not found (util-linux)")
    res = subprocess.run([why3, "config", "show"], env=env, capture_output=True, text=True)
    if res.returncode != 0 or "[prover]" not in res.stdout:
        fail("why3 config show failed:\n" + res.stdout[-2000:] + res.stderr[-2000:])
    sections = re.split(r"(?m)^(?=\[)", res.stdout)
    done = set()
    for i, sec in enumerate(sections):
        name = re.search(r'^name = "(\w+)"', sec, re.M)
        if not sec.startswith("[prover]") or not name or name.group(1) not in steps:
            continue
        if steps[name.group(1)] <= 0:
            fail("no step limit for %s" % name.group(1))
        prover = name.group(1)
        sec, n = re.subn(r'^command_steps = "(.*?)%S', lambda m: 'command_steps = "%s --cpu=%d %s%d'
                         % (PRLIMIT, cpu[prover], m.group(1), steps[prover]), sec, flags=re.M)
        if n != 1:
            fail("no step command for %s in the Why3 configuration" % name.group(1))
        sections[i] = sec
        done.add(name.group(1))
    if done != set(steps):
        fail("no Why3 entry for %s" % ", ".join(sorted(set(steps) - done)))
    with open(conf, "w") as f:
        f.write("".join(sections))


def make_mutant(mutant, work):
    """Copy kernel/ to work/ and apply the mutant; returns the new root."""
    root = os.path.join(work, "mutant")
    if os.path.exists(root):
        shutil.rmtree(root)
    shutil.copytree(os.path.join(ROOT, "kernel"), os.path.join(root, "kernel"))
    path = os.path.join(root, mutant["file"])
    with open(path) as f:
        text = f.read()
    n = text.count(mutant["old"])
    if n != 1:
        fail("mutant %s: the text to replace occurs %d times in %s (expected once): "
             "update verify/frama-c/mutants.py" % (mutant["name"], n, mutant["file"]))
    with open(path, "w") as f:
        f.write(text.replace(mutant["old"], mutant["new"]))
    return root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frama-c", default=shutil.which("frama-c"))
    ap.add_argument("--why3", default=shutil.which("why3"))
    ap.add_argument("--z3-steps", type=int, help="Z3's rlimit per goal (default: STEPS)")
    ap.add_argument("--cvc4-steps", type=int, help="CVC4's --rlimit per goal (default: STEPS)")
    ap.add_argument("--timeout", type=int, default=900,
                    help="wall-clock safety net per goal and prover (s); the steps decide")
    ap.add_argument("--retry-timeout", type=int, default=1800,
                    help="safety net of the second run of goals the first net stopped")
    ap.add_argument("--jobs", type=int, default=2, help="provers run in parallel (-wp-par)")
    ap.add_argument("--group", choices=sorted(GROUPS), default="core")
    ap.add_argument("--define", action="append", default=[], help="extra -D for the parse")
    ap.add_argument("--target", action="append", default=[], help="restrict to these functions")
    ap.add_argument("--manifest", help="expected goals (default manifests/<group>.goals)")
    ap.add_argument("--write-manifest", action="store_true",
                    help="record this run's goals in the manifest instead of comparing")
    ap.add_argument("--prop", action="append", default=[],
                    help="only these properties (-wp-prop: a name, or @requires, @ensures...)")
    ap.add_argument("--mutant", help="a seeded bug of mutants.py, expected to be caught")
    ap.add_argument("--keep", help="directory for the Why3 config and the log (default: temp)")
    args = ap.parse_args()

    if not args.frama_c or not os.access(args.frama_c, os.X_OK):
        fail("frama-c not found (apt-get install frama-c-base)")
    if not args.why3 or not os.access(args.why3, os.X_OK):
        fail("why3 not found (apt-get install why3)")
    mutant = None
    if args.mutant:
        sys.path.insert(0, HERE)
        import mutants
        mutant = mutants.MUTANTS.get(args.mutant)
        if mutant is None:
            fail("unknown mutant %s (see mutants.py)" % args.mutant)
        mutant = dict(mutant, name=args.mutant)
        args.group = mutant.get("group", "core")
        args.target = args.target or mutant["targets"]
    sources, all_targets = GROUPS[args.group]
    steps = dict(STEPS[args.group])
    steps["Z3"] = args.z3_steps or steps["Z3"]
    steps["CVC4"] = args.cvc4_steps or steps["CVC4"]
    targets = args.target or all_targets
    for t in targets:
        if t not in all_targets:
            fail("unknown target " + t)
    manifest_path = args.manifest or os.path.join(HERE, "manifests", args.group + ".goals")
    manifest = read_manifest(manifest_path) if os.path.exists(manifest_path) else None
    if manifest is None and not args.write_manifest:
        fail("no manifest " + manifest_path)

    work = args.keep or tempfile.mkdtemp(prefix="selene-wp-")
    os.makedirs(work, exist_ok=True)
    root = make_mutant(mutant, work) if mutant else ROOT
    conf = os.path.join(work, "why3.conf")
    env = dict(os.environ, WHY3CONFIG=conf, PWD=ROOT)
    det = subprocess.run([args.why3, "config", "detect"], env=env, capture_output=True, text=True)
    if det.returncode != 0 or not os.path.exists(conf):
        fail("why3 config detect failed:\n" + det.stdout + det.stderr)
    with open(conf) as f:
        text = f.read()
    provers = re.findall(r'^name = "(\w+)"', text, re.M)
    for p in ("Z3", "CVC4"):
        if p not in provers:
            fail("prover %s not in the Why3 configuration (found: %s)" % (p, provers or "none"))
    write_step_config(args.why3, env, conf, steps, CPU_CAP[args.group])

    clocked = set()  # goals a prover of which the wall-clock net stopped

    def run(fcts, timeout, tag, select=None, props=None):
        """One frama-c run over `fcts` (or over the properties `select`), or
        over the properties `props` of `fcts` only: ({goal: proved|open}, seconds)."""
        cmd = base + ["-wp-timeout", str(timeout)] + (
            ["-wp-prop", ",".join(select)] if select else ["-wp-fct", ",".join(fcts)]) + (
            ["-wp-prop", ",".join(props)] if props else [])
        t0 = time.monotonic()
        res = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        elapsed = time.monotonic() - t0
        out = res.stdout + res.stderr
        with open(os.path.join(work, "wp%s.log" % tag), "w") as f:
            f.write(out)
        if res.returncode != 0:
            print(out[-4000:], file=sys.stderr)
            fail("frama-c exited with %d" % res.returncode)
        m = re.search(r"^\[wp\] Proved goals:\s+(\d+) / (\d+)", out, re.M)
        if not m:
            print(out[-4000:], file=sys.stderr)
            fail("no 'Proved goals' summary in the Frama-C output")
        seen = {}
        goal = None
        for line in out.splitlines():
            g = GOAL_RE.match(line)
            if g:
                ok = g.group(1) != "Failed" and g.group(3) == "Valid"
                seen[g.group(2)] = "proved" if ok else "open"
                goal = None if ok else g.group(2)
            elif goal and re.match(r"^\s+\w+: Timeout", line):
                clocked.add(goal)  # a prover stopped by the clock, not its steps
        if len(seen) != int(m.group(2)) or \
                sum(v == "proved" for v in seen.values()) != int(m.group(1)):
            fail("per-goal lines (%d, %d proved) disagree with the summary (%s / %s)"
                 % (len(seen), sum(v == "proved" for v in seen.values()), m.group(1),
                    m.group(2)))
        clocked.difference_update(g for g, st in seen.items() if st == "proved")
        return seen, elapsed

    cpp = " ".join(["-DSELENE_DEBUG", "-I" + os.path.join(root, "kernel/abi"),
                    "-I" + os.path.join(root, "kernel")] +
                   ["-D" + d for d in GROUP_DEFINES.get(args.group, []) + args.define])
    base = [args.frama_c, "-cpp-extra-args=" + cpp] + [os.path.join(root, s) for s in sources] + [
        "-wp", "-wp-rte", "-wp-prover", PROVERS[args.group],
        "-wp-par", str(args.jobs), "-wp-msg-key", "shell",
        "-wp-steps", str(max(steps.values())),
        # The initialiser of the const table cap_types[] is left out of every
        # goal's context: no proof needs it (cap_type_info()'s contract
        # says where the row is, not what it holds), and its 153 facts
        # drowned the provers (derive's struct-copy goals timed out with it).
        "-wp-no-init-const",
        "-wp-cache", "none",
    ]
    if mutant and mutant.get("props"):
        base += ["-wp-prop", ",".join(mutant["props"])]
    if args.prop:
        base += ["-wp-prop", ",".join(args.prop)]
    print("run_wp: machine model: Frama-C default x86_64 (LP64, as RV64); "
          "defines: %s" % cpp)
    if mutant:
        print("run_wp: mutant %s (%s): %s" % (mutant["name"], mutant["file"], mutant["breaks"]))
    observed, elapsed = run(targets, args.timeout, "")
    # Lemmas are hypotheses of every goal but -wp-fct does not prove them:
    # they get their own run (goals typed_lemma_*).
    if LEMMAS.get(args.group) and not mutant:
        proved_lemmas, more = run([], args.timeout, ".lemmas", LEMMAS[args.group])
        observed.update(proved_lemmas)
        elapsed += more
    # A goal on which a prover was stopped by the wall-clock net rather than by
    # its step limit or CPU cap (a machine so loaded that the net came first)
    # is run again with the net at --retry-timeout: its limits decide it there.
    # The second run covers the whole function (or the lemmas): a run narrowed
    # to some properties (-wp-prop) gives the provers a different task, on
    # which the same goal can need other step counts (cdt_move's inv_derived:
    # 16.2 M Z3 steps in its function's run, more than 20 M alone). If the
    # clock still decides one, the run means nothing: exit 2.
    late = sorted(clocked)
    if late:
        clocked.clear()
        again = {}
        by_fn = {}
        for g in late:
            by_fn.setdefault(goal_function(g, targets + ["lemma"]), []).append(g)
        whole = sorted({fn for fn, goals in by_fn.items() if any(g not in again for g in goals)})
        if "lemma" in whole:
            whole.remove("lemma")
            got, more = run([], args.retry_timeout, ".retry.lemmas", LEMMAS[args.group])
            elapsed += more
            again.update(got)
        if whole:
            print("run_wp: the clock stopped goals of %s: again with a %d s net"
                  % (", ".join(whole), args.retry_timeout))
            got, more = run(whole, args.retry_timeout, ".retry")
            elapsed += more
            again.update(got)
        still = [g for g in late if g in clocked or g not in again]
        if still:
            fail("the wall-clock net, not the step limits, decided %s even at %d s: the "
                 "outcome would depend on the machine's load" % (", ".join(still),
                                                                 args.retry_timeout))
        for g in late:
            print("  decided by its steps on the second run: %s %s" % (g, again[g]))
            observed[g] = again[g]
    per = {t: [0, 0] for t in targets}
    for goal, st in observed.items():
        fn = goal_function(goal, targets + ["lemma"])
        if fn is None:
            fail("cannot attribute goal %s to a target" % goal)
        per.setdefault(fn, [0, 0])
        per[fn][1] += 1
        per[fn][0] += st == "proved"
    total = len(observed)
    total_proved = sum(v == "proved" for v in observed.values())
    if total == 0:
        fail("no goals")

    print("%-22s %9s" % ("function", "proved"))
    for t in targets + (["lemma"] if "lemma" in per else []):
        p, n = per[t]
        if n == 0 and not (mutant and mutant.get("props")) and not args.prop:
            fail("target %s produced no goals" % t)
        print("%-22s %4d/%-4d" % (t, p, n))
    print("group %s, total: %d functions, %d / %d goals proved, %.0f s (steps per goal: Z3 %d, "
          "CVC4 %d; net %d s; %s, -wp-par %d)"
          % (args.group, len(targets), total_proved, total, elapsed, steps["Z3"], steps["CVC4"],
             args.timeout, PROVERS[args.group], args.jobs))
    for g in sorted(observed):
        if observed[g] == "open":
            print("  unproved: " + g)

    if args.write_manifest:
        if mutant or args.define or args.prop:
            fail("--write-manifest records the real code, every property")
        write_manifest(manifest_path, args.group, observed, manifest or {},
                       all_targets + ["lemma"], set(targets) | {"lemma"})
        print("run_wp: wrote " + manifest_path)
        return 0

    if mutant:
        kills = mutant["kills"]
        bad = False
        for k in kills:
            if manifest.get(k, ("", ""))[0] != "proved":
                print("run_wp: FAIL: %s must be listed 'proved' in %s for the mutant to mean "
                      "anything" % (k, manifest_path))
                bad = True
            elif observed.get(k) != "open":
                print("run_wp: FAIL: the mutant leaves %s %s" % (
                    k, "proved" if k in observed else "without a goal"))
                bad = True
        if bad:
            return 1
        print("run_wp: PASS (the mutant is caught: %s unproved)" % ", ".join(kills))
        return 0

    expected = {g: v for g, v in manifest.items()
                if goal_function(g, all_targets + ["lemma"]) in targets + ["lemma"] and
                (g in observed or not args.prop)}
    diffs = []
    for g in sorted(set(expected) | set(observed)):
        want = expected.get(g, ("not listed", ""))[0]
        got = observed.get(g, "not generated")
        if want != got:
            diffs.append("  %s: expected %s, got %s" % (g, want, got))
    if diffs:
        print("run_wp: FAIL: %d goal(s) differ from %s" % (len(diffs), manifest_path))
        print("\n".join(diffs))
        return 1
    print("run_wp: PASS (%d goals as in %s: %d proved, %d open)" % (
        len(observed), os.path.relpath(manifest_path, ROOT),
        sum(v == "proved" for v in observed.values()),
        sum(v == "open" for v in observed.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
