"""Command line of idlc: `python3 -m idlc [options] file.idl`.

Steps: resolve (load, parse, bind) -> version (availability) -> check ->
C names (check_c_names) -> service view (layout, names, codec) -> render.
Any error stops before output is written; the exit status is 0 on success
and 1 on any error. Nothing raised inside
the compiler escapes as a traceback: it becomes E0999 (internal compiler
error), with the traceback only under --debug.
"""

import argparse
import os
import sys
import traceback

from . import ast
from .check import check, check_c_names
from .diagnostics import Diagnostic, Sink, TooManyErrors
from .resolve import DEFAULT_MAX_FILE_BYTES, display_path, load
from .version import HEAD, MAX_VERSION, annotate, present

USAGE_EXAMPLES = """examples:
  python3 -m idlc -o build/idl idl/console.idl
  python3 -m idlc --client --version 2 -o out --depfile out/console.d idl/console.idl
"""


class UsageError(Exception):
    """A bad command line (reported as E090)."""


class ArgParser(argparse.ArgumentParser):
    """argparse that reports errors as idlc diagnostics instead of exiting 2."""

    def error(self, message):
        """Raise UsageError (reported as E090) instead of exiting with status 2."""
        raise UsageError(message)


def parse_version(text):
    """--version value: a number 1..MAX_VERSION or HEAD."""
    if text.upper() == "HEAD":
        return HEAD
    try:
        value = int(text, 10)
    except ValueError:
        raise UsageError("--version must be a number or HEAD, not '%s'" % text)
    if not 1 <= value <= MAX_VERSION:
        raise UsageError("--version %d is out of range (1..%d)" % (value, MAX_VERSION))
    return value


_PARSER = None


def build_parser():
    """The argument parser (built once per process)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = _make_parser()
    return _PARSER


def _make_parser():
    """Build the argument parser."""
    p = ArgParser(prog="idlc", description="Selene IDL compiler: C stubs, skeletons and docs.",
                  epilog=USAGE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="the .idl file to compile")
    p.add_argument("-o", "--out-dir", help="directory for generated files (the build tree)")
    p.add_argument("--client", action="store_true", help="generate the client stubs")
    p.add_argument("--server", action="store_true", help="generate the server skeleton")
    p.add_argument("--docs", action="store_true", help="generate the Markdown reference")
    p.add_argument("--version", dest="idl_version", default="HEAD",
                   help="the version to generate (a number, or HEAD: the default)")
    p.add_argument("-I", "--import-dir", action="append", default=[],
                   help="another directory to search for imports")
    p.add_argument("--depfile", help="write a Makefile-style dependency file")
    p.add_argument("--root", default=".",
                   help="paths in messages and headers are shown relative to this directory")
    p.add_argument("--kernel", action="store_true",
                   help="generate the kernel interface from the file's kernel services and "
                        "its imports' (idl/kernel/kernel.idl)")
    p.add_argument("--check", action="store_true", help="check only; write nothing")
    p.add_argument("--list-services", action="store_true",
                   help="print the services the file defines at the version, one per line")
    p.add_argument("--list-outputs", action="store_true",
                   help="print the files that would be generated, one per line")
    p.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES,
                   help="refuse source files larger than this (default 1 MiB)")
    p.add_argument("--debug", action="store_true",
                   help="show Python tracebacks for internal errors")
    p.add_argument("--inject-internal-error", action="store_true", help=argparse.SUPPRESS)
    return p


def selected_parts(args):
    """Which outputs to produce: the types header always, then the chosen parts."""
    parts = {"types"}
    chosen = {name for name in ("client", "server", "docs") if getattr(args, name)}
    return parts | (chosen or {"client", "server", "docs"})


def compile_file(args, sink, out):
    """Run the compiler for parsed `args`; return the exit status."""
    from . import render
    from .service import service_view

    version = parse_version(args.idl_version)
    if args.max_file_bytes < 1:
        raise UsageError("--max-file-bytes must be positive")
    wants_output = not (args.check or args.list_services or args.list_outputs)
    if wants_output and not args.out_dir:
        raise UsageError("-o/--out-dir is required (or use --check)")
    program = load(args.input, sink, root=args.root, search_paths=args.import_dir,
                   max_bytes=args.max_file_bytes)
    if program is None:
        return 1
    points = annotate(program, sink)
    check(program, sink, points)
    if args.inject_internal_error:
        raise RuntimeError("injected internal error (--inject-internal-error)")
    if sink.has_errors:
        return 1
    if args.kernel:
        return compile_kernel(args, program, sink, out)
    services = [d for d in program.root.decls
                if isinstance(d, ast.Service) and present(d, version) and d.policy != "kernel"]
    parts = selected_parts(args)
    if args.list_services:
        out.write("".join(s.name + "\n" for s in services))
        return 0
    if args.list_outputs:
        for s in services:
            for name in render.output_names(s.name, parts):
                out.write(os.path.join(args.out_dir or ".", name) + "\n")
        return 0
    source_name = display_path(args.input, args.root)
    check_c_names(services, version, sink)
    if sink.has_errors:
        return 1
    views = [service_view(s, program, version, source_name) for s in services]
    files = {}
    for view in views:
        files.update(render.render(view, parts))
    if args.check:
        return 0
    return write_outputs(args, program, files, sink)


def compile_kernel(args, program, sink, out):
    """--kernel: the kernel interface of every kernel service the file reaches."""
    from . import kernel

    files = kernel.render_kernel(kernel.kernel_view(program, display_path(args.input, args.root)))
    if args.list_outputs:
        for name in files:
            out.write(os.path.join(args.out_dir or ".", name) + "\n")
        return 0
    if args.check or args.list_services:
        return 0
    return write_outputs(args, program, files, sink)


def write_outputs(args, program, files, sink):
    """Write generated files and the depfile; E092 on failure."""
    from . import render

    try:
        os.makedirs(args.out_dir, exist_ok=True)
        for name in sorted(files):
            path = os.path.join(args.out_dir, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            render.write_if_changed(path, files[name])
        if args.depfile:
            deps = [os.path.abspath(t.source.path) for t in program.files]
            # The target is the first output, in the order --list-outputs gives
            # (build tools match a depfile to its rule's first output).
            first = next(iter(files), ".")
            target = os.path.abspath(os.path.join(args.out_dir, first))
            dep_dir = os.path.dirname(os.path.abspath(args.depfile))
            os.makedirs(dep_dir, exist_ok=True)
            render.write_if_changed(args.depfile, render.depfile_text(target, deps))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        where = getattr(exc, "filename", None) or args.out_dir
        sink.error("E092", "cannot write %s: %s" % (where, reason))
        return 1
    return 0


def main(argv=None, stdout=None, stderr=None):
    """Entry point; returns the exit status instead of raising."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    # Nesting is bounded (types 32 deep, imports 64), well within this.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    argv = sys.argv[1:] if argv is None else argv
    sink = Sink()
    debug = "--debug" in argv
    status = 1
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        status = compile_file(args, sink, stdout)
    except UsageError as exc:
        stderr.write(sink.render())
        stderr.write(Diagnostic("E090", str(exc),
                                help="run 'python3 -m idlc --help' for the options").render())
        return 1
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except TooManyErrors:
        stderr.write(sink.render())
        stderr.write("idlc: stopping after %d errors\n" % sink.count())
        return 1
    except BaseException as exc:  # noqa: B902 - nothing may escape as a traceback
        if isinstance(exc, KeyboardInterrupt):
            stderr.write("idlc: interrupted\n")
            return 1
        stderr.write(sink.render())
        what = "%s: %s" % (type(exc).__name__, _clip(str(exc)))
        stderr.write(Diagnostic("E0999", "internal compiler error (%s)" % what,
                                help="this is a bug in idlc, not in your file; please report "
                                     "it with the input" +
                                     ("" if debug else " (rerun with --debug for a "
                                      "traceback)")).render())
        if debug:
            traceback.print_exc(file=stderr)
        return 1
    stderr.write(sink.render())
    if sink.has_errors:
        return 1
    return status


def _clip(text, limit=200):
    """Keep internal error texts short."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


if __name__ == "__main__":
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    sys.exit(main())
