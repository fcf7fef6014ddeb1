"""The files of the engine's caches (font metrics and subsets, pages, previews, checked ads): one
file an entry, bound to its name. A cache is shared by renders running at once, copied between
folders and machines, and damaged by full disks and people, so an entry is read only when it is
certainly the one its name asks for; anything else is a miss, made anew and replaced.

An entry file holds a header line, its own name, the SHA-256 of header, name and data, then the
data: a file copied or renamed to another name is a miss, as is a truncated or edited one. Only a
regular file is read (not a symlink, FIFO, device or folder), and no more than a size limit."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import socket
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterator

MAGIC = b"layout-cache-entry 1\n"
LIMIT = 1 << 30               # bytes: a page with many photos is tens of MB
STALE_SECONDS = 24 * 3600     # a temporary file this old is left over, whoever wrote it


def cache_dir() -> Path:
    base = os.environ.get("LAYOUT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "layout")
    return Path(base)


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of this engine's code, the Python running it and every distribution installed beside
    it (their folders name their versions): what a cache entry made by another engine must not match.
    Every one, not a list of those that draw: WeasyPrint's CSS parser or hyphenation dictionaries
    change a page as much as WeasyPrint itself."""
    digest = hashlib.sha256(sys.version.encode())
    distributions = set()
    for folder in sys.path:
        try:
            distributions.update(name for name in os.listdir(folder) if name.endswith(".dist-info"))
        except OSError:
            continue
    digest.update("\0".join(sorted(distributions)).encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: str | bytes) -> str:
    """A cache entry's name: the engine's version and the parts, each with its length (so no two
    lists of parts run together into the same bytes)."""
    digest = hashlib.sha256(engine_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def scratch_dir() -> Path:
    """The folder of the page workers' scratch folders (each a render's: the pages handed back, and
    what WeasyPrint writes for itself), in the system's temporary folder, one per user."""
    return Path(tempfile.gettempdir()) / f"layout-pages-{os.getuid()}"


def scratch_folder() -> Path:
    """A new scratch folder of this process, named <host>.<pid>.<random> for the sweep."""
    scratch_dir().mkdir(mode=0o700, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{socket.gethostname()}.{os.getpid()}.", dir=scratch_dir()))


SLACK_NS = 100_000_000       # a file's times may lag the clock by a tick: changed this close to now is changing


def signature(status: os.stat_result) -> list[int]:
    """What changes whenever a file's content does (git's rule: any write changes its ctime, which
    no program sets back): size, times, inode and device."""
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


@contextmanager
def regular_file(path: Path | str, follow_links: bool = True) -> Iterator[BinaryIO]:
    """A regular file opened to be read. Opened without waiting: a FIFO or device in its place (or,
    with follow_links=False, a symlink) is an OSError at once, never a read that waits for a writer;
    a folder is IsADirectoryError, as open() says it."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW))
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "it is a pipe or a device, not a file", str(path))
        yield handle


def file_digest(path: Path | str) -> str | None:
    """The SHA-256 of a regular file's content; None if it cannot be read or is no regular file."""
    try:
        with regular_file(path) as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def known_digest(path: Path) -> str | None:
    """The SHA-256 of a file, taken from the digests cache while the file's signature is the one it
    had when it was hashed, else hashed again (a font file is hashed once, not at every command).
    The file counts as read ("layout.read" audit event: the render record lists it as an input)."""
    sys.audit("layout.read", os.path.abspath(path))
    try:
        status = os.stat(path)
    except OSError:
        return None
    entry = cache_dir() / "digests" / f"{hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()}.json"
    known = read_cache_file(entry)
    if known is not None and known[:-64] == json.dumps(signature(status)).encode():
        return known[-64:].decode()
    digest = file_digest(path)
    if digest is not None and max(status.st_mtime_ns, status.st_ctime_ns) < time.time_ns() - SLACK_NS \
            and signature(os.stat(path)) == signature(status):
        write_cache_file(entry, json.dumps(signature(status)).encode() + digest.encode())
    return digest


def _header(name: str) -> bytes:
    return MAGIC + name.encode() + b"\n"


def read_cache_file(path: Path, limit: int = LIMIT) -> bytes | None:
    """The data of the entry at `path` if it is whole and was written under this name; else None
    (the caller makes it anew and writes it over whatever is there)."""
    try:
        with regular_file(path, follow_links=False) as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                return None
            content = handle.read(limit + 1)
    except OSError:
        return None
    if len(content) > limit:
        return None
    header = _header(path.name)
    digest_end = len(header) + 64
    if not content.startswith(header) or content[digest_end:digest_end + 1] != b"\n":
        return None
    data = content[digest_end + 1:]
    if hashlib.sha256(header + data).hexdigest().encode() != content[len(header):digest_end]:
        return None
    return data


def write_cache_file(path: Path, data: bytes) -> None:
    """The entry written whole under a temporary name, then put in place of whatever is there (a
    damaged entry, a folder, a FIFO). A cache that cannot be written (read-only, full disk) only
    costs the next render time, and leaves no temporary file behind."""
    header = _header(path.name)
    tmp = path.with_name(f"{path.name}.{socket.gethostname()}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)            # left by an earlier process with this pid
        with open(tmp, "xb") as handle:
            handle.write(header + hashlib.sha256(header + data).hexdigest().encode() + b"\n" + data)
        try:
            os.replace(tmp, path)
        except OSError:
            if not path.is_dir() or path.is_symlink():
                raise
            shutil.rmtree(path)
            os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def sweep_temporary_files() -> None:
    """Remove what writers that died left behind: temporary files in the cache's folders and scratch
    folders, those of a process no longer running on this machine, and any a day old (from another
    machine sharing the cache)."""
    host = socket.gethostname()
    try:
        candidates = [(tmp, tmp.name.removesuffix(".tmp")) for tmp in cache_dir().glob("*/*.tmp")]  # <entry>.<host>.<pid>.tmp
    except OSError:
        candidates = []
    try:
        candidates += [(folder, folder.name.rpartition(".")[0]) for folder in scratch_dir().iterdir()]  # <host>.<pid>.<random>
    except OSError:
        pass
    for path, name in candidates:
        writer, _, pid = name.rpartition(".")
        try:
            dead = writer.endswith(host) and pid.isdigit() and not _running(int(pid))
            if dead or time.time() - path.lstat().st_mtime > STALE_SECONDS:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:       # someone else's process
        return True
    return True
