#!/usr/bin/env python3
"""Wrapper so idlc runs as `codegen/idlc.py ...` without setting PYTHONPATH."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))

from idlc import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
