"""`layout watch` (issue 12): a one-character edit to a story is picked up, rendered, and the
preview served on localhost shows it; Chromium loads the served page without a console error and
with every block's fit figure; Ctrl-C stops it with exit 130."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
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


def _renders(port: int, at_least: int, within: float) -> float:
    """Seconds until the server has done `at_least` renders."""
    started = time.perf_counter()
    while time.perf_counter() - started < within:
        try:
            if int(_get(f"http://127.0.0.1:{port}/render-number")) >= at_least:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"no render {at_least} within {within} s")


def test_watch_picks_up_an_edit_and_serves_the_new_preview(project, figures):
    port = _free_port()
    watcher = subprocess.Popen([str(REPO / ".venv" / "bin" / "layout"), "watch", SAMPLE, "--port", str(port),
                                "--jobs", "1"], cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ))
    try:
        _renders(port, 1, within=120)
        page = _get(f"http://127.0.0.1:{port}/")
        assert "第10行：区委第一时间成立疫情防控工作领导小组和指" in page and "/render-number" in page
        story = project.editions / SAMPLE / "stories" / "frontlines.md"
        story.write_text(story.read_text(encoding="utf-8").replace("区委第一时间", "区委第二时间"), encoding="utf-8")
        seconds = _renders(port, 2, within=60)
        figures.append(f"layout watch: a one-character edit served in the preview after {seconds:.1f} s")
        page = _get(f"http://127.0.0.1:{port}/")
        assert "第10行：区委第二时间成立" in page
        dom, log = _chromium_url(f"http://127.0.0.1:{port}/")
        assert ":CONSOLE" not in log and 'class="missing"' not in dom
        assert dom.count('<a class="block') == 8 and 'class="state print">可付印' in dom
    finally:
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 130 and err.strip().endswith("interrupted; the earlier output is kept"), err
    assert f"preview: http://127.0.0.1:{port}/" in out and "changed: frontlines.md" in out


def test_a_fault_of_the_engine_keeps_the_watch_and_the_last_preview(capsys):
    from layout.proof.watch import _Renders, _render_once
    renders = _Renders()
    _render_once(lambda: "2020-05-15-proof", renders)

    def failing() -> str:
        raise ZeroDivisionError("division by zero")

    _render_once(failing, renders)
    assert renders.number == 2 and renders.preview == "2020-05-15-proof"
    assert "the engine failed on this edition (ZeroDivisionError: division by zero)" in renders.error
    assert "Traceback" not in capsys.readouterr().err
