"""Reading the first worksheet of an .xlsx workbook safely: the zip checked, then streamed.

Before a byte is decompressed, the zip's directory says how many parts the workbook has
and what they unpack to; a workbook past the limit, or a streamed part (the sheet, its
shared strings) that unpacks far more than spreadsheets compress (a zip bomb), is refused.
Python's zipfile then holds each part to its declared size as it streams, and the sheet
is read by `sheet.SheetReader` within the limits. Only .xlsx is read: .xls, .xlsb and
.ods are refused with a word on what to save.
"""

import posixpath
import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pyarrow as pa

from .cells import TextGatherer, text_unescape
from .limits import MIB, LedgerLimitError, LedgerLimits, limit_check
from .sheet import SheetReader, xml_feed, xml_parser
from .table import LedgerFileError

MAX_PARTS = 10_000  # a workbook has tens of parts; a zip directory is loaded whole
MAX_DIRECTORY_BYTES = 16 * MIB
SMALL_PART_BYTES = 32 * MIB  # workbook, relationships and styles are parsed in memory
RATIO_FROM_BYTES = MIB  # parts smaller than this cannot make a bomb, whatever their ratio
# What zipfile and zlib raise on a damaged archive (a seek past the end is an OSError;
# a compression method zipfile cannot unpack is a NotImplementedError).
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, struct.error, NotImplementedError)
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_OFFICE = "/officeDocument"
_BUILTIN_FORMATS = {**dict.fromkeys(range(14, 23), "date"), 45: "date", 46: "duration", 47: "date"}


def xlsx_columns(
    path: Path, *, limits: LedgerLimits, max_rows: int | None = None
) -> list[pa.ChunkedArray]:
    """The first worksheet's columns, from A and row 1 to the last cell with a value.

    `max_rows` stops after that many rows of the sheet (the mapping page's preview).
    Raises LedgerFileError (a LedgerLimitError past a limit) for any file it cannot read.
    """
    _directory_check(path)
    try:
        archive = zipfile.ZipFile(path)
    except (*DAMAGE, ValueError) as exc:
        raise LedgerFileError("unreadable", f"not a zip archive ({exc})") from exc
    with archive:
        _parts_check(archive, limits)
        try:
            return _columns_read(archive, limits=limits, max_rows=max_rows)
        except DAMAGE as exc:
            raise LedgerFileError("unreadable", f"damaged workbook ({exc})") from exc


def _directory_check(path: Path) -> None:
    """The zip's end record: how many parts and how large a directory, before opening it."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            raise LedgerFileError("unreadable", "not a zip archive")
        parts, directory = struct.unpack_from("<HL", tail, at + 10)
        zip64 = at >= 20 and tail[at - 20 : at - 16] == _EOCD64_LOCATOR
        if zip64 and (parts == 0xFFFF or directory == 0xFFFFFFFF):
            (record,) = struct.unpack_from("<Q", tail, at - 12)
            handle.seek(min(record, size) + 32)
            counts = handle.read(16)
            if len(counts) < 16:
                raise LedgerFileError("unreadable", "a damaged zip64 end record")
            parts, directory = struct.unpack("<QQ", counts)
    if parts > MAX_PARTS or directory > MAX_DIRECTORY_BYTES:
        raise LedgerFileError("unreadable", f"a zip of {parts} parts")


def _parts_check(archive: zipfile.ZipFile, limits: LedgerLimits) -> None:
    """What all the parts unpack to, as the zip's directory declares it."""
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    limit_check("xlsx_too_large", unpacked, limits.xlsx_uncompressed_bytes)
    if any(member.flag_bits & 0x1 for member in members):
        raise LedgerFileError("unreadable", "an encrypted workbook")


def _ratio_check(archive: zipfile.ZipFile, name: str | None, limits: LedgerLimits) -> None:
    """A part that is streamed (the sheet, the shared strings) against its packed size;
    the other parts read are parsed whole under a size cap, the rest never unpacked."""
    member = archive.getinfo(name) if name else None
    if member is not None and member.file_size >= RATIO_FROM_BYTES:
        ratio = member.file_size // max(member.compress_size, 1)
        limit_check("xlsx_compression", ratio, limits.xlsx_compression_ratio)


def _columns_read(archive, *, limits, max_rows) -> list[pa.ChunkedArray]:
    names = {name.lower(): name for name in archive.namelist()}
    workbook_name = _office_document(archive, names)
    if workbook_name is None:
        if {"xl/workbook.bin", "content.xml"} & set(names):  # .xlsb, .ods
            raise LedgerFileError("excel_format")
        raise LedgerFileError("unreadable", "no workbook in the zip")
    workbook = _xml(archive, workbook_name)
    relations = _relations(archive, names, workbook_name)
    sheet_name = _first_sheet(workbook, relations, names)
    if sheet_name is None:
        raise LedgerFileError("no_rows")
    date1904 = any(
        _local(element.tag) == "workbookPr" and element.get("date1904", "").lower() in ("1", "true")
        for element in workbook.iter()
    )
    strings_name = _related(relations, "/sharedStrings", names)
    for streamed in (sheet_name, strings_name):
        _ratio_check(archive, streamed, limits)
    styles_name = _related(relations, "/styles", names)
    styles = _styles(_xml(archive, styles_name)) if styles_name else []
    shared = SharedStrings(archive, strings_name, limits=limits)
    reader = SheetReader(
        limits=limits, shared=shared.upto, styles=styles, date1904=date1904, max_rows=max_rows
    )
    try:
        with archive.open(sheet_name) as stream:
            reader.read(stream)
    finally:
        shared.close()
    return reader.columns()


def _office_document(archive, names) -> str | None:
    for _id, kind, target in _relations(archive, names, ""):
        if kind.endswith(_OFFICE) and target.lower() in names:
            return names[target.lower()]
    return names.get("xl/workbook.xml")


def _relations(archive, names, part: str) -> list[tuple[str, str, str]]:
    """A part's relationships: (id, type, the part it names) each."""
    folder, base = posixpath.split(part)
    rels = names.get(posixpath.join(folder, "_rels", f"{base}.rels").lower())
    if rels is None:
        return []
    found = []
    for element in _xml(archive, rels).iter():
        target = element.get("Target")
        if _local(element.tag) != "Relationship" or not target or element.get("TargetMode"):
            continue
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found.append((element.get("Id", ""), element.get("Type", ""), posixpath.normpath(target)))
    return found


def _related(relations, kind: str, names: dict[str, str]) -> str | None:
    for _id, relation, target in relations:
        if relation.endswith(kind) and target.lower() in names:
            return names[target.lower()]
    return None


def _first_sheet(workbook: ElementTree.Element, relations, names) -> str | None:
    """The first sheet in the workbook's order that is a worksheet (not a chart)."""
    worksheets = {id_: target for id_, kind, target in relations if kind.endswith("/worksheet")}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        ids = [value for key, value in element.attrib.items() if _local(key) == "id"]
        target = worksheets.get(ids[0]) if ids else None
        if target is not None and target.lower() in names:
            return names[target.lower()]
    return None


def _styles(styles: ElementTree.Element) -> list[str]:
    """For each cell style (the s="" of a cell): "date", "duration" or ""."""
    formats = {}
    for element in styles.iter():
        if _local(element.tag) == "numFmt" and element.get("numFmtId", "").isdigit():
            formats[int(element.get("numFmtId"))] = format_kind(element.get("formatCode", ""))
    kinds = []
    for group in styles.iter():
        if _local(group.tag) != "cellXfs":
            continue
        for xf in group:
            number_format = xf.get("numFmtId", "0")
            number_format = int(number_format) if number_format.isdigit() else 0
            kinds.append(formats.get(number_format, _BUILTIN_FORMATS.get(number_format, "")))
    return kinds


def format_kind(code: str) -> str:
    """Whether an Excel number format shows a date ("date"), an elapsed time such as
    [h]:mm ("duration") or a number (""), judged on its first section: letters that are
    quoted, escaped with \\, spaced with _ or repeated with * are literal text."""
    literal = quoted = False
    depth, bracket = 0, ""
    for char in code:
        if literal:
            literal = False
        elif quoted:
            quoted = char != '"'
        elif char in "\\_*":
            literal = True
        elif char == '"':
            quoted = True
        elif char == ";":
            break
        elif char == "[":
            depth, bracket = depth + 1, ""
        elif char == "]":
            depth = max(depth - 1, 0)
            if bracket and bracket[0] in "hms" and bracket == bracket[0] * len(bracket):
                return "duration"
        elif depth:
            bracket += char.lower()
        elif char in "dmyhsDMYHS":
            return "date"
    return ""


class SharedStrings:
    """The workbook's shared strings, parsed only as far as the cells read so far need."""

    def __init__(self, archive, name: str | None, *, limits: LedgerLimits):
        self.limits = limits
        self.stream = archive.open(name) if name else None
        self.done = self.stream is None
        self.array = pa.chunked_array([], pa.large_string())
        self.pending: list[str] = []
        self.text = TextGatherer()
        self.capture = self.phonetic = False
        self.parser = xml_parser(
            {
                "StartElementHandler": self._start,
                "EndElementHandler": self._end,
                "CharacterDataHandler": self._characters,
            }
        )

    def upto(self, index: int) -> pa.ChunkedArray:
        """The strings 0..index at least (fewer if the workbook has fewer: the caller's
        look-up then fails on the index that is not there)."""
        if len(self.array) + len(self.pending) <= index and not self.done:
            wanted = index + 1 - len(self.array)
            until = lambda: len(self.pending) >= wanted  # noqa: E731
            self.done = xml_feed(self.parser, self.stream, until=until)
        if self.pending:
            chunk = pa.array(self.pending, pa.large_string())
            self.array = pa.chunked_array([*self.array.chunks, chunk], pa.large_string())
            self.pending = []
        return self.array

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()

    def _start(self, name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "si":
            self.text = TextGatherer()
        elif local == "t":
            self.capture = not self.phonetic
        elif local == "rPh":
            self.phonetic = True

    def _end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "si":
            self.pending.append(text_unescape(self.text.text()))
            total = len(self.array) + len(self.pending)
            limit_check("too_many_cells", total, self.limits.cells)
        elif local == "t":
            self.capture = False
        elif local == "rPh":
            self.phonetic = False

    def _characters(self, data: str) -> None:
        if self.capture:
            self.text(data)


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small part (workbook, relationships, styles), parsed whole: no document type."""
    with archive.open(name) as stream:
        data = stream.read(SMALL_PART_BYTES + 1)
    if len(data) > SMALL_PART_BYTES:
        raise LedgerLimitError("xlsx_too_large", found=len(data), limit=SMALL_PART_BYTES)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise LedgerFileError("unreadable", f"{name} is not UTF-8")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise LedgerFileError("unreadable", "the workbook's XML declares a document type")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise LedgerFileError("unreadable", f"{name}: {exc}") from exc


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
