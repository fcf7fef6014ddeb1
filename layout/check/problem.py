"""A preflight finding: one line saying what is wrong and where."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    page: int | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f" page {self.page}" if self.page else "")
        return f"{where}: {self.message}"

    def as_json(self) -> dict:
        return asdict(self)
