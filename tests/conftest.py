"""Shared fixtures: a throw-away copy of the project, and one render of the sample edition."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import weasyprint
from hypothesis import settings
import yaml

from fontTools import subset as ft_subset

from layout.fonts import FontMetrics, face_index, load_font_faces, load_metrics
from layout.pipeline import Project, render_edition
from layout.render.fetch import LockedFetcher
from layout.style import load_style
from tests.photo_edition import PHOTO_DATE, write_photo_edition

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "2020-05-15"
TORTURE = "2020-06-01"     # tests/editions/: every hard case of the typography spec, on three pages
MINI = "2020-06-02"        # tests/editions/: one small page, rendered several times by the snapshot tests
NARROW = "2020-06-04"      # tests/editions/: technology copy in narrow 破栏 columns, over two pages
MAKEUP = "2020-06-05"      # tests/editions/: page make-up — masthead, index, rules, photos, PDF ads, verse…
MIXED = "2020-06-06"       # tests/editions/: sport, tech and finance copy with Latin in 8–10 em columns, 3 pages


def copy_project(target: Path) -> Project:
    """A throw-away project: the repository's editions, styles and fonts, and the test editions."""
    for name in ("editions", "styles", "fonts"):
        shutil.copytree(REPO / name, target / name)
    for edition in (REPO / "tests" / "editions").iterdir():
        shutil.copytree(edition, target / "editions" / edition.name)
    return Project(target)


def change_block(project, page: int, name: str, **changes) -> None:
    """Rewrite the sample plan with one block's keys changed (given with _ for -)."""
    path = project.editions / SAMPLE / "edition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    block = next(b for b in data["pages"][page - 1]["blocks"] if name in (b.get("story"), b.get("image")))
    block.update({key.replace("_", "-"): value for key, value in changes.items()})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def drop_images(project, page: int) -> None:
    """Rewrite the sample plan without the pictures of one page (its house ads), leaving that grid free."""
    path = project.editions / SAMPLE / "edition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["pages"][page - 1]["blocks"] = [b for b in data["pages"][page - 1]["blocks"] if "image" not in b]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_pdf(html: str, subsets, roots=()) -> bytes:
    """HTML written by WeasyPrint as the engine does: font subsets served from memory by the URL
    fetcher, files only from inside `roots`."""
    fetcher = LockedFetcher(roots, held={subset.url: subset.data for subset in subsets})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def fonttools_subset(face, text: str):
    """A fontTools subset of a face as the engine once made them: a CID-keyed CFF keeps the original
    font's CIDs (which Ghostscript, MuPDF and RIPs then look codes up by)."""
    options = ft_subset.Options()
    options.font_number = face_index(face)
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = ft_subset.load_font(str(face.path), options, lazy=True)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    return font


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


@pytest.fixture(scope="session")
def torture(tmp_path_factory):
    """The torture edition rendered once, in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("torture"))
    return project, render_edition(project, TORTURE)


@pytest.fixture(scope="session")
def narrow(tmp_path_factory):
    """The narrow-column edition rendered once, in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("narrow"))
    return project, render_edition(project, NARROW)


@pytest.fixture(scope="session")
def mixed(tmp_path_factory):
    """The narrow mixed-copy edition rendered once, in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("mixed"))
    return project, render_edition(project, MIXED)


@pytest.fixture(scope="session")
def makeup(tmp_path_factory):
    """The make-up edition rendered once, in a copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("makeup"))
    return project, render_edition(project, MAKEUP)


@pytest.fixture(scope="session")
def mini(tmp_path_factory):
    """The one-page test edition, untouched."""
    project = copy_project(tmp_path_factory.mktemp("mini"))
    return project, render_edition(project, MINI)


def set_pdf_variant(project: Project, variant: str) -> None:
    path = project.styles / "broadsheet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pdf_variant: pdf/x-4", f"pdf_variant: {variant}"),
                    encoding="utf-8")


@pytest.fixture(scope="session")
def photos(tmp_path_factory):
    """The photo edition (tests/photo_edition.py) rendered once."""
    project = copy_project(tmp_path_factory.mktemp("photos"))
    write_photo_edition(project.editions)
    return project, render_edition(project, PHOTO_DATE)


@pytest.fixture(scope="session")
def x1a(tmp_path_factory):
    """Every test edition rendered as PDF/X-1a, in one copy of the project: date → rendered."""
    project = copy_project(tmp_path_factory.mktemp("x1a"))
    set_pdf_variant(project, "pdf/x-1a")
    write_photo_edition(project.editions)
    return project, {date: render_edition(project, date) for date in (SAMPLE, TORTURE, NARROW, MINI, PHOTO_DATE,
                                                                      MAKEUP)}


@pytest.fixture(params=["sample", "torture", "narrow", "makeup", "mixed"])
def any_edition(request):
    """Each rendered edition in turn: for the tests every edition must pass."""
    return request.getfixturevalue(request.param)


@pytest.fixture()
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


# Figures a test wants a person to read (e.g. how far the readers agree), printed after the run.
FIGURES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def figures(request) -> list[str]:
    """Append lines here to have them printed in the run's summary."""
    return request.config.stash.setdefault(FIGURES, [])


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="accept the current pages as the snapshot baselines in tests/snapshots/")


# CI runs the property tests on a fixed set of examples, so a landing never depends on chance;
# local runs explore new examples each time (and keep failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
