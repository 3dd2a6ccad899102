from __future__ import annotations

import math
import xmlrpc.client
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest
from fakeodoo import ROW_CONTRACT, row_contract
from hypothesis import given, settings
from hypothesis import strategies as st

from rm_sync.contract import RowContract
from rm_sync.errors import ConfigError
from rm_sync.mapping import STANDARD_COLUMNS, ColumnMapper
from rm_sync.readers import Record
from rm_sync.validation import (
    Invalid,
    Options,
    RejectedRow,
    ValidRow,
    parse_amount,
    parse_date,
    validate,
)

GOOD = {
    "order_id": "A1",
    "order_date": "2024-03-01",
    "customer_id": "C1",
    "email": "jane@example.com",
    "name": "Jane",
    "amount": "12.50",
}


CONTRACT = row_contract()


def check(values, options=None, mapper=None, contract=CONTRACT):
    return validate(Record(1, 2, values), mapper or ColumnMapper(), contract, options)


def test_good_row_is_normalized_and_empty_values_omitted():
    row = check({**GOOD, "currency": "eur", "phone": "  ", "margin": "", "channel": " web "})
    assert isinstance(row, ValidRow)
    assert row.data == {
        "order_id": "A1",
        "order_date": "2024-03-01",
        "customer_id": "C1",
        "email": "jane@example.com",
        "name": "Jane",
        "amount": 12.5,
        "currency": "EUR",
        "channel": "web",
    }
    assert None not in row.data.values()
    xmlrpc.client.dumps((row.data,))  # marshallable


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"order_id": ""}, "order_id", "missing"),
        ({"order_date": None}, "order_date", "missing"),
        ({"amount": " "}, "amount", "missing"),
        ({"customer_id": "", "email": ""}, "customer_id", "missing customer"),
        ({"order_date": "31/02/2024"}, "order_date", "unparsable date"),
        ({"order_date": "2024-02-30"}, "order_date", "not a valid date"),
        ({"order_date": "1850-01-01"}, "order_date", "out of range"),
        ({"amount": "12.5 apples"}, "amount", "not a number"),
        ({"amount": "NaN"}, "amount", "finite"),
        ({"amount": "-inf"}, "amount", "finite"),
        ({"amount": float("nan")}, "amount", "finite"),
        ({"amount": True}, "amount", "boolean"),
        ({"amount": "1e30"}, "amount", "out of range"),
        ({"email": "not-an-email"}, "email", "invalid email"),
        ({"email": "kunde1(at)beispiel.de"}, "email", "invalid email"),
        ({"email": "x" * 250 + "@example.com"}, "email", "too long"),
        ({"name": "n" * 257}, "name", "too long"),
        ({"order_id": "o" * 129}, "order_id", "at most 128"),
        ({"amount": "-0,01"}, "amount", "at least 0"),
        ({"amount": 10**400}, "amount", "out of range"),
        ({"order_date": "2999-01-01"}, "order_date", "out of range"),
        ({"order_date": "0001-01-01T00:00:00+14:00"}, "order_date", "out of range"),
        ({"name": "bad\udcffbyte"}, "name", "undecodable"),
        ({"name": "bell\x07"}, "name", "control characters"),
        ({"currency": "E1R"}, "currency", "ISO 4217"),
        ({"name": {"first": "x"}}, "name", "expected text"),
        ({"birthday": "2024-13-01"}, "birthday", "not a valid date"),
    ],
)
def test_rejections_name_field_and_reason(change, field, reason):
    row = check({**GOOD, **change})
    assert isinstance(row, RejectedRow), row
    assert row.field == field
    assert reason in row.reason
    assert row.line == 2


@pytest.mark.parametrize(
    "column", [c for c, s in ROW_CONTRACT["columns"].items() if s.get("max_length")]
)
def test_text_limits_are_the_servers(column):
    """At the contract's limit a value is sent; one character more is rejected."""
    limit = ROW_CONTRACT["columns"][column]["max_length"]
    kind = ROW_CONTRACT["columns"][column]["type"]
    at_limit = {"email": "e" * (limit - 12) + "@example.com", "currency": "EUR"}.get(
        kind, "x" * limit
    )
    assert len(at_limit) == limit
    row = check({**GOOD, column: at_limit})
    assert isinstance(row, ValidRow) and row.data[column] in (at_limit, at_limit.upper())
    over = check({**GOOD, column: at_limit + "x"})
    assert isinstance(over, RejectedRow) and over.field == column


def test_limits_follow_the_contract_the_server_publishes():
    stricter = RowContract.parse(
        {
            **ROW_CONTRACT,
            "columns": {
                **ROW_CONTRACT["columns"],
                "name": {"type": "text", "required": True, "max_length": 5},
            },
            "customer_keys": ["email"],
            "newest_date": "2024-03-01",
        }
    )
    assert isinstance(check(GOOD, contract=stricter), ValidRow)
    for change, field in [
        ({"name": "Janet"[:5] + "!"}, "name"),
        ({"name": ""}, "name"),
        ({"email": ""}, "email"),  # customer_id no longer identifies a customer
        ({"order_date": "2024-03-02"}, "order_date"),
    ]:
        row = check({**GOOD, **change}, contract=stricter)
        assert isinstance(row, RejectedRow) and row.field == field, (change, row)


def test_the_server_decides_what_only_it_can():
    """Odoo normalises email addresses itself (e.g. 'Jane <jane@example.com>'): rm-sync
    rejects only what Odoo rejects too, and sends no column Odoo does not read."""
    for email in ("Jane <jane@example.com>", "a@b", "a b@example.com"):
        row = check({**GOOD, "email": email})
        assert isinstance(row, ValidRow) and row.data["email"] == email
    fewer = RowContract.parse(
        {
            **ROW_CONTRACT,
            "columns": {k: v for k, v in ROW_CONTRACT["columns"].items() if k != "phone"},
        }
    )
    row = check({**GOOD, "phone": "+49 30 1234"}, contract=fewer)
    assert isinstance(row, ValidRow) and "phone" not in row.data


def test_a_server_without_a_contract_is_refused_clearly():
    with pytest.raises(ConfigError, match=r"publishes no row contract .* upgrade the addon"):
        RowContract.from_info({"addon_version": "18.0.1.0.0", "max_batch_size": 1000})
    with pytest.raises(ConfigError, match="version 2; this rm-sync understands version 1"):
        RowContract.parse({**ROW_CONTRACT, "version": 2})
    with pytest.raises(ConfigError, match="no known type"):
        RowContract.parse({**ROW_CONTRACT, "columns": {"order_id": {"type": "blob"}}})
    contract = RowContract.from_info({"row_contract": ROW_CONTRACT})
    assert contract.max_batch_size == 1000 and contract.columns["margin"].minimum == -1e12
    # XML-RPC has no null (Odoo marshals without allow_none): "no limit" may come as False.
    margin = {"type": "number", "required": False, "minimum": False, "maximum": None}
    open_ended = RowContract.parse(
        {
            **ROW_CONTRACT,
            "newest_date": False,
            "columns": {**ROW_CONTRACT["columns"], "margin": margin},
        }
    )
    assert open_ended.newest_date is None and open_ended.columns["margin"].minimum is None
    row = check({**GOOD, "margin": "-5e13", "order_date": "2999-01-01"}, contract=open_ended)
    assert isinstance(row, ValidRow) and row.data["margin"] == -5e13
    assert "batches up to 1,000 rows" in contract.summary()


def test_vat_alone_identifies_the_customer():
    row = check({**GOOD, "customer_id": "", "email": "", "vat": "DE123"})
    assert isinstance(row, ValidRow)


def test_reader_errors_become_rejections_with_raw_values():
    row = validate(Record(3, 9, {"order_id": "A1"}, ("line", "bad")), ColumnMapper(), CONTRACT)
    assert isinstance(row, RejectedRow)
    assert (row.field, row.reason, row.line, row.raw) == ("line", "bad", 9, {"order_id": "A1"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", 12.5),
        ("12,50", 12.5),
        ("1.234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("1 234,56", 1234.56),
        ("1\u00a0234,56", 1234.56),
        ("1'234.50", 1234.5),
        ("€ 12,00", 12.0),
        ("(12.50)", -12.5),
        ("12.50-", -12.5),
        ("-3", -3.0),
        ("1,234,567", 1234567.0),
        (".5", 0.5),
        (7, 7.0),
        (2.25, 2.25),
    ],
)
def test_amount_formats(text, expected):
    assert parse_amount("amount", text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-3-1", "2024-03-01"),
        ("2024-03-01 10:20:30", "2024-03-01 10:20:30"),
        ("2024-03-01T10:20", "2024-03-01 10:20:00"),
        ("2024-03-01T10:20:30.123Z", "2024-03-01 10:20:30"),
        ("2024-03-01T10:20:30+02:00", "2024-03-01 08:20:30"),
        ("2024-03-01T00:30:00-0130", "2024-03-01 02:00:00"),
        ("2024/03/01", "2024-03-01"),
        ("01.03.2024", "2024-03-01"),
        ("01.03.2024 14:05", "2024-03-01 14:05:00"),
    ],
)
def test_date_formats(text, expected):
    assert parse_date("order_date", text, Options(), allow_time=True) == expected


def test_naive_times_use_the_given_timezone_and_explicit_format():
    berlin = Options(timezone=ZoneInfo("Europe/Berlin"))
    assert parse_date("order_date", "2024-07-01 12:00:00", berlin, allow_time=True) == (
        "2024-07-01 10:00:00"
    )
    us = Options(date_format="%m/%d/%Y", timezone=timezone.utc)
    assert parse_date("order_date", "03/01/2024", us, allow_time=True) == "2024-03-01"
    with pytest.raises(Invalid):
        parse_date("order_date", "2024-03-01", us, allow_time=True)


def test_birthday_drops_the_time():
    assert parse_date("birthday", "1990-05-06T23:00:00", Options(), allow_time=False) == (
        "1990-05-06"
    )


def test_mapping_renames_before_validation():
    mapper = ColumnMapper({"Bestellnr": "order_id", "Betrag": "amount", "Notiz": ""})
    row = check(
        {
            "Bestellnr": "B7",
            "Betrag": "3,5",
            "Order Date": "2024-01-02",
            "E-Mail": "x@example.org",
            "Notiz": "ignored",
            "Other": "ignored too",
        },
        mapper=mapper,
    )
    assert isinstance(row, ValidRow)
    assert row.data == {
        "order_id": "B7",
        "amount": 3.5,
        "order_date": "2024-01-02",
        "email": "x@example.org",
    }
    assert mapper.ignored == {"Other"}


def test_explicit_mapping_beats_a_column_with_a_standard_name():
    mapper = ColumnMapper({"Billing Name": "name", "Name": "order_id"})
    values = {k: v for k, v in GOOD.items() if k not in ("order_id", "name")}
    row = check({**values, "Name": "#1001", "Billing Name": "Jane Doe"}, mapper=mapper)
    assert isinstance(row, ValidRow)
    assert row.data["order_id"] == "#1001"
    assert row.data["name"] == "Jane Doe"


# -- property test: any row is accepted (normalized) or rejected with a reason ------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)
column_names = st.sampled_from([*STANDARD_COLUMNS, "Order ID", "E-Mail", "junk"]) | st.text(
    max_size=8
)
interesting_text = st.sampled_from(
    [
        "",
        " ",
        "2024-02-29",
        "2023-02-29",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "12,50",
        "1.234,56",
        "nan",
        "1e400",
        "a@b.co",
        "x\x00y",
        "\udcff",
        "01.13.2024",
        "(1)",
        "-",
        ",",
        ".",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        column_names, json_values | interesting_text | st.text(max_size=40), max_size=14
    ),
    st.none() | st.tuples(st.text(max_size=5), st.text(max_size=20)),
)
def test_any_row_is_accepted_or_rejected_never_raises(values, error):
    record = Record(1, 1, values, error)
    result = validate(record, ColumnMapper(), CONTRACT)
    if isinstance(result, ValidRow):
        assert error is None
        for key in ("order_id", "order_date", "amount"):
            assert key in result.data
        assert set(result.data) <= set(STANDARD_COLUMNS)
        assert all(v not in (None, "") for v in result.data.values())
        assert math.isfinite(result.data["amount"])
        xmlrpc.client.loads(xmlrpc.client.dumps((result.data,)))  # valid XML-RPC
    else:
        assert isinstance(result, RejectedRow)
        assert result.field and result.reason


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_csv_bytes_parse_into_records_or_reasons(tmp_path_factory, data):
    from rm_sync.errors import ConfigError
    from rm_sync.readers import open_input

    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes(b"order_id;order_date;email;amount\n" + data)
    try:
        with open_input(str(path)) as inp:
            for record in inp.records():
                result = validate(record, ColumnMapper(), CONTRACT)
                assert isinstance(result, ValidRow | RejectedRow)
                if isinstance(result, RejectedRow):
                    assert result.field and result.reason
    except ConfigError:
        pass  # e.g. an unreadable header: reported as a configuration error


def test_salesperson_and_partner_ref_are_sent_mapped_or_by_name():
    mapper = ColumnMapper({"Sales Rep": "salesperson", "Kundennr": "partner_ref"})
    values = {**GOOD, "Sales Rep": " sam@shop.example ", "Kundennr": "CUST-7"}
    row = check(values, mapper=mapper)
    assert isinstance(row, ValidRow)
    assert row.data["salesperson"] == "sam@shop.example"
    assert row.data["partner_ref"] == "CUST-7"
    by_name = check({**GOOD, "Salesperson": "sam", "Partner Ref": "P1"})
    assert (by_name.data["salesperson"], by_name.data["partner_ref"]) == ("sam", "P1")


def test_partner_ref_alone_names_the_customer():
    values = {k: v for k, v in GOOD.items() if k not in ("customer_id", "email")}
    row = check({**values, "partner_ref": "CUST-7"})
    assert isinstance(row, ValidRow)
    rejected = check(values)
    assert isinstance(rejected, RejectedRow)
    assert "partner_ref" in rejected.reason


def test_salesperson_longer_than_the_contract_is_rejected():
    row = check({**GOOD, "salesperson": "s" * 255})
    assert isinstance(row, RejectedRow)
    assert row.field == "salesperson"
