#!/usr/bin/env bash
# ClickHouse engine test: chdb from PyPI in a virtual environment under target/.
#   tests/differential/clickhouse_run.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-50000}
VENV=target/chdb-venv
if ! "$VENV/bin/python" -c "import chdb" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet chdb
fi
cargo build --release --quiet --example gen_deals
cargo build --release --quiet
DATA=target/chdb-deals-$ROWS.csv
./target/release/examples/gen_deals --rows "$ROWS" --seed 17 > "$DATA"
"$VENV/bin/python" tests/differential/clickhouse_check.py ./target/release/aov "$DATA"
