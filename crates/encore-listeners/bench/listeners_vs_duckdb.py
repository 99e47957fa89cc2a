"""Each listener analysis on generated listens, Encore (DataFusion) against DuckDB running the same
SQL over the same Parquet files, in the same run: time and peak memory of both, and the ratios.

Usage: python3 crates/encore-listeners/bench/listeners_vs_duckdb.py [SIZE ...]
(build first: `cargo build --release -p encore`; `pip install duckdb`). SIZE is a number of
listens, default 10000000 100000000. Stores are made once under target/bench-listeners/ with
`encore listeners generate --listens SIZE` and reused.

Per analysis and size, the tools take turns (ROUNDS times; the median counts):
- Encore: the whole `encore listeners show --drama business_proposal --only ANALYSIS` process
  (start, open the store, register the datasets and the joined tables, plan, run, print JSON);
- DuckDB: a fresh `python3` process that opens DuckDB on views over the store's listens Parquet
  and the joined tables Encore wrote (`encore listeners sql --write-tables`), runs the analysis's
  SQL as `encore listeners sql` prints it, and fetches the answer. Only the query is timed;
  interpreter start and import are not.
Peak memory is each process's maximum resident set (`/usr/bin/time -f %M`), so DuckDB's includes
its interpreter. Both use every core. Ratio = DuckDB's time / Encore's (above 1: Encore faster)
and Encore's memory / DuckDB's.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
BINARY = os.environ.get("ENCORE_BINARY", os.path.join(ROOT, "target/release/encore"))
SIZES = [int(size) for size in sys.argv[1:]] or [10_000_000, 100_000_000]
ROUNDS = int(os.environ.get("ROUNDS", "3"))
DRAMA = "business_proposal"
ANALYSES = ["heatmap", "airings", "sessions", "playback", "cohorts", "countries"]

DUCKDB_RUN = r"""
import json, sys, time, duckdb
store, tables, query = sys.argv[1], sys.argv[2], sys.stdin.read()
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("SET enable_progress_bar = false")
con.execute(f"CREATE VIEW listens AS SELECT * FROM read_parquet('{store}/data/listens/*.parquet')")
for name in ["zone_offsets", "airings", "ost_songs"]:
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{tables}/{name}.parquet')")
started = time.perf_counter()
rows = con.execute(query).fetchall()
print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(rows)}))
"""


def timed(command, stdin=None):
    """Runs a command under /usr/bin/time; returns (wall seconds, peak KiB, stdout)."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK_KIB %M"] + command,
        input=stdin, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr[-2000:]}")
    peak = int(re.search(r"PEAK_KIB (\d+)", result.stderr).group(1))
    return wall, peak, result.stdout


def prepare(size):
    folder = os.path.join(ROOT, "target/bench-listeners", str(size))
    store = os.path.join(folder, "store")
    tables = os.path.join(folder, "tables")
    if not os.path.exists(os.path.join(store, "manifest.json")):
        subprocess.run([BINARY, "listeners", "generate", "--listens", str(size), "--store", store], check=True)
    sql_text = subprocess.run(
        [BINARY, "listeners", "sql", "--drama", DRAMA, "--store", store]
        + ([] if os.path.exists(tables) else ["--write-tables", tables]),
        check=True, capture_output=True, text=True,
    ).stdout
    queries = {}
    for block in sql_text.split("\n-- ")[0:]:
        block = block.removeprefix("-- ")
        name, _, body = block.partition("\n")
        queries[name.strip()] = body.strip().rstrip(";")
    listens = sum(
        os.path.getsize(os.path.join(store, "data/listens", name))
        for name in os.listdir(os.path.join(store, "data/listens"))
    )
    return store, tables, queries, listens


def main():
    print(f"# listener analyses, Encore vs DuckDB {__import__('duckdb').__version__}, {os.cpu_count()} cores, "
          f"median of {ROUNDS} interleaved runs")
    print("| listens | analysis | Encore s | DuckDB s | time ratio (DuckDB/Encore) | Encore peak MiB | DuckDB peak MiB |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size in SIZES:
        store, tables, queries, parquet_bytes = prepare(size)
        for analysis in ANALYSES:
            encore_times, duck_times, encore_peaks, duck_peaks = [], [], [], []
            for _ in range(ROUNDS):
                wall, peak, _ = timed([BINARY, "listeners", "show", "--drama", DRAMA, "--only", analysis, "--store", store])
                encore_times.append(wall)
                encore_peaks.append(peak)
                _, peak, out = timed([sys.executable, "-c", DUCKDB_RUN, store, tables], stdin=queries[analysis])
                duck_times.append(json.loads(out.strip().splitlines()[-1])["seconds"])
                duck_peaks.append(peak)
            encore_s, duck_s = statistics.median(encore_times), statistics.median(duck_times)
            print(f"| {size:.0e} | {analysis} | {encore_s:.2f} | {duck_s:.2f} | {duck_s / encore_s:.2f} | "
                  f"{max(encore_peaks) / 1024:.0f} | {max(duck_peaks) / 1024:.0f} |", flush=True)


if __name__ == "__main__":
    main()
