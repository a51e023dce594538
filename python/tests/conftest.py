"""Puts python/ on sys.path so that `/usr/bin/python3 -m pytest python/tests` finds the
`lantian` package (and its compiled _lantian module, built into python/lantian/ by CMake)."""
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

REPO_ROOT = PYTHON_DIR.parent
