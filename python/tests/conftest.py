"""Puts python/ on sys.path so that `/usr/bin/python3 -m pytest python/tests` finds the
`lantian` package (and its compiled _lantian module, built into python/lantian/ by CMake)."""
import os
import re
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
DEMO = REPO_ROOT / "examples" / "demo-city"


def coarse_demo(tmp: Path, hours: int = 30, tags: str | None = None) -> Path:
    """The demo city on a 20 x 20 grid of 4-km cells (the same extent; the inventory lies inside),
    `hours` long, untagged unless `tags`, written to tmp/case.toml with absolute input paths."""
    text = (DEMO / "case.toml").read_text(encoding="utf-8")
    subs = {
        r"^nx = 80$": "nx = 20", r"^ny = 80$": "ny = 20",
        r"^dx = 1000\.0$": "dx = 4000.0", r"^dy = 1000\.0$": "dy = 4000.0",
        r"^hours = 72$": f"hours = {hours}",
        r'^rules_file = "\.\./rules/national\.toml"': f'rules_file = "{DEMO.parent / "rules" / "national.toml"}"',
        r'^observations = "observations\.csv"': f'observations = "{DEMO / "observations.csv"}"',
        r'^boundary_file = "boundary\.csv"': f'boundary_file = "{DEMO / "boundary.csv"}"',
        r'^folder = "inventory"': f'folder = "{DEMO / "inventory"}"',
    }
    for pattern, repl in subs.items():
        text, n = re.subn(pattern, lambda _m, r=repl: r, text, flags=re.M)
        assert n == 1, pattern
    # The demo carries sector tags; these tests start untagged and choose their own.
    text = re.sub(r"^tags = .*\n", "", text, count=1, flags=re.M)
    if tags:
        text = text.replace("[model]\n", f'[model]\ntags = "{tags}"\n', 1)
    path = tmp / "case.toml"
    path.write_text(text, encoding="utf-8")
    return path
