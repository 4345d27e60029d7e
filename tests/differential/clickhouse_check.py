#!/usr/bin/env python3
"""ClickHouse engine test: run the query `aov sql --dialect clickhouse`
prints in chdb (ClickHouse in-process, from PyPI), save its partials as
CSV, and check that `aov report --partials` prints byte for byte the report
of the deals.

    python3 tests/differential/clickhouse_check.py AOV_BINARY GENERATED_CSV
"""
import os, sys, tempfile

import engines
from chdb import session

aov, generated = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()
s = session.Session()
s.query("CREATE DATABASE IF NOT EXISTS aov")

passed = failed = 0
for data, groups, args, push in engines.cases(generated):
    header = open(data, encoding="utf-8").readline().strip().split(",")
    columns = ", ".join(f"{c} String" for c in header)
    s.query("DROP TABLE IF EXISTS aov.deals")
    # Every column as text, as the query casts date and amount itself.
    s.query(f"CREATE TABLE aov.deals ENGINE = Memory AS SELECT * FROM file('{os.path.abspath(data)}', CSVWithNames, '{columns}')")
    body = engines.query(aov, "clickhouse", "aov.deals", groups, push)
    out = os.path.join(work, "partials.csv")
    with open(out, "w", encoding="utf-8") as f:
        f.write(str(s.query(body, "CSVWithNames")))
    ok, failures = engines.compare(aov, data, groups, args, out)
    passed += ok
    failed += len(failures)
    for f in failures:
        print(f, file=sys.stderr)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
