#!/usr/bin/env bash
# PostgreSQL engine test: load deals into Debian's PostgreSQL (started on a
# Unix socket, with no network listener), run the query `aov sql --dialect
# postgres` prints, export its partials with psql --csv, and check that
# `aov report --partials` (and `aov report --source`, which runs the query
# itself) prints byte for byte the report of the deals, for
# several groupings, periods and formats, on generated data and on fixtures
# with ISO week 53, year ends, credit notes and half-cent ties.
#   tests/differential/postgres_check.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-100000}
if ! command -v pg_ctlcluster > /dev/null; then
    apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
fi
VER=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$VER main" || pg_createcluster "$VER" main > /dev/null
if ! pg_lsclusters -h | grep -q "^$VER main .* online"; then
    pg_ctlcluster "$VER" main start -- -o "-c listen_addresses=''"
fi
PSQL=(runuser -u postgres -- env PGOPTIONS=-cclient_min_messages=warning psql -X -q -v ON_ERROR_STOP=1)
# AOV_BIN (with GEN_BIN) names binaries already built, e.g. debug ones.
if [ -z "${AOV_BIN:-}" ]; then
    cargo build --release --quiet --example gen_deals
    cargo build --release --quiet
fi
AOV=${AOV_BIN:-$PWD/target/release/aov}
GEN=${GEN_BIN:-./target/release/examples/gen_deals}
URL="postgresql:///postgres?host=/var/run/postgresql&user=postgres"
WORK=$(mktemp -d)
chmod 755 "$WORK"
"$GEN" --rows "$ROWS" --seed 11 > "$WORK/generated.csv"
cp fixtures/edge/weeks.csv fixtures/edge/small.csv fixtures/edge/midpoints.csv fixtures/edge/statuses.csv "$WORK/"
chmod 644 "$WORK"/*.csv

passed=0
failed=0
# Status arguments for the query (aov sql), the deals and --source; the
# partials carry no status column.
STATUS=()
# What is compared with the report of the deals: partials say nothing of
# which statuses their query kept, so with --status only --source is.
GOT="partials source"
# The period `aov sql --period` pushes into the partials (none: days), and
# dates filtered in the query then (--source pushes the report's own period
# and dates whatever these say).
PUSH=""
PUSH_DATES=()
check() { # data-file --by-value extra-args...
    local file=$1 by=$2
    shift 2
    local table="aov_$(basename "$file" .csv)"
    local header
    header=$(head -n 1 "$file")
    local cols=${header//,/ text, }
    "${PSQL[@]}" -c "DROP TABLE IF EXISTS $table; CREATE TABLE $table ($cols text)"
    "${PSQL[@]}" -c "\\copy $table FROM '$file' CSV HEADER"
    local byargs=()
    [ -n "$by" ] && byargs=(--by "$by")
    local pushargs=()
    [ -n "$PUSH" ] && pushargs=(--period "$PUSH" "${PUSH_DATES[@]}")
    "$AOV" sql --dialect postgres --table "$table" "${byargs[@]}" "${STATUS[@]}" "${pushargs[@]}" > "$WORK/query.sql"
    chmod 644 "$WORK/query.sql"
    "${PSQL[@]}" --csv -f "$WORK/query.sql" > "$WORK/partials.csv"
    for fmt in csv table json markdown; do
        "$AOV" report "$file" "${byargs[@]}" "${STATUS[@]}" "$@" "${PUSH_DATES[@]}" --format "$fmt" > "$WORK/raw.out"
        "$AOV" report --partials "$WORK/partials.csv" "${byargs[@]}" "$@" --format "$fmt" > "$WORK/partials.out"
        # --source runs the same query itself (as the postgres user: peer
        # authentication on the socket).
        runuser -u postgres -- "$AOV" report --source "$URL" "$table" "${byargs[@]}" "${STATUS[@]}" "$@" "${PUSH_DATES[@]}" --format "$fmt" > "$WORK/source.out"
        if [ ${#STATUS[@]} -gt 0 ] || [ ${#PUSH_DATES[@]} -gt 0 ]; then
            # The rows the query's status (or date) filter leaves out never reach aov:
            # only the table's "Rows:" footer may differ.
            for f in raw partials source; do
                grep -v '^Rows:' "$WORK/$f.out" > "$WORK/$f.tmp" || true
                mv "$WORK/$f.tmp" "$WORK/$f.out"
            done
        fi
        for got in $GOT; do
            if cmp -s "$WORK/raw.out" "$WORK/$got.out"; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                echo "differs ($got): $file --by '$by' $* --format $fmt" >&2
            fi
        done
    done
}
check "$WORK/generated.csv" "" --period month
check "$WORK/generated.csv" customer --period quarter
check "$WORK/generated.csv" seller --period week
check "$WORK/generated.csv" customer,seller --period all
check "$WORK/weeks.csv" "" --period week
check "$WORK/small.csv" customer --period month
check "$WORK/midpoints.csv" customer --period all
# Closed sales only, then named statuses, in the query and with --source.
STATUS=(--status-col status)
check "$WORK/statuses.csv" customer --period month
STATUS=(--status-col status --status Lost)
GOT=source
check "$WORK/statuses.csv" "" --period all
STATUS=()
GOT="partials source"
# The period pushed down: partials per week, month, quarter or over all,
# read at that period or a coarser one that nests.
PUSH=month check "$WORK/generated.csv" "" --period month
PUSH=month check "$WORK/generated.csv" customer --period quarter
PUSH=quarter check "$WORK/generated.csv" seller --period year
PUSH=week check "$WORK/generated.csv" seller --period week
PUSH=week check "$WORK/generated.csv" "" --period all
PUSH=all check "$WORK/generated.csv" customer,seller --period all
PUSH=week check "$WORK/weeks.csv" "" --period week
PUSH=month check "$WORK/weeks.csv" "" --period month
PUSH=quarter check "$WORK/weeks.csv" "" --period half
PUSH=all check "$WORK/weeks.csv" "" --period all
PUSH=week check "$WORK/midpoints.csv" customer --period week
PUSH_DATES=(--from 2012-02-03 --to 2013-11-30)
PUSH=month check "$WORK/generated.csv" customer --period month
PUSH=week check "$WORK/generated.csv" "" --period week
PUSH_DATES=()
STATUS=(--status-col status)
PUSH=month check "$WORK/statuses.csv" customer --period month
PUSH=week check "$WORK/statuses.csv" "" --period all
STATUS=()
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
