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
"""

import argparse
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tests", "harness"))
import qemu as harness  # noqa: E402  (tests/harness/qemu.py)


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
    args = ap.parse_args()
    return cmd_elf(args) if args.cmd == "elf" else cmd_output(args)


if __name__ == "__main__":
    sys.exit(main())
