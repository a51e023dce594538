"""Puts python/ on sys.path so that `/usr/bin/python3 -m pytest python/tests` finds the
`lantian` package (and its compiled _lantian module, built into python/lantian/ by CMake)."""
import os
import sys
from pathlib import Path

# Idle OpenMP threads sleep instead of spinning (libgomp reads this when the compiled module is
# loaded): on a loaded machine spinning threads slowed an Eulerian run ~100-fold (0.05 s -> 17 s
# per model hour on the coarse demo grid with 2 threads and a load average of 10).
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

PYTHON_DIR = Path(__file__).resolve().parents[1]
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

REPO_ROOT = PYTHON_DIR.parent
