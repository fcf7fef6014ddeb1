"""`layout watch` (issue 12): a one-character edit to a story is picked up, rendered, and the
preview served on localhost shows it; Chromium loads the served page without a console error and
with every block's fit figure; Ctrl-C stops it with exit 130."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request

from tests.conftest import REPO, SAMPLE
from tests.test_preview import _chromium_url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


class _Lines:
    """The watcher's output lines as they come, each with when it came."""

    def __init__(self, stream):
        self.lines: list[tuple[float, str]] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append((time.perf_counter(), line))

    def after(self, start: float, prefix: str, within: float) -> float:
        """When the first line starting with `prefix` came after `start`."""
        deadline = time.perf_counter() + within
        while time.perf_counter() < deadline:
            for when, line in list(self.lines):
                if when >= start and line.startswith(prefix):
                    return when
            time.sleep(0.02)
        raise AssertionError(f"no '{prefix}' within {within} s: {self.lines}")

    def text(self) -> str:
        self.thread.join(timeout=30)
        return "".join(line for _, line in self.lines)


def test_watch_picks_up_an_edit_and_serves_the_new_preview(project, figures):
    """The edit's fit and text are in the preview as soon as the flow has them (a draft over the
    last pictures, the changed page marked as being painted), and the painted page after it."""
    port = _free_port()
    watcher = subprocess.Popen([str(REPO / ".venv" / "bin" / "layout"), "watch", SAMPLE, "--port", str(port),
                                "--jobs", "1"], cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ))
    out = _Lines(watcher.stdout)
    try:
        out.after(0, "rendered in", within=120)
        page = _get(f"http://127.0.0.1:{port}/")
        assert "第10行：区委第一时间成立疫情防控工作领导小组和指" in page and "/render-number" in page
        story = project.editions / SAMPLE / "stories" / "frontlines.md"
        saved = time.perf_counter()
        story.write_text(story.read_text(encoding="utf-8").replace("区委第一时间", "区委第二时间"), encoding="utf-8")
        drafted = out.after(saved, "drafted in", within=60) - saved
        draft = _get(f"http://127.0.0.1:{port}/")
        painted = out.after(saved, "rendered in", within=60) - saved
        figures.append(f"layout watch: a one-character edit: its fit and text in the preview after {drafted:.1f} s "
                       f"(the draft, from the flow), the painted page after {painted:.1f} s")
        assert "第10行：区委第二时间成立" in draft and ("草图" in draft or painted - drafted < 0.5)
        page = _get(f"http://127.0.0.1:{port}/")
        assert "第10行：区委第二时间成立" in page and "草图" not in page
        dom, log = _chromium_url(f"http://127.0.0.1:{port}/")
        assert ":CONSOLE" not in log and 'class="missing"' not in dom
        assert dom.count('<a class="block') == 8 and 'class="state print">可付印' in dom
    finally:
        watcher.send_signal(signal.SIGINT)
        _, err = watcher.communicate(timeout=30)
    printed = out.text()
    assert watcher.returncode == 130 and err.strip().endswith("interrupted; the earlier output is kept"), err
    assert f"preview: http://127.0.0.1:{port}/" in printed and "changed: frontlines.md" in printed


def test_a_fault_of_the_engine_keeps_the_watch_and_the_last_preview(capsys):
    from layout.proof.watch import _Renders, _render_once
    renders = _Renders()
    _render_once(lambda draft: "2020-05-15-proof", renders)

    def failing(draft) -> str:
        raise ZeroDivisionError("division by zero")

    _render_once(failing, renders)
    assert renders.number == 2 and renders.preview == "2020-05-15-proof"
    assert "the engine failed on this edition (ZeroDivisionError: division by zero)" in renders.error
    assert "Traceback" not in capsys.readouterr().err
