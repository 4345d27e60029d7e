#!/usr/bin/env bash
# Differential test against DuckDB (installed from PyPI into a virtual
# environment under target/), on data from the project's own generator.
#   tests/differential/run.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-300000}
VENV=target/diff-venv
if ! "$VENV/bin/python" -c "import duckdb" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet duckdb
fi
cargo build --release --quiet --example gen_deals
cargo build --release --quiet
DATA=target/diff-deals-$ROWS.csv
./target/release/examples/gen_deals --rows "$ROWS" --seed 7 > "$DATA"
"$VENV/bin/python" tests/differential/duckdb_check.py ./target/release/aov "$DATA"
