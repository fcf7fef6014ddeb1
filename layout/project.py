"""The project: the folders an installation keeps its editions, house styles, fonts, output and
page snapshots in. Light on purpose: a command finds its project before it imports anything else."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where an installation keeps its editions, house styles, fonts, output and page snapshots."""

    root: Path
    editions_dir: Path | None = None     # default: <root>/editions

    @property
    def editions(self) -> Path:
        return self.editions_dir or self.root / "editions"

    def snapshots(self, date: str) -> Path:
        return self.root / "tests" / "snapshots" / date

    def snapshot_report(self, date: str) -> Path:
        return self.root / "output" / "snapshots" / date

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    def output(self, date: str) -> Path:
        return self.root / "output" / date
