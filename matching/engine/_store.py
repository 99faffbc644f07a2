"""Storage for the candidate indexes: code tables, growable columns, postings lists,
scratch buffers.

Rows are appended and never moved until ``compact``; a removed row is only marked
dead. Postings lists have a static part (CSR: one sorted run of rows per key) built in
bulk, and a small delta part that upserts append to; ``compact`` merges the two and
drops dead rows, renumbering them.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Key = int | str
T = TypeVar("T")


class CodeTable:
    """Codes (country codes, skill ids…) ↔ small integers, in order of first sight."""

    def __init__(self, codes: Iterable[Hashable] = (), *, limit: int) -> None:
        self.limit = limit
        self.codes: list[Any] = []
        self.index: dict[Any, int] = {}
        for code in codes:
            self.add(code)

    def add(self, code: Hashable) -> int:
        found = self.index.get(code)
        if found is not None:
            return found
        if len(self.codes) >= self.limit:
            raise OverflowError(f"more than {self.limit} distinct codes")
        self.index[code] = len(self.codes)
        self.codes.append(code)
        return len(self.codes) - 1

    def get(self, code: Hashable) -> int | None:
        return self.index.get(code)

    def __len__(self) -> int:
        return len(self.codes)


class Columns:
    """Same-length NumPy arrays, one per attribute, with room to grow."""

    def __init__(self, spec: dict[str, npt.DTypeLike]) -> None:
        self.arrays: dict[str, np.ndarray[Any, Any]] = {
            name: np.zeros(0, dtype=dtype) for name, dtype in spec.items()
        }
        self.size = 0

    def load(self, arrays: dict[str, np.ndarray[Any, Any]]) -> None:
        sizes = {len(a) for a in arrays.values()}
        if len(sizes) != 1 or set(arrays) != set(self.arrays):
            raise ValueError("columns do not match")
        for name, values in arrays.items():
            self.arrays[name] = np.ascontiguousarray(values, dtype=self.arrays[name].dtype)
        self.size = sizes.pop()

    def append(self, values: dict[str, Any]) -> int:
        row = self.size
        capacity = len(next(iter(self.arrays.values())))
        if row == capacity:
            grown = max(16, capacity * 2)
            for name, old in self.arrays.items():
                new = np.zeros(grown, dtype=old.dtype)
                new[:capacity] = old
                self.arrays[name] = new
        for name, value in values.items():
            self.arrays[name][row] = value
        self.size = row + 1
        return row

    def __getitem__(self, name: str) -> np.ndarray[Any, Any]:
        return self.arrays[name][: self.size]

    def take(self, keep: IntArray) -> None:
        for name, values in self.arrays.items():
            self.arrays[name] = values[: self.size][keep]
        self.size = len(keep)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays.values())


class PostingsBuilder:
    """Collects (key, row, payload…) entries for a bulk build, compactly."""

    def __init__(self, payload: dict[str, str]) -> None:
        self.keys = CodeTable(limit=2**31 - 1)
        self.slots = array("i")
        self.rows = array("i")
        self.payload = {name: array(code) for name, code in payload.items()}

    def add(self, key: Key, row: int, *values: int) -> None:
        self.slots.append(self.keys.add(key))
        self.rows.append(row)
        for column, value in zip(self.payload.values(), values, strict=True):
            column.append(value)


class Postings:
    """For each key, the rows that have it, with a payload per entry (e.g. a level)."""

    def __init__(self, payload: dict[str, npt.DTypeLike]) -> None:
        self.dtypes = {name: np.dtype(dtype) for name, dtype in payload.items()}
        self.keys: dict[Any, int] = {}
        self.ptr = np.zeros(1, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int32)
        self.data: dict[str, np.ndarray[Any, Any]] = {
            name: np.zeros(0, dtype=dtype) for name, dtype in self.dtypes.items()
        }
        self.delta: dict[Any, list[tuple[int, ...]]] = {}
        self.delta_size = 0

    @classmethod
    def build(cls, builder: PostingsBuilder, payload: dict[str, npt.DTypeLike]) -> Postings:
        postings = cls(payload)
        slots = np.frombuffer(builder.slots, dtype=np.int32)
        rows = np.frombuffer(builder.rows, dtype=np.int32)
        data = {
            name: np.frombuffer(builder.payload[name], dtype=builder.payload[name].typecode)
            for name in payload
        }
        postings._assemble(list(builder.keys.codes), slots, rows, data)
        return postings

    def _assemble(
        self,
        keys: list[Any],
        slots: npt.NDArray[np.int32],
        rows: npt.NDArray[np.int32],
        data: dict[str, np.ndarray[Any, Any]],
    ) -> None:
        order = np.lexsort((rows, slots))
        counts = np.bincount(slots, minlength=len(keys)) if len(keys) else np.zeros(0, np.int64)
        self.keys = {key: i for i, key in enumerate(keys)}
        self.ptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.ptr[1:])
        self.rows = rows[order].astype(np.int32)
        self.data = {name: data[name][order].astype(self.dtypes[name]) for name in self.dtypes}
        self.delta = {}
        self.delta_size = 0

    def drop(self, keys: Iterable[Key]) -> None:
        """Forget these keys' static entries (their rows are kept elsewhere)."""
        gone = {self.keys[key] for key in keys if key in self.keys}
        if not gone:
            return
        counts = np.diff(self.ptr)
        slots = np.repeat(np.arange(len(self.keys), dtype=np.int32), counts)
        keep = ~np.isin(slots, np.fromiter(gone, dtype=np.int32))
        self._assemble(
            list(self.keys),
            slots[keep],
            self.rows[keep],
            {name: values[keep] for name, values in self.data.items()},
        )

    def count(self, key: Key) -> int:
        slot = self.keys.get(key)
        static = 0 if slot is None else int(self.ptr[slot + 1] - self.ptr[slot])
        return static + len(self.delta.get(key, ()))

    def add(self, key: Key, row: int, *values: int) -> None:
        self.delta.setdefault(key, []).append((row, *values))
        self.delta_size += 1

    def get(self, key: Key) -> tuple[npt.NDArray[np.int32], ...] | None:
        """(rows, payload columns…) for a key, or None when no row has it."""
        slot = self.keys.get(key)
        extra = self.delta.get(key)
        if slot is None and not extra:
            return None
        parts: list[np.ndarray[Any, Any]] = []
        if slot is not None:
            lo, hi = int(self.ptr[slot]), int(self.ptr[slot + 1])
            parts = [self.rows[lo:hi], *(self.data[name][lo:hi] for name in self.dtypes)]
        if extra:
            columns = list(zip(*extra, strict=True))
            fresh = [np.array(columns[0], dtype=np.int32)] + [
                np.array(column, dtype=dtype)
                for column, dtype in zip(columns[1:], self.dtypes.values(), strict=True)
            ]
            parts = (
                fresh
                if not parts
                else [np.concatenate((a, b)) for a, b in zip(parts, fresh, strict=True)]
            )
        return tuple(parts)

    def __contains__(self, key: object) -> bool:
        return key in self.keys or key in self.delta

    def compact(self, remap: npt.NDArray[np.int64]) -> None:
        """Merge the delta in, drop entries of dead rows (remap −1), renumber the rest."""
        keys = list(self.keys)
        slots = np.repeat(np.arange(len(keys), dtype=np.int32), np.diff(self.ptr))
        rows, data = self.rows, dict(self.data)
        if self.delta:
            table = {key: i for i, key in enumerate(keys)}
            extra_slots: list[int] = []
            extra: list[tuple[int, ...]] = []
            for key, entries in self.delta.items():
                if key not in table:
                    table[key] = len(keys)
                    keys.append(key)
                extra_slots += [table[key]] * len(entries)
                extra += entries
            columns = list(zip(*extra, strict=True))
            slots = np.concatenate((slots, np.array(extra_slots, dtype=np.int32)))
            rows = np.concatenate((rows, np.array(columns[0], dtype=np.int32)))
            for (name, dtype), column in zip(self.dtypes.items(), columns[1:], strict=True):
                data[name] = np.concatenate((data[name], np.array(column, dtype=dtype)))
        new_rows = remap[rows]
        keep = new_rows >= 0
        self._assemble(
            keys,
            slots[keep],
            new_rows[keep].astype(np.int32),
            {name: values[keep] for name, values in data.items()},
        )

    @property
    def nbytes(self) -> int:
        return (
            self.ptr.nbytes
            + self.rows.nbytes
            + sum(a.nbytes for a in self.data.values())
            + self.delta_size * 4 * (1 + len(self.dtypes))
        )

    def state(self, prefix: str) -> tuple[dict[str, np.ndarray[Any, Any]], list[Any]]:
        if self.delta:
            raise RuntimeError("compact before saving")
        arrays: dict[str, np.ndarray[Any, Any]] = {
            f"{prefix}.ptr": self.ptr,
            f"{prefix}.rows": self.rows,
        }
        arrays.update({f"{prefix}.{name}": values for name, values in self.data.items()})
        return arrays, list(self.keys)

    def restore(self, prefix: str, arrays: Any, keys: list[Any]) -> None:
        self.keys = {key: i for i, key in enumerate(keys)}
        self.ptr = np.asarray(arrays[f"{prefix}.ptr"])
        self.rows = np.asarray(arrays[f"{prefix}.rows"])
        self.data = {name: np.asarray(arrays[f"{prefix}.{name}"]) for name in self.dtypes}
        self.delta = {}
        self.delta_size = 0


class Scratch:
    """Buffers a query reuses instead of allocating: a fresh megabyte is a page fault per
    4 KiB on first touch, and a query over a million rows needs dozens of them."""

    def __init__(self) -> None:
        self.n = -1
        self.buffers: dict[tuple[str, Any], np.ndarray[Any, Any]] = {}
        self.fills: dict[int, np.ndarray[Any, Any]] = {}

    def sized(self, n: int) -> Scratch:
        if n != self.n:
            self.n, self.buffers, self.fills = n, {}, {}
        return self

    def array(self, name: str, dtype: Any) -> np.ndarray[Any, Any]:
        key = (name, np.dtype(dtype))
        found = self.buffers.get(key)
        if found is None:
            found = self.buffers[key] = np.empty(self.n, dtype=dtype)
        return found

    def bools(self, name: str) -> np.ndarray[Any, Any]:
        return self.array(name, np.bool_)

    def u8(self, name: str) -> np.ndarray[Any, Any]:
        return self.array(name, np.uint8)

    def filled(self, value: int) -> np.ndarray[Any, Any]:
        """A read-only uint8 array of ``value``: NumPy's minimum against an array is
        many times faster than against a scalar."""
        found = self.fills.get(value)
        if found is None:
            found = self.fills[value] = np.full(self.n, value, dtype=np.uint8)
            found.flags.writeable = False
        return found
