"""The search worker process: Material's indexing for pages sent by search_offload.

Run as `python -m goodwill.guide.search_indexer`. Messages are length-prefixed pickles:
from the build on stdin, first the search configuration, then `(number, page)` pairs and a
final None; back on stdout, once, `{number: entries}` for every page it could index (a
page it could not read is indexed by the build). Only Material's search plugin is
imported here, so the process is ready before goodwill has staged the pages.
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import struct
import sys
import threading
from dataclasses import dataclass, field

HEADER = struct.Struct("!Q")
MAX_MESSAGE = 1 << 31  # a longer "message" is a damaged stream


@dataclass
class Anchor:
    id: str
    children: list[Anchor] = field(default_factory=list)

    @property
    def url(self) -> str:
        return "#" + self.id


@dataclass
class PageView:
    """What Material's indexing reads of a page: its HTML, anchors, URL and title, and
    the three metadata keys it looks at (title, tags, search)."""

    content: str
    toc: list[Anchor]
    url: str
    meta: dict
    title: str


def encode(value) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def read_message(stream):
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError("the other side closed the pipe")
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise ValueError("not a message of the search worker")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("a message was cut short")
    return pickle.loads(data)


def main() -> None:
    # The answer goes to the real stdout; anything a library prints goes to stderr.
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr
    from material.plugins.search.plugin import SearchIndex

    gc.freeze()  # the imports: nothing to collect there
    gc.set_threshold(20_000, *gc.get_threshold()[1:])

    stdin = sys.stdin.buffer
    config = read_message(stdin)
    pages: queue.Queue = queue.Queue()

    def drain() -> None:
        # Reading in its own thread keeps the build's writes from ever waiting on a full pipe.
        try:
            while (message := read_message(stdin)) is not None:
                pages.put(message)
        except Exception:  # closed, cut short or unreadable: the build indexes the rest
            pass
        pages.put(None)

    threading.Thread(target=drain, daemon=True).start()
    entries: dict[int, list[dict]] = {}
    while (message := pages.get()) is not None:
        number, page = message
        try:
            index = SearchIndex(**config)
            index.add_entry_from_context(page)
        except Exception:  # indexed by the build instead, as Material would fail there
            continue
        entries[number] = index.entries
    answer.write(encode(entries))
    answer.flush()


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, EOFError):  # the build stopped: it indexes what it needs itself
        sys.exit(1)
