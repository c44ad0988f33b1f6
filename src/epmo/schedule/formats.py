"""Which schedule format a file holds, judged by its content (never its name), and the limits.

``detect`` answers "mspdi" (MS Project XML, any version) or "xer" (Primavera P6 export), or
refuses the file saying what it looks like instead. The readers share ``refuse`` (an
``Invalid`` naming the place in the file) and the size and task-count limits from settings.
"""

from __future__ import annotations

import re
from typing import Literal

from epmo.config import get_settings
from epmo.errors import FieldError, Invalid

Format = Literal["mspdi", "xer"]
MSPDI_NAMESPACE = "http://schemas.microsoft.com/project"
EXPECTED = "a schedule must be MS Project XML (MSPDI) or a Primavera XER export"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
PDF_MAGIC = b"%PDF"
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")
_SNIFF = 4096


def refuse(message: str, field: str = "file", row: int | None = None) -> Invalid:
    """An ``Invalid`` for a schedule file: ``message`` says where and what is wrong."""
    return Invalid(message, [FieldError(field, message, row)])


def check_size(data: bytes) -> None:
    """Refuse an empty file or one over ``schedule_max_bytes``."""
    limit = get_settings().schedule_max_bytes
    if len(data) > limit:
        raise refuse(f"The file is {len(data):,} bytes; the limit for a schedule is {limit:,} "
                     "bytes")
    if not data.strip():
        raise refuse(f"The file is empty; {EXPECTED}")


def max_activities() -> int:
    """The most tasks one schedule file may hold."""
    return get_settings().schedule_max_activities


def too_many(count: int) -> Invalid:
    """The error for a file holding more than ``max_activities`` tasks."""
    return refuse(f"The file holds more than {max_activities():,} tasks (the limit); "
                  "split the schedule or raise EPMO_SCHEDULE_MAX_ACTIVITIES")


def detect(data: bytes) -> Format:
    """Tell MSPDI from XER by content, or refuse saying what the file looks like."""
    check_size(data)
    head = data[:_SNIFF].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if head.startswith(b"ERMHDR") or head.startswith(b"%T\t"):
        return "xer"
    if head.startswith(b"<"):
        return _xml_kind(data[:_SNIFF * 4])
    raise refuse(f"This looks like {_looks_like(head)}; {EXPECTED}")


def _xml_kind(head: bytes) -> Format:
    root = _root_tag(head)
    if (root == b"Project" and MSPDI_NAMESPACE.encode() in head) or not root:
        return "mspdi"  # no root in the first bytes (a long prolog): the reader checks it
    shown = root.decode("ascii", "replace")
    raise refuse(f"This looks like an XML file whose root element is <{shown}>, not MS Project "
                 f"XML (a <Project> element in the namespace {MSPDI_NAMESPACE}); {EXPECTED}")


def _root_tag(head: bytes) -> bytes:
    found = _XML_ROOT.search(head)  # declarations, comments and DOCTYPE start "<?" or "<!"
    return found.group(1).split(b":")[-1] if found else b""


def _looks_like(head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "a zip file (an Excel .xlsx workbook or an .mpp/.zip archive)"
    if head.startswith(OLE_MAGIC):
        return "a binary Office file (an .mpp project or an old .xls workbook); save it from " \
               "MS Project as XML"
    if head.startswith(PDF_MAGIC):
        return "a PDF document"
    if head.startswith((b"{", b"[")):
        return "a JSON file"
    first = head.split(b"\n", 1)[0]
    if b"," in first or b";" in first or b"\t" in first:
        return "a CSV file"
    return "a text file of unknown kind"


def decode_text(data: bytes) -> str:
    """Decode an XER export: UTF-8 (with or without BOM) first, then Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
