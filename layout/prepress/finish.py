"""The PDF finisher: WeasyPrint hands over the PDF's objects right before it writes them, and this
makes the file what a plant's preflight expects:

- BleedBox = trim + bleed (WeasyPrint caps it at 10 pt);
- the output intent named after the printing condition, carrying the very bytes of the pinned
  profile (WeasyPrint writes LittleCMS's re-serialisation, which the manifest's hash would not match);
- CFF fonts embedded as bare CFF, every subset named after its content (fontfile);
- no colour space the pages do not use (WeasyPrint declares Lab and ICC spaces on every page, which
  PDF/X-1a forbids);
- 100 % K overprinting where the house style asks for it (overprint);
- identification: GTS_PDFXVersion in the Info dictionary for every variant (older preflights read
  only that; PDF/X-1a:2003 has no GTS_PDFXConformance), and XMP metadata written anew — a document ID
  derived from the file's identity instead of WeasyPrint's random one (so every render is
  byte-identical), RenditionClass `default` (the file is the print master, not a proof), dates with
  time and zone as the Info dictionary has them.
"""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import uuid
import xml.etree.ElementTree as ET

import pydyf

from ..style import PrintSpec
from .fontfile import embed_bare_cff, retag_subsets
from .objects import referenced
from .overprint import overprint_black

PDFX_VERSION = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}
PDF_VERSION = {"pdf/x-4": "1.6", "pdf/x-1a": "1.4"}
PRODUCER = f"WeasyPrint {importlib.metadata.version('weasyprint')}"   # without importing it
GENERATOR = "layout"          # the Creator of every file
NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "pdfx": "http://ns.adobe.com/pdfx/1.3/", "pdfxid": "http://www.npes.org/pdfx/ns/id/"}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


class Finisher:
    """WeasyPrint finisher: runs on the pydyf PDF right before it is written."""

    def __init__(self, bleed_pt: float, spec: PrintSpec, identity: str):
        self.bleed = bleed_pt
        self.spec = spec
        self.identity = identity      # e.g. "gzb/gzb-20200515-01.pdf": the document ID is derived from it

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        self._bleed_boxes(pdf)
        self._output_intent(pdf)
        embed_bare_cff(pdf)
        retag_subsets(pdf)
        _drop_unused_colour_spaces(pdf)
        if self.spec.black_overprint:
            overprint_black(pdf)
        self._identify(document, pdf)

    def _bleed_boxes(self, pdf: pydyf.PDF) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
                left, top, right, bottom = (float(v) for v in obj["TrimBox"])
                obj["BleedBox"] = pydyf.Array([left - self.bleed, top - self.bleed,
                                               right + self.bleed, bottom + self.bleed])

    def _output_intent(self, pdf: pydyf.PDF) -> None:
        profile = self.spec.profile
        for intent in pdf.catalog.get("OutputIntents", []):
            intent["OutputConditionIdentifier"] = pydyf.String(profile.condition)
            intent["Info"] = pydyf.String(profile.condition)
            referenced(pdf, intent["DestOutputProfile"]).stream = [profile.path.read_bytes()]

    def _identify(self, document, pdf: pydyf.PDF) -> None:
        pdf.info["GTS_PDFXVersion"] = pydyf.String(PDFX_VERSION[self.spec.pdf_variant])
        pdf.info.pop("GTS_PDFXConformance", None)
        metadata = pdf.catalog.get("Metadata")
        if metadata is not None:
            meta = document.metadata
            referenced(pdf, metadata).stream = [xmp_packet(meta.title, meta.created, meta.generator,
                                                            self.identity, self.spec.pdf_variant)]


def document_timestamp(date: dt.date, time_zone: str) -> str:
    """The files' creation and modification date: the edition's date, 00:00 in the house style's
    zone (W3C form, as HTML metadata and XMP write it)."""
    return f"{date.isoformat()}T00:00:00{time_zone}"


def pdf_date(timestamp: str) -> str:
    """A W3C timestamp (2020-05-15T00:00:00+08:00) as a PDF date (D:20200515000000+08'00)."""
    day, clock = timestamp.split("T")
    zone = clock[8:]
    return f"D:{day.replace('-', '')}{clock[:8].replace(':', '')}{zone[:3]}'{zone[4:]}"


def xmp_packet(title: str, timestamp: str, generator: str, identity: str, variant: str) -> bytes:
    """The XMP packet: what the Info dictionary says, a document ID from the file's identity, the
    print master's RenditionClass, and the PDF/X identification."""
    version = PDFX_VERSION[variant]
    root = ET.Element(f"{{{NS['x']}}}xmpmeta")
    rdf = ET.SubElement(root, f"{{{NS['rdf']}}}RDF")
    description = ET.SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})

    def add(name: str, text: str) -> None:
        prefix, local = name.split(":")
        ET.SubElement(description, f"{{{NS[prefix]}}}{local}").text = text

    add("dc:format", "application/pdf")
    ET.SubElement(ET.SubElement(ET.SubElement(description, f"{{{NS['dc']}}}title"), f"{{{NS['rdf']}}}Alt"),
                  f"{{{NS['rdf']}}}li", {"xml:lang": "x-default"}).text = title
    for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        add(name, timestamp)
    add("xmp:CreatorTool", generator)
    add("pdf:Producer", PRODUCER)
    add("pdf:Trapped", "False")
    add("xmpMM:DocumentID", f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'layout:{identity}')}")
    add("xmpMM:InstanceID", f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'layout:{identity}#1')}")
    add("xmpMM:VersionID", "1")
    add("xmpMM:RenditionClass", "default")
    if variant == "pdf/x-4":
        add("pdfxid:GTS_PDFXVersion", version)
    add("pdfx:GTS_PDFXVersion", version)
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b'\n<?xpacket end="r"?>')


def _drop_unused_colour_spaces(pdf: pydyf.PDF) -> None:
    """Remove the named colour spaces no content stream selects (with `cs`/`CS`)."""
    used = set()
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream):
            for part in obj.stream:
                if isinstance(part, bytes) and part.endswith((b" cs", b" CS")) and part.startswith(b"/"):
                    used.add(part[1:-3].decode("latin-1"))
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and isinstance(obj.get("ColorSpace"), bytes):
            spaces = referenced(pdf, obj["ColorSpace"])
            for name in [name for name in spaces if name not in used]:
                del spaces[name]

