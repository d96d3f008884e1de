#!/usr/bin/env python3
"""Checks of the placement systems (apps/<client>-{direct,sync,async}), run by CTest.

    placement_check.py elf  --system-dir DIR --program P SYSTEM...
        The program P that each system's image embeds (found through the
        symbols root_image_* of the image and embedded_P_* of its root task)
        is byte for byte the same in every image, and the same as the built
        user/P.elf.
    placement_check.py output --system-dir DIR --qemu QEMU SYSTEM...
        Each image boots (1 hart, -icount), powers off with status 0 after
        `root: system <name> done`, and the lines its components print
        (every line but the kernel's and the root task's) are the same in
        every image.
    placement_check.py probe --system-dir DIR --qemu QEMU apps/<system>/system.toml
        Boots the system; every component running the CSpace probe
        (apps/probe) holds exactly the capabilities the manifest gives it,
        reaches by Call only the endpoints of its declared connections with
        the 'call' right, passes a capability only where it has 'grant', and
        its bound connection is to its own server and no other.
    placement_check.py twin --system-dir DIR --qemu QEMU [--image NAME] apps/<system>/system.toml...
        The generated negative test: boots each system's probe twin
        (images/probe-<system>.elf, every process running apps/probe/twin.c,
        wired from the same manifest; a component declared start = "request"
        starts at boot there, so it is probed too). Each component holds exactly the
        capabilities the manifest gives it (slot, type, rights, badge), its
        connection table lists exactly its connections and its name service
        exactly its own routes, a Call on each
        endpoint it holds reaches only the server of a declared sync or
        async connection (with its own badge), so every service it is not
        connected to stays out of reach; a capability passes only with
        'grant', and it can never receive on a server's endpoint.
    placement_check.py expect --system-dir DIR --qemu QEMU [--status N] --line RE... SYSTEM
        Boots the system; it ends with exit status N (default 0) and for each
        --line some line of its output matches RE entirely.
    placement_check.py bench --system-dir DIR --qemu QEMU SYSTEM...
        Boots each system (1 hart, -icount) and prints its BENCH lines; fails
        on a rejected or malformed figure (target bench-placement).
"""

import argparse
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "harness"))
import qemu as harness  # noqa: E402  (tests/harness/qemu.py)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import manifest  # noqa: E402  (tools/manifest/manifest.py)

# <selene/object.h> and servers/root/system.h, as the probe sees them.
OBJ = {"cnode": 2, "endpoint": 4, "vspace": 8, "receiver": 13, "sender": 14, "untyped": 1,
       "debug": 16, "tcb": 3, "notification": 5, "irq_handler": 12}
SLOT_OWN_TCB, SLOT_UNTYPED, SLOT_SUPERVISOR, SLOT_DEVICE_IRQ = 1, 5, 6, 12
SLOT_EVENTS, CONN_EVENTS, BADGE_SUPERVISE = 48, 5, 0x100
R, W, G, GR, ALL = 1, 2, 4, 8, 0x1f
DEBUG_BITS = {"info": 1, "write": 2, "shutdown": 4, "bench": 8, "check": 16}
CONN_BITS = {"call": W | GR, "grant": G}
ERR_NO_RIGHTS, ERR_EMPTY_SLOT = 5, 2


def elf_symbols(data):
    """{name: (value, size)} and the section table of a 64-bit little-endian ELF."""
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("not a 64-bit ELF")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    symbols = {}
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for k in range(sh[5] // 24):
            name, _info, _other, _shndx, value, size = struct.unpack_from(
                "<IBBHQQ", data, sh[4] + k * 24)
            end = data.index(b"\0", strtab[4] + name)
            symbols[data[strtab[4] + name:end].decode()] = value
    return symbols, sections


def embedded(data, name):
    """The bytes between symbols <name>_start and <name>_end of an ELF."""
    symbols, sections = elf_symbols(data)
    start, end = symbols[name + "_start"], symbols[name + "_end"]
    for sh in sections:
        addr, offset, size = sh[3], sh[4], sh[5]
        if sh[1] == 1 and addr <= start and end <= addr + size:  # SHT_PROGBITS
            return data[offset + start - addr:offset + end - addr]
    raise ValueError(f"{name}: not inside a section")


def cmd_elf(args):
    sym = "embedded_" + "".join(c if c.isalnum() else "_" for c in args.program)
    with open(os.path.join(args.system_dir, "user", args.program + ".elf"), "rb") as f:
        built = f.read()
    failed = False
    for system in args.systems:
        with open(os.path.join(args.system_dir, "images", system + ".elf"), "rb") as f:
            image = f.read()
        root = embedded(image, "root_image")
        blob = embedded(root, sym)
        same = blob == built
        failed |= not same
        print(f"{system}: {args.program}.elf {len(blob)} bytes, "
              f"{'identical to' if same else 'DIFFERENT from'} the built one")
    return 1 if failed else 0


def cmd_output(args):
    outputs = {}
    failed = False
    for system in args.systems:
        image = os.path.join(args.system_dir, "images", system + ".elf")
        cmd = harness.qemu_command(args.qemu, image, 1, "virt", True)
        status, lines = harness.boot(cmd, args.timeout)
        own = [line for line in lines if line.startswith(tuple(p + ":" for p in args.prefix))]
        done = f"root: system {system} done" in lines
        print(f"{system}: exit {status}, {len(own)} lines, {'done' if done else 'NOT done'}")
        if status != 0 or not done or not own:
            print("\n".join(lines[-20:]))
            failed = True
        outputs[system] = own
    first = args.systems[0]
    for system in args.systems[1:]:
        if outputs[system] != outputs[first]:
            failed = True
            print(f"{system} printed differently from {first}:")
            for a, b in zip(outputs[first], outputs[system]):
                if a != b:
                    print(f"  {first}: {a}\n  {system}: {b}")
    if not failed:
        print("\n".join(outputs[first]))
    return 1 if failed else 0


def expected_cspace(system, comp):
    """{slot: (type, rights)} of what the root task gives comp (servers/root/system.h)."""
    caps = {2: (OBJ["cnode"], ALL), 4: (OBJ["vspace"], ALL)}
    if comp["debug"]:
        bits = 0
        for r in comp["debug"]:
            bits |= DEBUG_BITS[r]
        caps[3] = (OBJ["debug"], bits)
    served = [k for k in system.connections
              if k["server_c"] is comp and k["placement"] != "direct"]
    if served:
        caps[8] = (OBJ["endpoint"], R | W | G)
        if served[0]["placement"] == "async":
            caps[9] = (OBJ["untyped"], ALL)
            caps[10] = (OBJ["receiver"], W | G)
    mine = [k for k in system.connections if k["client_c"] is comp]
    sessions = {}
    for n, k in enumerate(mine):
        if k["placement"] == "direct":
            continue
        rights = 0
        for r in k["rights"]:
            rights |= CONN_BITS[r]
        base = 16 + 8 * n
        if k["placement"] == "async":
            rights |= G if rights & W else 0
            caps[11] = (OBJ["receiver"], W | G)
            caps[base + 1] = (OBJ["sender"], ALL)
            caps[base + 2] = (OBJ["sender"], ALL)
        caps[base] = (OBJ["endpoint"], rights)
        for s in range(1, k.get("sessions", 1)):  # further badged sessions (sync)
            caps[base + s] = (OBJ["endpoint"], rights)
            sessions[base + s] = (k, s)
        if k.get("events"):
            caps[base + CONN_EVENTS] = (OBJ["notification"], R)
    resources(system, comp, caps)
    conns = {16 + 8 * n: k for n, k in enumerate(mine)}
    return caps, conns, sessions


def resources(system, comp, caps):
    """What a component's devices, own Untyped, supervisor right and served events add."""
    if comp.get("untyped_bits"):
        caps[SLOT_UNTYPED] = (OBJ["untyped"], ALL)
        caps[SLOT_OWN_TCB] = (OBJ["tcb"], ALL)
    if comp.get("supervisor"):
        caps[SLOT_SUPERVISOR] = (OBJ["endpoint"], W | GR)
    # A `heap` (an Untyped in slot 7) goes only to a program that links the POSIX layer
    # (its `sel_posix_boot` table); the probe programs do not, so none of them holds it.
    for k in range(len(comp.get("devices", []))):
        caps[SLOT_DEVICE_IRQ + k] = (OBJ["irq_handler"], W)
    index = {c["name"]: n for n, c in enumerate(system.components)}
    for k in system.connections:
        if k["server_c"] is comp and k.get("events"):
            caps[SLOT_EVENTS + index[k["client"]] + 1] = (OBJ["notification"], W)


def cmd_probe(args):
    system = manifest.System(args.manifest)
    if system.errors:
        print("\n".join(system.report()))
        return 1
    image = os.path.join(args.system_dir, "images", system.name + ".elf")
    status, lines = harness.boot(harness.qemu_command(args.qemu, image, 1, "virt", True),
                                 args.timeout)
    failed = status != 0 or f"root: system {system.name} done" not in lines
    if failed:
        print("\n".join(lines[-20:]))
    probes = 0
    for i, comp in enumerate(system.components):
        if comp["program"] != args.program:
            continue
        probes += 1
        prefix = f"probe {i}: "
        mine = [line[len(prefix):].split() for line in lines if line.startswith(prefix)]
        held, calls, grants, bind = {}, {}, {}, None
        for w in mine:
            if w[0] == "slot" and w[2] == "type":
                held[int(w[1])] = (int(w[3]), int(w[5], 16))
            elif w[0] == "slot" and w[2] == "call":
                calls[int(w[1])] = int(w[3])
            elif w[0] == "slot" and w[2] == "grant":
                grants[int(w[1])] = int(w[3])
            elif w[0] == "bind":
                bind = (int(w[1]), int(w[3]))
        want, conns, _ = expected_cspace(system, comp)
        problems = []
        for slot in sorted(set(held) | set(want)):
            if held.get(slot) != want.get(slot):
                problems.append(f"slot {slot}: holds {held.get(slot)}, manifest says "
                                f"{want.get(slot)} (type, rights)")
        for slot, err in sorted(calls.items()):
            k = conns.get(slot)
            may = k is not None and "call" in k["rights"]
            if (err == 0) != may:
                problems.append(f"slot {slot}: a call returned {err}, but the manifest "
                                f"{'allows' if may else 'does not allow'} it")
        for slot, err in sorted(grants.items()):
            k = conns.get(slot)
            may = k is not None and "grant" in k["rights"] and "call" in k["rights"]
            if (err != ERR_NO_RIGHTS) != may:
                problems.append(f"slot {slot}: a call with a capability returned {err}, but "
                                f"the manifest {'grants' if may else 'does not grant'} 'grant'")
        uses = "counter" in comp["uses"]
        if bind is None or (bind[0] == 0) != uses or (not uses and bind[0] != ERR_EMPTY_SLOT):
            problems.append(f"bind: {bind}, but the manifest "
                            f"{'connects' if uses else 'does not connect'} it to counter")
        elif uses and bind[1] != 1 + sum(1 for e in calls.values() if e == 0):
            problems.append(f"its counter served {bind[1]} calls, not only its own")
        print(f"{comp['name']} (probe {i}): {len(held)} caps, {len(calls)} endpoints tried: "
              f"{'as declared' if not problems else 'NOT as declared'}")
        for p in problems:
            print("  " + p)
        failed |= bool(problems) or not held
    return 1 if failed or not probes else 0


def twin_expected(system, i, comp):
    """{slot: (type, rights, badge)} the twin of comp holds, {slot: connection} and
    {slot: (connection, session)} for a sync connection's further sessions."""
    caps, conns, sessions = expected_cspace(system, comp)
    caps[3] = (OBJ["debug"], DEBUG_BITS["write"] | (caps[3][1] if 3 in caps else 0))
    full = {slot: tr + (0,) for slot, tr in caps.items()}
    for slot, k in conns.items():
        if slot in full:
            full[slot] = full[slot][:2] + (i + 1,)  # badged with the client's index + 1
    for slot, (k, s) in sessions.items():
        full[slot] = full[slot][:2] + (i + 1 + 16 * s,)  # SYS_BADGE(i, s)
    if SLOT_SUPERVISOR in full:
        full[SLOT_SUPERVISOR] = full[SLOT_SUPERVISOR][:2] + (BADGE_SUPERVISE + i,)
    return full, conns, sessions


def twin_problems(system, i, comp, lines):
    """What the twin of component i printed, against what the manifest says."""
    index = {c["name"]: n for n, c in enumerate(system.components)}
    prefix = f"twin {i}: "
    mine = [line[len(prefix):].split() for line in lines if line.startswith(prefix)]
    held, calls, grants, recvs, table, routes = {}, {}, {}, {}, [], []
    for w in mine:
        if w[0] == "slot" and w[2] == "type":
            held[int(w[1])] = (int(w[3]), int(w[5], 16), int(w[7]))
        elif w[0] == "slot" and w[2] == "call":
            calls[int(w[1])] = (int(w[3]), int(w[5]), int(w[7]))
        elif w[0] == "slot" and w[2] in ("grant", "recv"):
            (grants if w[2] == "grant" else recvs)[int(w[1])] = int(w[3])
        elif w[0] == "conn":
            table.append((w[2], w[3]))
        elif w[0] == "route":
            routes.append((w[1], w[2]))
    want, conns, sessions = twin_expected(system, i, comp)
    problems = [] if ["done"] in mine else ["it did not finish"]
    for slot in sorted(set(held) | set(want)):
        if held.get(slot) != want.get(slot):
            problems.append(f"slot {slot}: holds {held.get(slot)}, manifest says "
                            f"{want.get(slot)} (type, rights, badge)")
    declared = [(k["name"], k["placement"]) for k in system.connections
                if k["client_c"] is comp]
    if table != declared:
        problems.append(f"its connection table is {table}, the manifest says {declared}")
    routed = [(p, k["name"]) for k in system.connections if k["client_c"] is comp
              for p in k["paths"]]
    if routes != routed:
        problems.append(f"its routes are {routes}, the manifest routes {routed} for it")
    reached = set()
    for slot, (err, server, badge) in sorted(calls.items()):
        k = conns.get(slot)
        session = 0
        if slot in sessions:
            k, session = sessions[slot]
        if slot == SLOT_SUPERVISOR and comp.get("supervisor"):
            # The root task answers (it is no component): only the rights are checked.
            pass
        elif err == 0 and not 0 <= server < len(system.components):
            problems.append(f"slot {slot}: a call was answered by no component ({server})")
        elif k is None or k["placement"] == "direct":
            if err == 0:
                problems.append(f"slot {slot}: a call reached '{system.components[server]['name']}'"
                                ", which the manifest does not connect it to")
        elif (err, server, badge) != (0, index[k["server"]], i + 1 + 16 * session):
            problems.append(f"slot {slot}: a call returned {err}, server {server}, badge {badge}; "
                            f"the manifest says 0, server {index[k['server']]} "
                            f"('{k['server']}'), badge {i + 1 + 16 * session}")
        if err == 0 and 0 <= server < len(system.components) and slot != SLOT_SUPERVISOR:
            reached.add(server)
        may = want.get(slot, (0, 0, 0))[1] & G != 0
        if (grants.get(slot) == 0) != may:
            problems.append(f"slot {slot}: a call with a capability returned {grants.get(slot)}, "
                            f"but the manifest {'grants' if may else 'does not grant'} 'grant'")
        if recvs.get(slot) != ERR_NO_RIGHTS:
            problems.append(f"slot {slot}: a receive on it returned {recvs.get(slot)}, not "
                            f"{ERR_NO_RIGHTS} (no rights)")
    for slot, k in conns.items():
        if k["placement"] != "direct" and slot not in calls:
            problems.append(f"slot {slot}: its connection to '{k['server']}' was not tried")
    connected = {index[k["server"]] for k in conns.values() if k["placement"] != "direct"}
    others = [c["name"] for n, c in enumerate(system.components)
              if n != i and n not in connected and
              any(k["server_c"] is c and k["placement"] != "direct" for k in system.connections)]
    return problems, reached, others


def cmd_twin(args):
    """The generated negative test: every component of each system's probe twin."""
    failed = False
    for path in args.manifests:
        system = manifest.System(path)
        if system.errors:
            print("\n".join(system.report()))
            failed = True
            continue
        image = args.image or "probe-" + system.name
        status, lines = harness.boot(harness.qemu_command(
            args.qemu, os.path.join(args.system_dir, "images", image + ".elf"), 1, "virt", True),
            args.timeout)
        ok = status == 0 and f"root: system {system.name} done" in lines
        print(f"{image}: exit {status}, {'done' if ok else 'NOT done'}")
        if not ok:
            print("\n".join(lines[-20:]))
        failed |= not ok
        for i, comp in enumerate(system.components):
            if system.hosted(comp):
                continue
            problems, reached, others = twin_problems(system, i, comp, lines)
            names = ", ".join(system.components[n]["name"] if n < len(system.components)
                              else str(n) for n in sorted(reached)) or "no server"
            print(f"  {comp['name']}: reaches {names}; "
                  f"{'not connected to ' + ', '.join(others) if others else 'no other server'}"
                  f": {'as declared' if not problems else 'NOT as declared'}")
            for p in problems:
                print("    " + p)
            failed |= bool(problems)
    return 1 if failed else 0


def cmd_expect(args):
    """Boots a system image; every --line regex must match a line of its output."""
    image = os.path.join(args.system_dir, "images", args.system + ".elf")
    status, lines = harness.boot(harness.qemu_command(args.qemu, image, 1, "virt", True),
                                 args.timeout)
    missing = [r for r in args.line if not any(re.fullmatch(r, line) for line in lines)]
    print("\n".join(line for line in lines if not line.startswith(("OpenSBI", " "))))
    print(f"{args.system}: exit {status} (expected {args.status})")
    for r in missing:
        print(f"missing: a line matching {r}")
    return 0 if status == args.status and not missing else 1


def cmd_bench(args):
    """Boots each system once (1 hart, -icount) and prints its BENCH lines."""
    errors = []
    for system in args.systems:
        image = os.path.join(args.system_dir, "images", system + ".elf")
        status, lines = harness.boot(harness.qemu_command(args.qemu, image, 1, "virt", True),
                                     args.timeout)
        bench = [line for line in lines if line.startswith("BENCH")]
        for line in bench:
            print(line)
            if not harness.BENCH_RE.match(line):
                errors.append(f"{system}: {line}")
        if status != 0 or not bench:
            errors.append(f"{system}: exit {status}, {len(bench)} BENCH lines")
    for e in errors:
        print(f"bench: {e}", file=sys.stderr)
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("elf")
    e.add_argument("--system-dir", required=True)
    e.add_argument("--program", required=True)
    e.add_argument("systems", nargs="+")
    o = sub.add_parser("output")
    o.add_argument("--system-dir", required=True)
    o.add_argument("--qemu", required=True)
    o.add_argument("--timeout", type=int, default=60)
    o.add_argument("--prefix", action="append", required=True,
                   help="the lines compared start with PREFIX:")
    o.add_argument("systems", nargs="+")
    p = sub.add_parser("probe")
    p.add_argument("--system-dir", required=True)
    p.add_argument("--qemu", required=True)
    p.add_argument("--timeout", type=int, default=60)
    p.add_argument("--program", default="cspace-probe")
    p.add_argument("manifest")
    x = sub.add_parser("expect")
    x.add_argument("--system-dir", required=True)
    x.add_argument("--qemu", required=True)
    x.add_argument("--timeout", type=int, default=60)
    x.add_argument("--status", type=int, default=0)
    x.add_argument("--line", action="append", default=[], help="a regex a whole line matches")
    x.add_argument("system")
    t = sub.add_parser("twin")
    t.add_argument("--system-dir", required=True)
    t.add_argument("--qemu", required=True)
    t.add_argument("--timeout", type=int, default=60)
    t.add_argument("--image", help="the twin image to boot (default: probe-<system>)")
    t.add_argument("manifests", nargs="+")
    b = sub.add_parser("bench")
    b.add_argument("--system-dir", required=True)
    b.add_argument("--qemu", required=True)
    b.add_argument("--timeout", type=int, default=120)
    b.add_argument("systems", nargs="+")
    args = ap.parse_args()
    return {"elf": cmd_elf, "output": cmd_output, "probe": cmd_probe, "twin": cmd_twin,
            "expect": cmd_expect,
            "bench": cmd_bench}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
