"""Caches of translations: keyed by package, decoding settings and normalized sentence;
an in-memory LRU and a SQLite file shared between runs and processes."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

_WS = re.compile(r"\s+")


def normalize_sentence(text: str) -> str:
    """Collapse whitespace runs (newlines included) to single spaces and strip.

    The model sees one line per sentence; the cache is keyed on this form.

    >>> normalize_sentence("  Привет,\\n  мир ")
    'Привет, мир'
    """
    return _WS.sub(" ", text).strip()


def sentence_key(fingerprint: str, settings: str, sentence: str) -> str:
    """Cache key of one normalized sentence under one model and decoding setting.

    >>> len(sentence_key("abc", "beam=4", "Да."))
    64
    """
    blob = "\x00".join((fingerprint, settings, sentence)).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class MemoryCache:
    """A small ordered-dict LRU (functools.lru_cache cannot be filled in batches)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._d: OrderedDict[str, str] = OrderedDict()

    def get(self, key: str) -> str | None:
        value = self._d.get(key)
        if value is not None:
            self._d.move_to_end(key)
        return value

    def put(self, key: str, value: str) -> None:
        self._d[key] = value
        self._d.move_to_end(key)
        while len(self._d) > self.size:
            self._d.popitem(last=False)

    def __len__(self) -> int:
        return len(self._d)


class DiskCache:
    """Translations kept between runs: one SQLite file, safe for several processes."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "retranslations.sqlite"
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS tr (k TEXT PRIMARY KEY, v TEXT)")

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT k, v FROM tr WHERE k IN ({marks})", chunk)
            found.update(rows)
        return found

    def put_many(self, items: dict[str, str]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO tr VALUES (?, ?)", items.items())

    def close(self) -> None:
        self._db.close()
