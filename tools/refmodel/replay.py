"""Replays fuzzer traces (`FT ...` lines, tools/refmodel/README.md) against the model.

Each run of the trace starts from the state its header declares; every call
is then given to the model, and the model's answer is compared with the
kernel's: the error, and for Identify and Untyped Info the values returned.
The first difference is a divergence; the replay of that run stops there
(the states no longer agree, so what follows would only repeat it).
"""
import re

from model import (Model, ERROR_NAMES, CNODE, UNTYPED, CNODE_IDENTIFY, UNTYPED_INFO,
                   CNODE_COPY, CNODE_REVOKE, UNTYPED_RETYPE, UNTYPED_RESET,
                   RECEIVER_CREATE_SENDER, SENDER_INSTALL, WINDOW_SET_PEER,
                   TCB_SET_FAULT_ENDPOINT)

# Labels of the methods the model decides that may write slots (an invocation of another
# type with one of these labels is decided too: its answer is SEL_ERR_ILLEGAL_OP).
CHANGES = set(range(CNODE_COPY, CNODE_REVOKE + 1)) | {
    UNTYPED_RETYPE, UNTYPED_RESET, RECEIVER_CREATE_SENDER, SENDER_INSTALL, WINDOW_SET_PEER,
    TCB_SET_FAULT_ENDPOINT}

LINE_RE = re.compile(r"^FT (begin|slot|untyped|call|sys|end)((?: [0-9a-f]+| =)*)\s*$")


def err_name(e):
    return ERROR_NAMES[e] if e < len(ERROR_NAMES) else str(e)


class Run:
    """One traced fuzzer run: the state it starts from and the calls made."""

    def __init__(self, seed, calls):
        self.seed, self.calls = seed, calls
        self.slots, self.untyped, self.ops = {}, {}, []
        self.ended = False


def parse(lines):
    """The runs of a console log; lines that are not trace lines are ignored."""
    runs = []
    for line in lines:
        m = LINE_RE.match(line.strip())
        if not m:
            continue
        kind = m.group(1)
        words = m.group(2).split()
        if "=" in words:
            i = words.index("=")
            args = [int(w, 16) for w in words[:i]]
            res = [int(w, 16) for w in words[i + 1:]]
        else:
            args, res = [int(w, 16) for w in words], []
        if kind == "begin":
            runs.append(Run(*args[:2]))
        elif not runs:
            continue
        elif kind == "slot":
            runs[-1].slots[args[0]] = args[1:6]
        elif kind == "untyped":
            runs[-1].untyped[args[0]] = args[1:4]
        elif kind == "end":
            runs[-1].ended = True
        else:
            runs[-1].ops.append((kind, args, res, line.strip()))
    return runs


class Report:
    """What a replay found: operations compared, followed, and the divergences."""

    def __init__(self):
        self.checked = self.followed = self.ops = 0
        self.changes = self.changes_ok = 0  # decided calls that may write slots, and succeeded
        self.divergences = []  # (run seed, op number, trace line, why)
        self.runs = self.incomplete = 0

    def merge(self, other):
        self.checked += other.checked
        self.followed += other.followed
        self.ops += other.ops
        self.changes += other.changes
        self.changes_ok += other.changes_ok
        self.divergences += other.divergences
        self.runs += other.runs
        self.incomplete += other.incomplete


def start_model(run, mutant=None):
    root = run.slots.get(2)
    if root is None or root[0] != CNODE:
        raise ValueError(f"run {run.seed}: slot 2 is not the CSpace root CNode")
    m = Model(root[3], mutant)
    for index, (ctype, rights, badge, size_bits, flags) in sorted(run.slots.items()):
        m.declare(index, ctype, rights, badge, size_bits, flags,
                  run.untyped.get(index) if ctype == UNTYPED else None)
    return m


def compare(a, kernel, mine):
    """A sentence saying how the model's answer differs from the kernel's, or None."""
    err, outs = mine
    if err != kernel[0]:
        return f"kernel {err_name(kernel[0])}, model {err_name(err)}"
    if err == 0 and outs is not None:
        label = a[1]
        n = 5 if label == CNODE_IDENTIFY else 4 if label == UNTYPED_INFO else 0
        got = tuple(kernel[1:1 + n])
        if got != tuple(outs[:n]):
            fmt = lambda v: " ".join(f"{x:x}" for x in v)  # noqa: E731
            return f"kernel returned {fmt(got)}, model {fmt(outs[:n])}"
    return None


def replay(run, mutant=None, self_check=False):
    """Replays one run; returns its Report."""
    rep = Report()
    rep.runs = 1
    rep.incomplete = 0 if run.ended else 1
    m = start_model(run, mutant)
    for n, (kind, args, res, line) in enumerate(run.ops):
        rep.ops += 1
        if kind == "sys":
            mine = m.syscall(args[0], args[1], args[2])
            if mine is None:
                rep.followed += 1
            elif mine != res[0]:
                why = f"kernel {err_name(res[0])}, model {err_name(mine)}"
                rep.divergences.append((run.seed, n, line, why))
                return rep
            else:
                rep.checked += 1
            continue
        a = (args + [0] * 7)[:7]
        kernel = (res + [0] * 6)[:6]
        mine = m.invoke(a, kernel)
        if mine is None:
            rep.followed += 1
        else:
            rep.checked += 1
            if a[1] in CHANGES:
                rep.changes += 1
                rep.changes_ok += kernel[0] == 0
            why = compare(a, kernel, mine)
            if why:
                rep.divergences.append((run.seed, n, line, why))
                return rep
        if self_check:
            problem = m.check()
            if problem:
                rep.divergences.append((run.seed, n, line, "model state: " + problem))
                return rep
    return rep


def replay_all(runs, mutant=None, self_check=False):
    total = Report()
    for run in runs:
        total.merge(replay(run, mutant, self_check))
    return total
