"""Pages rendered each on its own, in parallel and from the page cache: the same bytes whatever the
number of workers and whether a page came from the cache; an edit re-renders only the pages it
touches; the edition PDF is its page files, in order."""
from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile

import pytest
from pypdf import PdfReader, PdfWriter

from layout.cachefile import scratch_dir, scratch_folder, sweep_temporary_files
from layout.check.preflight import check_edition_order
from layout.cli import main
from layout.pipeline import render_edition
from tests.conftest import REPO, SAMPLE, TORTURE, copy_project


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    """An empty page and font cache of the test's own, so that every page is really rendered."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    return folder


def test_one_worker_and_two_give_the_same_bytes(tmp_path, monkeypatch):
    files = []
    for jobs in (1, 2):
        monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / f"cache-{jobs}"))
        project = copy_project(tmp_path / f"jobs-{jobs}")
        rendered = render_edition(project, TORTURE, jobs=jobs)
        assert not any(page.cached for page in rendered.pages)
        files.append(rendered.deliverables.files)
    # The projects sit in different folders, which the files do not show.
    assert files[0] == files[1]


def test_a_page_from_the_cache_is_the_page_a_render_writes(project, fresh_cache):
    first = render_edition(project, SAMPLE, jobs=1)
    again = render_edition(project, SAMPLE, jobs=1)
    assert all(page.cached for page in again.pages) and not any(page.cached for page in first.pages)
    assert again.deliverables.files == first.deliverables.files
    assert [p.glyphs for p in again.pages] == [p.glyphs for p in first.pages]


IMPORTS_WEASYPRINT = """
import sys
from layout.cli import main
code = main(sys.argv[1:])
print("weasyprint imported" if "weasyprint" in sys.modules else "weasyprint not imported")
sys.exit(code)
"""


@pytest.mark.parametrize("command", [["render", SAMPLE, "--timings"], ["fit", SAMPLE]], ids=["render", "fit"])
def test_a_render_from_the_page_cache_and_a_fit_never_import_weasyprint(project, fresh_cache, command):
    """Importing WeasyPrint costs about a second: only a page that is painted may need it."""
    render_edition(project, SAMPLE, jobs=1)
    run = subprocess.run([sys.executable, "-c", IMPORTS_WEASYPRINT, "--root", str(project.root), *command],
                         capture_output=True, text=True, cwd=REPO, env={**os.environ, "LAYOUT_CACHE_DIR": str(fresh_cache)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "weasyprint not imported"
    assert command[0] != "render" or "pages rendered / from cache  0 / 2" in run.stdout


def test_an_edit_rerenders_only_the_pages_its_story_is_on(project, fresh_cache):
    render_edition(project, SAMPLE, jobs=1)
    story = project.editions / SAMPLE / "stories" / "sewage.md"          # on page 1 only
    story.write_text(story.read_text(encoding="utf-8").replace("我拍个照片", "我拍张照片"), encoding="utf-8")
    edited = render_edition(project, SAMPLE, jobs=1)
    assert [page.cached for page in edited.pages] == [False, True]
    # What the cache gave is what a render from nothing gives.
    fresh_cache.rename(fresh_cache.with_name("old-cache"))
    fresh = render_edition(project, SAMPLE, jobs=1)
    assert fresh.deliverables.files == edited.deliverables.files


def test_a_damaged_cache_entry_is_rendered_again(project, fresh_cache):
    first = render_edition(project, SAMPLE, jobs=1)
    for entry in (fresh_cache / "pages").glob("*.page"):
        entry.write_bytes(entry.read_bytes()[:100])
    again = render_edition(project, SAMPLE, jobs=1)
    assert not any(page.cached for page in again.pages)
    assert again.deliverables.files == first.deliverables.files


def test_the_edition_pdf_is_its_page_files_in_order(sample):
    _, rendered = sample
    manifest = rendered.deliverables.manifest
    pages = [rendered.deliverables.files[page["file"]] for page in manifest["pages"]]
    edition = rendered.deliverables.files[manifest["edition_pdf"]]
    assert check_edition_order(edition, "e.pdf", pages) == []
    # Swapped pages, and a page missing, are found.
    reader = PdfReader(io.BytesIO(edition))
    writer = PdfWriter()
    for index in (1, 0):
        writer.add_page(reader.pages[index])
    swapped = io.BytesIO()
    writer.write(swapped)
    problems = check_edition_order(swapped.getvalue(), "e.pdf", pages)
    assert [(p.page, p.message) for p in problems] == [
        (1, "is not the page of its page file: pages out of order or changed"),
        (2, "is not the page of its page file: pages out of order or changed")]
    assert check_edition_order(edition, "e.pdf", pages + pages[:1])[0].message == "has 2 pages, the edition has 3 page files"


def test_every_font_subset_of_the_edition_has_a_name_of_its_own(sample):
    """Each page is its own document with its own subsets; the edition PDF holds them all, and the
    tag before + names the subset's content (ISO 32000-1 §9.6.4)."""
    _, rendered = sample
    edition = PdfReader(io.BytesIO(rendered.deliverables.files[rendered.deliverables.manifest["edition_pdf"]]))
    programs: dict[str, bytes] = {}
    for page in edition.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = (descriptor.get("/FontFile3") or descriptor["/FontFile2"]).get_object().get_data()
            name = str(descriptor["/FontName"])
            assert programs.setdefault(name, program) == program, name


def test_render_reports_stages_and_pages(project, fresh_cache, capsys):
    assert main(["--root", str(project.root), "render", SAMPLE, "--jobs", "2", "--timings"]) == 0
    out = capsys.readouterr().out
    for stage in ("plan", "flow", "render", "assemble", "check", "write"):
        assert f"\n{stage} " in out
    assert "pages rendered / from cache  2 / 0" in out


def test_jobs_must_be_a_positive_number(project, capsys):
    with pytest.raises(SystemExit):
        main(["--root", str(project.root), "render", SAMPLE, "--jobs", "0"])
    assert "must be a whole number of at least 1, not '0'" in capsys.readouterr().err


def test_workers_leave_nothing_in_the_temporary_folder(project, fresh_cache, tmp_path, monkeypatch):
    """WeasyPrint writes a folder of fonts per document and removes it when the document is
    collected, which a worker's exit never waits for: each render left one a worker (550 kB each)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    render_edition(project, SAMPLE, jobs=2)
    assert [path.name for path in temporary.rglob("*")] == [scratch_dir().name]


def test_the_scratch_folder_of_a_dead_render_is_swept(project, fresh_cache, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = scratch_dir() / f"{socket.gethostname()}.{dead.stdout.strip()}.abcd1234"
    (left / "weasyprint-x").mkdir(parents=True)
    alive = scratch_folder()
    sweep_temporary_files()
    assert not left.exists() and alive.is_dir()


def test_version_names_the_engine_the_caches_are_keyed_by(capsys):
    from importlib import metadata
    from layout.cachefile import engine_version
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"layout {metadata.version('layout')} (engine {engine_version()[:16]}")
