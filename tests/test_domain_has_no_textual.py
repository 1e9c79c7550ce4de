"""The domain never imports Textual: it must be usable (and tested) without a screen."""

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import deskterm
names = []
def walk(package):
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name.startswith("deskterm.tui") or info.name.endswith(".migrations"):
            continue
        module = importlib.import_module(info.name)
        names.append(info.name)
        if info.ispkg:
            walk(module)
walk(deskterm)
bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(names), ",".join(bad))
"""


def test_everything_outside_the_tui_imports_without_textual():
    """Importing every non-UI module in a fresh interpreter leaves Textual unloaded."""
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    count, _, bad = out.stdout.strip().partition(" ")
    assert int(count) >= 10
    assert bad == ""
