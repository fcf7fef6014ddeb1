"""Write the benchmark edition, benchmarks/editions/2020-07-01: 16 dense broadsheet pages of 8 blocks
each (six or seven stories, a photo or a chart), stories jumping from every odd page to the next,
all text taken from the sample edition (the seed page). Run once; the edition is committed.

Each story is filled to about its blocks' capacity and then trimmed, a paragraph at a time, until the
engine sets it without overset, so the pages are as full as the night's pages are.

Usage: .venv/bin/python scripts/make_bench_edition.py
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layout.errors import ProofOnlyError  # noqa: E402
from layout.pipeline import Project, render_edition  # noqa: E402

DATE = "2020-07-01"
PAGES = 16
TARGET = REPO / "benchmarks" / "editions" / DATE
SAMPLE = REPO / "editions" / "2020-05-15" / "stories"
SECTIONS = ["要闻", "要闻", "综合", "综合", "经济", "经济", "社会", "社会", "文化", "文化", "教育", "教育",
            "民生", "民生", "专版", "专版"]
MASTHEAD_LINES = 16


def paragraphs() -> list[str]:
    found = []
    for story in sorted(SAMPLE.glob("*.md")):
        body = story.read_text(encoding="utf-8").split("---", 2)[2]
        found += [p.strip() for p in re.split(r"\n\s*\n", body)
                  if p.strip() and not p.startswith(("#", ":::")) and len(p.strip()) > 40]
    return found


def headlines() -> list[str]:
    return [re.search(r"^headline: (.+)$", story.read_text(encoding="utf-8"), re.M).group(1)
            for story in sorted(SAMPLE.glob("*.md"))]


# (col, cols, line, lines) on a page without masthead; page 1 moves everything down by the masthead.
LAYOUT = [("a", 1, 4, 1, 40), ("b", 5, 4, 1, 40), ("photo", 1, 3, 41, 30), ("c", 4, 5, 41, 30),
          ("d", 1, 2, 71, 53), ("e", 3, 3, 71, 30), ("f", 6, 3, 71, 30), ("g", 3, 6, 101, 23)]


def photo(seed: int) -> bytes:
    """A synthetic photograph: sky, hills, a building, in colour; JPEG at about 200 dpi as placed."""
    width, height = 1100, 760
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        draw.line([(0, y), (width, y)], fill=(90 + y // 4, 140 + y // 5, 200 + (seed * 7) % 40))
    for y in range(height // 2, height):
        draw.line([(0, y), (width, y)], fill=(60 + (seed * 13) % 50, 110 + y // 10, 50))
    draw.polygon([(0, height // 2), (width // 3, height // 4 + seed * 5), (width * 2 // 3, height // 2)],
                 fill=(70, 90, 60))
    draw.rectangle([width // 2, height // 3, width // 2 + 160, height - 80], fill=(180, 170, 160))
    for row in range(6):
        for column in range(4):
            x, y = width // 2 + 15 + column * 38, height // 3 + 20 + row * 40
            draw.rectangle([x, y, x + 22, y + 24], fill=(40, 60, 90))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88, dpi=(200, 200))
    return out.getvalue()


def plan() -> tuple[dict, dict[str, dict]]:
    """The page plan and, per story, its blocks (to size its text)."""
    pages, stories = [], {}
    for number in range(1, PAGES + 1):
        blocks = []
        for name, col, cols, line, lines in LAYOUT:
            if number == 1 and line == 1:           # below the masthead
                line, lines = line + MASTHEAD_LINES, lines - MASTHEAD_LINES
            if name == "photo":
                blocks.append({"image": f"images/photo-{(number - 1) % 4 + 1}.jpg", "col": col, "cols": cols,
                               "line": line, "lines": lines, "caption": f"第{number}版图片：港闸区城市新貌。",
                               "credit": "本报记者 摄"})
                continue
            story = f"p{number:02d}{name}"
            if name == "g" and number % 2 == 0:
                story = f"p{number - 1:02d}a"          # the odd page's lead story jumps here
            block = {"story": story, "col": col, "cols": cols, "line": line, "lines": lines}
            blocks.append(block)
            stories.setdefault(story, {"blocks": []})["blocks"].append(block)
        pages.append({"page": number, "section": SECTIONS[number - 1], "editor": "李明", "blocks": blocks})
    edition = {"paper": "港闸报", "date": dt.date.fromisoformat(DATE), "issue": 1300, "code": "bench", "format": "broadsheet",
               "pages": pages}
    return edition, stories


def story_text(titles: list[str], pool: list[str], start: int, count: int) -> str:
    body = [pool[(start + i) % len(pool)] for i in range(count)]
    return f"---\nheadline: {titles[start % len(titles)]}\nbyline: 本报记者\n---\n" + "\n\n".join(body) + "\n"


def capacity(blocks: list[dict]) -> int:
    """About how many paragraphs the blocks hold (13 characters a column line, 150 a paragraph)."""
    return max(1, sum((b["lines"] - 6) * b["cols"] * 13 for b in blocks) // 150)


def main() -> None:
    edition, stories = plan()
    pool, titles = paragraphs(), headlines()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("styles", "fonts"):
            shutil.copytree(REPO / name, root / name)
        folder = root / "editions" / DATE
        (folder / "stories").mkdir(parents=True)
        (folder / "images").mkdir()
        for number in range(1, 5):
            (folder / "images" / f"photo-{number}.jpg").write_bytes(photo(number))
        (folder / "edition.yaml").write_text(yaml.safe_dump(edition, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
        counts = {name: capacity(story["blocks"]) for name, story in stories.items()}
        starts = {name: index * 3 for index, name in enumerate(sorted(stories))}
        while True:
            for name in stories:
                (folder / "stories" / f"{name}.md").write_text(
                    story_text(titles, pool, starts[name], counts[name]), encoding="utf-8")
            try:
                render_edition(Project(root), DATE, jobs=2)
                break
            except ProofOnlyError as error:
                for name in re.findall(r"story '([^']+)' is overset", error.message):
                    counts[name] -= 1
                print(f"trimmed {len(re.findall('is overset', error.message))} stories", file=sys.stderr)
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(folder, TARGET)
    print(f"wrote {TARGET}: {PAGES} pages, {len(stories)} stories")


if __name__ == "__main__":
    main()
