"""Ingest of a large listening log, file to Parquet: Encore against DuckDB and Polars.

Usage: python3 crates/encore/bench/listens_ingest_vs_duckdb.py [LISTENS [ROUNDS [ENCORE_BINARY]]]
(build it first: `cargo build --release -p encore`; pip install -r
crates/encore-ingest/benches/requirements.txt for DuckDB and Polars). LISTENS defaults to
1,000,000, ROUNDS to 3, ENCORE_BINARY to $CARGO_TARGET_DIR/release/encore or target/release/encore.

The script writes one log of LISTENS listens twice, as ListenBrainz JSON lines (one user's export:
Encore rejects a listen of another user in a per-account export) and as a Last.fm CSV
(`uts,username,artist,album,track`, a dataset of a few hundred users), from a seeded generator:
Unix-second times, artists and tracks drawn from a few thousand (some Korean, some from the bundled catalog so
Encore matches them). Then, per format, each round runs each tool once, in turn, every run from
nothing and in its own process, under `/usr/bin/time -v` for its peak memory:
- Encore: `encore ingest FILE --store NEW` (detect, parse and check every field, match every listen
  to the catalog, write Parquet, commit the manifest), timed as the whole process;
- DuckDB: `COPY (SELECT … FROM read_json/read_csv(FILE)) TO 'out.parquet'`, the same columns;
- Polars: `scan_ndjson`/`scan_csv(FILE).select(…).sink_parquet('out.parquet')`.
DuckDB's and Polars' times are measured inside their process, after Python and the import, so
their start-up is not counted; Encore's is. Prints the median time and peak memory of each, and
the ratios: the other tool's time / Encore's (above 1: Encore is faster).
"""

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
LISTENS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BINARY = sys.argv[3] if len(sys.argv) > 3 else os.path.join(TARGET, "release/encore")

CATALOG_SONGS = [
    ("Ailee", "I Will Go To You Like the First Snow", "Guardian OST Part 9"),
    ("Chanyeol, Punch", "Stay With Me", "Guardian OST Part 1"),
    ("Davichi", "This Love", "Descendants of the Sun OST Part 4"),
    ("Gummy", "You Are My Everything", "Descendants of the Sun OST Part 3"),
    ("에일리", "첫눈처럼 너에게 가겠다", "도깨비 OST Part 9"),
]
KOREAN_WORDS = ["사랑", "너에게", "그리움", "봄날", "별", "밤", "우리", "기억", "바람", "하루"]


def vocabulary(rng):
    """A few thousand (artist, track, album) triples: mostly made-up Latin names, some Korean, and
    the catalog's own songs, so a share of the listens match."""
    artists = [f"Artist {index:04d}" for index in range(1500)] + [f"가수 {index}" for index in range(200)]
    songs = []
    for index in range(4000):
        artist = rng.choice(artists)
        if index % 10 == 0:
            track = " ".join(rng.sample(KOREAN_WORDS, 2))
        else:
            track = f"Track {index:05d}"
        songs.append((artist, track, f"Album {index // 12:04d}"))
    return songs + CATALOG_SONGS * 40


def write_logs(folder, count):
    """The same listens as ListenBrainz JSON lines and as a Last.fm CSV; returns their paths."""
    rng = random.Random(15)
    songs = vocabulary(rng)
    users = [f"user{index:03d}" for index in range(300)]
    jsonl_path = os.path.join(folder, "listens.jsonl")
    csv_path = os.path.join(folder, "scrobbles.csv")
    start = 1_600_000_000
    with open(jsonl_path, "w", encoding="utf-8") as jsonl, open(csv_path, "w", encoding="utf-8") as csv:
        csv.write("uts,username,artist,album,track\n")
        # The JSON text of each song once: the log is millions of lines of a few thousand songs.
        song_json = [
            (json.dumps(artist, ensure_ascii=False), json.dumps(track, ensure_ascii=False),
             json.dumps(album, ensure_ascii=False), rng.randrange(120_000, 300_000))
            for artist, track, album in songs
        ]
        song_csv = [(f'"{artist}"' if "," in artist else artist, album, track) for artist, track, album in songs]
        jsonl_lines, csv_lines = [], []
        for index in range(count):
            at = start + index * 7 + rng.randrange(7)
            user = users[rng.randrange(len(users))]
            which = rng.randrange(len(songs))
            artist, track, album, duration = song_json[which]
            jsonl_lines.append(
                f'{{"listened_at": {at}, "user_name": "{users[0]}", "track_metadata": {{"artist_name": {artist}, '
                f'"track_name": {track}, "release_name": {album}, "additional_info": {{"duration_ms": {duration}}}}}}}\n'
            )
            csv_artist, csv_album, csv_track = song_csv[which]
            csv_lines.append(f"{at},{user},{csv_artist},{csv_album},{csv_track}\n")
            if len(jsonl_lines) == 100_000:
                jsonl.write("".join(jsonl_lines))
                csv.write("".join(csv_lines))
                jsonl_lines, csv_lines = [], []
        jsonl.write("".join(jsonl_lines))
        csv.write("".join(csv_lines))
    return jsonl_path, csv_path


DUCKDB_JSON = """
import duckdb, sys, time
started = time.perf_counter()
connection = duckdb.connect()
connection.execute(
    "COPY (SELECT to_timestamp(listened_at) AS listened_at, user_name AS user, "
    "track_metadata.artist_name AS artist, track_metadata.track_name AS track, "
    "track_metadata.release_name AS album, track_metadata.additional_info.duration_ms AS duration_ms "
    "FROM read_json(?, format = 'newline_delimited')) TO '" + sys.argv[2] + "' (FORMAT parquet)",
    [sys.argv[1]],
)
print(time.perf_counter() - started)
"""

DUCKDB_CSV = """
import duckdb, sys, time
started = time.perf_counter()
connection = duckdb.connect()
connection.execute(
    "COPY (SELECT to_timestamp(uts) AS listened_at, username AS user, artist, album, track "
    "FROM read_csv(?, header = true)) TO '" + sys.argv[2] + "' (FORMAT parquet)",
    [sys.argv[1]],
)
print(time.perf_counter() - started)
"""

POLARS_JSON = """
import polars as pl, sys, time
started = time.perf_counter()
track = pl.col("track_metadata")
pl.scan_ndjson(sys.argv[1]).select(
    pl.from_epoch("listened_at").alias("listened_at"),
    pl.col("user_name").alias("user"),
    track.struct.field("artist_name").alias("artist"),
    track.struct.field("track_name").alias("track"),
    track.struct.field("release_name").alias("album"),
    track.struct.field("additional_info").struct.field("duration_ms").alias("duration_ms"),
).sink_parquet(sys.argv[2])
print(time.perf_counter() - started)
"""

POLARS_CSV = """
import polars as pl, sys, time
started = time.perf_counter()
pl.scan_csv(sys.argv[1]).select(
    pl.from_epoch("uts").alias("listened_at"),
    pl.col("username").alias("user"),
    "artist",
    "album",
    "track",
).sink_parquet(sys.argv[2])
print(time.perf_counter() - started)
"""


def timed(command):
    """Runs `command` under /usr/bin/time -v; returns its standard output and peak memory in MiB."""
    result = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if result.returncode not in (0, 3):
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, secs = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    return result.stdout, int(peak.group(1)) / 1024, elapsed


def encore(path):
    def run(scratch):
        _, peak, elapsed = timed([BINARY, "ingest", path, "--store", os.path.join(scratch, "store")])
        return elapsed, peak

    return run


def python_tool(script, path):
    def run(scratch):
        stdout, peak, _ = timed([sys.executable, "-c", script, path, os.path.join(scratch, "out.parquet")])
        return float(stdout.strip().splitlines()[-1]), peak

    return run


def rounds(runs):
    """Each run once a round, in turn, so a slow spell of this shared machine slows every tool alike."""
    measured = [[] for _ in runs]
    for _ in range(ROUNDS):
        for position, run in enumerate(runs):
            scratch = tempfile.mkdtemp(prefix="encore-bench-")
            try:
                measured[position].append(run(scratch))
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    return [
        (statistics.median(time for time, _ in each), statistics.median(peak for _, peak in each)) for each in measured
    ]


def main():
    if not os.path.exists(BINARY):
        raise SystemExit(f"{BINARY} is missing: cargo build --release -p encore")
    folder = tempfile.mkdtemp(prefix="encore-listens-")
    try:
        jsonl, csv = write_logs(folder, LISTENS)
        sizes = {path: os.path.getsize(path) / 2**20 for path in (jsonl, csv)}
        print(f"{LISTENS:,} listens; median of {ROUNDS} rounds; seconds and peak resident MiB; "
              "ratio = the other tool's time / Encore's")
        print(f"{'format':<28} {'Encore s':>9} {'MiB':>7} {'DuckDB s':>9} {'MiB':>7} {'Polars s':>9} {'MiB':>7}"
              f" {'DuckDB/Encore':>14} {'Polars/Encore':>14}")
        cases = [
            (f"ListenBrainz JSONL {sizes[jsonl]:.0f} MiB", jsonl, DUCKDB_JSON, POLARS_JSON),
            (f"Last.fm CSV {sizes[csv]:.0f} MiB", csv, DUCKDB_CSV, POLARS_CSV),
        ]
        for label, path, duckdb_script, polars_script in cases:
            (encore_s, encore_mib), (duck_s, duck_mib), (polars_s, polars_mib) = rounds(
                [encore(path), python_tool(duckdb_script, path), python_tool(polars_script, path)]
            )
            print(f"{label:<28} {encore_s:>9.2f} {encore_mib:>7.0f} {duck_s:>9.2f} {duck_mib:>7.0f} "
                  f"{polars_s:>9.2f} {polars_mib:>7.0f} {duck_s / encore_s:>14.2f} {polars_s / encore_s:>14.2f}",
                  flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
