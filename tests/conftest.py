"""Shared fixtures: a throw-away copy of the project, and one render of the sample edition."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layout.fonts import FontMetrics, load_font_faces, load_metrics
from layout.pipeline import Project, render_edition
from layout.style import load_style

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "2020-05-15"


def copy_project(target: Path) -> Project:
    for name in ("editions", "styles", "fonts"):
        shutil.copytree(REPO / name, target / name)
    return Project(target)


@pytest.fixture(scope="session")
def style():
    return load_style(REPO / "styles", "broadsheet")


@pytest.fixture(scope="session")
def metrics() -> dict[str, FontMetrics]:
    return {role: load_metrics(face) for role, face in load_font_faces(REPO / "fonts").items()}


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The sample edition rendered once, in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("sample"))
    return project, render_edition(project, SAMPLE)


@pytest.fixture()
def project(tmp_path) -> Project:
    return copy_project(tmp_path)
