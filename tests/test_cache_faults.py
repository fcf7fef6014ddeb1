"""The page cache against what a night does to it (issue 20): pictures an SVG refers to changing
under a cached page, entries copied, renamed, symlinked, emptied, replaced by garbage, a FIFO or a
folder, temporary files of writers that died, a cache copied with its project to other folders; and
the render's worker processes against Ctrl-C, kill -9 and their parent dying. After each fault a
render prints the right pages: byte for byte the files a render with an empty cache writes.

The cache is used as a person with a shell would: $LAYOUT_CACHE_DIR/pages/ holds an entry per page,
named by its key (<64 hex>.page); which entry is which page is found by taking one away and seeing
which page is rendered again. The command runs as the project installs `layout`, in a process of its
own (PYTHONPATH: this repository)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from PIL import Image

from layout.cli import main
from layout.prepress.colour import convert_image
from layout.render import pages
from layout.render.pages import converted_picture
from layout.style import load_style
from layout.pipeline import render_edition
from layout.prepare import Project
from tests.conftest import MINI, NARROW, REPO, copy_project

TWO_PAGES = NARROW        # the two-page test edition that renders fastest
ONE_PAGE = MINI           # the one-page test edition; the graphic tests give it a picture
HANG = 120                # seconds: a render that takes longer hangs
KEY = re.compile(r"([0-9a-f]{64})\.")


# --- the cache as files -------------------------------------------------------------------------------

def entries(cache: Path, folder: str = "pages") -> dict[str, list[Path]]:
    """The cache's entries by key: the files named by a key (<key>.page), temporary files left out."""
    found: dict[str, list[Path]] = {}
    if not (cache / folder).is_dir():
        return found
    for path in sorted((cache / folder).iterdir()):
        match = KEY.match(path.name)
        if match and not path.name.endswith(".tmp"):
            found.setdefault(match.group(1), []).append(path)
    return found


def rewrite(files: list[Path], change) -> None:
    """Each file of an entry given new content, `change(old bytes) → new bytes`, as someone editing
    the cache by hand would."""
    for path in files:
        path.write_bytes(change(path.read_bytes()))


def copy_entry(files: list[Path], key: str, to_key: str) -> None:
    """The entry of `key` copied under the name of `to_key`'s, in its place."""
    for path in files:
        shutil.copyfile(path, path.with_name(path.name.replace(key, to_key)))


def replace_by(files: list[Path], make) -> None:
    """Each file of an entry taken away and `make(path)` put in its place."""
    for path in files:
        path.unlink()
        make(path)


def output_pdfs(project: Project, date: str) -> dict[str, bytes]:
    """The page files and edition PDF a render wrote."""
    return {path.name: path.read_bytes() for path in sorted(project.output(date).glob("*.pdf"))}


# --- processes ----------------------------------------------------------------------------------------

def layout_command(*args: str) -> list[str]:
    """`layout …` as the project installs the command ([project.scripts] in pyproject.toml)."""
    entry = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["layout"]
    module, _, function = entry.partition(":")
    return [sys.executable, "-c",
            f"import sys; sys.argv[0] = 'layout'; from {module} import {function}; sys.exit({function}())", *args]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent, process group) of a process, None if there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[0], int(fields[1]), int(fields[2])


def _exe(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def _live() -> list[tuple[int, int, int]]:
    """(pid, parent, group) of every process that is not a zombie (a zombie has ended)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and (stat := _stat(int(name))) is not None and stat[0] not in "ZX":
            found.append((int(name), stat[1], stat[2]))
    return found


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in "ZX"


def group(pgid: int) -> list[int]:
    """The live processes of a process group."""
    return [pid for pid, _, pgrp in _live() if pgrp == pgid]


def describe(pids: list[int]) -> list[str]:
    """What a process is and where it waits, for a test that finds it still running."""
    def wchan(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/wchan").read_text()
        except OSError:
            return "?"
    return [f"{pid} {_exe(pid)} waiting in {wchan(pid)}" for pid in pids]


def wait_until(condition, seconds: float, what: str, run: subprocess.Popen):
    """Poll until `condition()` is true; fail if the render ends first or the time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if run.poll() is not None:
            pytest.fail(f"the render ended (exit {run.returncode}) before {what}")
        time.sleep(0.01)
    pytest.fail(f"no {what} within {seconds} s")


@dataclass
class Run:
    process: subprocess.Popen
    out: Path
    err: Path
    seen: dict[int, float] = field(default_factory=dict)     # child → when first seen

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self, settled: float = 0.1) -> list[int]:
        """The render's worker processes: its children running the program it runs (Python), for
        `settled` seconds at least — not, say, the compiler ctypes starts to find a library, which
        runs Python between its fork and its exec."""
        program, now = _exe(self.pid), time.monotonic()
        children = [child for child, parent, _ in _live() if parent == self.pid and program and _exe(child) == program]
        for child in children:
            self.seen.setdefault(child, now)
        return [child for child in children if now - self.seen[child] >= settled]

    def finish(self, timeout: float = HANG) -> tuple[int, str, str]:
        """Wait for the render: (exit code, stdout, stderr); a render that hangs fails the test."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the render still runs after {timeout} s (it hangs)")
        return code, self.out.read_text(errors="replace"), self.err.read_text(errors="replace")


@contextmanager
def started(tmp_path: Path, cache: Path, *args: str):
    """`layout <args>` started in a process group of its own, with `cache` as its cache; whatever of
    that group is left when the test ends is killed, one process at a time."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(layout_command(*args), cwd=REPO, stdout=stdout, stderr=stderr,
                                   start_new_session=True,
                                   env={**os.environ, "PYTHONPATH": str(REPO), "LAYOUT_CACHE_DIR": str(cache)})
    try:
        yield Run(process, out, err)
    finally:
        for pid in group(process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if process.poll() is None:
            process.kill()
        process.wait()


def run_layout(tmp_path: Path, cache: Path, *args: str) -> tuple[int, str, str]:
    with started(tmp_path, cache, *args) as run:
        return run.finish()


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text


# --- the two-page edition, rendered once --------------------------------------------------------------

@dataclass
class Base:
    project: Project
    cache: Path                 # the folder the tests damage (always this one: it is in the keys of old caches)
    template: Path              # the cache as the first render left it
    pdfs: dict[str, bytes]      # what a render with an empty cache writes
    entry_of_page: dict[int, str]    # page → the key of its entry


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Base:
    root = tmp_path_factory.mktemp("base")
    project = copy_project(root / "project")
    cache = root / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYOUT_CACHE_DIR", str(cache))
        first = render_edition(project, TWO_PAGES, jobs=2)
        assert [page.cached for page in first.pages] == [False, False]
        pdfs = output_pdfs(project, TWO_PAGES)
        keys = entries(cache)
        assert len(keys) == 2, keys
        # Which entry is which page: without one, its page is rendered again (and the same entry written).
        taken = sorted(keys)[0]
        aside = root / "aside"
        aside.mkdir()
        for path in keys[taken]:
            path.rename(aside / path.name)
        again = render_edition(project, TWO_PAGES, jobs=1)
        [page] = [result.number for result in again.pages if not result.cached]
        assert entries(cache).keys() == keys.keys() and output_pdfs(project, TWO_PAGES) == pdfs
    template = root / "template"
    shutil.copytree(cache, template, symlinks=True)
    other = next(key for key in keys if key != taken)
    return Base(project, cache, template, pdfs, {page: taken, 3 - page: other})


@pytest.fixture()
def cache(base, monkeypatch) -> Path:
    """The base cache as the first render left it, in its folder, for this render; no output yet."""
    shutil.rmtree(base.cache, ignore_errors=True)
    shutil.copytree(base.template, base.cache, symlinks=True)
    shutil.rmtree(base.project.output(TWO_PAGES), ignore_errors=True)
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(base.cache))
    return base.cache


@pytest.fixture()
def warm_cache(base, tmp_path) -> Path:
    """A cache of no pages (the workers have work), with the font metrics and subsets already made."""
    folder = tmp_path / "cache"
    for part in ("metrics", "subsets"):
        if (base.template / part).is_dir():
            shutil.copytree(base.template / part, folder / part)
    shutil.rmtree(base.project.output(TWO_PAGES), ignore_errors=True)
    return folder


def render_cli(base: Base, capsys) -> tuple[int, str]:
    """`layout render` in this process: (exit code, stderr); output bytes compared by the caller."""
    code = main(["--root", str(base.project.root), "render", TWO_PAGES])
    err = capsys.readouterr().err
    no_traceback(err)
    return code, err


# --- a picture an SVG refers to -----------------------------------------------------------------------

def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 450), colour).save(out, format="PNG")       # over 200 dpi as placed
    return out.getvalue()


def svg(colour: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30">'
            f'<rect width="40" height="30" fill="{colour}"/></svg>').encode()


PICTURES = {
    "outer.svg": b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="120pt" height="200pt" viewBox="0 0 120 200">
  <rect x="0.5" y="0.5" width="119" height="199" fill="none" stroke="#000"/>
  <image x="10" y="10" width="100" height="50" href="inner.svg"/>
  <image x="10" y="70" width="100" height="50" href="inner.png"/>
  <image x="10" y="130" width="100" height="50" xlink:href="mid.svg"/>
</svg>""",
    "inner.svg": svg("#0000ff"),
    "inner.png": png((0, 160, 0)),
    "mid.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30">'
               b'<image x="0" y="0" width="40" height="30" href="deep.png"/></svg>',
    "deep.png": png((200, 0, 0)),
}


@dataclass
class Graphic:
    """The one-page edition with an SVG graphic that shows an SVG and a PNG, and an SVG that shows a PNG."""
    project: Project
    cache: Path
    template: Path
    pdfs: dict[str, bytes]

    def reset(self) -> None:
        images = self.project.editions / ONE_PAGE / "images"
        for name, data in PICTURES.items():
            (images / name).write_bytes(data)
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.copytree(self.template, self.cache, symlinks=True)


@pytest.fixture(scope="module")
def graphic(tmp_path_factory) -> Graphic:
    root = tmp_path_factory.mktemp("graphic")
    project = copy_project(root / "project")
    edition = project.editions / ONE_PAGE
    (edition / "images").mkdir()
    for name, data in PICTURES.items():
        (edition / "images" / name).write_bytes(data)
    plan = edition / "edition.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "      - {image: images/outer.svg, col: 6, cols: 2, line: 20, "
                    "lines: 30, caption: 示意图}\n", encoding="utf-8")
    cache = root / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYOUT_CACHE_DIR", str(cache))
        render_edition(project, ONE_PAGE, jobs=1)
    template = root / "template"
    shutil.copytree(cache, template, symlinks=True)
    return Graphic(project, cache, template, output_pdfs(project, ONE_PAGE))


@pytest.mark.parametrize("name, changed", [("inner.svg", svg("#ff00ff")), ("inner.png", png((0, 0, 0))),
                                           ("deep.png", png((0, 0, 220)))],
                         ids=["an SVG it shows", "a PNG it shows", "a PNG an SVG it shows shows"])
def test_a_picture_an_svg_refers_to_is_part_of_the_page_key(graphic, tmp_path, monkeypatch, name, changed):
    graphic.reset()
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(graphic.cache))
    (graphic.project.editions / ONE_PAGE / "images" / name).write_bytes(changed)
    render_edition(graphic.project, ONE_PAGE, jobs=1)
    again = output_pdfs(graphic.project, ONE_PAGE)
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "empty"))
    render_edition(graphic.project, ONE_PAGE, jobs=1)
    fresh = output_pdfs(graphic.project, ONE_PAGE)
    assert fresh != graphic.pdfs, "the changed picture does not show on the page: the test shows nothing"
    assert again == fresh, f"the page from the cache still shows the old {name}"


# --- entries that are not what their name says --------------------------------------------------------

def test_a_cached_page_is_one_file_that_names_its_key(base):
    """pages/<key>.page and subsets/<key>.otf, nothing beside them; each holds its key."""
    pages = sorted(path.name for path in (base.template / "pages").iterdir())
    assert pages == sorted(f"{key}.page" for key in base.entry_of_page.values())
    subsets = list((base.template / "subsets").iterdir())
    assert subsets and all(re.fullmatch(r"[0-9a-f]{64}\.otf", path.name) for path in subsets), subsets
    for path in [base.template / "pages" / name for name in pages] + subsets:
        key = path.name[:64]
        data = path.read_bytes()
        assert key.encode() in data or bytes.fromhex(key) in data, path.name


def test_page_2s_entry_under_page_1s_name_is_a_miss(base, cache):
    one, two = base.entry_of_page[1], base.entry_of_page[2]
    found = entries(cache)
    replace_by(found[one], lambda path: None)
    copy_entry(found[two], two, one)
    rendered = render_edition(base.project, TWO_PAGES)
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs
    assert [page.cached for page in rendered.pages] == [False, True]


def test_an_entry_that_is_a_symlink_out_of_the_cache_is_a_miss(base, cache, tmp_path):
    """Page 1's entry a symlink to a copy of page 2's, outside the cache: not read, not written through."""
    one, two = base.entry_of_page[1], base.entry_of_page[2]
    found = entries(cache)
    outside = tmp_path / "outside"
    outside.mkdir()
    for path in found[two]:
        shutil.copyfile(path, outside / path.name.replace(two, one))
    kept = {path.name: path.read_bytes() for path in outside.iterdir()}
    replace_by(found[one], lambda path: path.symlink_to(outside / path.name))
    rendered = render_edition(base.project, TWO_PAGES)
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs
    assert [page.cached for page in rendered.pages] == [False, True]
    assert {path.name: path.read_bytes() for path in outside.iterdir()} == kept


def _middle_byte_changed(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


DAMAGE = {
    "empty": lambda key: lambda data: b"",
    "truncated": lambda key: lambda data: data[:len(data) // 2],
    "one byte changed": lambda key: _middle_byte_changed,
    "garbage": lambda key: lambda data: bytes(range(256)) * 64,
    "JSON with unexpected fields": lambda key: lambda data: json.dumps(
        {"key": key, "page": 1, "pdf": "%PDF-1.7\n%%EOF", "problems": "none", "glyphs": {"x": 1},
         "missing": [[1, 2, 3]], "reads": 5, "version": 99}).encode(),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_is_rendered_again_without_a_traceback(base, cache, capsys, damage):
    one = base.entry_of_page[1]
    rewrite(entries(cache)[one], DAMAGE[damage](one))
    code, err = render_cli(base, capsys)
    assert code == 0, err
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs
    # The entry was written anew: the next render takes every page from the cache.
    again = render_edition(base.project, TWO_PAGES)
    assert all(page.cached for page in again.pages)
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs


@pytest.mark.parametrize("folder", ["pages", "subsets"])
def test_a_fifo_in_place_of_a_cache_file_does_not_hang_the_render(base, cache, tmp_path, folder):
    """A FIFO with no writer blocks whoever opens it to read: the render must not."""
    files = [path for found in entries(cache, folder).values() for path in found]
    if folder == "pages":
        files = entries(cache)[base.entry_of_page[1]]
    assert files
    replace_by(files, os.mkfifo)
    code, out, err = run_layout(tmp_path, cache, "--root", str(base.project.root), "render", TWO_PAGES)
    no_traceback(out, err)
    assert code == 0, err
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs


PICTURE_FAULTS = {**{name: (lambda change: lambda path: path.write_bytes(change("")(path.read_bytes())))(change)
                    for name, change in DAMAGE.items()},
                  "FIFO": lambda path: (path.unlink(), os.mkfifo(path)),
                  "folder": lambda path: (path.unlink(), path.mkdir())}


@pytest.mark.parametrize("fault", PICTURE_FAULTS)
def test_a_picture_converted_for_print_is_kept_and_a_damaged_entry_converted_again(tmp_path, monkeypatch, fault):
    """Photos are converted once a night (they run to megabytes): the conversion is kept by the
    picture's content and the print settings; a damaged entry is a miss, never a wrong picture."""
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    spec = load_style(REPO / "styles", "broadsheet").print
    photo = REPO / "benchmarks" / "editions" / "2020-07-01" / "images" / "photo-1.jpg"
    graphic = REPO / "editions" / "2020-05-15" / "images" / "app.svg"
    converted = {path: convert_image(path, path.read_bytes(), spec) for path in (photo, graphic)}
    conversions = []
    monkeypatch.setattr(pages, "convert_image",
                        lambda *args, **kwargs: conversions.append(args[0]) or convert_image(*args, **kwargs))
    for path in (photo, graphic):
        assert converted_picture(path, path.read_bytes(), spec) == converted[path]
        assert converted_picture(path, path.read_bytes(), spec) == converted[path]
    assert conversions == [photo, graphic]
    files = [path for found in entries(tmp_path / "cache", "pictures").values() for path in found]
    assert len(files) == 2
    for path in files:
        PICTURE_FAULTS[fault](path)
    for path in (photo, graphic):
        assert converted_picture(path, path.read_bytes(), spec) == converted[path]
    assert conversions == [photo, graphic] * 2
    # Another ink limit is another conversion.
    assert converted_picture(photo, photo.read_bytes(), replace(spec, ink_limit_percent=200)) != converted[photo]


def test_a_folder_in_place_of_an_entry_is_replaced_by_the_page(base, cache, capsys):
    one = base.entry_of_page[1]
    files = entries(cache)[one]
    replace_by(files, Path.mkdir)
    code, err = render_cli(base, capsys)
    assert code == 0, err
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs
    assert all(path.is_file() and not path.is_symlink() for path in files), [p.name for p in files if p.is_dir()]
    again = render_edition(base.project, TWO_PAGES)
    assert [page.cached for page in again.pages] == [True, True]
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs


# --- temporary files ----------------------------------------------------------------------------------

def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    assert not alive(process.pid)
    return process.pid


@pytest.mark.parametrize("host", ["this machine's name", "a dotted name"])
def test_temporary_files_of_writers_that_died_are_removed_and_those_of_live_ones_kept(base, cache, monkeypatch,
                                                                                      host):
    """<entry>.<hostname>.<pid>.tmp: the next render removes those of a process no longer running on
    this machine, and leaves those of one that runs (it may be writing them)."""
    if host == "a dotted name":
        monkeypatch.setattr(socket, "gethostname", lambda: "render-01.press.example.org")
    name = entries(cache)[base.entry_of_page[1]][0].name
    hostname = socket.gethostname()
    dead = cache / "pages" / f"{name}.{hostname}.{_dead_pid()}.tmp"
    dead.write_bytes(b"half an entry")
    sleeper = subprocess.Popen(["sleep", "120"])
    try:
        live = cache / "pages" / f"{name}.{hostname}.{sleeper.pid}.tmp"
        live.write_bytes(b"an entry being written")
        rendered = render_edition(base.project, TWO_PAGES)
        assert not dead.exists()
        assert live.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert all(page.cached for page in rendered.pages)
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs


def test_a_cache_write_that_fails_leaves_no_temporary_file(base, tmp_path, monkeypatch):
    """Every rename into the cache fails (as on a full disk): the render is right, the cache is
    left without entries and without temporary files."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    shutil.rmtree(base.project.output(TWO_PAGES), ignore_errors=True)
    failed = []

    def refusing(real):
        def move(source, target, *args, **kwargs):
            if Path(os.path.abspath(target)).is_relative_to(folder):
                failed.append(target)
                raise OSError(28, "No space left on device", str(target))
            return real(source, target, *args, **kwargs)
        return move
    monkeypatch.setattr(os, "replace", refusing(os.replace))
    monkeypatch.setattr(os, "rename", refusing(os.rename))
    render_edition(base.project, TWO_PAGES, jobs=1)
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs
    assert failed, "nothing was moved into the cache: the test shows nothing"
    assert entries(folder) == {}
    assert [path.relative_to(folder) for path in folder.rglob("*.tmp")] == []


# --- a cache that moves -------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["two-page edition", "graphic"])
def test_a_cache_copied_with_its_project_to_other_folders_still_hits(base, graphic, tmp_path, monkeypatch, which):
    if which == "graphic":
        graphic.reset()
        project, folder, date, pdfs = graphic.project, graphic.cache, ONE_PAGE, graphic.pdfs
    else:
        project, folder, date, pdfs = base.project, base.template, TWO_PAGES, base.pdfs
    moved = Project(tmp_path / "elsewhere" / "project")
    shutil.copytree(project.root, moved.root, symlinks=True)
    shutil.rmtree(moved.output(date), ignore_errors=True)
    shutil.copytree(folder, tmp_path / "other-cache", symlinks=True)
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "other-cache"))
    rendered = render_edition(moved, date)
    assert [page.cached for page in rendered.pages] == [True] * len(rendered.pages)
    assert output_pdfs(moved, date) == pdfs


# --- Ctrl-C, kill -9 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("moment", ["loading", "workers rendering", "a page handed back", "assembling"])
def test_ctrl_c_ends_every_process_at_once_with_one_line_and_exit_130(base, warm_cache, tmp_path, moment):
    with started(tmp_path, warm_cache, "--root", str(base.project.root), "render", TWO_PAGES, "--jobs", "2") as run:
        if moment == "loading":
            time.sleep(0.5)
        elif moment == "workers rendering":
            wait_until(run.workers, HANG, "worker process", run.process)
            time.sleep(0.5)
        else:
            # A worker has stored its page and hands it back; or both have, and the main process
            # assembles, checks and writes the edition.
            pages = 1 if moment == "a page handed back" else 2
            wait_until(lambda: len(entries(warm_cache)) >= pages, HANG, f"{pages} pages in the cache", run.process)
        assert run.process.poll() is None, "the render ended before Ctrl-C"
        os.killpg(run.pid, signal.SIGINT)
        sent = time.monotonic()
        while group(run.pid) and time.monotonic() - sent < 2:
            time.sleep(0.02)
        left = describe(group(run.pid))
        if left:
            pytest.fail(f"still running 2 s after Ctrl-C: {left}; its stderr: {run.err.read_text(errors='replace')}")
        code, out, err = run.finish(timeout=5)
    no_traceback(out, err)
    assert code == 130, err
    assert len(err.splitlines()) == 1 and err.startswith("interrupted"), err


def test_a_worker_killed_once_has_its_page_rendered_again(base, warm_cache, tmp_path):
    with started(tmp_path, warm_cache, "--root", str(base.project.root), "render", TWO_PAGES, "--jobs", "2") as run:
        victim = wait_until(run.workers, HANG, "worker process", run.process)[0]
        time.sleep(0.5)             # painting its page
        os.kill(victim, signal.SIGKILL)
        code, out, err = run.finish()
    no_traceback(out, err)
    assert code == 0, err
    assert output_pdfs(base.project, TWO_PAGES) == base.pdfs


def test_a_page_whose_workers_keep_dying_is_named_in_one_line(base, warm_cache, tmp_path):
    killed = set()
    with started(tmp_path, warm_cache, "--root", str(base.project.root), "render", TWO_PAGES, "--jobs", "2") as run:
        deadline = time.monotonic() + HANG
        while run.process.poll() is None and time.monotonic() < deadline:
            for pid in run.workers():
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        code, out, err = run.finish(timeout=5)
    assert killed, "no worker was seen: the test shows nothing"
    no_traceback(out, err)
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and re.search(r"\bpage [12]\b", lines[0]), err


def test_the_workers_end_when_the_render_process_is_killed(base, warm_cache, tmp_path):
    with started(tmp_path, warm_cache, "--root", str(base.project.root), "render", TWO_PAGES, "--jobs", "2") as run:
        wait_until(run.workers, HANG, "worker process", run.process)
        time.sleep(0.3)
        children = run.workers()
        assert children
        os.kill(run.pid, signal.SIGKILL)
        run.process.wait()
        killed = time.monotonic()
        while any(alive(pid) for pid in children) and time.monotonic() - killed < 5:
            time.sleep(0.05)
        left = describe([pid for pid in children if alive(pid)])
    assert not left, f"workers still running 5 s after the render process was killed: {left}"


# --- layout check -------------------------------------------------------------------------------------

def test_check_names_a_page_file_that_is_not_the_page_the_render_wrote(base, cache, capsys):
    render_edition(base.project, TWO_PAGES)
    capsys.readouterr()
    out = base.project.output(TWO_PAGES)
    one, two = [page["file"] for page in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["pages"]]
    good = {name: (out / name).read_bytes() for name in (one, two)}
    check = ["--root", str(base.project.root), "check", TWO_PAGES]

    def named(report: str, name: str) -> bool:      # a finding about the file, not its row in the table
        return re.search(rf"^{re.escape(name)}( page \d+)?: ", report, re.MULTILINE) is not None

    assert main(check) == 0
    report = capsys.readouterr().out
    assert report.rstrip().endswith("check: ok"), report

    (out / one).write_bytes(good[two])                  # page 2 copied over page 1
    assert main(check) != 0
    report = capsys.readouterr().out
    assert named(report, one), report
    assert not named(report, two), report

    (out / one).write_bytes(good[two])                  # pages 1 and 2 swapped
    (out / two).write_bytes(good[one])
    assert main(check) != 0
    report = capsys.readouterr().out
    assert named(report, one) and named(report, two), report
