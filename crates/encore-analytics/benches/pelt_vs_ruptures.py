"""Speed of Encore's PELT against ruptures' on the same series, cost and penalty.

Series: seeded (numpy default_rng), piecewise constant, segments of 50 to 500 points whose level
moves by ±1 to ±3, plus N(0, 1) noise. Both sides run PELT with the change-in-mean cost ("l2"),
segments of at least 2 points, every index a candidate (ruptures' jump=1), and the penalty
3·ln n per changepoint:
- ruptures: `Pelt(model="l2", min_size=2, jump=1).fit(x).predict(pen=P)`, timed as the CPU time
  of its process (single-threaded, so contention on the machine does not count);
- Encore: `cargo bench -p encore-analytics --bench pelt_speed -- FILE P` (release build), which
  times its own detection; the best of a few runs.
The changepoints must be equal; the table says so for each size ruptures finished. Every size is
also checked against a short vectorised numpy PELT written here (same cost, penalty, least
segment and tie rule), which runs where ruptures is too slow to.

ruptures is slow on long series (about 25 s at 10^4 points and superlinear), so each ruptures
run has a CPU-time limit (--limit, default 3600 s), and a size whose time, extrapolated from the
previous one, would pass it is not run: the table says so and gives the estimate.

Run: `python3 crates/encore-analytics/benches/pelt_vs_ruptures.py [--sizes 100000 300000 1000000]`
(installs ruptures with pip when missing).
"""

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MANIFEST = Path(__file__).resolve().parent.parent
RUPTURES_VERSION = "1.1.10"


def ensure_ruptures():
    try:
        import ruptures  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", f"ruptures=={RUPTURES_VERSION}"], check=True)


def make_series(count, seed):
    random = np.random.default_rng(seed)
    values = np.empty(count)
    start, level = 0, 0.0
    while start < count:
        length = int(random.integers(50, 501))
        level += random.choice([-1.0, 1.0]) * random.uniform(1.0, 3.0)
        values[start:start + length] = level
        start += length
    return values + random.standard_normal(count)


def numpy_pelt(values, penalty, min_size):
    """Exact PELT with the l2 cost from prefix sums; ties go to the earliest last changepoint."""
    count = len(values)
    centred = values - values.mean()
    sums = np.concatenate([[0.0], np.cumsum(centred)])
    squares = np.concatenate([[0.0], np.cumsum(centred * centred)])
    best = np.zeros(count + 1)
    best[0] = -penalty
    previous = np.zeros(count + 1, dtype=np.int64)
    candidates = np.array([0], dtype=np.int64)
    for end in range(min_size, count + 1):
        lengths = end - candidates
        segment_sums = sums[end] - sums[candidates]
        totals = best[candidates] + np.maximum(squares[end] - squares[candidates] - segment_sums ** 2 / lengths, 0.0)
        chosen = int(np.argmin(totals + penalty))
        best[end] = totals[chosen] + penalty
        previous[end] = candidates[chosen]
        candidates = candidates[totals <= best[end]]
        if end + 1 >= 2 * min_size and end + min_size <= count:
            candidates = np.append(candidates, end + 1 - min_size)
    changepoints, end = [], count
    while end > 0:
        start = int(previous[end])
        if start > 0:
            changepoints.append(start)
        end = start
    return changepoints[::-1]


def ruptures_worker(path, penalty, limit):
    """Runs in its own process: prints {"seconds", "changepoints"} or is killed at the limit."""
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))
    import ruptures

    values = np.loadtxt(path)
    started = time.process_time()
    breakpoints = ruptures.Pelt(model="l2", min_size=2, jump=1).fit(values).predict(pen=penalty)
    seconds = time.process_time() - started
    print(json.dumps({"seconds": seconds, "changepoints": [int(point) for point in breakpoints[:-1]]}))


def run_ruptures(path, penalty, limit):
    command = [sys.executable, __file__, "--ruptures-worker", str(path), repr(penalty), str(limit)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_encore():
    subprocess.run(["cargo", "bench", "-p", "encore-analytics", "--bench", "pelt_speed", "--no-run"],
                   cwd=MANIFEST, check=True, capture_output=True)


def run_encore(path, penalty, repeats):
    best = None
    for _ in range(repeats):
        done = subprocess.run(
            ["cargo", "bench", "-q", "-p", "encore-analytics", "--bench", "pelt_speed", "--", str(path), repr(penalty)],
            cwd=MANIFEST, check=True, capture_output=True, text=True)
        result = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--limit", type=int, default=3600, help="CPU seconds allowed to one ruptures run")
    parser.add_argument("--repeats", type=int, default=5, help="Encore runs per size (the best counts)")
    parser.add_argument("--ruptures-worker", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.ruptures_worker:
        path, penalty, limit = arguments.ruptures_worker
        ruptures_worker(path, float(penalty), int(limit))
        return
    ensure_ruptures()
    build_encore()
    rows = []
    previous = None  # (size, ruptures seconds) of the last size ruptures finished
    with tempfile.TemporaryDirectory() as folder:
        # Encore first, on every size, so its short wall-clock runs do not wait behind ruptures.
        series = []
        for count in arguments.sizes:
            path = Path(folder) / f"series_{count}.txt"
            np.savetxt(path, make_series(count, arguments.seed), fmt="%.17g")
            penalty = 3.0 * math.log(count)
            encore = run_encore(path, penalty, arguments.repeats)
            encore["same_as_numpy"] = numpy_pelt(np.loadtxt(path), penalty, 2) == encore["changepoints"]
            series.append((count, path, penalty, encore))
        for count, path, penalty, encore in series:
            estimate = None
            if previous is not None:
                # ruptures grew about as n^1.3 from 10^4 to 3·10^4 points.
                estimate = previous[1] * (count / previous[0]) ** 1.3
            if estimate is not None and estimate > arguments.limit:
                rows.append((count, encore, None, (f"not run: ≈ {estimate:,.0f} s extrapolated", "≈", estimate)))
                continue
            reference = run_ruptures(path, penalty, arguments.limit)
            if reference is None:
                rows.append((count, encore, None, (f"stopped at the {arguments.limit} s limit", ">", arguments.limit)))
                continue
            previous = (count, reference["seconds"])
            rows.append((count, encore, reference, None))
    print("\nPELT, l2 cost, min_size 2, jump 1, penalty 3·ln n; series seeded "
          f"{arguments.seed}, segments of 50-500 points, N(0,1) noise\n")
    print("| n | changepoints | ruptures 1.1.10 (s, CPU) | Encore (s) | Encore faster by "
          "| same as ruptures | same as numpy PELT |")
    print("|---:|---:|---:|---:|---:|---|---|")
    for count, encore, reference, note in rows:
        found = len(encore["changepoints"])
        numpy_same = "yes" if encore["same_as_numpy"] else "NO"
        if reference is None:
            text, relation, seconds = note
            ratio = f"{relation} {seconds / encore['seconds']:,.0f}×"
            print(f"| {count:,} | {found} | {text} | {encore['seconds']:.4f} | {ratio} | not run | {numpy_same} |")
            continue
        same = "yes" if reference["changepoints"] == encore["changepoints"] else "NO"
        ratio = reference["seconds"] / encore["seconds"]
        print(f"| {count:,} | {found} | {reference['seconds']:.1f} | {encore['seconds']:.4f} | {ratio:,.0f}× "
              f"| {same} | {numpy_same} |")
    print("\nReproduce: python3 crates/encore-analytics/benches/pelt_vs_ruptures.py")


if __name__ == "__main__":
    main()
