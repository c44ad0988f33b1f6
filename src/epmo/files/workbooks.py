"""Measure a workbook against the import limits before calamine reads it, without building it.

calamine turns a sheet into one dense grid spanning every cell that holds a value: a sheet
holding only A1 and XFD1048576 asks for 17 billion cells and aborts the whole process. So the
zip is checked first (entries, unpacked size, packing ratio) and the sheet's XML is streamed,
tracking the box its valued cells span; the file is refused as soon as the box passes the
row, column or cell limit. Only then does calamine see it, and the grid it builds is bounded.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from posixpath import join, normpath
from typing import IO

from defusedxml import ElementTree

from epmo.config import get_settings
from epmo.errors import FieldError, Invalid

MAX_ENTRIES = 1_000
MAX_RATIO = 200  # deflate packs spreadsheet XML 5-50 times; hundreds of times is a bomb
RATIO_FROM = 1024 * 1024  # small parts may pack better than that harmlessly
CHUNK = 1024 * 1024
HEADER_ROOM = 100  # title and blank rows above the header do not count as data rows
RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest sheet accepted: rows spanned, columns spanned, cells, unpacked bytes."""

    rows: int
    columns: int
    cells: int
    unzipped_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits configured by EPMO_IMPORT_MAX_*."""
        s = get_settings()
        return cls(s.import_max_rows + HEADER_ROOM, s.import_max_columns, s.import_max_cells,
                   s.import_max_unzipped_bytes)


def refuse(message: str, field: str = "file") -> Invalid:
    """The 422 error for a file over a limit or unreadable."""
    return Invalid(message, [FieldError(field, message)])


class Box:
    """The rows and columns spanned by the valued cells seen so far, checked on every update."""

    def __init__(self, sheet: str, limits: Limits) -> None:
        self.sheet, self.limits = sheet, limits
        self.top = self.left = 1 << 40
        self.bottom = self.right = -1
        self.cells = 0

    def count(self, cells: int) -> None:
        """Add valued cells to the count and refuse past the cell limit."""
        self.cells += cells
        if self.cells > self.limits.cells:
            raise refuse(f"Sheet {self.sheet!r} holds over {self.limits.cells:,} cells; "
                         f"the limit is {self.limits.cells:,} cells")

    def fits(self, top: int, bottom: int, left: int, right: int) -> bool:
        """Whether widening the box to these rows and columns keeps it within the limits."""
        return self._problem(min(self.top, top), max(self.bottom, bottom),
                             min(self.left, left), max(self.right, right)) is None

    def cover(self, top: int, bottom: int, left: int, right: int) -> None:
        """Widen the box to rows top..bottom and columns left..right (0-based), or refuse."""
        self.top, self.bottom = min(self.top, top), max(self.bottom, bottom)
        self.left, self.right = min(self.left, left), max(self.right, right)
        problem = self._problem(self.top, self.bottom, self.left, self.right)
        if problem:
            raise refuse(f"Sheet {self.sheet!r} {problem}")

    def _problem(self, top: int, bottom: int, left: int, right: int) -> str | None:
        # Rows count from the sheet's first: the reader yields the empty rows above the data.
        rows, columns, limits = bottom + 1, right - left + 1, self.limits
        if rows > limits.rows:
            return f"spans {rows:,} rows; the limit is {limits.rows:,} rows"
        if columns > limits.columns:
            return f"spans {columns:,} columns; the limit is {limits.columns:,} columns"
        if rows * columns > limits.cells:
            return (f"spans {rows:,} rows by {columns:,} columns; the limit is "
                    f"{limits.cells:,} cells")
        return None


def check_loaded(sheet: str, start: tuple[int, int] | None, end: tuple[int, int] | None) -> None:
    """Refuse a sheet calamine has read whose span is over the limits (.xls is only checked so)."""
    if start is not None and end is not None:
        Box(sheet, Limits.from_settings()).cover(start[0], end[0], start[1], end[1])


# --- the zip ----------------------------------------------------------------------------


def open_zip(data: IO[bytes], limits: Limits) -> zipfile.ZipFile:
    """Open the workbook's zip, refusing too many entries, too many bytes or a zip bomb."""
    try:
        book = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise refuse(f"The file could not be read as a spreadsheet ({exc})") from None
    entries = book.infolist()
    if len(entries) > MAX_ENTRIES:
        raise refuse(f"The workbook holds {len(entries):,} parts; the limit is {MAX_ENTRIES:,}")
    unzipped = sum(entry.file_size for entry in entries)
    if unzipped > limits.unzipped_bytes:
        raise refuse(f"The workbook unpacks to {unzipped:,} bytes; the limit is "
                     f"{limits.unzipped_bytes:,} bytes")
    for entry in entries:
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * entry.compress_size:
            raise refuse(f"The workbook part {entry.filename} unpacks {MAX_RATIO} times its "
                         f"size or more; the limit is a ratio of {MAX_RATIO} (a zip bomb?)")
    return book


def chunks(book: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The part ``name`` unpacked a chunk at a time, each cut after a tag's closing ``>``."""
    tail = b""
    try:
        with book.open(name) as part:
            while block := part.read(CHUNK):
                text = tail + block
                cut = text.rfind(b">") + 1
                tail = text[cut:]
                yield text[:cut]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise refuse(f"The workbook part {name} is damaged ({exc})") from None
    yield tail


# --- .xlsx / .xlsm ----------------------------------------------------------------------

ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
REF = re.compile(rb'\sr="([A-Z]{1,4})([0-9]{1,8})"')
ROW_REF = re.compile(rb'\sr="([0-9]{1,8})"')
# Each starts with a literal, so the scan runs in C; one group each keeps the lists cheap.
REF_LETTERS = re.compile(rb' r="([A-Z]{1,4})[0-9]')
REF_DIGITS = re.compile(rb' r="[A-Z]{1,4}([0-9]{1,8})"')
ROOT = re.compile(rb"<(\w+:)?worksheet\b")


def column_number(letters: bytes) -> int:
    """0-based column of ``A``, ``AB``, ``XFD``."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip part holding its XML (from the workbook and its links)."""
    try:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        links = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except Exception as exc:  # a missing part or broken XML: not a workbook we can read
        raise refuse(f"The file could not be read as a spreadsheet ({exc})") from None
    targets = {link.get("Id"): link.get("Target", "") for link in links}
    parts = {}
    for sheet in workbook.iterfind(".//{*}sheet"):
        target = targets.get(sheet.get(RELS), "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        parts[sheet.get("name", "")] = path
    return parts


def check_xlsx(book: zipfile.ZipFile, sheet: str | None, limits: Limits) -> None:
    """Stream the XML of the sheet to be read (the first by default) through a Box, twice."""
    parts = sheet_parts(book)
    if not parts:
        raise refuse("The workbook has no sheets")
    name = sheet if sheet in parts else next(iter(parts))
    if parts[name] not in book.NameToInfo:
        raise refuse(f"The workbook has no part {parts[name]} for sheet {name!r}")
    box, state, prefix = Box(name, limits), [-1, -1], b""
    # First count the valued cells (each has a closing tag) at C speed: ten million cells are
    # refused in a fraction of a second. Then follow each cell's position.
    for index, chunk in enumerate(chunks(book, parts[name])):
        if index == 0:
            found = ROOT.search(chunk)
            prefix = (found.group(1) or b"") if found else b""
        box.count(chunk.count(b"</" + prefix + b"c>"))
    for chunk in chunks(book, parts[name]):
        if not _xlsx_fast(chunk, box, state, prefix):
            _xlsx_chunk(chunk, box, state)


def _xlsx_fast(chunk: bytes, box: Box, state: list[int], prefix: bytes) -> bool:
    """Cover a chunk whose cells all carry references (as Excel writes), if it fits; else False.

    Empty cells count here too, which is cheaper; a chunk that does not fit this way is
    looked at again cell by cell, counting only cells with values (as calamine does).
    """
    digits = REF_DIGITS.findall(chunk)
    if len(digits) != chunk.count(b"<" + prefix + b"c ") + chunk.count(b"<" + prefix + b"c>"):
        return False
    if not digits:
        return True
    rows = [int(d) - 1 for d in set(digits)]  # a few distinct rows per chunk
    columns = [column_number(x) for x in set(REF_LETTERS.findall(chunk))]
    if not box.fits(min(rows), max(rows), min(columns), max(columns)):
        return False
    box.cover(min(rows), max(rows), min(columns), max(columns))
    state[0], state[1] = max(rows), max(columns)  # if cells without references follow
    return True


def _xlsx_chunk(chunk: bytes, box: Box, state: list[int]) -> None:
    """Cover the valued cells of ``chunk``; state is the current [row, column] across chunks."""
    tokens = sorted([(m.start(), m) for m in ROW.finditer(chunk)]
                    + [(m.start(), m) for m in CELL.finditer(chunk)], key=lambda t: t[0])
    rows: list[int] = []
    columns: list[int] = []
    for _, match in tokens:
        attributes = match.group(1)
        if match.re is ROW:
            found = ROW_REF.search(attributes)
            state[0], state[1] = int(found.group(1)) - 1 if found else state[0] + 1, -1
            continue
        found = REF.search(attributes)
        if found:
            state[0], state[1] = int(found.group(2)) - 1, column_number(found.group(1))
        else:
            state[1] += 1
        if not match.group(2):  # a self-closed cell holds no value; calamine skips it
            rows.append(state[0])
            columns.append(state[1])
    if rows:
        box.cover(min(rows), max(rows), min(columns), max(columns))


# --- .ods ------------------------------------------------------------------------------

ODS_TAG = re.compile(rb"<(/?)(?:\w+:)?(table|table-row|table-cell|covered-table-cell)"
                     rb"(?=[\s/>])([^>]*?)(/?)>")
NAME = re.compile(rb'\bname="([^"]*)"')
REPEATS = {b"table-row": re.compile(rb'number-rows-repeated="([0-9]{1,12})"'),
           b"table-cell": re.compile(rb'number-columns-repeated="([0-9]{1,12})"')}
REPEATS[b"covered-table-cell"] = REPEATS[b"table-cell"]


class OdsSheet:
    """Walks content.xml's tables, rows and cells, expanding repeats into a Box for one table."""

    def __init__(self, sheet: str | None, limits: Limits) -> None:
        self.wanted, self.limits = sheet, limits
        self.box: Box | None = None
        self.done = False
        self.row = self.column = self.repeat = 0
        self.left, self.right = -1, -1

    def feed(self, chunk: bytes) -> None:
        """Take the tags of one chunk in order."""
        for match in ODS_TAG.finditer(chunk):
            closing, tag, attributes, empty = match.groups()
            if self.done:
                return
            if tag == b"table":
                self._table(closing == b"/", attributes)
            elif self.box is not None and not closing:
                self._row_or_cell(tag, attributes, empty == b"/")

    def _table(self, closing: bool, attributes: bytes) -> None:
        if closing:
            self._end_row()
            self.done = self.box is not None
            return
        found = NAME.search(attributes)
        name = found.group(1).decode("utf-8", "replace") if found else ""
        if self.wanted is None or name == self.wanted:
            self.box, self.row, self.repeat = Box(name, self.limits), 0, 0

    def _row_or_cell(self, tag: bytes, attributes: bytes, empty: bool) -> None:
        found = REPEATS[tag].search(attributes)
        count = int(found.group(1)) if found else 1
        if tag == b"table-row":
            self._end_row()
            self.repeat, self.column = count, 0
            return
        if not empty or b"value-type=" in attributes:  # calamine skips empty cells only
            self.left = self.column if self.left < 0 else self.left
            self.right = self.column + count - 1
        self.column += count

    def _end_row(self) -> None:
        if self.box is not None and self.left >= 0:
            width = self.right - self.left + 1
            self.box.cover(self.row, self.row + self.repeat - 1, self.left, self.right)
            self.box.count(width * self.repeat)
        self.row += self.repeat
        self.repeat, self.left, self.right = 0, -1, -1


def check_ods(book: zipfile.ZipFile, sheet: str | None, limits: Limits) -> None:
    """Stream content.xml through OdsSheet for the sheet to be read (the first by default)."""
    scan = OdsSheet(sheet, limits)
    for chunk in chunks(book, "content.xml"):
        scan.feed(chunk)
        if scan.done:
            return


# --- which kind of workbook -------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def check(data: bytes, sheet: str | None) -> None:
    """Refuse ``data`` unless the sheet calamine will read fits the limits (see the module)."""
    limits = Limits.from_settings()
    if data.startswith(OLE_MAGIC):
        # .xls: BIFF8 caps a sheet at 65,536 x 256 cells; its span is checked once read.
        return
    book = open_zip(io.BytesIO(data), limits)
    with book:
        names = book.NameToInfo
        if "xl/workbook.xml" in names:
            check_xlsx(book, sheet, limits)
        elif "content.xml" in names:
            check_ods(book, sheet, limits)
        elif "xl/workbook.bin" in names:
            raise refuse("Binary workbooks (.xlsb) are not read; save the file as .xlsx")
        else:
            raise refuse("The file could not be read as a spreadsheet (a zip, but no workbook)")
