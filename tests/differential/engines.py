"""What the engine tests (Spark SQL, ClickHouse) share: the cases they run
and the check that `aov report --partials` over an engine's partials
prints byte for byte the report of the deals themselves."""
import os, subprocess

FORMATS = ["csv", "table", "json", "markdown"]


def cases(generated):
    """(data file, --by dimensions, report arguments, the period `aov sql
    --period` pushes into the engine or None for days) for every run."""
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "edge")
    weeks = os.path.join(fixtures, "weeks.csv")
    return [
        (generated, [], ["--period", "month"], None),
        (generated, ["customer"], ["--period", "quarter"], None),
        (generated, ["seller"], ["--period", "week"], None),
        (weeks, [], ["--period", "week"], None),
        (os.path.join(fixtures, "small.csv"), ["customer"], ["--period", "month"], None),
        (os.path.join(fixtures, "midpoints.csv"), ["customer"], ["--period", "all"], None),
        # The period pushed down: one row per period (its first day) and
        # group, read at that period or a coarser one that nests.
        (generated, [], ["--period", "month"], "month"),
        (generated, ["customer"], ["--period", "quarter"], "month"),
        (generated, ["seller"], ["--period", "week"], "week"),
        (generated, [], ["--period", "half"], "quarter"),
        (generated, ["customer", "seller"], ["--period", "all"], "all"),
        (weeks, [], ["--period", "week"], "week"),
        (weeks, [], ["--period", "month"], "month"),
        (weeks, [], ["--period", "year"], "quarter"),
        (weeks, [], ["--period", "all"], "all"),
        (os.path.join(fixtures, "small.csv"), ["customer"], ["--period", "year"], "month"),
    ]


def query(aov, dialect, table, groups, push=None):
    """The query `aov sql` prints for `dialect` (per `push` period when
    given), without its comments."""
    by = ["--by", ",".join(groups)] if groups else []
    period = ["--period", push] if push else []
    sql = subprocess.run([aov, "sql", "--dialect", dialect, "--table", table, *by, *period], check=True, capture_output=True, text=True).stdout
    return "\n".join(l for l in sql.splitlines() if not l.startswith("--"))


def compare(aov, data, groups, args, partials):
    """(passed, failures) of the reports from `data` and from `partials` in every format."""
    by = ["--by", ",".join(groups)] if groups else []
    passed, failures = 0, []
    for fmt in FORMATS:
        raw = subprocess.run([aov, "report", data, *by, *args, "--format", fmt], capture_output=True, text=True)
        part = subprocess.run([aov, "report", "--partials", partials, *by, *args, "--format", fmt], capture_output=True, text=True)
        if raw.stdout == part.stdout and raw.returncode == part.returncode == 0:
            passed += 1
        else:
            failures.append(f"differs: {data} {groups} {args} {fmt}\n{part.stderr[-500:]}")
    return passed, failures
