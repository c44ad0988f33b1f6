"""Hostile workbooks written straight as zip and XML: a sparse far cell, millions of cells."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from epmo.files.columns import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PARTS = {
    "[Content_Types].xml": f'{HEAD}<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>',
    "_rels/.rels": f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships"><Relationship '
    f'Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
    '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>',
}


def xlsx_of(rows_xml: Iterable[bytes], dimension: str | None = None) -> bytes:
    """A one-sheet .xlsx ("data") whose sheetData is ``rows_xml``, streamed into the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{HEAD}<worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for block in rows_xml:
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def text_cell(ref: str, text: str) -> str:
    """An inline string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse_far_cell(header: Iterable[str] = ("project_code",)) -> bytes:
    """A header row and one value at XFD1048576: ~1.6 KB that spans 17 billion cells."""
    first = "".join(text_cell(f"{column_letter(i)}1", name) for i, name in enumerate(header))
    last = text_cell("XFD1048576", "x")
    return xlsx_of([f'<row r="1">{first}</row><row r="1048576">{last}</row>'.encode()],
                   "A1:XFD1048576")


def dense(rows: int, columns: int, refs: bool = True, batch: int = 10_000) -> bytes:
    """``rows`` x ``columns`` number cells, with or without cell references (no dimension)."""
    letters = [column_letter(c) for c in range(columns)]

    def row(number: int) -> str:
        if not refs:
            return "<row>" + "<c><v>1</v></c>" * columns + "</row>"
        return f'<row r="{number}">' + "".join(
            f'<c r="{x}{number}"><v>1</v></c>' for x in letters) + "</row>"

    def blocks() -> Iterable[bytes]:
        for start in range(1, rows + 1, batch):
            yield "".join(map(row, range(start, min(start + batch, rows + 1)))).encode()

    return xlsx_of(blocks())


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
            'oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:'
            'opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
            'text:1.0" office:version="1.2"><office:body><office:spreadsheet>')
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-'
            'entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
            'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>')


def ods_cell(text: str, repeat: int = 1) -> str:
    """A string cell of an .ods table, repeated across ``repeat`` columns."""
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell{repeated} office:value-type="string"><text:p>{text}</text:p>'
            "</table:table-cell>")


def ods_of(rows: Iterable[str], name: str = "data") -> bytes:
    """A one-table .ods whose table holds ``rows`` (table:table-row elements)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                      compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/manifest.xml", MANIFEST)
        book.writestr("content.xml", f'{ODS_HEAD}<table:table table:name="{name}">'
                      + "".join(rows) + "</table:table></office:spreadsheet></office:body>"
                      "</office:document-content>")
    return out.getvalue()


def ods_repeated(rows: int, columns: int) -> bytes:
    """A header row, then one valued cell repeated ``columns`` wide and ``rows`` down."""
    return ods_of([f"<table:table-row>{ods_cell('code')}</table:table-row>",
                   f'<table:table-row table:number-rows-repeated="{rows}">'
                   f"{ods_cell('x', columns)}</table:table-row>"])


def zip_bomb() -> bytes:
    """A valid workbook plus a part of 50 MB of zeros packed a thousand times smaller."""
    sparse = io.BytesIO(xlsx_of([b'<row r="1">' + text_cell("A1", "code").encode() + b"</row>"]))
    with zipfile.ZipFile(sparse, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    return sparse.getvalue()
