from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rm_sync import readers
from rm_sync.errors import ConfigError
from rm_sync.readers import guess_format, open_input, sniff_delimiter


def records(path: Path, **kw):
    with open_input(str(path), **kw) as inp:
        return inp, list(inp.records())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path, delimiter):
    text = delimiter.join(["order_id", "amount", "name"]) + "\n"
    text += delimiter.join(["A1", "12.5", '"Doe, John; Jr|"']) + "\n"
    inp, recs = records(write(tmp_path, "x.csv", text.encode()))
    assert inp.delimiter == delimiter
    assert recs[0].values == {"order_id": "A1", "amount": "12.5", "name": "Doe, John; Jr|"}
    assert recs[0].line == 2 and recs[0].seq == 1


def test_delimiter_in_quoted_header_is_ignored():
    assert sniff_delimiter('"a;b",c,d\n1,2,3\n') == ","


def test_cp1252_export_with_semicolons(tmp_path):
    data = "Bestellnr;Kunde;Betrag\r\nA1;Müller Äpfel;1.234,50\r\nA2;Señor €uro;3,00\r\n"
    inp, recs = records(write(tmp_path, "x.csv", data.encode("cp1252")))
    assert inp.encoding == "cp1252"
    assert inp.delimiter == ";"
    assert recs[0].values["Kunde"] == "Müller Äpfel"
    assert recs[1].values["Kunde"] == "Señor €uro"
    assert [r.line for r in recs] == [2, 3]


def test_utf8_with_bom(tmp_path):
    data = "\ufefforder_id,name\nA1,Zoë\n".encode()
    inp, recs = records(write(tmp_path, "x.csv", data))
    assert inp.encoding == "utf-8-sig"
    assert recs[0].values == {"order_id": "A1", "name": "Zoë"}


def test_utf8_with_one_corrupt_row_keeps_utf8_and_marks_bytes(tmp_path):
    good = "order_id,name\n" + "".join(f"A{i},Zoë Ærø\n" for i in range(5))
    data = good.encode() + b"A9,Bad\xff\xfe name\n"
    inp, recs = records(write(tmp_path, "x.csv", data))
    assert inp.encoding == "utf-8"
    assert "\udcff" in recs[-1].values["name"]
    assert recs[0].values["name"] == "Zoë Ærø"


def test_explicit_encoding_and_unknown_encoding(tmp_path):
    path = write(tmp_path, "x.csv", "order_id,name\nA1,Zoë\n".encode("latin-1"))
    _inp, recs = records(path, encoding="latin-1")
    assert recs[0].values["name"] == "Zoë"
    with pytest.raises(ConfigError, match="unknown encoding"):
        open_input(str(path), encoding="no-such-codec")


def test_quoted_newlines_and_line_numbers(tmp_path):
    data = b'order_id,name\nA1,"two\nlines"\n\nA2,x\n'
    _, recs = records(write(tmp_path, "x.csv", data))
    assert recs[0].values["name"] == "two\nlines"
    assert recs[0].line == 2
    assert recs[1].line == 5
    assert [r.seq for r in recs] == [1, 2]


def test_too_many_values_is_a_row_error(tmp_path):
    data = b"order_id,name\nA1,x,y\nA2,z,\n"
    _, recs = records(write(tmp_path, "x.csv", data))
    assert recs[0].error is not None and recs[0].error[0] == "line"
    assert recs[1].error is None  # a trailing empty value is fine


def test_header_only_and_empty_files(tmp_path):
    assert records(write(tmp_path, "a.csv", b"order_id,name\n"))[1] == []
    assert records(write(tmp_path, "b.csv", b""))[1] == []


def test_csv_records_are_bounded_across_quoted_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_RECORD_CHARS", 100)
    quoted = "\n".join(["x" * 40] * 4)  # 4 short lines, 163 characters in one value
    data = f'order_id,name\nA1,"{quoted}"\nA2,ok\nA3,"{"y" * 30}\n{"y" * 30}"\n'.encode()
    _, recs = records(write(tmp_path, "q.csv", data))
    assert (recs[0].line, recs[0].error) == (2, ("line", "record longer than 100 characters"))
    # The rest of the long value (line 5) is read as a record of its own: it lacks the
    # other columns, so the validator rejects it too; then reading goes on as usual.
    assert (recs[1].line, list(recs[1].values)) == (5, ["order_id"])
    assert [(r.line, r.values) for r in recs[2:]] == [
        (6, {"order_id": "A2", "name": "ok"}),
        (7, {"order_id": "A3", "name": "y" * 30 + "\n" + "y" * 30}),
    ]
    with pytest.raises(ConfigError, match="cannot read the CSV header: record longer"):
        records(write(tmp_path, "h.csv", b"order_id," + b"x" * 200 + b"\nA1,1\n"))


def test_json_array_streams_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK", 64)  # force many refills
    rows = [{"order_id": f"A{i}", "amount": i * 1.5, "name": "x" * (i % 50)} for i in range(200)]
    path = write(tmp_path, "x.json", json.dumps(rows, indent=2).encode())
    inp, recs = records(path)
    assert inp.format == "json"
    assert [r.values for r in recs] == rows
    assert recs[0].line == 2  # pretty-printed: '[' on line 1
    assert recs[1].line > recs[0].line


def test_json_array_numbers_split_at_chunk_boundary(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK", 4)
    path = write(tmp_path, "x.json", b'[{"amount": 123456789}, 7]')
    _, recs = records(path)
    assert recs[0].values == {"amount": 123456789}
    assert recs[1].error == ("json", "expected an object, got a number")


def test_json_array_syntax_error_stops_with_a_record(tmp_path):
    path = write(tmp_path, "x.json", b'[{"order_id": "A1"},\n {"order_id": }]')
    _, recs = records(path)
    assert recs[0].values == {"order_id": "A1"}
    assert recs[1].error[0] == "json"
    assert "rest of the file" in recs[1].error[1]
    assert recs[1].line == 2


def test_jsonl_with_bad_lines(tmp_path):
    data = b'{"order_id": "A1"}\n\nnot json\n[1]\n{"order_id": "A2"}\r\n'
    inp, recs = records(write(tmp_path, "x.jsonl", data))
    assert inp.format == "jsonl"
    assert [r.line for r in recs] == [1, 3, 4, 5]
    assert recs[0].values == {"order_id": "A1"}
    assert recs[1].error[0] == "json" and recs[2].error[0] == "json"
    assert recs[3].values == {"order_id": "A2"}


def test_deeply_nested_json_is_a_bad_record_not_a_crash(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    lines = f'{{"order_id": "A1"}}\n{{"order_id": "A2", "x": {deep}}}\n{{"order_id": "A3"}}\n'
    _, recs = records(write(tmp_path, "x.jsonl", lines.encode()))
    assert [r.values.get("order_id") for r in recs] == ["A1", None, "A3"]
    assert recs[1].error == ("json", "JSON nested too deeply") and recs[1].line == 2
    array = f'[{{"order_id": "A1"}}, {deep}, {{"order_id": "A3"}}]'
    _, recs = records(write(tmp_path, "x.json", array.encode()))
    assert recs[0].values == {"order_id": "A1"}
    assert recs[1].error[0] == "json"
    assert "nested too deeply; the rest of the file was not read" in recs[1].error[1]
    assert len(recs) == 2


def test_format_guessing():
    assert guess_format(b"  [ {") == "json"
    assert guess_format(b"\xef\xbb\xbf{") == "jsonl"
    assert guess_format(b"order_id;x") == "csv"
    assert guess_format(b"", "x.json") == "json"


def test_stdin_is_spooled_and_fingerprinted(tmp_path):
    data = b"order_id,name\nA1,x\n"
    stdin = io.BytesIO(data)
    with open_input("-", spool_dir=tmp_path / "spool", stdin=stdin) as inp:
        assert inp.name == "<stdin>"
        recs = list(inp.records())
        sha = inp.sha256
    path = write(tmp_path, "same.csv", data)
    with open_input(str(path)) as inp2:
        assert inp2.sha256 == sha  # same bytes, same identity: resumable either way
    assert recs[0].values == {"order_id": "A1", "name": "x"}
    assert list((tmp_path / "spool").iterdir()) == []  # anonymous temp file


def test_missing_input(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        open_input(str(tmp_path / "nope.csv"))
    with pytest.raises(ConfigError, match="directory"):
        open_input(str(tmp_path))


def test_records_can_be_read_twice(tmp_path):
    path = write(tmp_path, "x.csv", b"order_id\nA1\nA2\n")
    with open_input(str(path)) as inp:
        first = list(inp.records())
        second = list(inp.records())
    assert first == second
