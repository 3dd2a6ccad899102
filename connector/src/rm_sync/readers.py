"""Streaming readers for CSV, JSON (array of objects) and JSON Lines.

Nothing here loads a whole file: an input is scanned once in chunks (to compute
its sha256 identity and guess its encoding), then parsed record by record.
Standard input is spooled to an anonymous temporary file (on disk, never in
memory) so that it gets an identity too and can be resumed like a file.

Bytes that cannot be decoded are kept as lone surrogates (``surrogateescape``)
so that the validator can reject exactly the rows and fields that hold them.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rm_sync.errors import ConfigError
from rm_sync.mapping import REJECTS_META_COLUMNS
from rm_sync.report import restore_cell

CHUNK = 1 << 20
MAX_RECORD_CHARS = 1_000_000
CSV_DELIMITERS = (",", ";", "\t", "|")
FORMATS = ("csv", "json", "jsonl")

csv.field_size_limit(MAX_RECORD_CHARS)

_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


@dataclass
class Record:
    """One input record.

    ``seq`` is the 1-based ordinal of the record in its file (the resume key);
    ``line`` the physical line where it starts (1 = first line of the file).
    ``values`` maps the input's column names to raw values; ``error`` is
    (field, reason) when the record itself could not be parsed.
    """

    seq: int
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    error: tuple[str, str] | None = None


@dataclass
class ScanResult:
    sha256: str
    size: int
    bom: bool
    utf8_errors: int
    utf8_non_ascii: int
    head: bytes


class _Scanner:
    """Accumulates the sha256, size and UTF-8 statistics of a byte stream."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.errors = 0
        self.non_ascii = 0
        self.head = b""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.digest.update(chunk)
        self.size += len(chunk)
        if len(self.head) < 65536:
            self.head += chunk[: 65536 - len(self.head)]
        if chunk.isascii() and not final:
            return
        text = self._decoder.decode(chunk, final)
        if text.isascii():
            return
        bad = len(_SURROGATE.findall(text))
        self.errors += bad
        self.non_ascii += len(_NON_ASCII.findall(text)) - bad

    def result(self) -> ScanResult:
        self.feed(b"", final=True)
        return ScanResult(
            sha256=self.digest.hexdigest(),
            size=self.size,
            bom=self.head.startswith(codecs.BOM_UTF8),
            utf8_errors=self.errors,
            utf8_non_ascii=self.non_ascii,
            head=self.head,
        )


def scan(fh: IO[bytes], copy_to: IO[bytes] | None = None) -> ScanResult:
    """Read ``fh`` to the end in chunks (optionally copying it), return its fingerprint."""
    scanner = _Scanner()
    while True:
        chunk = fh.read(CHUNK)
        if not chunk:
            break
        scanner.feed(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return scanner.result()


def guess_encoding(result: ScanResult) -> str:
    """UTF-8 (with or without BOM) when the bytes are (mostly) valid UTF-8, else cp1252.

    A file with a few invalid sequences among many valid multi-byte characters
    is UTF-8 with a few corrupt rows (those rows are rejected); a file whose
    non-ASCII bytes are mostly invalid UTF-8 is a Windows (cp1252) export.
    """
    if result.bom:
        return "utf-8-sig"
    if result.utf8_errors == 0 or result.utf8_non_ascii >= result.utf8_errors:
        return "utf-8"
    return "cp1252"


def guess_format(head: bytes, name: str = "") -> str:
    """'json' for an array, 'jsonl' for objects one per line, else 'csv'."""
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        return "jsonl"
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson")) and not text:
        return "jsonl"
    if lowered.endswith(".json") and not text:
        return "json"
    return "csv"


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter of a CSV sample: the candidate most frequent in the header line
    (outside quotes); ties go to csv.Sniffer, then to ','."""
    header = _first_line(sample)
    counts = {d: _count_outside_quotes(header, d) for d in CSV_DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","
    winners = [d for d, n in counts.items() if n == best]
    if len(winners) == 1:
        return winners[0]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters="".join(winners))
        return dialect.delimiter
    except csv.Error:
        return winners[0]


def _first_line(sample: str) -> str:
    in_quotes = False
    for i, ch in enumerate(sample):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch in "\r\n" and not in_quotes:
            return sample[:i]
    return sample


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    in_quotes = False
    for ch in line:
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == delimiter and not in_quotes:
            count += 1
    return count


class InputSource:
    """An opened, fingerprinted input (a file, or standard input spooled to disk)."""

    def __init__(
        self,
        name: str,
        fh: IO[bytes],
        scan_result: ScanResult,
        *,
        encoding: str | None = None,
        fmt: str | None = None,
        delimiter: str | None = None,
    ) -> None:
        self.name = name
        self.fh = fh
        self.scan = scan_result
        self.sha256 = scan_result.sha256
        self.size = scan_result.size
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise ConfigError(f"unknown encoding {encoding!r}") from None
        self.encoding = encoding or guess_encoding(scan_result)
        if fmt and fmt != "auto":
            if fmt not in FORMATS:
                raise ConfigError(f"unknown format {fmt!r} (use csv, json or jsonl)")
            self.format = fmt
        else:
            self.format = guess_format(scan_result.head, name)
        self.delimiter = delimiter
        if self.format == "csv" and not self.delimiter:
            head = scan_result.head.decode(self.encoding, errors="surrogateescape")
            self.delimiter = sniff_delimiter(head)

    def position(self) -> int:
        """Bytes consumed so far (for progress display)."""
        try:
            return self.fh.tell()
        except (OSError, ValueError):
            return 0

    def records(self, *, start_after: int = 0) -> Iterator[Record]:
        """Yield the records of the input (all of them; ``start_after`` is informative)."""
        self.fh.seek(0)
        text = io.TextIOWrapper(
            _NoClose(self.fh), encoding=self.encoding, errors="surrogateescape", newline=""
        )
        try:
            if self.format == "csv":
                yield from read_csv(text, self.delimiter or ",")
            elif self.format == "jsonl":
                yield from read_jsonl(text)
            else:
                yield from read_json_array(text)
        finally:
            with contextlib.suppress(Exception):
                text.detach()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.fh.close()

    def __enter__(self) -> InputSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _NoClose(io.RawIOBase):
    """Wraps a binary file so that a TextIOWrapper around it never closes it."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:  # the underlying file stays open
        pass


def open_input(
    name: str,
    *,
    spool_dir: Path | None = None,
    stdin: IO[bytes] | None = None,
    encoding: str | None = None,
    fmt: str | None = None,
    delimiter: str | None = None,
) -> InputSource:
    """Open and fingerprint an input path, or '-' for standard input."""
    if name == "-":
        source = stdin if stdin is not None else sys.stdin.buffer
        if spool_dir is not None:
            # The spooled input holds personal data: private, like the state around it.
            spool_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        spool = tempfile.TemporaryFile(dir=spool_dir, prefix="stdin-")  # noqa: SIM115
        result = scan(source, copy_to=spool)
        spool.flush()
        spool.seek(0)
        return InputSource(
            "<stdin>", spool, result, encoding=encoding, fmt=fmt, delimiter=delimiter
        )
    path = Path(name)
    if not path.exists():
        raise ConfigError(f"input file not found: {name}")
    if path.is_dir():
        raise ConfigError(f"input is a directory: {name}")
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ConfigError(f"cannot read {name}: {exc.strerror}") from exc
    try:
        result = scan(fh)
        fh.seek(0)
        return InputSource(
            os.fspath(path), fh, result, encoding=encoding, fmt=fmt, delimiter=delimiter
        )
    except BaseException:
        fh.close()
        raise


# -- CSV ------------------------------------------------------------------------------------


class _RecordTooLong(Exception):
    """Raised by :class:`_BoundedLines` into ``csv.reader`` to end the current record."""


class _BoundedLines:
    """The physical lines of a CSV text for ``csv.reader``, with the record they build
    held to ``limit`` characters.

    ``csv.reader`` asks for whole lines, and a text file returns a line however long it
    is: a file without a newline would be read into memory at once. Here a line is read
    ``limit`` characters at most; when the record being parsed grows past the limit,
    the rest of the physical line is skipped in bounded reads and :class:`_RecordTooLong`
    ends the record (``csv.reader`` starts its next record afresh).
    """

    def __init__(self, text: IO[str], limit: int) -> None:
        self.text = text
        self.limit = limit
        self.line_no = 0  # physical lines consumed
        self.record_chars = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit)
        if not line:
            raise StopIteration
        self.line_no += 1
        self.record_chars += len(line)
        if self.record_chars > self.limit or (len(line) >= self.limit and line[-1] not in "\r\n"):
            while line and line[-1] not in "\r\n":
                line = self.text.readline(self.limit)
            self.record_chars = 0
            raise _RecordTooLong
        return line


def read_csv(text: IO[str], delimiter: str) -> Iterator[Record]:
    lines = _BoundedLines(text, MAX_RECORD_CHARS)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    header: list[str] | None = None
    restore = False
    seq = 0
    last_line = 0
    while True:
        start_line = last_line + 1
        lines.record_chars = 0
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _RecordTooLong) as exc:
            last_line = lines.line_no
            reason = (
                f"record longer than {lines.limit} characters"
                if isinstance(exc, _RecordTooLong)
                else f"malformed CSV: {exc}"
            )
            if header is None:
                raise ConfigError(f"cannot read the CSV header: {reason}") from exc
            seq += 1
            yield Record(seq, start_line, {}, ("line", reason))
            continue
        last_line = lines.line_no
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if header is None:
            header = _dedupe_header(row)
            # A rejects file of rm-sync, pushed again: undo its spreadsheet escaping.
            restore = set(REJECTS_META_COLUMNS) <= set(header)
            continue
        seq += 1
        if restore:
            row = [restore_cell(v) for v in row]
        values = dict(zip(header, row, strict=False))
        error = None
        if len(row) > len(header) and any(v.strip() for v in row[len(header) :]):
            error = (
                "line",
                f"{len(row)} values but the header has {len(header)} columns "
                f"(delimiter {delimiter!r}; quote values that contain it)",
            )
        yield Record(seq, start_line, values, error)


def _dedupe_header(row: list[str]) -> list[str]:
    seen: set[str] = set()
    header = []
    for i, name in enumerate(row):
        name = name.strip()
        if not name:
            name = f"column_{i + 1}"
        while name in seen:
            name = f"{name}__dup"
        seen.add(name)
        header.append(name)
    return header


# -- JSON Lines -------------------------------------------------------------------------------


TOO_DEEP = "JSON nested too deeply"


def read_jsonl(text: IO[str]) -> Iterator[Record]:
    seq = 0
    line_no = 0
    while True:
        line = text.readline(MAX_RECORD_CHARS)
        if not line:
            return
        line_no += 1
        if not line.endswith("\n") and len(line) >= MAX_RECORD_CHARS:
            # Oversized line: skip the rest of it.
            while True:
                more = text.readline(MAX_RECORD_CHARS)
                if not more or more.endswith("\n"):
                    break
            seq += 1
            yield Record(
                seq, line_no, {}, ("json", f"record longer than {MAX_RECORD_CHARS} characters")
            )
            continue
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        seq += 1
        try:
            obj = json.loads(stripped)
        except ValueError as exc:
            yield Record(seq, line_no, {}, ("json", f"invalid JSON: {exc}"))
            continue
        except RecursionError:
            yield Record(seq, line_no, {}, ("json", TOO_DEEP))
            continue
        if not isinstance(obj, dict):
            yield Record(seq, line_no, {}, ("json", f"expected an object, got {_json_type(obj)}"))
            continue
        yield Record(seq, line_no, obj)


def _json_type(obj: Any) -> str:
    if isinstance(obj, list):
        return "an array"
    if isinstance(obj, str):
        return "a string"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "a boolean"
    return "a number"


# -- JSON array -------------------------------------------------------------------------------


class _JsonBuffer:
    """A sliding text window over a stream, tracking line numbers."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line_pos = 0  # buf index up to which newlines are counted
        self._line_no = 1  # line number at buf[_line_pos]

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.text.read(CHUNK // 4)
        if not chunk:
            self.eof = True
            return False
        if self.pos > CHUNK:
            self.line()  # count the newlines that are about to be dropped
            self.buf = self.buf[self.pos :]
            self._line_pos -= self.pos
            self.pos = 0
        self.buf += chunk
        return True

    def line(self) -> int:
        if self.pos > self._line_pos:
            self._line_no += self.buf.count("\n", self._line_pos, self.pos)
            self._line_pos = self.pos
        return self._line_no

    def skip_ws(self) -> str:
        """Skip whitespace; return the next char ('' at EOF) without consuming it."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n\ufeff":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""


def read_json_array(text: IO[str]) -> Iterator[Record]:
    decoder = json.JSONDecoder()
    jb = _JsonBuffer(text)
    seq = 0

    def fatal(reason: str) -> Record:
        return Record(
            seq + 1, jb.line(), {}, ("json", f"{reason}; the rest of the file was not read")
        )

    if jb.skip_ws() != "[":
        if jb.skip_ws() == "":
            return
        yield fatal("expected a JSON array of objects")
        return
    jb.pos += 1
    first = True
    while True:
        ch = jb.skip_ws()
        if ch == "]":
            jb.pos += 1
            if jb.skip_ws() != "":
                yield fatal("unexpected data after the closing ']'")
            return
        if ch == "":
            yield fatal("unexpected end of file inside the JSON array")
            return
        if not first:
            if ch != ",":
                yield fatal(f"expected ',' or ']' but found {ch!r}")
                return
            jb.pos += 1
            ch = jb.skip_ws()
        first = False
        start_line = jb.line()
        while True:
            try:
                obj, end = decoder.raw_decode(jb.buf, jb.pos)
            except RecursionError:
                # Where a too deep value ends is unknown: the rest cannot be read.
                yield fatal(TOO_DEEP)
                return
            except json.JSONDecodeError as exc:
                if jb.eof or len(jb.buf) - jb.pos > MAX_RECORD_CHARS:
                    yield fatal(f"invalid JSON ({exc.msg})")
                    return
                jb.fill()
                continue
            if end >= len(jb.buf) and not jb.eof:
                # A number may continue in the next chunk: read more and decode again.
                jb.fill()
                continue
            break
        jb.pos = end
        seq += 1
        if isinstance(obj, dict):
            yield Record(seq, start_line, obj)
        else:
            yield Record(
                seq, start_line, {}, ("json", f"expected an object, got {_json_type(obj)}")
            )
