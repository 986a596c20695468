"""The benchmark ledger as an .xlsx, written as Excel writes one: shared strings for text,
dates as serial numbers under a date style, numbers as numbers. Written straight as XML
(openpyxl would take minutes for a million lines)."""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
ROWS_PER_WRITE = 50_000


def column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ledger_xlsx_write(csv_path: Path, path: Path, *, date_column: str = "InvoiceDate") -> None:
    frame = pd.read_csv(csv_path, dtype={"InvoiceNo": str})
    frame[date_column] = pd.to_datetime(frame[date_column], dayfirst=True)
    letters = [column_letters(position + 1) for position in range(len(frame.columns))]
    strings: list[str] = []
    cells = []  # per column, each row's cell XML with "{r}" for its row number
    for letter, name in zip(letters, frame.columns, strict=True):
        values = frame[name]
        if name == date_column:
            serials = (values - pd.Timestamp("1899-12-30")).dt.days.astype(str)
            cells.append((f'<c r="{letter}{{r}}" s="1"><v>' + serials + "</v></c>").to_numpy())
        elif pd.api.types.is_numeric_dtype(values):
            texts = values.astype(str)
            cells.append((f'<c r="{letter}{{r}}"><v>' + texts + "</v></c>").to_numpy())
        else:
            codes, uniques = pd.factorize(values)
            indices = pd.Series(codes + len(strings)).astype(str)
            strings.extend(str(unique) for unique in uniques)
            cells.append((f'<c r="{letter}{{r}}" t="s"><v>' + indices + "</v></c>").to_numpy())
    header = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
        for letter, name in zip(letters, frame.columns, strict=True)
    )
    rows = len(frame)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _package_write(archive, strings)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                f'<dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'
                f'<row r="1">{header}</row>'.encode()
            )
            for start in range(0, rows, ROWS_PER_WRITE):
                block = []
                for index in range(start, min(rows, start + ROWS_PER_WRITE)):
                    number = str(index + 2)
                    row = "".join(column[index] for column in cells).replace("{r}", number)
                    block.append(f'<row r="{number}">{row}</row>')
                sheet.write("".join(block).encode())
            sheet.write(b"</sheetData></worksheet>")


def _package_write(archive: zipfile.ZipFile, strings: list[str]) -> None:
    archive.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    )
    archive.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    parts = (
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId2", "sharedStrings", "sharedStrings.xml"),
        ("rId3", "styles", "styles.xml"),
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="{id_}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"/>'
            for id_, kind, target in parts
        )
        + "</Relationships>",
    )
    archive.writestr(
        "xl/styles.xml",
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    )
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
