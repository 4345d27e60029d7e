#!/usr/bin/env bash
# Compare aov with DuckDB (CLI) and Polars on the same generated deals file,
# as ratios measured in one run on this machine.
#
#   bench/compare.sh                  # 10M rows, 5 runs per tool and case
#   ROWS=1000000 RUNS=7 bench/compare.sh
#   CASES="customers sellers" BEFORE=/path/to/old/aov bench/compare.sh
#   CASES="jsonl parquet" bench/compare.sh   # the other readers
#
# It builds aov, generates the file with the project's own generator
# (examples/gen_deals.rs) unless it exists, installs DuckDB's CLI and Polars
# from PyPI into a virtual environment under target/bench if missing, reads
# the file once so it is in the page cache, then runs every tool RUNS times
# per case, round-robin (one run of each tool per round), and prints the
# median wall time, peak memory (max RSS, from one more run of each), MB/s
# and the ratio of each tool's time to aov's.
set -euo pipefail
export LC_ALL=C # a decimal point in $EPOCHREALTIME and for bc
cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000000}
RUNS=${RUNS:-5}
DATA=${DATA:-target/bench}
mkdir -p "$DATA"
FILE="$DATA/deals_$ROWS.csv"
VENV="$DATA/venv"

cargo build --release --quiet --example gen_deals
cargo build --release --quiet
AOV=./target/release/aov
[ -s "$FILE" ] || ./target/release/examples/gen_deals --rows "$ROWS" > "$FILE"
if ! [ -x "$VENV/bin/duckdb" ] || ! "$VENV/bin/python" -c "import polars" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet duckdb-cli polars
fi
if ! [ -x /usr/bin/time ]; then
    apt-get install -y -qq time > /dev/null
fi
cat "$FILE" > /dev/null
SIZE=$(stat -L -c %s "$FILE")

COLS="{'date':'DATE','customer':'VARCHAR','seller':'VARCHAR','amount':'DECIMAL(18,2)'}"
SRC="read_csv('$FILE', header=true, columns=$COLS)"
duck_sql() {
    case "$1" in
        month) echo "SELECT strftime(date,'%Y-%m') AS period, count(*) AS deals, sum(amount) AS total, sum(amount)/count(*) AS aov FROM $SRC GROUP BY 1 ORDER BY 1" ;;
        customer) echo "SELECT customer, count(*) AS deals, sum(amount) AS total, sum(amount)/count(*) AS aov FROM $SRC GROUP BY 1 ORDER BY total DESC" ;;
        seller) echo "SELECT seller, strftime(date,'%Y-%m') AS period, count(*) AS deals, sum(amount) AS total, sum(amount)/count(*) AS aov FROM $SRC GROUP BY 1, 2 ORDER BY 1, 2" ;;
    esac
}
cat > "$DATA/polars_aov.py" <<'PY'
import sys, polars as pl
path, case = sys.argv[1], sys.argv[2]
month = pl.col("date").str.slice(0, 7).alias("period")
if case == "jsonl":
    # The same deals as JSON Lines, every value a string (exact amounts).
    lf = pl.scan_ndjson(path.removesuffix(".csv") + ".jsonl", schema={c: pl.Utf8 for c in ["date", "customer", "seller", "amount"]})
    lf = lf.with_columns(pl.col("amount").cast(pl.Float64))
    case = "month"
elif case == "parquet":
    # The same deals as Parquet, dates as dates and amounts as DECIMAL(18,2).
    lf = pl.scan_parquet(path.removesuffix(".csv") + ".parquet")
    lf = lf.with_columns(pl.col("amount").cast(pl.Float64), pl.col("date").dt.strftime("%Y-%m-%d"))
    case = "month"
else:
    lf = pl.scan_csv(path, schema_overrides={"amount": pl.Float64})
aggs = [pl.len().alias("deals"), pl.col("amount").sum().alias("total"), pl.col("amount").mean().alias("aov")]
amount = pl.col("amount")
# The views after the headline, each as Polars would compute it (floats).
def classes(lf):
    # ABC class per customer: A while the share before it is under 80 %, B under 95 %.
    t = lf.group_by("customer").agg(amount.sum().alias("ctotal")).sort("ctotal", descending=True)
    before = (pl.col("ctotal").cum_sum() - pl.col("ctotal")) / pl.col("ctotal").sum()
    return t.with_columns(pl.when(before < 0.8).then(pl.lit("A")).when(before < 0.95).then(pl.lit("B"))
                          .otherwise(pl.lit("C")).alias("class"))
if case == "month":
    q = lf.group_by(month).agg(aggs).sort("period")
elif case == "customer":
    q = lf.group_by("customer").agg(aggs).sort("total", descending=True)
elif case == "seller":
    q = lf.group_by("seller", month).agg(aggs).sort("seller", "period")
elif case == "customers":
    q = (lf.group_by("customer").agg(aggs + [amount.median().alias("median"), pl.col("date").min().alias("first"),
                                             pl.col("date").max().alias("last")])
         .sort("total", descending=True)
         .with_columns((pl.col("total") / pl.col("total").sum() * 100).alias("share"))
         .with_columns(pl.col("share").cum_sum().alias("cum_share")))
elif case == "sellers":
    c = classes(lf).select("customer", "class")
    team = lf.select(amount.mean()).collect().item()
    q = (lf.join(c, on="customer").group_by("seller")
         .agg(aggs + [amount.median().alias("median"), pl.col("customer").n_unique().alias("customers"),
                      *[((pl.col("class") == k).sum() / pl.len() * 100).alias(k) for k in "ABC"]])
         .with_columns((pl.col("aov") - team).alias("vs_team")).sort("total", descending=True))
elif case == "stats":
    q = lf.group_by(month).agg(aggs + [amount.median().alias("median"),
                                       *[amount.quantile(p, "linear").alias(f"p{int(p*100)}") for p in (0.25, 0.75, 0.9)],
                                       amount.min().alias("min"), amount.max().alias("max")]).sort("period")
elif case == "explain":
    # The last two months with deals, per customer (the decomposition itself is a few rows).
    last = lf.select(month).unique().sort("period").tail(2).collect()["period"].to_list()
    q = (lf.with_columns(month).filter(pl.col("period").is_in(last)).group_by("customer", "period")
         .agg(pl.len().alias("deals"), amount.sum().alias("total")).sort("customer", "period"))
else:  # custmonth
    q = lf.group_by("customer", month).agg(aggs).sort("customer", "period")
q.collect().write_csv(sys.stdout)
PY

# The other readers: the month report from the same deals as JSON Lines
# and as Parquet, made from the CSV by Polars once (not timed).
if [[ " ${CASES:-} " == *" jsonl "* || " ${CASES:-} " == *" parquet "* ]]; then
    [ -s "${FILE%.csv}.jsonl" ] && [ -s "${FILE%.csv}.parquet" ] || "$VENV/bin/python" - "$FILE" <<'PY'
import sys, polars as pl
path = sys.argv[1]
df = pl.read_csv(path, infer_schema=False)
df.write_ndjson(path.removesuffix(".csv") + ".jsonl")
df.with_columns(pl.col("date").str.to_date(), pl.col("amount").cast(pl.Decimal(18, 2))).write_parquet(path.removesuffix(".csv") + ".parquet")
PY
fi
input_of() {
    case "$1" in
        jsonl) echo "${FILE%.csv}.jsonl" ;;
        parquet) echo "${FILE%.csv}.parquet" ;;
        *) echo "$FILE" ;;
    esac
}

aov_args() {
    case "$1" in
        month | jsonl | parquet) echo "report --period month" ;;
        customer) echo "report --by customer --period all" ;;
        seller) echo "report --by seller --period month" ;;
        customers) echo "customers" ;;
        sellers) echo "sellers" ;;
        stats) echo "report --stats --period month" ;;
        explain) echo "explain --by customer" ;;
        custmonth) echo "report --by customer --period month" ;;
    esac
}

# Wall time of one run in seconds, from bash's microsecond clock (so it
# includes starting the process, the same for every tool).
wall() {
    local start=$EPOCHREALTIME
    "$@" > /dev/null
    local end=$EPOCHREALTIME
    echo "$end - $start" | bc -l
}
# Peak memory (max RSS, KiB) of one run, in a run of its own: wrapping the
# timed runs in /usr/bin/time would add its start to their times.
peak() {
    /usr/bin/time -f "%M" -o "$DATA/time.txt" "$@" > /dev/null
    cat "$DATA/time.txt"
}
# The command line of a tool for a case, in CMD.
command_of() {
    case $1 in
        aov) CMD=($AOV $(aov_args $2) "$(input_of $2)" --format csv) ;;
        aov1) CMD=($AOV $(aov_args $2) "$(input_of $2)" --format csv --threads 1) ;;
        # Another build of aov (BEFORE=path), for before/after figures.
        before) CMD=($BEFORE $(aov_args $2) "$(input_of $2)" --format csv) ;;
        duckdb) CMD=("$VENV/bin/duckdb" -csv -c "$(duck_sql $2)") ;;
        polars) CMD=("$VENV/bin/python" "$DATA/polars_aov.py" "$FILE" $2) ;;
    esac
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "# $ROWS rows, $((SIZE / 1000000)) MB, $RUNS runs each, $(nproc) cores; median wall time, peak RSS of one more run"
printf '%-10s %-26s %9s %9s %9s %9s\n' case tool "time s" "peak MiB" "MB/s" "ratio"
# The headline report against both engines; the views after it (customers,
# sellers, --stats per month, explain by customer, the report by customer
# per month) against Polars doing the same view; the month report from
# JSON Lines and Parquet (CASES="jsonl parquet") against Polars reading
# the same file. CASES picks some.
CASES=${CASES:-"month customer seller customers sellers stats explain custmonth"}
for case in $CASES; do
    case $case in
        month | customer | seller) TOOLS="aov aov1 duckdb polars" ;;
        *) TOOLS="aov polars" ;;
    esac
    [ -n "${BEFORE:-}" ] && TOOLS="$TOOLS before"
    declare -A TS MS
    for tool in $TOOLS; do
        command_of $tool $case
        TS[$tool]=""
        MS[$tool]=$(peak "${CMD[@]}")
    done
    # Round-robin: each round runs every tool once, so a noisy moment on
    # a shared machine hits all of them alike.
    for _ in $(seq "$RUNS"); do
        for tool in $TOOLS; do
            command_of $tool $case
            TS[$tool]+="$(wall "${CMD[@]}") "
        done
    done
    declare -A T M
    for tool in $TOOLS; do
        T[$tool]=$(median ${TS[$tool]})
        M[$tool]=$(( ${MS[$tool]} / 1024 ))
    done
    for tool in $TOOLS; do
        name=$tool
        [ $tool = aov1 ] && name="aov --threads 1"
        [ $tool = duckdb ] && name="duckdb CLI (DECIMAL)"
        [ $tool = polars ] && name="polars (float)"
        [ $tool = before ] && name="aov before"
        printf '%-10s %-26s %9.3f %9s %9.0f %9.2f\n' $case "$name" "${T[$tool]}" "${M[$tool]}" \
            "$(echo "$SIZE / ${T[$tool]} / 1000000" | bc -l)" "$(echo "${T[$tool]} / ${T[aov]}" | bc -l)"
    done
done
