#!/usr/bin/env bash
# Spark SQL engine test: pyspark from PyPI in a virtual environment under
# target/, on the machine's Java.
#   tests/differential/spark_run.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-50000}
VENV=target/spark-venv
if ! "$VENV/bin/python" -c "import pyspark" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pyspark
fi
cargo build --release --quiet --example gen_deals
cargo build --release --quiet
DATA=target/spark-deals-$ROWS.csv
./target/release/examples/gen_deals --rows "$ROWS" --seed 13 > "$DATA"
"$VENV/bin/python" tests/differential/spark_check.py ./target/release/aov "$DATA" 2> target/spark.log || { tail -n 30 target/spark.log; exit 1; }
