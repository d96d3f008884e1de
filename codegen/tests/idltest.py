"""Shared helpers of the idlc tests: paths, running idlc, compiling C.

Tests run idlc in-process through `run_idlc()` (fast, and it captures the
output) or as a subprocess where the command line itself is under test.
C compilers come from the environment that codegen/CMakeLists.txt sets:
IDL_TEST_CC (host), IDL_TEST_RISCV_CC (cross; empty if absent).
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile

TESTS = os.path.dirname(os.path.abspath(__file__))
CODEGEN = os.path.dirname(TESTS)
REPO = os.path.dirname(CODEGEN)
RUNTIME = os.path.join(CODEGEN, "runtime")
ABI = os.path.join(REPO, "kernel", "abi")
C_DIR = os.path.join(TESTS, "c")
GOOD = os.path.join(TESTS, "idl", "good")
BAD = os.path.join(TESTS, "idl", "bad")
GOLDEN = os.path.join(TESTS, "golden")
EXAMPLES = os.path.join(REPO, "idl")

if CODEGEN not in sys.path:
    sys.path.insert(0, CODEGEN)

from idlc import main as idlc_main  # noqa: E402

WARNINGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wstrict-prototypes",
            "-Wmissing-prototypes", "-Wundef", "-Wshadow"]
RISCV_FLAGS = ["-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-mcmodel=medany",
               "-ffreestanding", "-nostdlib", "-c"]
SANITIZE = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer"]


def host_cc():
    """The host C compiler."""
    return os.environ.get("IDL_TEST_CC") or shutil.which("cc") or "cc"


def riscv_cc():
    """The RISC-V cross compiler, or None."""
    cc = os.environ.get("IDL_TEST_RISCV_CC")
    if cc is None:
        cc = shutil.which("riscv64-unknown-elf-gcc")
    return cc or None


def run_idlc(args):
    """Run idlc in-process; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = idlc_main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def run_idlc_process(args, cwd=None, python=None):
    """Run `python -m idlc args` as a subprocess; return CompletedProcess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = CODEGEN + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([python or sys.executable, "-m", "idlc"] + list(args), cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


def generate(idl, out_dir, extra=()):
    """Generate every output for `idl` into out_dir; raise on errors."""
    status, _, err = run_idlc(["-o", out_dir, "--root", REPO] + list(extra) + [idl])
    if status != 0:
        raise AssertionError("idlc failed on %s:\n%s" % (idl, err))


def includes(gen_dir):
    """-I flags for generated code."""
    return ["-I" + gen_dir, "-I" + os.path.join(RUNTIME, "include"), "-I" + ABI]


def compile_c(cc, flags, sources, output=None, cwd=None):
    """Compile; return (ok, compiler output)."""
    cmd = [cc] + flags + list(sources)
    if output:
        cmd += ["-o", output]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=300)
    return proc.returncode == 0, proc.stdout + proc.stderr


def runtime_sources(copyin=True):
    """The runtime's C files."""
    files = [os.path.join(RUNTIME, "idl_runtime.c")]
    if copyin:
        files.append(os.path.join(RUNTIME, "idl_copyin.c"))
    return files


def tempdir(test, prefix="idlc-"):
    """A temporary directory removed when the test case ends."""
    path = tempfile.mkdtemp(prefix=prefix)
    test.addCleanup(shutil.rmtree, path, True)
    return path


def read_expectations(path):
    """`// expect: E012 at 4:9` lines (position optional) and `// args:` of a bad case."""
    expects, args = [], []
    with open(path, "rb") as handle:
        head = handle.read(4096).decode("utf-8", "replace")
    for line in head.splitlines():
        line = line.strip()
        if line.startswith("// expect:"):
            spec = line[len("// expect:"):].split()
            pos = None
            if len(spec) >= 3 and spec[1] == "at":
                line_no, col = spec[2].split(":")
                pos = (int(line_no), int(col))
            expects.append((spec[0], pos))
        elif line.startswith("// args:"):
            args.extend(line[len("// args:"):].split())
    return expects, args
