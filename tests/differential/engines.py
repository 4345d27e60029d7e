"""What the engine tests (Spark SQL, ClickHouse) share: the cases they run
and the check that `aov report --partials` over an engine's partials
prints byte for byte the report of the deals themselves."""
import os, subprocess

FORMATS = ["csv", "table", "json", "markdown"]


def cases(generated):
    """(data file, --by dimensions, report arguments) for every run."""
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "edge")
    return [
        (generated, [], ["--period", "month"]),
        (generated, ["customer"], ["--period", "quarter"]),
        (generated, ["seller"], ["--period", "week"]),
        (os.path.join(fixtures, "weeks.csv"), [], ["--period", "week"]),
        (os.path.join(fixtures, "small.csv"), ["customer"], ["--period", "month"]),
        (os.path.join(fixtures, "midpoints.csv"), ["customer"], ["--period", "all"]),
    ]


def query(aov, dialect, table, groups):
    """The query `aov sql` prints for `dialect`, without its comments."""
    by = ["--by", ",".join(groups)] if groups else []
    sql = subprocess.run([aov, "sql", "--dialect", dialect, "--table", table, *by], check=True, capture_output=True, text=True).stdout
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
