"""`layout watch`: render the edition, serve its preview page on localhost, and render again
whenever a file of the edition, the house styles or the fonts changes (unchanged pages come from
the page cache). A render shows its draft first — the preview made from the flow, before a page is
painted, served from memory — and then the preview of the painted pages. The page served reloads
itself after each: it asks the server for the render number every half second. A render that gives
no pages at all (a plan that cannot be read) leaves the last preview up, with the error across its
top."""
from __future__ import annotations

import signal
import sys
import threading
import time
from functools import partial
from html import escape
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Mapping

from watchfiles import watch

from ..errors import LayoutError
from .preview import Preview

# Added to index.html as served (the file on disk stays static): reload when the server has a newer
# preview than the one served — the number it was served at is written into it, so a preview that
# comes (a draft, then the painted pages) between loading and the first poll is not missed.
RELOAD = ("<script>(function(){var seen='%d';setInterval(function(){fetch('/render-number',{cache:'no-store'})"
          ".then(function(r){return r.text()}).then(function(n){if(n!==seen){location.reload()}"
          "seen=n}).catch(function(){})},500)})()</script>")


class _Renders:
    """What the server shows: the number of previews made (the page polls it; a draft counts), the
    folder of the latest preview under output/, the draft's files while its pages are painted, and
    the error of the latest render if it gave no preview."""

    def __init__(self):
        self.number = 0
        self.preview: str | None = None
        self.draft: Mapping[str, bytes] = {}
        self.error: str | None = None
        self.lock = threading.Lock()

    def drafted(self, preview: str, draft: Preview) -> None:
        with self.lock:
            self.preview, self.draft, self.error = preview, dict(draft.files), None
            self.number += 1

    def done(self, preview: str | None, error: str | None) -> None:
        with self.lock:
            self.preview = preview or self.preview
            self.draft = {}
            self.error = error
            self.number += 1


class _Handler(SimpleHTTPRequestHandler):
    """Files of the output folder; / is the latest preview, /render-number how many renders."""

    def __init__(self, *args, renders: _Renders, **kwargs):
        self.renders = renders
        super().__init__(*args, **kwargs)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/render-number":
            return self._send(str(self.renders.number).encode(), "text/plain")
        with self.renders.lock:
            preview, error, draft, number = (self.renders.preview, self.renders.error, self.renders.draft,
                                             self.renders.number)
        if path in ("/", "/index.html") and preview:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", f"/{preview}/index.html")
            self.end_headers()
            return
        if path in ("/", "/index.html") or (preview and path == f"/{preview}/index.html"):
            page = Path(self.directory) / (preview or "") / "index.html"
            html = (draft["index.html"].decode("utf-8") if "index.html" in draft else
                    page.read_text(encoding="utf-8") if preview and page.is_file() else
                    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>预览</title></head>'
                    "<body><p>尚无预览。</p></body></html>")
            if error:
                html = html.replace("<body>", '<body><pre style="background:#fee;color:#c00;padding:1em;margin:0">'
                                    f"最近一次排版没有成功：\n{escape(error)}</pre>", 1)
            return self._send(html.replace("</body>", RELOAD % number + "</body>").encode("utf-8"),
                              "text/html; charset=utf-8")
        if preview and path.startswith(f"/{preview}/") and path.removeprefix(f"/{preview}/") in draft:
            return self._send(draft[path.removeprefix(f"/{preview}/")], "image/jpeg")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):     # the terminal is for the renders
        pass


Draft = Callable[[str, Preview], None]      # (the preview's folder, its Preview made from the flow)


def watch_edition(render: Callable[[Draft], str], output: Path, watched: list[Path], port: int) -> None:
    """Render, serve output/ on 127.0.0.1:port, and render again on every change under `watched`,
    until Ctrl-C (then KeyboardInterrupt). `render` reports its own outcome, shows its draft preview
    through the function it is given, and returns the folder of its preview under output/ (a
    failing edition still gives a proof and its preview); a LayoutError means it gave none.

    Ctrl-C only asks the loop to stop (after the render under way; a second one stops at once), by
    a flag the file watcher itself checks, rather than raising wherever the signal lands (inside a
    render, a library, the watcher's own wait)."""
    output.mkdir(parents=True, exist_ok=True)
    renders = _Renders()
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, directory=str(output),
                                                                  renders=renders))
    except OSError as exc:
        raise LayoutError(f"cannot serve the preview on port {port}: {exc.strerror}; give another with --port")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    stop = threading.Event()

    def interrupted(signum, frame):
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        _render_once(render, renders)
        for changes in watch(*watched, debounce=100, step=50, stop_event=stop, rust_timeout=500):
            names = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(names)}", flush=True)
            _render_once(render, renders)
    finally:
        signal.signal(signal.SIGINT, previous)
        server.shutdown()
        server.server_close()
    raise KeyboardInterrupt     # told as every Ctrl-C is: one line, exit 130


def _render_once(render: Callable[[Draft], str], renders: _Renders) -> None:
    started = time.perf_counter()

    def drafted(preview: str, draft: Preview) -> None:
        renders.drafted(preview, draft)
        print(f"drafted in {time.perf_counter() - started:.1f} s: the fit in the preview; painting", flush=True)

    try:
        renders.done(render(drafted), None)
    except LayoutError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        renders.done(None, str(exc))
    except Exception as exc:        # a fault of the engine: the editor keeps the last preview and the watch
        message = (f"the engine failed on this edition ({type(exc).__name__}: {exc}); the last preview stays up "
                   "— please report it with the edition")
        print(f"error: {message}", file=sys.stderr, flush=True)
        renders.done(None, message)
    print(f"rendered in {time.perf_counter() - started:.1f} s; the preview reloads", flush=True)
