"""Time `layout render` of an edition, cold (empty font cache) and warm, in a throw-away copy.

Usage: .venv/bin/python scripts/bench_render.py [date] [runs]
Prints the figures; it asserts nothing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    date = sys.argv[1] if len(sys.argv) > 1 else "2020-05-15"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("editions", "styles", "fonts"):
            shutil.copytree(REPO / name, root / name)
        env = dict(os.environ, LAYOUT_CACHE_DIR=str(root / "cache"))
        command = [str(REPO / ".venv" / "bin" / "layout"), "--root", str(root), "render", date]

        def timed() -> float:
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            return time.perf_counter() - start

        cold = timed()
        warm = sorted(timed() for _ in range(runs))
        print(f"render {date}: cold (empty font cache) {cold:.2f} s; "
              f"warm median of {runs} {warm[len(warm) // 2]:.2f} s (min {warm[0]:.2f} s)")


if __name__ == "__main__":
    main()
