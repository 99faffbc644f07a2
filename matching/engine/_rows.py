"""Rows of records with their postings: build, upsert, remove, compact, save, load.

The part both candidate indexes share. Rows sit in id order after a build or a
``compact``; upserts append (and mark the old row dead) until the next ``compact``,
which happens by itself once a tenth of the rows (at least 4,096) have changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any, ClassVar, Generic, NamedTuple, Protocol, Self, TypeVar, cast

import numpy as np

from matching.engine._store import CodeTable, Columns, IntArray, Postings, PostingsBuilder

T = TypeVar("T")


class Encoded(NamedTuple):
    """One record as a row: column values and postings entries (key, payload…)."""

    values: dict[str, Any]
    postings: dict[str, list[tuple[Any, ...]]]


class HasId(Protocol):
    @property
    def id(self) -> int: ...


_TYPECODES = {np.dtype(np.uint8): "B", np.dtype(np.int32): "i"}
FORMAT = 1


class RowIndex(Generic[T]):
    """Rows of records with their postings; sorted by id after a build or ``compact``."""

    columns_spec: ClassVar[dict[str, Any]]
    postings_spec: ClassVar[dict[str, dict[str, Any]]]
    tables: ClassVar[tuple[str, ...]]

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.columns = Columns(self.column_spec())
        self.postings = {name: Postings(payload) for name, payload in self.postings_spec.items()}
        self.base_size = 0  # rows [0, base_size) are sorted by id
        self.recent: dict[int, int] = {}  # id → row, for rows appended since
        self.dead = 0
        self.version = 0  # bumped by every change, for caches derived from the rows

    def column_spec(self) -> dict[str, Any]:
        return dict(self.columns_spec)

    def _encode(self, record: T) -> Encoded:
        raise NotImplementedError

    def _finish_build(self) -> None:
        """Reshape after a bulk build (before the rows are sorted by id)."""

    @classmethod
    def build(cls, records: Iterable[T], **options: Any) -> Self:
        index = cls(**options)
        builders = {
            name: PostingsBuilder({k: _TYPECODES[np.dtype(v)] for k, v in payload.items()})
            for name, payload in cls.postings_spec.items()
        }
        lists: dict[str, list[Any]] = {}
        for row, record in enumerate(records):
            encoded = index._encode(record)
            if not lists:
                lists = {name: [] for name in encoded.values}
            for name, column in lists.items():
                column.append(encoded.values[name])
            for name, entries in encoded.postings.items():
                builder = builders[name]
                for key, *payload in entries:
                    builder.add(key, row, *payload)
        size = len(lists["id"]) if lists else 0
        index.columns.load(
            {
                name: np.array(lists[name], dtype=array.dtype)
                if name in lists
                else np.zeros(size, dtype=array.dtype)
                for name, array in index.columns.arrays.items()
            }
        )
        for name, builder in builders.items():
            index.postings[name] = Postings.build(builder, cls.postings_spec[name])
        index._finish_build()
        ids = index.columns["id"]
        if len(np.unique(ids)) != len(ids):
            raise ValueError("duplicate ids")
        index.base_size = len(ids)
        if np.any(ids[1:] < ids[:-1]):
            index._reorder(np.argsort(ids, kind="stable"))
        return index

    def upsert(self, record: T) -> None:
        """Add a record, or replace the one with its id. Seen by the next query."""
        record_id = cast(HasId, record).id
        self.remove(record_id)
        self.version += 1
        encoded = self._encode(record)
        row = self.columns.append(encoded.values)
        for name, entries in encoded.postings.items():
            for key, *payload in entries:
                self.postings[name].add(key, row, *payload)
        self.recent[record_id] = row
        if len(self.recent) + self.dead > max(4096, self.base_size // 10):
            self.compact()

    def remove(self, record_id: int) -> bool:
        row = self._row_of(record_id)
        if row is None:
            return False
        self.columns.arrays["alive"][row] = False
        self.recent.pop(record_id, None)
        self.dead += 1
        self.version += 1
        return True

    def compact(self) -> None:
        """Drop dead rows and fold recent ones in, sorted by id again."""
        alive = np.flatnonzero(self.columns["alive"])
        self._reorder(alive[np.argsort(self.columns["id"][alive], kind="stable")])

    def _reorder(self, keep: IntArray) -> None:
        remap = np.full(self.columns.size, -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        self.columns.take(keep)
        for postings in self.postings.values():
            postings.compact(remap)
        self.base_size = len(keep)
        self.recent = {}
        self.dead = 0
        self.version += 1

    def _row_of(self, record_id: int) -> int | None:
        if record_id in self.recent:
            return self.recent[record_id]
        ids = self.columns.arrays["id"][: self.base_size]
        row = int(np.searchsorted(ids, record_id))
        if row < self.base_size and ids[row] == record_id and self.columns.arrays["alive"][row]:
            return row
        return None

    def __len__(self) -> int:
        return self.columns.size - self.dead

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, int) and self._row_of(record_id) is not None

    @property
    def ids(self) -> np.ndarray[Any, Any]:
        """The ids of the live rows."""
        live: np.ndarray[Any, Any] = self.columns["id"][self.columns["alive"]]
        return live

    @property
    def nbytes(self) -> int:
        """Bytes of every array the index holds (columns and postings)."""
        return self.columns.nbytes + sum(p.nbytes for p in self.postings.values())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write an uncompressed .npz (compacted first): a worker loads it in a blink."""
        if self.recent or self.dead:
            self.compact()
        arrays: dict[str, Any] = {f"col.{k}": v for k, v in self.columns.arrays.items()}
        keys: dict[str, list[Any]] = {}
        for name, postings in self.postings.items():
            state, keys[name] = postings.state(f"post.{name}")
            arrays.update(state)
        meta = {
            "format": FORMAT,
            "kind": type(self).__name__,
            "options": self.options,
            "keys": keys,
            "tables": {name: getattr(self, name).codes for name in self.tables},
        }
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        with open(path, "wb") as out:
            np.savez(out, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            if meta["format"] != FORMAT or meta["kind"] != cls.__name__:
                raise ValueError(f"{path} is not a {cls.__name__} of format {FORMAT}")
            index = cls(**meta["options"])
            index.columns.load({name: data[f"col.{name}"] for name in index.columns.arrays})
            for name, postings in index.postings.items():
                postings.restore(f"post.{name}", data, meta["keys"][name])
        for name in cls.tables:
            table: CodeTable = getattr(index, name)
            table.codes, table.index = [], {}
            for code in meta["tables"][name]:
                table.add(tuple(code) if isinstance(code, list) else code)
        index.base_size = index.columns.size
        return index
