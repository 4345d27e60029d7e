#!/usr/bin/env python3
"""ClickHouse engine test: run the query `aov sql --dialect clickhouse`
prints in chdb (ClickHouse in-process, from PyPI), save its partials as
CSV, and check that `aov report --partials` prints byte for byte the report
of the deals.

    python3 tests/differential/clickhouse_check.py AOV_BINARY GENERATED_CSV
"""
import os, subprocess, sys, tempfile

from chdb import session

aov, generated = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "..", "fixtures", "edge")
work = tempfile.mkdtemp()
s = session.Session()
s.query("CREATE DATABASE IF NOT EXISTS aov")

passed = failed = 0
cases = [
    (generated, [], ["--period", "month"]),
    (generated, ["customer"], ["--period", "quarter"]),
    (generated, ["seller"], ["--period", "week"]),
    (os.path.join(fixtures, "weeks.csv"), [], ["--period", "week"]),
    (os.path.join(fixtures, "small.csv"), ["customer"], ["--period", "month"]),
    (os.path.join(fixtures, "midpoints.csv"), ["customer"], ["--period", "all"]),
]
for data, groups, args in cases:
    header = open(data, encoding="utf-8").readline().strip().split(",")
    columns = ", ".join(f"{c} String" for c in header)
    s.query("DROP TABLE IF EXISTS aov.deals")
    # Every column as text, as the query casts date and amount itself.
    s.query(f"CREATE TABLE aov.deals ENGINE = Memory AS SELECT * FROM file('{os.path.abspath(data)}', CSVWithNames, '{columns}')")
    by = ["--by", ",".join(groups)] if groups else []
    sql = subprocess.run([aov, "sql", "--dialect", "clickhouse", "--table", "aov.deals", *by], check=True, capture_output=True, text=True).stdout
    body = "\n".join(l for l in sql.splitlines() if not l.startswith("--"))
    out = os.path.join(work, "partials.csv")
    with open(out, "w", encoding="utf-8") as f:
        f.write(str(s.query(body, "CSVWithNames")))
    for fmt in ["csv", "table", "json", "markdown"]:
        raw = subprocess.run([aov, "report", data, *by, *args, "--format", fmt], capture_output=True, text=True)
        part = subprocess.run([aov, "report", "--partials", out, *by, *args, "--format", fmt], capture_output=True, text=True)
        if raw.stdout == part.stdout and raw.returncode == part.returncode == 0:
            passed += 1
        else:
            failed += 1
            print(f"differs: {data} {groups} {args} {fmt}\n{part.stderr[-500:]}", file=sys.stderr)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
