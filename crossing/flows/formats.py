"""Partners' transaction files read into the ``txns`` relation (analytics.flows.schema), or rejected.

Three formats (docs/flows.md has the columns and examples):

* ``canonical`` — ``txn_id, timestamp, from_account, to_account, amount, currency`` (optional
  ``channel, source``): what Crossing exports and what partners are asked to send;
* ``tron`` — a block explorer's CSV export of token transfers (transaction id, time, from, to, amount,
  token); the explorers' own headers ("Txn Hash", "Time(UTC)", "Value", "Token Symbol", ...) are
  recognised without a mapping;
* ``bank-csv`` — one account's statement as CSV or XLSX (``date, description, debit, credit,
  counterparty_account``, optional ``time, reference, balance, currency, account, channel``): each
  debit is a transfer out of the statement's account, each credit one into it.

The file is read as text and checked column by column in DuckDB, so a ten-million-row file is
validated in seconds and every problem still names its spreadsheet row (the header is row 1) and the
file's column. Account identifiers are kept exactly as written (only surrounding spaces go).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from django.utils.translation import gettext as _

from analytics.flows.schema import TXN_SCHEMA, USD_RATES
from crossing.core.errors import ValidationFailed

MAX_ERRORS = 200
FORMATS = ("canonical", "tron", "bank-csv")
ID_MAX = 128


@dataclass(frozen=True)
class Layout:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Headers other tools write for our columns (matched ignoring case, spaces and punctuation).
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


LAYOUTS = {
    "canonical": Layout(("txn_id", "timestamp", "from_account", "to_account", "amount", "currency"),
                        ("channel", "source")),
    "tron": Layout(("txn_id", "time", "from", "to", "amount", "token"), (), {
        "txn_id": ("transaction id", "transaction_id", "txn hash", "txn_hash", "hash", "txid", "tx hash"),
        "time": ("time(utc)", "date time (utc)", "datetime (utc)", "block_timestamp", "timestamp", "date", "datetime",
                 "block time"),
        "from": ("from_address", "sender"),
        "to": ("to_address", "receiver", "recipient"),
        "amount": ("value", "quant", "quantity", "amount (token)"),
        "token": ("token symbol", "token_symbol", "symbol", "token name", "currency"),
    }),
    "bank-csv": Layout(("date", "description", "debit", "credit", "counterparty_account"),
                       ("time", "reference", "balance", "currency", "account", "channel", "counterparty_bank"), {
        "date": ("transaction date", "value date", "posting date"),
        "description": ("details", "narrative", "particulars", "remarks"),
        "debit": ("withdrawal", "withdrawals", "paid out", "money out"),
        "credit": ("deposit", "deposits", "paid in", "money in"),
        "counterparty_account": ("counterparty", "to/from account", "other account", "beneficiary account"),
        "reference": ("ref", "transaction id", "txn_id", "transaction reference"),
    }),
}



@dataclass
class Parsed:
    """A file that passed every check: its rows as ``txns``, and what it says about its accounts."""

    table: pa.Table
    rows: int
    owner_account: str = ""  # a bank statement's own account
    row_numbers: pa.Array | None = None  # the spreadsheet row of each of ``table``'s rows

    def row_of(self, txn_id: str) -> int | None:
        import pyarrow.compute as pc

        if self.row_numbers is None:
            return None
        at = pc.index(self.table["txn_id"], txn_id).as_py()
        return None if at < 0 else int(self.row_numbers[at].as_py())


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9()/]+", " ", header.strip().casefold()).strip()


def _fail(errors: list[dict], name: str):
    raise ValidationFailed(_("%(n)d problem(s) in %(f)s; nothing was imported.") % {"n": len(errors), "f": name},
                           extra={"errors": errors[:MAX_ERRORS]})


def _check_utf8(data: bytes, name: str) -> None:
    """In 16 MB steps: a ten-million-row file is never copied into one Python string."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 24
    for at in range(0, len(data), step):
        try:
            decoder.decode(data[at:at + step], final=at + step >= len(data))
        except UnicodeDecodeError as exc:
            _fail([{"row": None, "field": "", "message": _(
                "not UTF-8 text (byte %(b)d); save the file as CSV UTF-8") % {"b": at + exc.start}}], name)


class _Source:
    """The file as DuckDB reads it: a CSV from a private temporary file (DuckDB's parallel reader,
    no copy in Python), or an XLSX sheet as an Arrow table of strings."""

    def __init__(self, con, data: bytes, name: str):
        self.con, self.path = con, None
        if data[:4] == b"PK\x03\x04":
            con.register("xlsx_in", _read_xlsx(data, name))
            self.relation = "xlsx_in"
        else:
            _check_utf8(data, name)
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            if not data.strip():
                _fail([{"row": 1, "field": "", "message": _("the file has no header row")}], name)
            handle = tempfile.NamedTemporaryFile(prefix="crossing-flows-", suffix=".csv", delete=False)  # noqa: SIM115
            with handle:
                handle.write(data)
            self.path = handle.name
            # The header as the file writes it (DuckDB's sniffer may otherwise guess another header from a
            # malformed first row); repeated names get a suffix, as DuckDB needs unique columns.
            first = next(csv.reader(io.StringIO(data[: 1 << 20].decode("utf-8", "replace"))), [])
            names, seen = [], {}
            for header in first:
                seen[header] = seen.get(header, 0) + 1
                names.append(header if seen[header] == 1 else f"{header}_{seen[header]}")
            listing = ", ".join(_lit(n) for n in names)
            self.relation = (f"read_csv({_lit(self.path)}, header = true, names = [{listing}], all_varchar = true, "
                             "delim = ',', quote = '\"', escape = '\"', strict_mode = true, null_padding = false)")
        try:
            self.names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {self.relation}").fetchall()]
        except duckdb.Error as exc:
            self.close()
            _fail([{"row": None, "field": "", "message": _("not a readable CSV file: %(e)s")
                    % {"e": str(exc).splitlines()[0][:200]}}], name)

    def close(self) -> None:
        if self.path:
            os.unlink(self.path)
            self.path = None


def _read_xlsx(data: bytes, name: str) -> pa.Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        _fail([{"row": None, "field": "", "message": _("not a readable XLSX workbook")}], name)
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(h not in (None, "") for h in header):
        _fail([{"row": 1, "field": "", "message": _("the file has no header row")}], name)
    names = [str(h).strip() if h is not None else f"column {i + 1}" for i, h in enumerate(header)]
    columns: list[list[str]] = [[] for _ in names]
    for values in rows:
        values = tuple(values) + (None,) * (len(names) - len(values))
        for i in range(len(names)):
            columns[i].append(_cell(values[i]))
    book.close()
    return pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})


def _cell(value) -> str:
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _columns(names: list[str], layout: Layout, mapping: dict[str, str], name: str) -> dict[str, str]:
    """Our column -> the file's header, naming a missing required column."""
    unknown = sorted(set(mapping) - set(layout.columns))
    if unknown:
        _fail([{"row": None, "field": col, "message": _("not a column of this format (columns: %(c)s)")
                % {"c": ", ".join(layout.columns)}} for col in unknown], name)
    position = {_key(h): h for h in names}
    found, errors = {}, []
    for col in layout.columns:
        if col in mapping:
            header = position.get(_key(mapping[col]))
            if header is None:
                errors.append({"row": 1, "field": col, "message": _("missing column (mapped to header %(h)r)")
                               % {"h": mapping[col]}})
            else:
                found[col] = header
            continue
        for candidate in (col, *layout.aliases.get(col, ())):
            if _key(candidate) in position:
                found[col] = position[_key(candidate)]
                break
        else:
            if col in layout.required:
                errors.append({"row": 1, "field": col, "message": _("missing column")})
    if errors:
        _fail(errors, name)
    return found


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Timestamps: ISO 8601 (with or without a zone; none means UTC), day-first dates as Thai and
# Malaysian banks print them, Buddhist-era years (2568 = 2025), and epoch seconds or milliseconds as
# block explorers' APIs give them.
_TS = """
CASE
  WHEN regexp_full_match({c}, '\\d{{12,13}}') THEN make_timestamp(CAST({c} AS BIGINT) * 1000)
  WHEN regexp_full_match({c}, '\\d{{9,10}}') THEN make_timestamp(CAST({c} AS BIGINT) * 1000000)
  ELSE coalesce(
    CAST(try_cast({c} AS TIMESTAMPTZ) AS TIMESTAMP),
    try_strptime({c}, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y', '%d-%m-%Y %H:%M:%S', '%d-%m-%Y',
                       '%Y/%m/%d %H:%M:%S', '%Y/%m/%d', '%d %b %Y %H:%M', '%d %b %Y']))
END"""


def _be(expr: str) -> str:
    """A Buddhist-era year (after 2400) is moved back 543 years."""
    return f"(CASE WHEN year({expr}) > 2400 THEN {expr} - INTERVAL 543 YEAR ELSE {expr} END)"


def _amount(c: str) -> str:
    """Amounts as banks write them: thousands separators and currency signs go; '(1,200.00)' is not
    accepted (a sign belongs in the debit/credit column)."""
    return f"try_cast(regexp_replace(regexp_replace({c}, '[,\\s]', '', 'g'), '^[$€£¥฿]', '') AS DOUBLE)"


def parse(data: bytes, fmt: str, *, name: str = "file", mapping: dict[str, str] | None = None,
          account: str = "", currency: str = "", source: str = "") -> Parsed:
    """Read and check a whole file; raise ValidationFailed listing every problem (row, column)."""
    if fmt not in LAYOUTS:
        raise ValidationFailed(_("Unknown format %(f)s (one of %(all)s).") % {"f": fmt, "all": ", ".join(FORMATS)})
    mapping = {k.strip(): v for k, v in (mapping or {}).items()}
    con = duckdb.connect()
    source_file = None
    try:
        con.execute("SET TimeZone = 'UTC'")  # a zone in the file converts to UTC, never to the server's zone
        source_file = _Source(con, data, name)
        cols = _columns(source_file.names, LAYOUTS[fmt], mapping, name)
        select = ", ".join(f"trim(coalesce({_q(h)}, '')) AS {_q(c)}" for c, h in cols.items())
        try:
            con.execute(f"CREATE TEMP TABLE raw AS SELECT row_number() OVER () + 1 AS __row, {select} "
                        f"FROM {source_file.relation}")
        except duckdb.Error as exc:  # a row with too many or too few fields, an unclosed quote
            _fail([{"row": None, "field": "", "message": _("not a readable CSV file: %(e)s")
                    % {"e": str(exc).splitlines()[0][:200]}}], name)
        source_file.close()
        if not con.execute("SELECT count(*) FROM raw").fetchall()[0][0]:
            _fail([{"row": None, "field": "", "message": _("the file has no data rows")}], name)
        if fmt == "canonical":
            return _canonical(con, cols, name)
        if fmt == "tron":
            return _tron(con, cols, name, source)
        return _bank(con, cols, name, account=account, currency=currency, source=source)
    finally:
        if source_file is not None:
            source_file.close()
        con.close()


def _check(con, checks: list[tuple[str, str, str]], cols: dict[str, str], name: str) -> None:
    """``checks``: (our column, SQL condition that marks a bad value, message). Every failing cell is
    reported, up to MAX_ERRORS, in row order."""
    parts = []
    for col, bad, message in checks:
        header = cols.get(col, col)
        parts.append(f"SELECT __row, {_lit(header)} AS field, {_lit(message)} AS template, "
                     f"{_q(col) if col in cols else _lit('')} AS value FROM raw WHERE {bad}")
    if not parts:
        return
    rows = con.execute(f"SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY __row, field LIMIT {MAX_ERRORS}").fetchall()
    if rows:
        _fail([{"row": int(r), "field": f, "message": t.replace("%(v)r", repr(v))} for r, f, t, v in rows], name)


def _duplicates(con, name: str, key_expr: str, cols: dict[str, str], key_col: str) -> None:
    """A transaction id twice in one file with different contents is an error; the same row twice is one."""
    rows = con.execute(f"""
        WITH k AS (SELECT __row, {key_expr} AS k, * EXCLUDE (__row) FROM parsed)
        SELECT min(__row), max(__row), k FROM k GROUP BY k
        HAVING count(DISTINCT (ts, src, dst, amount, currency)) > 1 ORDER BY 1 LIMIT {MAX_ERRORS}""").fetchall()
    if rows:
        _fail([{"row": int(b), "field": cols.get(key_col, key_col),
                "message": _("transaction id %(id)r is also on row %(r)d with other values") % {"id": k, "r": a}}
               for a, b, k in rows], name)


def _finish(con, name: str) -> Parsed:
    rates = pa.table({"currency": list(USD_RATES), "rate": list(USD_RATES.values())})
    con.register("rates", rates)
    table = con.sql("""
        SELECT txn_id, ts, src, dst, amount, currency, amount * r.rate AS amount_usd,
               nullif(channel, '') AS channel, nullif(source, '') AS source, __row
        FROM (SELECT *, row_number() OVER (PARTITION BY txn_id ORDER BY __row) AS n FROM parsed) p
        JOIN rates r USING (currency)
        WHERE n = 1 ORDER BY ts, txn_id""").to_arrow_table()
    rows = table["__row"].combine_chunks()
    return Parsed(table=table.drop_columns(["__row"]).cast(TXN_SCHEMA), rows=con.execute("SELECT count(*) FROM raw").fetchall()[0][0],
                  row_numbers=rows)


def _currency_checks(col: str) -> list[tuple[str, str, str]]:
    known = ", ".join(_lit(c) for c in USD_RATES)
    return [
        (col, f"{_q(col)} = ''", _("required")),
        (col, f"{_q(col)} <> '' AND upper({_q(col)}) NOT IN ({known})",
         _("%(v)r is not a currency or token Crossing has a reference rate for")),
    ]


def _id_checks(col: str, label_required: bool = True) -> list[tuple[str, str, str]]:
    checks = [(col, f"length({_q(col)}) > {ID_MAX}", _("longer than 128 characters"))]
    if label_required:
        checks.insert(0, (col, f"{_q(col)} = ''", _("required")))
    return checks


def _canonical(con, cols: dict[str, str], name: str) -> Parsed:
    checks = [*_id_checks("txn_id"), *_id_checks("from_account"), *_id_checks("to_account"),
              ("timestamp", "timestamp = ''", _("required")),
              ("timestamp", f"timestamp <> '' AND ({_TS.format(c='timestamp')}) IS NULL",
               _("%(v)r is not a date and time (write it as 2025-02-14T09:30:00Z)")),
              ("amount", "amount = ''", _("required")),
              ("amount", f"amount <> '' AND {_amount('amount')} IS NULL", _("%(v)r is not a number")),
              ("amount", f"{_amount('amount')} <= 0", _("must be more than 0")),
              ("to_account", "to_account <> '' AND to_account = from_account", _("the same account as from_account")),
              *_currency_checks("currency")]
    _check(con, checks, cols, name)
    channel = "channel" if "channel" in cols else "''"
    source = "source" if "source" in cols else "''"
    con.execute(f"""CREATE TEMP TABLE parsed AS SELECT __row, txn_id, {_be(_TS.format(c='timestamp'))} AS ts,
        from_account AS src, to_account AS dst, {_amount('amount')} AS amount, upper(currency) AS currency,
        {channel} AS channel, {source} AS source FROM raw""")
    _duplicates(con, name, "txn_id", cols, "txn_id")
    return _finish(con, name)


def _tron(con, cols: dict[str, str], name: str, source: str) -> Parsed:
    when = _TS.format(c='"time"')
    checks = [*_id_checks("txn_id"), *_id_checks("from"), *_id_checks("to"),
              ("time", '"time" = \'\'', _("required")),
              ("time", f"\"time\" <> '' AND ({when}) IS NULL",
               _("%(v)r is not a date and time (write it as 2025-02-14 09:30:00, in UTC)")),
              ("amount", "amount = ''", _("required")),
              ("amount", f"amount <> '' AND {_amount('amount')} IS NULL", _("%(v)r is not a number")),
              ("amount", f"{_amount('amount')} <= 0", _("must be more than 0")),
              ("to", "\"to\" <> '' AND \"to\" = \"from\"", _("the same address as from")),
              *_currency_checks("token")]
    _check(con, checks, cols, name)
    con.execute(f"""CREATE TEMP TABLE parsed AS SELECT __row, txn_id, {_be(when)} AS ts,
        "from" AS src, "to" AS dst, {_amount('amount')} AS amount, upper(token) AS currency,
        CASE WHEN upper(token) = 'USDT' THEN 'usdt_trc20' ELSE 'other_crypto' END AS channel,
        {_lit(source or 'block explorer')} AS source FROM raw""")
    _duplicates(con, name, "txn_id", cols, "txn_id")
    return _finish(con, name)


def _bank(con, cols: dict[str, str], name: str, *, account: str, currency: str, source: str) -> Parsed:
    if not account and "account" not in cols:
        _fail([{"row": 1, "field": "account", "message": _(
            "the statement's own account is needed: an 'account' column or the --account option")}], name)
    if not currency and "currency" not in cols:
        _fail([{"row": 1, "field": "currency", "message": _(
            "the statement's currency is needed: a 'currency' column or the --currency option")}], name)
    acct = f"coalesce(nullif(account, ''), {_lit(account)})" if "account" in cols else _lit(account)
    cur = f"upper(coalesce(nullif(currency, ''), {_lit(currency)}))" if "currency" in cols else _lit(currency.upper())
    when = "date || ' ' || \"time\"" if "time" in cols else "date"
    debit, credit = _amount("debit"), _amount("credit")
    con.execute(f"CREATE TEMP VIEW cur AS SELECT __row, {cur} AS c, {acct} AS a FROM raw")
    known = ", ".join(_lit(c) for c in USD_RATES)
    checks = [("date", "date = ''", _("required")),
              ("date", f"date <> '' AND ({_TS.format(c=when)}) IS NULL",
               _("%(v)r is not a date (write it as 2025-02-14 or 14/02/2025)")),
              ("debit", f"debit <> '' AND {debit} IS NULL", _("%(v)r is not a number")),
              ("credit", f"credit <> '' AND {credit} IS NULL", _("%(v)r is not a number")),
              ("debit", f"coalesce({debit}, 0) < 0 OR coalesce({credit}, 0) < 0",
               _("amounts are positive; a debit goes in the debit column, a credit in the credit column")),
              ("debit", f"coalesce({debit}, 0) > 0 AND coalesce({credit}, 0) > 0",
               _("a row is either a debit or a credit, not both")),
              ("credit", f"coalesce({debit}, 0) = 0 AND coalesce({credit}, 0) = 0",
               _("no amount: fill in the debit or the credit")),
              *_id_checks("counterparty_account"),
              ("account" if "account" in cols else "date", f"length({acct}) = 0 OR length({acct}) > {ID_MAX}",
               _("the statement's account is missing or longer than 128 characters")),
              ("currency" if "currency" in cols else "date", f"{cur} NOT IN ({known})",
               _("%(v)r is not a currency Crossing has a reference rate for"))]
    if "reference" in cols:
        checks.append(("reference", f"length(reference) > {ID_MAX}", _("longer than 128 characters")))
    _check(con, checks, cols, name)
    balance = "balance" if "balance" in cols else "''"
    reference = "reference" if "reference" in cols else "''"
    channel = "nullif(channel, '')" if "channel" in cols else "'bank'"
    rows = con.execute(f"""SELECT __row, {acct}, {_be(_TS.format(c=when))}, counterparty_account,
        coalesce({debit}, 0), coalesce({credit}, 0), {cur}, {balance}, {reference}, coalesce({channel}, 'bank')
        FROM raw ORDER BY __row""").fetchall()
    out = {k: [] for k in ("__row", "txn_id", "ts", "src", "dst", "amount", "currency", "channel", "source")}
    owners = set()
    for row, own, ts, other, out_amount, in_amount, cur_code, bal, ref, chan in rows:
        owners.add(own)
        debit_row = out_amount > 0
        amount = out_amount if debit_row else in_amount
        # Without the bank's reference the id is made from what identifies the row, so the same
        # statement imported again, or a statement that overlaps it, gives the same ids.
        txn_id = ref or "bank:" + hashlib.sha256("|".join(
            (own, ts.isoformat(), "D" if debit_row else "C", repr(amount), other, bal)).encode()).hexdigest()[:24]
        out["__row"].append(row)
        out["txn_id"].append(txn_id)
        out["ts"].append(ts)
        out["src"].append(own if debit_row else other)
        out["dst"].append(other if debit_row else own)
        out["amount"].append(float(amount))
        out["currency"].append(cur_code)
        out["channel"].append(chan)
        out["source"].append(source or f"statement of {own}")
    con.register("parsed_in", pa.table(out))
    con.execute("CREATE TEMP TABLE parsed AS SELECT * FROM parsed_in")
    _duplicates(con, name, "txn_id", cols, "reference")
    parsed = _finish(con, name)
    parsed.owner_account = next(iter(owners)) if len(owners) == 1 else ""
    return parsed
