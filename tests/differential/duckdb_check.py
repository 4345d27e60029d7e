#!/usr/bin/env python3
"""Differential test: aov against DuckDB on the same generated data.

DuckDB reads the amounts as DECIMAL(18,2) and computes counts and exact
sums per period, customer and seller; Python's decimal and fractions
modules then divide and round half away from zero. aov's CSV output must
agree to the digit: deals, total, aov, aov_change and aov_change_pct.

    python3 tests/differential/duckdb_check.py AOV_BINARY DATA_FILE
"""
import csv, io, os, subprocess, sys, tempfile
from fractions import Fraction

import duckdb

aov, data = sys.argv[1], sys.argv[2]


def rnd(x: Fraction, dp: int) -> str:
    """Round half away from zero, exactly, as aov prints it."""
    q = Fraction(10) ** dp
    n = abs(x) * q
    whole = n.numerator // n.denominator
    if (n - whole) * 2 >= 1:
        whole += 1
    s = str(whole).rjust(dp + 1, "0")
    text = s[:-dp] + "." + s[-dp:] if dp else s
    return ("-" if x < 0 and whole != 0 else "") + text


CASES = {
    "month": (["--period", "month"], "strftime(date, '%Y-%m')", []),
    "customer": (["--by", "customer", "--period", "all"], None, ["customer"]),
    "seller_month": (["--by", "seller", "--period", "month"], "strftime(date, '%Y-%m')", ["seller"]),
    "week": (["--period", "week"], "strftime(date, '%G-W%V')", []),
    "quarter_customer": (["--by", "customer", "--period", "quarter"], "year(date) || '-Q' || quarter(date)", ["customer"]),
}

con = duckdb.connect()
con.execute(
    f"CREATE TABLE deals AS SELECT * FROM read_csv('{data}', header=true, "
    "columns={'date':'DATE','customer':'VARCHAR','seller':'VARCHAR','amount':'DECIMAL(18,2)'})"
)
failures = 0
for name, (args, period_sql, groups) in CASES.items():
    out = subprocess.run([aov, "report", data, "--format", "csv", *args], check=True, capture_output=True, text=True).stdout
    got = {}
    for row in csv.DictReader(io.StringIO(out)):
        key = tuple(row[g] for g in groups) + ((row["period"],) if period_sql else ())
        got[key] = row
    cols = ", ".join(groups + ([f"{period_sql} AS period"] if period_sql else []))
    by = ", ".join(str(i + 1) for i in range(len(groups) + (1 if period_sql else 0)))
    # Credit notes (amounts below zero) are left out, as aov does by default.
    sql = f"SELECT {cols}, count(*) AS deals, sum(amount) AS total FROM deals WHERE amount >= 0 GROUP BY {by}" if by else "SELECT count(*), sum(amount) FROM deals WHERE amount >= 0"
    rows = con.execute(sql).fetchall()
    want = {}
    for r in rows:
        key = tuple(str(v) for v in r[: len(r) - 2])
        want[key] = (int(r[-2]), Fraction(str(r[-1])))
    # aov lists only periods with deals for groups; compare those rows.
    seen = {k: v for k, v in got.items() if int(v["deals"]) > 0}
    if set(seen) != set(want):
        print(f"{name}: groups differ: {len(set(seen) ^ set(want))} keys", file=sys.stderr)
        failures += 1
        continue
    aovs = {k: v[1] / v[0] for k, v in want.items()}
    for key, (n, total) in want.items():
        row = seen[key]
        exp = {"deals": str(n), "total": rnd(total, 2), "aov": rnd(aovs[key], 2)}
        # the change from the immediately preceding period of the same group
        if period_sql and name in ("month", "seller_month"):
            y, m = map(int, key[-1].split("-"))
            prev = f"{y - (m == 1):04d}-{12 if m == 1 else m - 1:02d}"
            pk = key[:-1] + (prev,)
            if pk in aovs:
                ch = aovs[key] - aovs[pk]
                exp["aov_change"] = rnd(ch, 2)
                exp["aov_change_pct"] = rnd(ch / abs(aovs[pk]) * 100, 1) if aovs[pk] != 0 else ""
            else:
                exp["aov_change"] = ""
                exp["aov_change_pct"] = ""
        for col, value in exp.items():
            if row[col] != value:
                print(f"{name} {key}: {col} is {row[col]}, DuckDB + exact rounding says {value}", file=sys.stderr)
                failures += 1
    print(f"{name}: {len(want)} rows agree" if not failures else f"{name}: checked", file=sys.stderr)
if failures:
    print(f"{failures} differences", file=sys.stderr)
    sys.exit(1)
print(f"direct: {len(CASES)} passed, 0 failed", file=sys.stderr)


# Partials pushed down to DuckDB with the query `aov sql` prints, fed back
# with `aov report --partials`: byte-identical to the report from the
# deals, in every format, on the generated data and on fixtures with ISO
# week 53, year ends, credit notes and half-cent ties.
def partials_equal(data: str, args: list[str], groups: list[str], sql_args: list[str] = [], push: list[str] = [], dates: list[str] = [], types: str = "all_varchar=true") -> int:
    con2 = duckdb.connect()
    con2.execute(f"CREATE TABLE deals AS SELECT * FROM read_csv('{data}', header=true, {types})")
    by = ["--by", ",".join(groups)] if groups else []
    sql = subprocess.run([aov, "sql", "--dialect", "duckdb", "--table", "deals", *by, *sql_args, *push], check=True, capture_output=True, text=True).stdout
    body = "\n".join(l for l in sql.splitlines() if not l.startswith("--"))
    out = os.path.join(tempfile.mkdtemp(), "partials.csv")
    con2.execute(f"COPY ({body}) TO '{out}' (HEADER)")
    bad = 0
    for fmt in ["csv", "table", "json", "markdown"]:
        raw = subprocess.run([aov, "report", data, "--format", fmt, *by, *args, *sql_args, *dates], capture_output=True, text=True)
        part = subprocess.run([aov, "report", "--partials", out, "--format", fmt, *by, *args], capture_output=True, text=True)
        # The rows a status filter leaves out in the query never reach aov,
        # so the table's "Rows:" footer alone may differ then.
        same = lambda a, b: a == b or ((sql_args or dates) and [l for l in a.splitlines() if not l.startswith("Rows:")] == [l for l in b.splitlines() if not l.startswith("Rows:")])
        if not same(raw.stdout, part.stdout) or raw.returncode != part.returncode:
            print(f"partials differ: {data} {args} {groups} {push} {fmt}", file=sys.stderr)
            if os.environ.get("AOV_DIFF_VERBOSE"):
                print(raw.stdout, raw.stderr, part.stdout, part.stderr, sep="\n----\n", file=sys.stderr)
            bad += 1
    return bad


here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "..", "fixtures", "edge")
cases = [
    (data, ["--period", "month"], []),
    (data, ["--period", "week"], ["customer"]),
    (data, ["--period", "all"], ["customer", "seller"]),
    (data, ["--period", "quarter", "--from", "2012-02-01", "--to", "2013-12-30"], ["seller"]),
    (os.path.join(fixtures, "weeks.csv"), ["--period", "week"], []),
    (os.path.join(fixtures, "small.csv"), ["--period", "month"], ["customer"]),
    (os.path.join(fixtures, "midpoints.csv"), ["--period", "all"], ["customer"]),
]
bad = sum(partials_equal(d, a, g) for d, a, g in cases)
# Statuses kept in the query as the readers keep them: closed sales only.
# (Partials do not say which statuses the query kept, so the table's
# footer names the default rule; `--source`, which knows the flags, is
# checked with --status on PostgreSQL.)
statuses = os.path.join(fixtures, "statuses.csv")
status_cases = [
    (statuses, ["--period", "month"], ["customer"], ["--status-col", "status"]),
    (statuses, ["--period", "all"], [], ["--status-col", "status"]),
    # Won?, a tab, brackets: ASCII punctuation the query drops as the readers do.
    (os.path.join(fixtures, "statuses_punct.csv"), ["--period", "all"], [], ["--status-col", "status"]),
]
bad += sum(partials_equal(d, a, g, q) for d, a, g, q in status_cases)
cases += status_cases


# The period pushed down (`aov sql --period P`, dates filtered in the
# query): one row per period and group, read at P or a coarser period that
# nests, byte-identical to the report from the deals.
def pushed_equal(data: str, sql_period: str, period: str, groups: list[str], dates: list[str] = [], sql_args: list[str] = []) -> int:
    return partials_equal(data, ["--period", period], groups, sql_args, push=["--period", sql_period, *dates], dates=dates)


weeks = os.path.join(fixtures, "weeks.csv")
D = lambda f=None, t=None: (["--from", f] if f else []) + (["--to", t] if t else [])
pushed = [  # (data, aov sql --period, aov report --period, --by, dates, other aov sql flags)
    (data, "month", "month", [], D("2012-02-03", "2013-11-30"), []),
    (data, "month", "quarter", ["customer"], [], []),
    (data, "month", "year", ["seller"], [], []),
    (data, "week", "week", ["customer"], D("2012-02-01"), []),
    (data, "week", "all", [], [], []),
    (data, "quarter", "quarter", ["seller"], D(None, "2013-05-15"), []),
    (data, "quarter", "half", [], [], []),
    (data, "all", "all", ["customer", "seller"], [], []),
    (data, "all", "all", [], [], []),
    (weeks, "week", "week", [], [], []),
    (weeks, "year", "year", [], [], []),
    (weeks, "month", "month", [], [], []),
    (weeks, "quarter", "quarter", [], [], []),
    (weeks, "half", "half", [], [], []),
    (weeks, "all", "all", [], [], []),
    (os.path.join(fixtures, "small.csv"), "month", "month", ["customer"], [], []),
    (os.path.join(fixtures, "midpoints.csv"), "week", "week", ["customer"], [], []),
    (statuses, "month", "month", ["customer"], [], ["--status-col", "status"]),
    (statuses, "week", "all", [], [], ["--status-col", "status"]),
    # Order lines summed first, currencies in the key, any columns as groups.
    (os.path.join(fixtures, "..", "lines.csv"), "month", "quarter", [], [], ["--order-col", "order_id"]),
    (os.path.join(fixtures, "..", "lines.csv"), "week", "week", ["customer"], [], ["--order-col", "order_id"]),
    (os.path.join(fixtures, "currencies.csv"), "month", "month", [], [], ["--currency-col", "currency"]),
    (os.path.join(fixtures, "currencies.csv"), "week", "all", ["customer"], [], ["--currency-col", "currency"]),
    (os.path.join(fixtures, "..", "by_column.csv"), "month", "quarter", ["region", "product"], [], []),
    (os.path.join(fixtures, "..", "by_column.csv"), "week", "all", ["product"], [], []),
]
bad += sum(pushed_equal(d, sp, p, g, r, q) for d, sp, p, g, r, q in pushed)
cases += pushed

# Timestamps in UTC taken to Stockholm's calendar date (--timezone) before
# bucketing: deals an hour either side of midnight at a week, month,
# quarter and year end (ISO week 53 of 2015 included).
tz = os.path.join(tempfile.mkdtemp(), "tz.csv")
with open(tz, "w") as f:
    f.write("date,customer,amount\n2012-12-30T22:30:00Z,A,10.00\n2012-12-30T23:30:00Z,A,20.00\n"
            "2013-03-31T21:59:59Z,B,5.50\n2013-03-31T22:00:00Z,B,7.25\n2013-06-30T21:30:00Z,A,3.00\n"
            "2013-06-30T22:30:00Z,B,1.00\n2015-01-04T22:59:00Z,A,2.00\n2015-01-04T23:01:00Z,A,4.00\n"
            "2016-01-03T22:59:00Z,A,2.00\n2016-01-03T23:01:00Z,B,4.00\n")
typed = "columns={'date':'TIMESTAMPTZ','customer':'VARCHAR','amount':'VARCHAR'}"
zone = ["--timezone", "Europe/Stockholm"]
tz_cases = [("week", "week", []), ("month", "month", ["customer"]), ("month", "quarter", []), ("quarter", "year", ["customer"]), ("all", "all", [])]
for sp, p, g in tz_cases:
    # The report of the deals takes --timezone too (sql_args reach both).
    bad += partials_equal(tz, ["--period", p], g, zone, push=["--period", sp], types=typed)
cases += tz_cases
if bad:
    print(f"{bad} partials differences", file=sys.stderr)
    sys.exit(1)
print(f"{len(cases)} passed, 0 failed")
