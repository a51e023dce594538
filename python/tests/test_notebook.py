"""Executes the example notebook (examples/demo-city/notebook.ipynb) with nbclient, as an analyst
would run it: it must run from top to bottom without an error and produce its figures.

Needs Debian's python3-nbclient, python3-nbformat and python3-ipykernel (scripts/setup.sh);
skipped with the reason when they are missing. The period is shortened through
LANTIAN_NOTEBOOK_HOURS (24 h, the shortest period with a warning
decision, so that the options act) and the options are superposed (LANTIAN_NOTEBOOK_RERUNS=0)
to keep the test short.
"""
import os

import pytest

from conftest import PYTHON_DIR, REPO_ROOT

NOTEBOOK = REPO_ROOT / "examples" / "demo-city" / "notebook.ipynb"


def test_demo_notebook_runs(monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="nbformat missing: apt-get install python3-nbformat")
    nbclient = pytest.importorskip("nbclient", reason="nbclient missing: apt-get install python3-nbclient")
    pytest.importorskip("ipykernel", reason="ipykernel missing: apt-get install python3-ipykernel")
    monkeypatch.setenv("LANTIAN_NOTEBOOK_HOURS", os.environ.get("LANTIAN_NOTEBOOK_HOURS", "24"))
    # The options by superposition (the re-runs are tested in test_case_run.py): 7 model runs less.
    monkeypatch.setenv("LANTIAN_NOTEBOOK_RERUNS", os.environ.get("LANTIAN_NOTEBOOK_RERUNS", "0"))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend returns the PNGs
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel's debugger warning on stderr
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(PYTHON_DIR), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the station series and the map"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "orange-plus" in text and "city peak PM2.5" in text
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "peak_hourly_cut_pct" in html  # the comparison DataFrame
    assert "yellow" in html  # the 24-h baseline reaches a warning, so the options act
