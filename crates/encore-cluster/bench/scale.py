"""The same queries on one machine and on a Ballista cluster, at scale, in one run.

Usage: python3 crates/encore-cluster/bench/scale.py [--listens N] [--regions R] [--years Y]
       [--skip NAME ...] [--out DIR]
(build first: `cargo build --release -p encore`). Defaults: 10^8 listens, 73 regions, 5 years.

The store is made once under target/bench-cluster/ and reused:
- generated listens: `encore listeners generate --listens N` (two real dramas' airing dates,
  made-up listeners; every row labelled `generated`);
- charts: one Spotify daily top-200 file per region and day over Y years, written here in the
  layout Spotify's downloads have (`regional-<region>-daily-<date>.csv`), a few catalog OSTs among
  made-up songs, and ingested with `encore ingest` as a user's downloads would be.

Each query then runs as the whole `encore sql` or `encore listeners show` process, in three
set-ups, in turns: the embedded engine (single-node, the default); a Ballista scheduler and one
executor; a scheduler and two executors, all started from the same binary on loopback. The
executors together get as many task slots as the machine has cores and the single-node engine's
3 GiB memory budget, so the cluster columns measure what distribution costs on the same hardware;
more machines are what would make it pay (the projection in the README). Every cluster answer is
checked against the embedded one (numbers to 1e-9 relative).

Memory is each process's peak resident set: the client's from /usr/bin/time, each executor's and
the scheduler's from /proc/PID/status (VmHWM, reset through /proc/PID/clear_refs before each
query), so a cluster row's memory is the largest single process and the sum of all.
Results: a Markdown table on standard output and results.json in --out.
"""

import argparse
import csv
import datetime
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
BINARY = os.environ.get("ENCORE_BINARY", os.path.join(ROOT, "target/release/encore"))
DRAMA = "business_proposal"
MEMORY_BYTES = 3 * 1024**3

# The regions of Spotify's daily charts (73 with "global", about as many as Spotify Charts listed in 2017-2021).
REGIONS = """global ar at au be bg bo br ca ch cl co cr cz de dk do ec ee eg es fi fr gb gr gt hk
hn hu id ie il in is it jp kr lt lu lv ma mx my ni nl no nz pa pe ph pl pt py ro ru sa se sg sk sv
th tr tw ua us uy vn za ae by kz ng pk""".split()

SQL = {
    "chart days per song, every region": (
        "SELECT title, artist, count(*) AS chart_days, count(DISTINCT region) AS regions, "
        "min(rank) AS best_rank FROM chart_entries GROUP BY title, artist "
        "ORDER BY chart_days DESC, title, artist LIMIT 20"
    ),
    "streams per region and month": (
        "SELECT region, date_trunc('month', chart_date) AS month, sum(streams) AS streams, "
        "count(DISTINCT title) AS songs FROM chart_entries GROUP BY region, month "
        "ORDER BY region, month"
    ),
    "catalog OSTs on every region's chart (join)": (
        "SELECT d.title_en, count(*) AS chart_days, count(DISTINCT c.region) AS regions, "
        "min(c.chart_date) AS first_day FROM chart_entries c "
        "JOIN songs s ON c.song_id = s.song_id JOIN dramas d ON s.drama_id = d.drama_id "
        "GROUP BY d.title_en ORDER BY chart_days DESC, d.title_en"
    ),
    "listens by country": (
        'SELECT country, count(*) AS plays, count(DISTINCT "user") AS listeners FROM listens '
        "GROUP BY country ORDER BY plays DESC, country"
    ),
    "the most active listeners": (
        'SELECT "user", count(*) AS plays, sum(ms_played) AS ms FROM listens GROUP BY "user" '
        'ORDER BY plays DESC, "user" LIMIT 20'
    ),
    "plays per OST and day": (
        "SELECT song_id, date_trunc('day', listened_at) AS day, count(*) AS plays FROM listens "
        "WHERE song_id IS NOT NULL GROUP BY song_id, day ORDER BY plays DESC, song_id, day LIMIT 20"
    ),
}
ANALYSES = ["heatmap", "airings", "playback", "cohorts", "countries", "sessions"]
SETUPS = [("single-node", 0), ("1 executor", 1), ("2 executors", 2)]


def run(command, **options):
    return subprocess.run(command, check=True, **options)


def chart_files(folder, regions, years, seed):
    """Writes one Spotify daily file per region and day; returns the number of rows."""
    songs = []
    with open(os.path.join(ROOT, "catalog/songs.csv"), encoding="utf-8") as catalog:
        for row in csv.DictReader(catalog):
            songs.append((row["title_en"] or row["title_ko"], ", ".join(a.strip() for a in row["artists"].split(";"))))
    catalog_songs = len(songs)
    songs += [(f"Made-up Song {n}", f"Made-up Artist {n % 4000}") for n in range(40_000)]
    quoted = [
        (f'"spotify:track:gen{n:07d}"', '"' + artist.replace('"', '""') + '"',
         '"' + title.replace('"', '""') + '"')
        for n, (title, artist) in enumerate(songs)
    ]
    first = datetime.date(2019, 1, 1)
    days = (datetime.date(2019 + years, 1, 1) - first).days
    rows = 0
    for number, region in enumerate(regions):
        rng = random.Random(seed * 1000 + number)
        os.makedirs(os.path.join(folder, region), exist_ok=True)
        scale = 1000 if region != "global" else 20_000
        catalog_share = 0.05 if region in ("kr", "global", "jp", "tw", "ph", "id", "th") else 0.01
        chart = {}  # song -> score
        peaks, on_chart, previous = {}, {}, {}
        for day in range(days):
            for song in list(chart):
                chart[song] *= rng.uniform(0.9, 1.0)
            for _ in range(10):
                song = (rng.randrange(catalog_songs) if rng.random() < catalog_share
                        else catalog_songs + rng.randrange(len(songs) - catalog_songs))
                chart[song] = max(chart.get(song, 0.0), rng.paretovariate(1.5))
            top = sorted(chart, key=lambda song: (-chart[song], song))[:200]
            chart = {song: chart[song] for song in top}
            date = (first + datetime.timedelta(days=day)).isoformat()
            lines = ["rank,uri,artist_names,track_name,source,peak_rank,previous_rank,days_on_chart,streams"]
            today = {}
            for rank, song in enumerate(top, start=1):
                today[song] = rank
                peaks[song] = min(peaks.get(song, rank), rank)
                on_chart[song] = on_chart.get(song, 0) + 1
                uri, artist, title = quoted[song]
                lines.append(f'{rank},{uri},{artist},{title},"Generated",{peaks[song]},'
                             f'{previous.get(song, -1)},{on_chart[song]},"{int(chart[song] * scale) + 1000}"')
            previous = today
            with open(os.path.join(folder, region, f"regional-{region}-daily-{date}.csv"), "w",
                      encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
            rows += len(top)
        print(f"  charts: {region} written ({rows:,} rows so far)", file=sys.stderr, flush=True)
    return rows


def prepare(arguments):
    folder = os.path.join(ROOT, "target/bench-cluster",
                          f"{arguments.listens}-{arguments.regions}x{arguments.years}")
    store = os.path.join(folder, "store")
    done = os.path.join(folder, "prepared.json")
    if os.path.exists(done):
        with open(done) as prepared:
            return store, json.load(prepared)
    if os.path.exists(store):
        shutil.rmtree(store)
    facts = {}
    started = time.perf_counter()
    run([BINARY, "catalog", "--store", store], stdout=subprocess.DEVNULL)
    run([BINARY, "listeners", "generate", "--listens", str(arguments.listens), "--store", store])
    facts["generate_listens_s"] = time.perf_counter() - started
    charts = os.path.join(folder, "charts")
    if os.path.exists(charts):
        shutil.rmtree(charts)
    started = time.perf_counter()
    facts["chart_rows"] = chart_files(charts, REGIONS[: arguments.regions], arguments.years, 2019)
    facts["write_chart_files_s"] = time.perf_counter() - started
    started = time.perf_counter()
    run([BINARY, "ingest", "--store", store, charts], stdout=subprocess.DEVNULL)
    facts["ingest_charts_s"] = time.perf_counter() - started
    shutil.rmtree(charts)
    facts["listens"] = int(sql_value(store, "SELECT count(*) FROM listens"))
    facts["chart_rows_stored"] = int(sql_value(store, "SELECT count(*) FROM chart_entries"))
    facts["listens_bytes"] = folder_bytes(os.path.join(store, "data/listens"))
    facts["store_bytes"] = folder_bytes(os.path.join(store, "data"))
    with open(done, "w") as prepared:
        json.dump(facts, prepared, indent=2)
    return store, facts


def folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(path, name))
               for path, _, names in os.walk(folder) for name in names)


def sql_value(store, query):
    out = run([BINARY, "sql", "--store", store, "--format", "csv", query],
              capture_output=True, text=True).stdout
    return out.splitlines()[1]


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for one in sockets:
        one.bind(("127.0.0.1", 0))
    ports = [one.getsockname()[1] for one in sockets]
    for one in sockets:
        one.close()
    return ports


class Cluster:
    """A scheduler and N executors from the Encore binary on loopback."""

    def __init__(self, executors, work):
        cores = os.cpu_count() or 2
        ports = free_ports(1 + 3 * executors)
        self.address = f"df://127.0.0.1:{ports[0]}"
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.logs = []
        self.scheduler = self.start("scheduler", [
            "scheduler", "--bind-host", "127.0.0.1", "--external-host", "127.0.0.1",
            "--bind-port", str(ports[0])])
        self.executors = []
        for number in range(executors):
            port, grpc, health = ports[1 + 3 * number: 4 + 3 * number]
            directory = os.path.join(work, f"executor-{number + 1}")
            os.makedirs(directory, exist_ok=True)
            self.executors.append(self.start(f"executor-{number + 1}", [
                "executor", "--bind-host", "127.0.0.1", "--external-host", "127.0.0.1",
                "--scheduler-host", "127.0.0.1", "--scheduler-port", str(ports[0]),
                "--bind-port", str(port), "--bind-grpc-port", str(grpc),
                "--bind-health-port", str(health),
                "--vcores", str(max(1, cores // executors)),
                "--memory-pool-size", f"{MEMORY_BYTES // executors // 1024**2}MB",
                "--work-dir", directory]))
            ready = False
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{health}/readyz", timeout=1)
                    ready = True
                    break
                except OSError:
                    time.sleep(0.2)
            if not ready:
                raise RuntimeError(f"executor {number + 1} never became ready; logs in {work}")

    def start(self, name, arguments):
        log = open(os.path.join(self.work, f"{name}.log"), "w")
        self.logs.append(log)
        return subprocess.Popen([BINARY] + arguments, stdout=log, stderr=subprocess.STDOUT)

    def processes(self):
        return [self.scheduler] + self.executors

    def reset_peaks(self):
        for process in self.processes():
            with open(f"/proc/{process.pid}/clear_refs", "w") as clear:
                clear.write("5")

    def peaks_kib(self):
        peaks = []
        for process in self.processes():
            with open(f"/proc/{process.pid}/status") as status:
                peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)))
        return peaks

    def stop(self):
        for process in self.processes():
            process.send_signal(signal.SIGTERM)
        for process in self.processes():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self.logs:
            log.close()


def timed(command, limit):
    """(wall seconds, peak KiB, stdout), or None when the command ran past `limit` seconds."""
    started = time.perf_counter()
    try:
        result = subprocess.run(["/usr/bin/time", "-f", "PEAK_KIB %M"] + command,
                                capture_output=True, text=True, check=False, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed: {result.stderr[-3000:]}")
    peak = int(re.search(r"PEAK_KIB (\d+)", result.stderr).group(1))
    return wall, peak, result.stdout


NUMBER = re.compile(r"(-?\d+\.\d+(?:e-?\d+)?)")


def same(here, there):
    a, b = NUMBER.split(here), NUMBER.split(there)
    return len(a) == len(b) and all(
        x == y if i % 2 == 0 else math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12)
        for i, (x, y) in enumerate(zip(a, b)))


def commands(store, skip):
    for name, query in SQL.items():
        if name not in skip:
            yield name, [BINARY, "sql", "--store", store, "--format", "csv", "--max-rows", "100000",
                         "--timeout-seconds", "3600", "--memory-mb", str(MEMORY_BYTES // 1024**2),
                         query]
    for analysis in ANALYSES:
        if analysis not in skip:
            yield f"listeners: {analysis}", [BINARY, "listeners", "show", "--store", store,
                                            "--drama", DRAMA, "--only", analysis]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listens", type=int, default=100_000_000)
    parser.add_argument("--regions", type=int, default=len(REGIONS))
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[], help="query or analysis names to leave out")
    parser.add_argument("--limit", type=float, default=1800,
                        help="seconds a query may take before it counts as not finished")
    parser.add_argument("--out", default=os.path.join(ROOT, "target/bench-cluster/results"))
    arguments = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} is missing: cargo build --release -p encore")
    store, facts = prepare(arguments)
    print(f"store: {facts['listens']:,} listens ({facts['listens_bytes'] / 1024**3:.2f} GiB), "
          f"{facts['chart_rows_stored']:,} chart rows; {json.dumps(facts)}", file=sys.stderr)
    skip = set(arguments.skip)
    jobs = list(commands(store, skip))
    results = {name: {} for name, _ in jobs}
    answers = {}
    mismatches, unfinished = [], []
    for setup, executors in SETUPS:
        cluster = Cluster(executors, os.path.join(arguments.out, f"cluster-{executors}")) if executors else None
        try:
            for name, command in jobs:
                if cluster:
                    command = command + ["--cluster", cluster.address]
                    cluster.reset_peaks()
                print(f"{setup}: {name} …", file=sys.stderr, flush=True)
                measured = timed(command, arguments.limit)
                if measured is None:
                    results[name][setup] = None
                    unfinished.append(f"{name} on {setup}")
                    print(f"  did not finish in {arguments.limit} s", file=sys.stderr, flush=True)
                    continue
                wall, client_kib, out = measured
                servers = cluster.peaks_kib() if cluster else []
                results[name][setup] = {
                    "seconds": wall, "client_mib": client_kib / 1024,
                    "largest_mib": max([client_kib] + servers) / 1024,
                    "total_mib": (client_kib + sum(servers)) / 1024,
                }
                print(f"  {wall:.2f} s, largest process {results[name][setup]['largest_mib']:.0f} MiB",
                      file=sys.stderr, flush=True)
                if not cluster:
                    answers[name] = out
                elif name in answers and not same(answers[name], out):
                    mismatches.append(f"{name} on {setup}")
        finally:
            if cluster:
                cluster.stop()
    os.makedirs(arguments.out, exist_ok=True)
    with open(os.path.join(arguments.out, "results.json"), "w") as written:
        json.dump({"facts": facts, "results": results, "mismatches": mismatches, "unfinished": unfinished,
                   "cores": os.cpu_count(), "measured": datetime.date.today().isoformat()},
                  written, indent=2)
    print("| query | rows read | single-node s / MiB | 1 executor s / MiB (sum) | "
          "2 executors s / MiB (sum) | 1 exec / single | 2 exec / single |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, by_setup in results.items():
        # A query over the charts reads chart_entries; the rest, and every listener analysis, listens.
        rows = facts["chart_rows_stored"] if "chart_entries" in SQL.get(name, "") else facts["listens"]
        cells = []
        for setup, _ in SETUPS:
            one = by_setup[setup]
            if one is None:
                cells.append(f"over {arguments.limit:.0f} s")
                continue
            total = "" if setup == "single-node" else f" ({one['total_mib']:.0f})"
            cells.append(f"{one['seconds']:.1f} / {one['largest_mib']:.0f}{total}")
        single = by_setup["single-node"]
        ratios = ["" if single is None or by_setup[setup] is None
                  else f"{by_setup[setup]['seconds'] / single['seconds']:.2f}" for setup, _ in SETUPS[1:]]
        print(f"| {name} | {rows:.1e} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    if unfinished:
        print("not finished in time: " + ", ".join(unfinished), file=sys.stderr)
    if mismatches:
        print("answers that differed from the embedded engine's: " + ", ".join(mismatches), file=sys.stderr)
    if mismatches or unfinished:
        sys.exit(1)
    print("every cluster answer matched the embedded engine's", file=sys.stderr)


if __name__ == "__main__":
    main()
