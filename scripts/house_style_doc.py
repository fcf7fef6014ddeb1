"""Writes docs/house-style.md, the reference of every house-style key, from layout/style/schema.py.

Usage: .venv/bin/python scripts/house_style_doc.py
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layout.style.schema import reference  # noqa: E402

if __name__ == "__main__":
    (REPO / "docs" / "house-style.md").write_text(reference(), encoding="utf-8")
