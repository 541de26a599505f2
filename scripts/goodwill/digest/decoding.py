"""Content-Encoding decoders that stop at the size cap: gzip, deflate (zlib or raw), brotli.

A compressed body is decoded as it streams, a bounded piece at a time, so a small
"zip bomb" is refused at the cap instead of filling memory. Errors are ValueError
with the reason shown in the fetch table.
"""

from __future__ import annotations

import zlib


class Oversize(Exception):
    """The decoded body would pass the cap."""


def decoder(encoding: str):
    """A decoder for a Content-Encoding header's value (None: the body is as sent)."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return _Zlib("gzip", wbits=47)
    if encoding == "deflate":
        return _Deflate()
    if encoding == "br":
        return _Brotli()
    return None


class _Zlib:
    def __init__(self, name: str, wbits: int):
        self.name = name
        self.inflater = zlib.decompressobj(wbits=wbits)

    def decode(self, chunk: bytes, room: int) -> bytes:
        """Decoded bytes of `chunk`; Oversize when they would be more than `room`."""
        try:
            out = self.inflater.decompress(chunk, room + 1)
        except zlib.error as exc:
            raise ValueError(f"broken {self.name} body: {exc}") from None
        if len(out) > room or self.inflater.unconsumed_tail:
            raise Oversize
        return out

    def finish(self, room: int) -> bytes:
        out = self.inflater.flush()
        if not self.inflater.eof:
            raise ValueError(f"broken {self.name} body: it ends before the compressed data does")
        if len(out) > room:
            raise Oversize
        return out


class _Deflate(_Zlib):
    """`deflate` is zlib-wrapped by the standard, raw in some servers: both are read
    (as browsers and feedparser do), decided by the first bytes."""

    def __init__(self):
        super().__init__("deflate", wbits=15)
        self._decided = False
        self._head = b""

    def decode(self, chunk: bytes, room: int) -> bytes:
        if not self._decided:
            self._head += chunk
            if len(self._head) < 2:
                return b""
            if not _looks_like_zlib(self._head):
                self.inflater = zlib.decompressobj(wbits=-15)
            self._decided = True
            chunk, self._head = self._head, b""
        return super().decode(chunk, room)

    def finish(self, room: int) -> bytes:
        if not self._decided and self._head:
            self.inflater = zlib.decompressobj(wbits=-15)
            self._decided = True
            out = super().decode(self._head, room)
            return out + super().finish(room - len(out))
        return super().finish(room)


def _looks_like_zlib(head: bytes) -> bool:
    """RFC 1950: CM 8, and the first two bytes as a number are a multiple of 31."""
    return (head[0] & 0x0F) == 8 and (head[0] << 8 | head[1]) % 31 == 0


class _Brotli:
    def __init__(self):
        import brotli  # optional here only in principle: it is a dependency

        self.brotli = brotli
        self.decompressor = brotli.Decompressor()

    def decode(self, chunk: bytes, room: int) -> bytes:
        try:
            out = self.decompressor.process(chunk, output_buffer_limit=room + 1)
            while len(out) <= room and not self.decompressor.can_accept_more_data():
                out += self.decompressor.process(b"", output_buffer_limit=room + 1 - len(out))
        except self.brotli.error as exc:
            raise ValueError(f"broken brotli body: {exc}") from None
        if len(out) > room:
            raise Oversize
        return out

    def finish(self, room: int) -> bytes:
        if not self.decompressor.is_finished():
            raise ValueError("broken brotli body: it ends before the compressed data does")
        return b""
