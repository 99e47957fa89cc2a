"""Ingest end to end, files to a queryable store, per real folder: Encore against DuckDB.

Usage: python3 crates/encore/bench/ingest_vs_duckdb.py [ENCORE_BINARY [DATA_DIR]]
(build it first: `cargo build --release -p encore`; pip install -r
crates/encore-ingest/benches/requirements.txt for DuckDB and Polars). ENCORE_BINARY defaults to
target/release/encore, DATA_DIR to ../shared/data.

For each folder, each run starts from nothing:
- Encore: the whole `encore ingest FOLDER --store NEW` process (read, detect, parse and check every
  field, match every row to the catalog, write Parquet, commit the manifest), on every core, and
  again with `--jobs 1`;
- DuckDB: in one Python process already running, a new connection that reads the same files and
  writes them to one Parquet file (`COPY (SELECT * FROM read_json/read_csv(...)) TO ...`), on every
  core. Its interpreter and import are not timed, Encore's process start is.
DuckDB cannot read the Excel workbooks here (its `excel` extension is a download), so the workbook
folder is compared with Polars (`read_excel` per file, calamine engine, then one `write_parquet`).
Prints the median of nine runs per tool, the tools taking turns, and the ratio: the other tool's
time / Encore's.
"""

import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import duckdb
import polars

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/encore")
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "../shared/data")
RUNS = 9


def files(folder, pattern):
    return sorted(glob.glob(os.path.join(DATA, folder, "**", pattern), recursive=True))


def seconds(run):
    scratch = tempfile.mkdtemp(prefix="encore-bench-")
    try:
        started = time.perf_counter()
        run(scratch)
        return time.perf_counter() - started
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def interleaved_medians(runs):
    """The median time of each run, the runs taken in turn RUNS times, so that a slow spell of this
    shared machine slows every tool alike rather than one of them."""
    times = [[] for _ in runs]
    for _ in range(RUNS):
        for position, run in enumerate(runs):
            times[position].append(seconds(run))
    return [statistics.median(each) for each in times]


def encore(folder, jobs=None):
    def run(scratch):
        command = [BINARY, "ingest", os.path.join(DATA, folder), "--store", os.path.join(scratch, "store")]
        if jobs:
            command += ["--jobs", str(jobs)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode not in (0, 3):
            raise SystemExit(f"encore failed on {folder}: {result.stderr}")

    return run


def duckdb_copy(select, paths):
    def run(scratch):
        connection = duckdb.connect()
        target = os.path.join(scratch, "out.parquet")
        connection.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)", [paths])
        connection.close()

    return run


def polars_workbooks(paths):
    def run(scratch):
        frames = [polars.read_excel(path, engine="calamine") for path in paths]
        polars.concat(frames, how="diagonal_relaxed").write_parquet(os.path.join(scratch, "out.parquet"))

    return run


CASES = [
    ("billboard-hot-100", "Billboard Hot 100, 3,549 JSON weeks", "DuckDB",
     duckdb_copy("SELECT unnest(data, recursive := true) FROM read_json(?, format = 'auto')",
                 files("billboard-hot-100", "*.json"))),
    ("spotify-kr-daily-2025", "Spotify Korea daily 2025, 365 CSV", "DuckDB",
     duckdb_copy("SELECT * FROM read_csv(?, header = true, union_by_name = true)",
                 files("spotify-kr-daily-2025", "*.csv"))),
    ("melon-year-end", "Melon year-end, 24 CSV with lyrics", "DuckDB",
     duckdb_copy("SELECT * FROM read_csv(?, header = true, union_by_name = true)", files("melon-year-end", "*.csv"))),
    ("circle-weekly", "Circle weekly 2016-17 and 2020, 2 CSV", "DuckDB",
     duckdb_copy("SELECT * FROM read_csv(?, header = true, union_by_name = true)", files("circle-weekly", "*.csv"))),
    ("kr-platform-charts-2022q1", "Genie and Bugs 2022 Q1, 208 XLSX", "Polars",
     polars_workbooks(files("kr-platform-charts-2022q1", "*.xlsx"))),
]


def main():
    if not os.path.exists(BINARY):
        raise SystemExit(f"{BINARY} is missing: cargo build --release -p encore")
    print(f"median of {RUNS} runs, seconds; ratio = the other tool's time / Encore's (above 1: Encore is faster)")
    header = f"{'folder':<40} {'Encore':>8} {'Encore 1 job':>13} {'other':>7} {'other s':>8} {'ratio':>6} {'ratio 1 job':>12}"
    print(header)
    for folder, label, other_name, other in CASES:
        if not os.path.isdir(os.path.join(DATA, folder)):
            print(f"{label:<40} (missing: {folder})")
            continue
        encore_all, encore_one, other_seconds = interleaved_medians([encore(folder), encore(folder, jobs=1), other])
        print(
            f"{label:<40} {encore_all:>8.3f} {encore_one:>13.3f} {other_name:>7} {other_seconds:>8.3f} "
            f"{other_seconds / encore_all:>6.2f} {other_seconds / encore_one:>12.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
