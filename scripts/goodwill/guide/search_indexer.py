"""The search worker process: Material's indexing for pages sent by search_offload.

Run as `python -m goodwill.guide.search_indexer`. Messages are length-prefixed pickles:
from the build on stdin, first the search configuration, then `(number, page)` pairs and a
final None; back on stdout, once, `{number: entries}`. Only Material's search plugin is
imported here, so the process is ready before goodwill has staged the pages.
"""

from __future__ import annotations

import pickle
import queue
import struct
import sys
import threading
from dataclasses import dataclass, field

HEADER = struct.Struct("!Q")


@dataclass
class Anchor:
    id: str
    children: list[Anchor] = field(default_factory=list)

    @property
    def url(self) -> str:
        return "#" + self.id


@dataclass
class PageView:
    """What Material's indexing reads of a page."""

    content: str
    toc: list[Anchor]
    url: str
    meta: dict
    title: str


def write_message(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)


def read_message(stream):
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError("the other side closed the pipe")
    (size,) = HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("a message was cut short")
    return pickle.loads(data)


def main() -> None:
    from material.plugins.search.plugin import SearchIndex

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    config = read_message(stdin)
    pages: queue.Queue = queue.Queue()

    def drain() -> None:
        # Reading in its own thread keeps the build's writes from ever waiting on a full pipe.
        try:
            while (message := read_message(stdin)) is not None:
                pages.put(message)
        except EOFError:
            pass
        pages.put(None)

    threading.Thread(target=drain, daemon=True).start()
    entries: dict[int, list[dict]] = {}
    while (message := pages.get()) is not None:
        number, page = message
        index = SearchIndex(**config)
        index.add_entry_from_context(page)
        entries[number] = index.entries
    write_message(stdout, entries)
    stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, EOFError):  # the build stopped: it indexes what it needs itself
        sys.exit(1)
