"""An edition with photos of every kind a night brings, written into a project by the tests (no
binary files in the repository): RGB without and with an embedded profile, greyscale, 16-bit grey,
16-bit RGB, and CMYK JPEGs without and with an embedded profile, one of them far over the ink limit.

Each picture is a small synthetic scene: a hue sweep, dark saturated patches (rich blacks, which a
naive conversion sets with far too much ink), a neutral grey ramp (which should print on K), and a
few shapes with sharp edges.
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

PHOTO_DATE = "2020-06-03"
SIZE = (720, 500)          # 200 dpi over two grid columns and fifteen lines, with room to spare
GHOSTSCRIPT_ICC = Path("/usr/share/color/icc/ghostscript")


def scene(width: int = SIZE[0], height: int = SIZE[1]) -> Image.Image:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for x in range(width):                                   # hue sweep, top half
        hue = x / width
        draw.line([(x, 0), (x, height // 2)], fill=f"hsv({int(hue * 360)},90%,85%)")
    for i in range(8):                                       # neutral ramp, black to white
        grey = round(255 * i / 7)
        draw.rectangle([i * width // 8, height // 2, (i + 1) * width // 8, height * 3 // 4], fill=(grey,) * 3)
    for i, colour in enumerate([(10, 5, 20), (40, 0, 0), (0, 20, 40), (25, 25, 25)]):   # rich darks
        draw.rectangle([i * width // 4, height * 3 // 4, (i + 1) * width // 4, height], fill=colour)
    draw.ellipse([width // 3, height // 8, width * 2 // 3, height * 5 // 8], outline=(255, 255, 255), width=8)
    return image


def png16(image: Image.Image, grey: bool) -> bytes:
    """A 16-bit PNG of a picture (Pillow writes 16-bit grey but not 16-bit RGB): each 8-bit value v
    becomes v * 257, the same byte twice."""
    channels = image.convert("L" if grey else "RGB")
    raw = channels.tobytes()
    wide = bytearray(2 * len(raw))
    wide[0::2] = raw
    wide[1::2] = raw
    stride = 2 * channels.width * (1 if grey else 3)
    rows = b"".join(b"\x00" + wide[y * stride:(y + 1) * stride] for y in range(channels.height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", channels.width, channels.height, 16, 0 if grey else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def cmyk_jpeg(image: Image.Image, profile: Path | None) -> bytes:
    """A CMYK JPEG by the plain formulas (no GCR, up to 400 % ink), with an embedded profile or not."""
    out = io.BytesIO()
    extra = {"icc_profile": profile.read_bytes()} if profile else {}
    image.convert("CMYK").save(out, format="JPEG", quality=95, dpi=(200, 200), **extra)
    return out.getvalue()


def photo_files() -> dict[str, bytes]:
    picture = scene()
    files: dict[str, bytes] = {}

    def save(name: str, image: Image.Image, **options) -> None:
        out = io.BytesIO()
        image.save(out, dpi=(200, 200), **options)
        files[name] = out.getvalue()

    save("rgb.jpg", picture, format="JPEG", quality=92)
    save("adobe-rgb.png", picture, format="PNG", icc_profile=(GHOSTSCRIPT_ICC / "a98.icc").read_bytes())
    save("grey.png", picture.convert("L"), format="PNG")
    files["grey16.png"] = png16(picture, grey=True)
    files["rgb16.png"] = png16(picture, grey=False)
    files["cmyk.jpg"] = cmyk_jpeg(picture, None)
    files["cmyk-swop.jpg"] = cmyk_jpeg(picture, GHOSTSCRIPT_ICC / "default_cmyk.icc")
    return files


PLAN = f"""# Photos of every kind (tests/photo_edition.py writes this edition and its pictures).
paper: 图片测试报
date: {PHOTO_DATE}
code: photo
pages:
  - page: 1
    section: 图片
    blocks:
      - {{image: images/rgb.jpg, col: 1, cols: 2, line: 20, lines: 20, caption: RGB 照片, credit: 本报记者 摄}}
      - {{image: images/adobe-rgb.png, col: 3, cols: 2, line: 20, lines: 20, caption: Adobe RGB 照片}}
      - {{image: images/grey.png, col: 5, cols: 2, line: 20, lines: 20, caption: 灰度照片}}
      - {{image: images/grey16.png, col: 7, cols: 2, line: 20, lines: 20, caption: 16位灰度照片}}
      - {{image: images/rgb16.png, col: 1, cols: 2, line: 42, lines: 20, caption: 16位 RGB 照片}}
      - {{image: images/cmyk.jpg, col: 3, cols: 2, line: 42, lines: 20, caption: 无特性文件的 CMYK 照片}}
      - {{image: images/cmyk-swop.jpg, col: 5, cols: 2, line: 42, lines: 20, caption: 带特性文件的 CMYK 照片}}
      - {{story: words, col: 7, cols: 2, line: 42, lines: 20}}
"""

STORY = """---
headline: 图片说明
---
本版图片用于检验印刷文件：彩色照片按印刷条件转换为四色，灰度照片只用黑版，16位照片缩放到8位而不截断，
总墨量不超过印刷条件的限制。
"""


def write_photo_edition(editions: Path) -> None:
    root = editions / PHOTO_DATE
    (root / "images").mkdir(parents=True)
    (root / "stories").mkdir()
    (root / "edition.yaml").write_text(PLAN, encoding="utf-8")
    (root / "stories" / "words.md").write_text(STORY, encoding="utf-8")
    for name, data in photo_files().items():
        (root / "images" / name).write_bytes(data)
