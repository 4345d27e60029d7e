#!/usr/bin/env python3
"""Spark SQL engine test: run the query `aov sql --dialect spark` prints in
Spark (pyspark, local mode, on the machine's Java 17; the same SQL runs
unchanged on a cluster), save its partials as CSV, and check that
`aov report --partials` prints byte for byte the report of the deals.

    python3 tests/differential/spark_check.py AOV_BINARY GENERATED_CSV
"""
import csv, os, subprocess, sys, tempfile

from pyspark.sql import SparkSession

aov, generated = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "..", "fixtures", "edge")
work = tempfile.mkdtemp()

spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.ui.enabled", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")

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
    # Every column as text, as the query casts date and amount itself.
    spark.read.option("header", True).csv(data).createOrReplaceTempView("deals")
    by = ["--by", ",".join(groups)] if groups else []
    sql = subprocess.run([aov, "sql", "--dialect", "spark", "--table", "deals", *by], check=True, capture_output=True, text=True).stdout
    body = "\n".join(l for l in sql.splitlines() if not l.startswith("--"))
    rows = spark.sql(body).collect()
    out = os.path.join(work, "partials.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["day", *groups, "deals", "total"])
        for r in rows:
            w.writerow([r["day"], *[r[g] for g in groups], r["deals"], str(r["total"])])
    for fmt in ["csv", "table", "json", "markdown"]:
        raw = subprocess.run([aov, "report", data, *by, *args, "--format", fmt], capture_output=True, text=True)
        part = subprocess.run([aov, "report", "--partials", out, *by, *args, "--format", fmt], capture_output=True, text=True)
        if raw.stdout == part.stdout and raw.returncode == part.returncode == 0:
            passed += 1
        else:
            failed += 1
            print(f"differs: {data} {groups} {args} {fmt}", file=sys.stderr)
spark.stop()
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
