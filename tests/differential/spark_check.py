#!/usr/bin/env python3
"""Spark SQL engine test: run the query `aov sql --dialect spark` prints in
Spark (pyspark, local mode, on the machine's Java 17; the same SQL runs
unchanged on a cluster), save its partials as CSV, and check that
`aov report --partials` prints byte for byte the report of the deals.

    python3 tests/differential/spark_check.py AOV_BINARY GENERATED_CSV
"""
import csv, os, sys, tempfile

import engines
from pyspark.sql import SparkSession

aov, generated = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()

spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.ui.enabled", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")

passed = failed = 0
for data, groups, args, push in engines.cases(generated):
    # Every column as text, as the query casts date and amount itself.
    spark.read.option("header", True).csv(data).createOrReplaceTempView("deals")
    body = engines.query(aov, "spark", "deals", groups, push)
    result = spark.sql(body)
    rows = result.collect()
    out = os.path.join(work, "partials.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        # Every column the query returns, under its own name: day, period
        # (with --period), the groups, deals, total, and the credit notes
        # the query left out in their own columns.
        w.writerow(result.columns)
        for r in rows:
            w.writerow(["" if v is None else str(v) for v in r])
    ok, failures = engines.compare(aov, data, groups, args, out)
    passed += ok
    failed += len(failures)
    for f in failures:
        print(f, file=sys.stderr)
spark.stop()
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
