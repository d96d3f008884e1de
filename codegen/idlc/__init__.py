"""idlc: the Selene IDL compiler.

Run it as `python3 -m idlc` (with codegen/ on PYTHONPATH) or `codegen/idlc.py`.
The steps are modules named after them: lexer, parser, resolve, version,
check, layout, then names, codec and service (the view the templates print),
render; diagnostics holds the error catalog, kernel.py the kernel backend.
"""

import os as _os
import sys as _sys

# The step modules are named for their step, and one of them is ast.py. If
# idlc is started from inside this directory, Python puts it on sys.path and
# the standard library's `ast` (used by jinja2) would be shadowed: drop it.
_HERE = _os.path.dirname(_os.path.abspath(__file__))
_sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or _os.curdir) != _HERE]

__all__ = ["main"]


def main(argv=None, stdout=None, stderr=None):
    """Run idlc with `argv`; returns the exit status."""
    from .__main__ import main as run
    return run(argv, stdout, stderr)
