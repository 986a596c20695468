"""Workbooks written by hand as zip XML, for the files no spreadsheet program would save."""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def row_xml(number: int, cells: list, *, prefix: str = "") -> str:
    """A row of inline-string and number cells from column A (tags written `prefix`c)."""
    c, v, row, inline, t = (prefix + tag for tag in ("c", "v", "row", "is", "t"))
    parts = []
    for position, value in enumerate(cells):
        reference = f"{column_letters(position + 1)}{number}"
        if isinstance(value, str):
            text = escape(value)
            parts.append(
                f'<{c} r="{reference}" t="inlineStr"><{inline}><{t}>{text}</{t}></{inline}></{c}>'
            )
        else:
            parts.append(f'<{c} r="{reference}"><{v}>{value}</{v}></{c}>')
    return f'<{row} r="{number}">{"".join(parts)}</{row}>'


def column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_write(
    path: Path,
    rows: str,
    *,
    dimension: str | None = None,
    shared: list[str] | None = None,
    styles: str | None = None,
    padding: str = "",
    prefix: str = "",
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A one-sheet workbook whose sheetData is `rows` (XML), optionally after a declared
    `dimension`, with `shared` strings, a `styles` part, and `padding` (whitespace, say)
    before the rows;
    with a `prefix` ("x:"), the sheet's elements are written in a prefixed namespace."""
    sheet_tag, data_tag, dimension_tag = (
        prefix + t for t in ("worksheet", "sheetData", "dimension")
    )
    declared = f'<{dimension_tag} ref="{dimension}"/>' if dimension else ""
    namespace = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><{sheet_tag} {namespace}>{declared}'
        f"<{data_tag}>{padding}{rows}</{data_tag}></{sheet_tag}>"
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
        f'xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="Ledger" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    relations = [
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    ]
    if shared is not None:
        relations.append(
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    if styles is not None:
        relations.append(
            f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        )
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}">{"".join(relations)}</Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if styles is not None:
            archive.writestr("xl/styles.xml", styles)
        if shared is not None:
            items = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
    return path
