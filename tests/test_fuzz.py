"""Fuzzing the input (hypothesis): the sample plan and stories mutated — values of every type,
YAML structure, bytes — and read, checked and flowed as `layout render` does before it paints.
Whatever the input, the outcome is the edition or one LayoutError (exit 2): never another
exception, never a hang. A few hundred cases by default; LAYOUT_FUZZ_EXAMPLES=3000 for a longer run.
A few of them (one in 25) go through the whole `layout render`: exit 0 or 2, one message, and on a
failure the earlier output/<date> untouched."""
from __future__ import annotations

import os
import shutil
import signal
from contextlib import contextmanager

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout import cli
from layout.errors import LayoutError
from layout.fonts import load_fonts
from layout.pipeline import Project, Timings, plan_and_flow
from tests.conftest import REPO, SAMPLE

EXAMPLES = int(os.environ.get("LAYOUT_FUZZ_EXAMPLES", "300"))
SECONDS_PER_CASE = 20       # far above the slowest honest case (a few seconds); a hang fails

FILES = ["edition.yaml", "stories/frontlines.md", "stories/awards.md", "stories/notice.md"]
VALUES = [None, True, False, 0, -1, 1.5, 10 ** 30, float("inf"), float("nan"), "", " ", "x" * 3000,
          "2020-02-30", "../../etc/passwd", "\x1b[31m", "\u202e", "小初", "9pt", "-20pt", [], {}, [1, [2, [3]]],
          {"a": {"b": None}}, "新" * 500, "page", "http://example.com/x.png"]


COPY = ["...", "……", "——", "?!", "(", ")", '"', "'", "“", "”", "《", "》", "·", "e.g.", "3.5%", "A.B.", "**",
        "www.example.com/a?b#c", "他说", "中文", "  ", ":", ";", ","]
COPY_CHARACTERS = "中文.,:;?!()\"'“”‘’《》…—·*# aZ09/"


def _yaml_paths(data, prefix=()):
    """Every place in a YAML document a value can be put."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _yaml_paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _yaml_paths(value, prefix + (index,))


def _set(data, path, value):
    if not path:
        return value
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@st.composite
def mutations(draw):
    """(file, new bytes) for one of the sample's files."""
    name = draw(st.sampled_from(FILES))
    source = (REPO / "editions" / SAMPLE / name).read_bytes()
    kind = draw(st.sampled_from(["value", "bytes", "lines", "front matter", "copy"]))
    if kind == "copy" and name.endswith(".md"):
        # Copy as reporters type it, into a story's text: ASCII and Chinese marks side by side.
        text = source.decode("utf-8")
        at = draw(st.integers(text.index("\n---\n") + 5, len(text)))
        typed = draw(st.lists(st.one_of(st.sampled_from(COPY), st.text(alphabet=COPY_CHARACTERS, max_size=6)),
                              max_size=4))
        return name, (text[:at] + "".join(typed) + text[at:]).encode("utf-8")
    if kind == "bytes":
        at = draw(st.integers(0, len(source)))
        cut = draw(st.integers(0, 40))
        new = draw(st.binary(max_size=40))
        return name, source[:at] + new + source[at + cut:]
    text = source.decode("utf-8")
    if kind == "lines":
        lines = text.split("\n")
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "indent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(j, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = " " * draw(st.integers(1, 7)) + lines[i]
        return name, "\n".join(lines).encode("utf-8")
    if name.endswith(".md"):
        front, _, body = text.partition("\n---\n")
        data = yaml.safe_load(front.removeprefix("---\n")) or {}
    else:
        data, body = yaml.safe_load(text), None
    path = draw(st.sampled_from(list(_yaml_paths(data))))
    value = draw(st.one_of(st.sampled_from(VALUES), st.text(max_size=30), st.integers(), st.floats()))
    data = _set(data, path, value) if kind == "value" or path else value
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if body is None:
        return name, dumped.encode("utf-8")
    return name, f"---\n{dumped}---\n{body}".encode("utf-8")


@pytest.fixture(scope="module")
def fonts():
    return load_fonts(REPO / "fonts")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    for name in ("editions", "styles", "fonts"):
        shutil.copytree(REPO / name, root / name)
    return root


def _timeout(signum, frame):
    raise TimeoutError


@contextmanager
def _answer_within(seconds: int, name: str, data: bytes):
    """A case that runs longer than `seconds` fails as a hang, naming the input."""
    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    except TimeoutError:
        pytest.fail(f"no answer within {seconds} s for {name}: {data[:300]!r}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(mutation=mutations())
def test_any_input_gives_the_edition_or_one_message(mutation, pristine, fonts):
    name, data = mutation
    faces, metrics = fonts
    target = pristine / "editions" / SAMPLE / name
    original = target.read_bytes()
    target.write_bytes(data)
    try:
        with _answer_within(SECONDS_PER_CASE, name, data):
            plan_and_flow(Project(pristine), SAMPLE, faces, metrics, Timings())
    except LayoutError as error:
        assert str(error).strip() and "Traceback" not in str(error)
    finally:
        target.write_bytes(original)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A project whose sample edition was rendered once: the earlier output a failing render keeps."""
    root = tmp_path_factory.mktemp("fuzz-render")
    for name in ("editions", "styles", "fonts"):
        shutil.copytree(REPO / name, root / name)
    assert cli.main(["--root", str(root), "render", "--jobs", "1", SAMPLE]) == 0
    return root


@settings(max_examples=max(1, EXAMPLES // 25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=mutations())
def test_any_input_renders_or_fails_with_the_earlier_output_kept(mutation, rendered, capsys):
    name, data = mutation
    target = rendered / "editions" / SAMPLE / name
    original = target.read_bytes()
    output = rendered / "output" / SAMPLE
    earlier = {p.name: p.read_bytes() for p in output.iterdir()}
    target.write_bytes(data)
    try:
        with _answer_within(3 * SECONDS_PER_CASE, name, data):
            code = cli.main(["--root", str(rendered), "render", "--jobs", "1", SAMPLE])
    finally:
        target.write_bytes(original)
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err, err
    if code == 2:
        assert "error: " in err
        assert {p.name: p.read_bytes() for p in output.iterdir()} == earlier
    else:
        # A good render replaces the output; put the earlier one back for the next case.
        shutil.rmtree(output)
        output.mkdir()
        for file_name, content in earlier.items():
            (output / file_name).write_bytes(content)
