"""Reading the user's text files: size cap and UTF-8 with a located error."""

from __future__ import annotations

from pathlib import Path

from goodwill.core.errors import GoodwillError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the file's text, refusing huge files and bytes that are not UTF-8."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GoodwillError("file not found", path=path) from None
    if size > max_bytes:
        raise GoodwillError(
            f"file is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit",
            path=path,
            hint="split it into several files",
        )
    data = path.read_bytes()
    nul = data.find(b"\0")
    if nul >= 0:  # text never holds one: a damaged or binary file
        raise GoodwillError(
            "a NUL byte: this is not a text file, or it is damaged",
            path=path,
            line=data.count(b"\n", 0, nul) + 1,
            hint="remove the NUL character from that line, or restore the file from git",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GoodwillError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
            hint="save the file with UTF-8 encoding",
        ) from None
