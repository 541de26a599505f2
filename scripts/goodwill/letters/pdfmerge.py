"""Concatenate PDFs page by page, holding only one source file in memory.

pypdf's PdfWriter keeps every page of the result in memory until the end; for
10,000 letters that alone is a few hundred MB. This writer reads each source
with pypdf, copies its pages and everything they use straight to the output
(renumbering the objects), and forgets it before reading the next.
"""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from goodwill.core.outdir import private_opener

_CATALOG, _PAGES, _INFO = 1, 2, 3  # written last, numbered first


class _Writer:
    def __init__(self, stream):
        self.stream = stream
        self.offsets: dict[int, int] = {}
        self.next_id = 4
        self.kids: list[int] = []
        stream.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def copy_pages(self, source: Path) -> None:
        reader = PdfReader(source)
        numbers: dict[tuple[int, int], int] = {}
        waiting: list[IndirectObject] = []

        def renumber(ref: IndirectObject) -> int:
            key = (ref.idnum, ref.generation)
            if key not in numbers:
                numbers[key] = self._allocate()
                waiting.append(ref)
            return numbers[key]

        pages = list(reader.pages)
        for page in pages:  # numbered first: a link on one page may point to a later one
            ref = page.indirect_reference
            numbers[(ref.idnum, ref.generation)] = self._allocate()
        for page in pages:
            ref = page.indirect_reference
            number = numbers[(ref.idnum, ref.generation)]
            self.kids.append(number)
            self._object(number, page, renumber, is_page=True)
            while waiting:
                ref = waiting.pop()
                self._object(numbers[(ref.idnum, ref.generation)], ref.get_object(), renumber)

    def finish(self, title: str) -> None:
        kids = " ".join(f"{n} 0 R" for n in self.kids)
        self._raw(_PAGES, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.kids)} >>".encode())
        self._raw(_CATALOG, f"<< /Type /Catalog /Pages {_PAGES} 0 R >>".encode())
        info = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Producer"): TextStringObject("goodwill"),
            }
        )
        self._object(_INFO, info, None)
        start = self.stream.tell()
        size = self.next_id
        lines = [f"xref\n0 {size}\n0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        lines.append(
            f"trailer\n<< /Size {size} /Root {_CATALOG} 0 R /Info {_INFO} 0 R >>\n"
            f"startxref\n{start}\n%%EOF\n"
        )
        self.stream.write("".join(lines).encode("ascii"))

    def _allocate(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _raw(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.stream.tell()
        self.stream.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _object(self, number: int, obj, renumber, is_page: bool = False) -> None:
        self.offsets[number] = self.stream.tell()
        self.stream.write(b"%d 0 obj\n" % number)
        self._value(obj, renumber, is_page)
        self.stream.write(b"\nendobj\n")

    def _value(self, obj, renumber, is_page: bool = False) -> None:
        out = self.stream
        if isinstance(obj, IndirectObject):
            out.write(b"%d 0 R" % renumber(obj))
        elif isinstance(obj, StreamObject):
            data = obj._data  # the bytes as stored (still compressed), copied as they are
            self._dictionary(obj, renumber, skip=("/Length",), length=len(data))
            out.write(b"\nstream\n")
            out.write(data)
            out.write(b"\nendstream")
        elif isinstance(obj, DictionaryObject):
            self._dictionary(obj, renumber, parent=is_page)
        elif isinstance(obj, ArrayObject):
            out.write(b"[")
            for item in obj:
                self._value(item, renumber)
                out.write(b" ")
            out.write(b"]")
        else:
            obj.write_to_stream(out)

    def _dictionary(self, obj, renumber, skip=(), length=None, parent=False) -> None:
        out = self.stream
        out.write(b"<<")
        for key, value in obj.items():
            if key in skip or (parent and key == "/Parent"):
                continue
            out.write(b"\n")
            NameObject(key).write_to_stream(out)
            out.write(b" ")
            self._value(value, renumber)
        if parent:
            out.write(b"\n/Parent %d 0 R" % _PAGES)
        if length is not None:
            out.write(b"\n/Length %d" % length)
        out.write(b"\n>>")


def merge_pdfs(sources: list[Path], target: Path, title: str) -> None:
    """Write the pages of `sources`, in order, to `target` (atomically)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb", opener=private_opener) as stream:
            writer = _Writer(stream)
            for source in sources:
                writer.copy_pages(source)
            writer.finish(title)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
