"""The render record: what the last clean render of an edition read, what it wrote and what it
reported. A render of an edition none of whose inputs changed — the same engine and libraries,
every file it read holding the same bytes, every folder it listed holding the same names, its
output folders as it left them — prints that report again instead of laying the edition out: the
answer an editor waits for after a `layout render` that changed nothing, in a fraction of a second.

What a render read is not listed by hand. Python's audit events name every file the main process
opens and every folder it lists while it renders (the plan, stories, house style, fonts.yaml,
profiles, pictures, a story folder's names), and every file whose digest a cache gave instead of
reading it (the font files: the "layout.read" event of cachefile.known_digest); the pages add what
their workers' URL fetchers served; the edition's, styles' and fonts' folders are taken whole (a
file added there is a change even if nothing opened it). Left out: the engine and Python's own
files (the record's key holds the engine's digest, which covers every installed distribution), the
caches (keyed by content) and the output folders (checked as what the render wrote).

A file is the same when its signature (cachefile.signature: size, times, inode, device) is as
recorded, else when its SHA-256 is. A file that changed while the render ran is not recorded, so
the next render lays the edition out again."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..cachefile import (SLACK_NS, cache_dir, cache_key, file_digest, read_cache_file, scratch_dir, signature,
                         write_cache_file)

_reading: tuple[set[str], set[str]] | None = None      # (files opened, folders listed) while a render records


def _audit(event: str, args: tuple) -> None:
    """Python's audit hook: a file opened to be read, a folder listed. Relative paths are left out:
    the engine names every file it reads by its absolute path (the project's root is resolved before
    anything is read), and relative ones come from the standard library walking folders by their
    descriptors (shutil.rmtree), which a path cannot place."""
    if _reading is None or event not in ("open", "os.listdir", "os.scandir", "layout.read"):
        return
    path = args[0]
    if not isinstance(path, (str, bytes, os.PathLike)) or not os.path.isabs(path := os.fsdecode(path)):
        return
    if event == "layout.read":          # a file whose content a cache answered for (cachefile.known_digest)
        _reading[0].add(os.path.normpath(path))
    elif event == "open":
        mode, flags = args[1], args[2]
        if any(c in mode for c in "wax+") if isinstance(mode, str) else \
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            return
        _reading[0].add(os.path.normpath(path))
    else:
        _reading[1].add(os.path.normpath(path))


_hooked = False


@contextmanager
def reading() -> Iterator[tuple[set[str], set[str]]]:
    """The files opened for reading and the folders listed by this process while the block runs."""
    global _reading, _hooked
    if not _hooked:            # an audit hook cannot be taken away: one, idle outside this block
        sys.addaudithook(_audit)
        _hooked = True
    seen: tuple[set[str], set[str]] = (set(), set())
    _reading = seen
    try:
        yield seen
    finally:
        _reading = None


@dataclass(frozen=True)
class Report:
    """What a render printed: its standard output and standard error, and how many pages it made."""

    out: str
    err: str
    pages: int


def _path(root: Path, editions: Path, date: str) -> Path:
    """The record's file, named by the engine with its libraries, the project and the edition."""
    return cache_dir() / "renders" / f"{cache_key('render', str(root.resolve()), str(editions.resolve()), date)}.record"


def _trees(root: Path, editions: Path, date: str) -> list[Path]:
    """The folders taken whole as inputs: the edition's, the house styles' and the fonts'."""
    return [editions / date, root / "styles", root / "fonts"]


def _listing(path: str) -> str | None:
    try:
        return hashlib.sha256("\0".join(sorted(os.listdir(path))).encode()).hexdigest()
    except OSError:
        return None


def _files_below(folder: Path) -> list[str]:
    return sorted(os.path.join(top, name) for top, _, names in os.walk(folder) for name in names)


def _outside(path: str, excluded: Iterable[str]) -> bool:
    return not any(path == folder or path.startswith(folder + os.sep) for folder in excluded)


def _excluded(outputs: Iterable[Path]) -> list[str]:
    """What a render reads that is not its input: Python and the engine (in the key), the caches,
    the page workers' scratch folders, what the kernel shows as files, and the output folders with
    the folder they are in (other editions' output, and the swap's temporary folders)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    python = sysconfig.get_paths()
    return sorted({*(python[name] for name in ("stdlib", "platstdlib", "purelib", "platlib", "scripts")),
                   *(entry for entry in sys.path if entry.endswith(".zip")), str(package),
                   *map(os.path.abspath, (cache_dir(), scratch_dir())), "/proc", "/sys", "/dev",
                   *(os.path.abspath(f) for folder in outputs for f in (folder, folder.parent))})


def _entry(path: str, started_ns: int) -> list | None:
    """[size, mtime, ctime, inode, device, sha256] of a file as it is now, or None if it changed
    while the render ran (or cannot be read: then it is not the file the render read)."""
    try:
        status = os.stat(path)
    except OSError:
        return [None] * 6        # not there: it must still not be there
    if max(status.st_mtime_ns, status.st_ctime_ns) >= started_ns - SLACK_NS:
        return None
    digest = file_digest(path)
    return None if digest is None else [*signature(status), digest]


def _same(path: str, entry: list) -> bool:
    try:
        status = os.stat(path)
    except OSError:
        return entry[-1] is None
    if entry[-1] is None:
        return False
    return signature(status) == entry[:5] or file_digest(path) == entry[5]


def write(root: Path, editions: Path, date: str, started_ns: int, read: tuple[set[str], set[str]],
          page_reads: Iterable[Path], outputs: Iterable[Path], made: Mapping[Path, bytes], report: Report) -> None:
    """Record a clean render that started at `started_ns` (time.time_ns()): the files it read (from
    `reading()` and the pages' reads), its inputs' folders whole, its output folders and its report.
    `made`: the print files it wrote; when the output folders no longer hold them (another render of
    the edition, started earlier, put its files in place after them), nothing is recorded."""
    outputs = [Path(folder) for folder in outputs]
    excluded = _excluded(outputs)
    opened, listed = read
    files = sorted({path for path in (*opened, *map(str, page_reads),
                                      *(f for tree in _trees(root, editions, date) for f in _files_below(tree)))
                    if _outside(path, excluded) and not os.path.isdir(path)})
    inputs = {}
    for path in files:
        entry = _entry(path, started_ns)
        if entry is None:
            return
        inputs[path] = entry
    folders = {path: _listing(path) for path in sorted(listed) if _outside(path, excluded)}
    written = {}
    for folder in outputs:
        for path in _files_below(folder):
            status, digest = os.stat(path), file_digest(path)
            if digest is None:
                return
            written[path] = [*signature(status), digest]
    if any(written.get(str(path), [None])[-1] != hashlib.sha256(data).hexdigest() for path, data in made.items()):
        return
    record = {"inputs": inputs, "folders": folders, "outputs": [str(folder) for folder in outputs],
              "written": written, "out": report.out, "err": report.err,
              "pages": report.pages}
    write_cache_file(_path(root, editions, date), json.dumps(record, ensure_ascii=False).encode())


def unchanged(root: Path, editions: Path, date: str) -> Report | None:
    """The report of the last clean render of the edition if nothing it read has changed since and
    its output folders hold what it wrote; None otherwise (the edition is laid out again)."""
    data = read_cache_file(_path(root, editions, date))
    if data is None:
        return None
    try:
        record = json.loads(data)
        return _report_if_unchanged(record, _trees(root, editions, date))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):   # a record of another shape: none
        return None


def _report_if_unchanged(record: dict, trees: list[Path]) -> Report | None:
    inputs, folders, written = dict(record["inputs"]), dict(record["folders"]), dict(record["written"])
    outputs = [Path(folder) for folder in record["outputs"]]
    report = Report(str(record["out"]), str(record["err"]), int(record["pages"]))
    if any(not (isinstance(entry, list) and len(entry) == 6) for entry in (*inputs.values(), *written.values())):
        return None
    if any(path not in inputs for tree in trees for path in _files_below(tree)):
        return None
    if not all(_same(path, entry) for path, entry in inputs.items()):
        return None
    if not all(_listing(path) == digest for path, digest in folders.items()):
        return None
    if sorted(path for folder in outputs for path in _files_below(folder)) != sorted(written):
        return None
    if not all(_same(path, entry) for path, entry in written.items()):
        return None
    return report
