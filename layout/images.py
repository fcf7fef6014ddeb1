"""What graphics ask of the fonts: the text inside SVG files, by font role."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import LayoutError
from .fonts import FAMILY_PREFIX, TextUse

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_text_uses(path: Path, where: str, roles: set[str]) -> list[TextUse]:
    """Every text run of an SVG with the role its font-family names (layout-<role>). A family that
    is not one of ours would silently fall back to any installed font, so it is refused."""
    if path.suffix.lower() != ".svg":
        return []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise LayoutError(f"not a readable SVG: {exc}", path) from None
    uses: list[TextUse] = []

    def use(text: str | None, family: str | None) -> None:
        text = (text or "").strip()
        if not text:
            return
        role = family[len(FAMILY_PREFIX):] if family and family.startswith(FAMILY_PREFIX) else None
        if role not in roles:
            raise LayoutError(f"{where}: SVG text '{text}' uses font-family {family!r}; use one of "
                              + ", ".join(FAMILY_PREFIX + r for r in sorted(roles)), path)
        uses.append(TextUse(role=role, text=text, where=f"{where}, SVG text '{text}'", file=path, fallback=False))

    def walk(element: ET.Element, family: str | None) -> None:
        family = element.get("font-family", family)
        is_text = element.tag in (SVG_NS + "text", SVG_NS + "tspan")
        if is_text:
            use(element.text, family)
        for child in element:
            walk(child, family)
            if is_text:
                use(child.tail, family)

    walk(root, None)
    return uses
