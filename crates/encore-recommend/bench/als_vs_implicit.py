"""Encore's implicit-feedback ALS recommender against the `implicit` library (0.7.3), in one run:
the quality of the recommendations on MovieLens 100K, and the time of one ALS iteration on a
generated play-count matrix shaped like lastfm-360k.

Usage: python3 crates/encore-recommend/bench/als_vs_implicit.py [--skip-quality] [--skip-speed]
       [--skip-encore] [--encore PATH] [--json OUT] [--factors 64] [--regularization 0.05]
       [--alpha 10] [--iterations 15] [--seed 42] [--threads 2] [--users 358000] [--items 160000]
       [--nnz 17500000] ...   (`--help` lists every flag)
Build Encore first (`cargo build --release -p encore`); `--skip-encore` leaves its rows out. The
script installs `implicit==0.7.3` (which brings numpy and scipy) with pip when it cannot import
it; polars is optional (it only makes the generated CSV faster to write). Markdown tables go to
stdout, progress to stderr, every figure to the JSON file (default
target/bench-recommend/results.json), and the last line printed is the command that reproduces
the run.

Same model on both sides
------------------------
Both fit the implicit-feedback model of Hu, Koren and Volinsky (2008): preference p_ui = 1 where
the user played the item (0 elsewhere), confidence c_ui = 1 + alpha * plays_ui (1 elsewhere),
minimising sum_ui c_ui (p_ui - x_u . y_i)^2 + regularization * (sum_u |x_u|^2 + sum_i |y_i|^2),
by alternating least squares, each least-squares solve done by 3 conjugate-gradient steps that
start from the previous factors (implicit's `use_cg=True`, `cg_steps=3`; Encore's `--cg-steps 3`).
Encore takes the play counts and alpha and forms c = 1 + alpha * plays itself. implicit's `fit`
takes the confidence matrix itself and only multiplies it by its own `alpha`; so implicit is given
the matrix C with C_ui = 1 + alpha * plays_ui on the played cells (no other stored cells) and
`alpha=1.0`, which is the same model. Both use the same factors, regularization, iterations,
threads and seed number (the random starting factors differ: implicit draws them from numpy's
generator, so a seed does not give the two the same start; the seed spreads below show how much
the start matters).

1. Quality on MovieLens 100K
----------------------------
The data: `recbole/dataset_example/ml-100k/ml-100k.inter`, read with `zipfile` straight out of the
`recbole==1.2.1` wheel, which `pip download recbole==1.2.1 --no-deps` fetches into
target/bench-recommend/wheel at bench time. The ratings are never extracted or written into the
repository (their licence does not allow redistributing them): the training split Encore reads
and the recommendations it writes live in a temporary folder, removed at the end.

The split: every rating, whatever its value, is one implicit interaction with plays = 1 (a user who
rated an item twice would count once, at the earliest time; ml-100k has no such pair). Per user,
the interactions are ordered by timestamp (ties by item id, numerically) and the last 20 % of
them, floor(0.2 * n) but at least 1 and never all n, go to the test set; the rest are the training
set. Every ml-100k user has at least 20 ratings, so all 943 are kept and each has >= 4 test items.
Items that appear only in the test set are unknown to every model and can only be missed.

The models, all fitted on the training set with the same hyper-parameters:
- Encore ALS: `encore recommend --plays TRAIN.csv --all --top K --out RECS.csv --factors F
  --regularization R --alpha A --iterations N --cg-steps 3 --threads T --random-seed S
  --timings TIMINGS.json` (TRAIN.csv: `user,item,plays`; RECS.csv: `user,rank,item,score`, each
  user's top K items outside their training plays);
- implicit ALS: `AlternatingLeastSquares(factors=F, regularization=R, alpha=1.0, iterations=N,
  calculate_training_loss=False, use_gpu=False, num_threads=T, random_state=S)` fitted on C, then
  `recommend(all users, C, N=K, filter_already_liked_items=True)`;
- popularity: items ordered by their number of training interactions (ties by item id), each
  user's training items left out, the first K.

One scorer scores all three. For a user u with test items T_u (|T_u| >= 1) and recommended list
r_1..r_K (the first K distinct items), hit(i) = 1 if r_i is in T_u, else 0:
- precision@K = sum_i hit(i) / K
- recall@K    = sum_i hit(i) / |T_u|
- nDCG@K      = DCG / IDCG, DCG = sum_i hit(i) / log2(i + 1),
                IDCG = sum_{i=1..min(K, |T_u|)} 1 / log2(i + 1)          (binary relevance)
- MAP@K       = AP averaged over users, AP = sum_i hit(i) * precision@i / min(K, |T_u|),
                precision@i = (sum_{j<=i} hit(j)) / i
Each metric is the mean over the users with at least one test item; a user a model gives no list
to scores 0. K = 10. Each ALS is also run with `--seed-runs` consecutive seeds (S, S+1, ...) and the spread of
its nDCG@10 is printed, so the reader sees how much of a difference is only the random start: on
ml-100k one seed's nDCG@10 moves by a few per cent from the next seed's, as much as the target.
So the ratio Encore / implicit is printed at seed S and for the means over the seeds, and the
target, Encore's nDCG@10 within 2 % of implicit's (ratio >= 0.98), is judged on the means.

2. Speed on a matrix shaped like lastfm-360k
--------------------------------------------
Generated with numpy from a fixed seed (`--data-seed`): `--users` users (358,000), `--items` items
(160,000) and `--nnz` distinct (user, item) cells (17,500,000). Every user gets one cell, the rest
are drawn with users in proportion to a log-normal activity (sigma 1.0) and items from a Zipf-like
popularity, weight 1 / rank^0.8 over a random order of the items; repeated cells are drawn again,
surplus ones dropped at random (never a user's only cell), and items that got no cell are left
out. Plays per cell are geometric (>= 1, mean 50). Written to target/bench-recommend/
lastfm_like.csv (`user,item,plays`, integer ids) for Encore and lastfm_like.npz (the same matrix,
CSR) for implicit, and reused while the sizes and seed are the same.

For each of `--speed-factors` (64 and 128), the same hyper-parameters as above but
`--speed-iterations` (3) iterations, on `--threads` threads:
- Encore: `encore recommend --plays lastfm_like.csv --top 0 ... --iterations 3 --timings J`
  (`--top 0`: fit only, no recommendations and no `--out`); seconds per iteration from J's
  `iteration_seconds`; peak resident memory of the process (reading the CSV included) from
  `/usr/bin/time -v`, or where GNU time is missing from wait4's rusage of it read by a small
  Python process that starts it (see run_measured for why not from this script itself);
- implicit: a fresh Python process (this script with `--implicit-speed-worker`, started the same
  way) that loads the CSR, builds C and fits; seconds per iteration from `fit`'s per-epoch
  callback (implicit times each epoch from before the user half-step to after the item half-step;
  `inspect.signature` checks that 0.7.3's `fit` takes it), or total fit time / iterations if it
  did not; peak resident memory from getrusage(RUSAGE_SELF).ru_maxrss at the end of the fit, so it
  includes the interpreter, numpy, scipy and the loaded matrix.
The table shows the mean and median seconds per iteration and the ratio of the means,
Encore / implicit (target <= 1.0).

Threads: OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS are set to 1 before numpy is
imported (implicit parallelises itself, over `num_threads`, and warns if BLAS is threaded too),
and implicit gets `num_threads=T`, Encore `--threads T`.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse
import csv
import glob
import importlib
import inspect
import json
import math
import platform
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict

IMPLICIT_VERSION = "0.7.3"
RECBOLE_VERSION = "1.2.1"
ML100K_MEMBER = "recbole/dataset_example/ml-100k/ml-100k.inter"
ML100K_HEADER = ["user_id:token", "item_id:token", "rating:float", "timestamp:float"]
TEST_PERCENT = 20
CG_STEPS = 3
ITEM_ZIPF_EXPONENT = 0.8
USER_ACTIVITY_SIGMA = 1.0
PLAYS_MEAN = 50
GENERATOR_VERSION = 1

SCRIPT = os.path.abspath(__file__)
ROOT = os.path.abspath(os.path.join(os.path.dirname(SCRIPT), "..", "..", ".."))
BENCH_DIR = os.path.join(ROOT, "target", "bench-recommend")


def log(message):
    print(message, file=sys.stderr, flush=True)


def _pip(*arguments):
    command = [sys.executable, "-m", "pip", *arguments]
    log("$ " + shlex.join(command))
    subprocess.run(command, check=True)


def _ensure_implicit():
    try:
        import implicit  # noqa: F401
    except ImportError:
        _pip("install", "--quiet", f"implicit=={IMPLICIT_VERSION}")
        importlib.invalidate_caches()
        import implicit  # noqa: F401
    if implicit.__version__ != IMPLICIT_VERSION:
        log(f"warning: implicit {implicit.__version__} is installed; this benchmark is written for "
            f"{IMPLICIT_VERSION} (pip install implicit=={IMPLICIT_VERSION})")
    return implicit


implicit = _ensure_implicit()

import numpy as np  # noqa: E402  (after the thread variables are set)
import scipy  # noqa: E402
import scipy.sparse as sparse  # noqa: E402
from implicit.als import AlternatingLeastSquares  # noqa: E402

try:
    import polars
except ImportError:
    polars = None


# ---------------------------------------------------------------------------------------------
# Scoring


def score_user(recommended, relevant, k):
    """precision@k, recall@k, nDCG@k and AP@k of one user's ranked list against their test items."""
    seen = set()
    top = []
    for item in recommended:
        if item not in seen:
            seen.add(item)
            top.append(item)
        if len(top) == k:
            break
    hits = 0
    dcg = 0.0
    precision_sum = 0.0
    for rank, item in enumerate(top, start=1):
        if item in relevant:
            hits += 1
            dcg += 1.0 / math.log2(rank + 1)
            precision_sum += hits / rank
    ideal = min(k, len(relevant))
    idcg = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal + 1))
    return {
        "precision": hits / k,
        "recall": hits / len(relevant),
        "ndcg": dcg / idcg,
        "map": precision_sum / ideal,
    }


def evaluate(recommendations, test, k):
    """Means over the users with at least one test item; a user without a list scores 0."""
    users = [user for user, items in test.items() if items]
    totals = {"precision": 0.0, "recall": 0.0, "ndcg": 0.0, "map": 0.0}
    missing = 0
    for user in users:
        recommended = recommendations.get(user)
        if recommended is None:
            missing += 1
            recommended = []
        for name, value in score_user(recommended, test[user], k).items():
            totals[name] += value
    result = {name: total / len(users) for name, total in totals.items()}
    result["users"] = len(users)
    result["users_without_list"] = missing
    return result


def _check_scorer():
    """The scorer against hand-computed cases."""
    close = math.isclose
    got = score_user(["a", "b", "c"], {"a", "c"}, 3)
    assert close(got["precision"], 2 / 3), got
    assert close(got["recall"], 1.0), got
    assert close(got["map"], (1 / 1 + 2 / 3) / 2), got
    assert close(got["ndcg"], (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))), got
    # More test items than K: the ideal list and AP's divisor stop at K; duplicates count once.
    got = score_user(["x", "x", "a", "b"], {"a", "b", "c"}, 2)
    assert close(got["precision"], 1 / 2), got
    assert close(got["recall"], 1 / 3), got
    assert close(got["map"], (1 / 2) / 2), got
    assert close(got["ndcg"], (1 / math.log2(3)) / (1 + 1 / math.log2(3))), got
    # A user with no list scores 0, a user with no test item is not counted.
    got = evaluate({"u": ["a"]}, {"u": {"a"}, "v": {"a"}, "w": set()}, 1)
    assert got["users"] == 2 and got["users_without_list"] == 1, got
    assert close(got["precision"], 0.5) and close(got["ndcg"], 0.5) and close(got["map"], 0.5), got


# ---------------------------------------------------------------------------------------------
# Running a measured process
#
# A process that Python starts inherits, as its own peak resident set, the peak of the process
# that started it (Linux keeps the old address space's high-water mark across fork and exec, and
# Python starts children with vfork), so neither the child's getrusage(RUSAGE_SELF) nor wait4 on
# it can be read as the child's own peak when this script has grown large (the generated matrix).
# So every measured process is started by a small process of its own: GNU time (`/usr/bin/time -v`)
# where it is installed, else a bare Python that starts the command and reads wait4's rusage of it.


def _gnu_time():
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    probe = subprocess.run([path, "-v", "-o", os.devnull, "true"], capture_output=True)
    return path if probe.returncode == 0 else None


GNU_TIME = _gnu_time()

WAIT4_PEAK = r"""
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
process.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as file:
    file.write(f"Maximum resident set size (kbytes): {usage.ru_maxrss}\n")
sys.exit(process.returncode if process.returncode >= 0 else 128 - process.returncode)
"""


def run_measured(command, scratch):
    """Runs command; returns wall seconds, peak resident KiB, how it was measured, stdout, stderr."""
    out_path = os.path.join(scratch, "stdout.txt")
    err_path = os.path.join(scratch, "stderr.txt")
    peak_path = os.path.join(scratch, "peak.txt")
    if GNU_TIME:
        wrapped, method = [GNU_TIME, "-v", "-o", peak_path] + command, "/usr/bin/time -v"
    else:
        wrapped, method = [sys.executable, "-c", WAIT4_PEAK, peak_path] + command, "wait4 rusage"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started = time.perf_counter()
        returncode = subprocess.run(wrapped, stdout=out, stderr=err).returncode
        wall = time.perf_counter() - started
    with open(out_path) as out, open(err_path) as err:
        stdout, stderr = out.read(), err.read()
    if returncode != 0:
        raise SystemExit(f"failed ({returncode}): {shlex.join(command)}\n{stderr[-4000:]}")
    with open(peak_path) as measured:
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", measured.read()).group(1))
    return wall, peak, method, stdout, stderr


def encore_command(args, plays, seed, iterations, factors, timings, top, out=None):
    command = [args.encore, "recommend", "--plays", plays]
    if out is not None:
        command += ["--all"]
    command += ["--top", str(top)]
    if out is not None:
        command += ["--out", out]
    command += [
        "--factors", str(factors), "--regularization", str(args.regularization), "--alpha", str(args.alpha),
        "--iterations", str(iterations), "--cg-steps", str(CG_STEPS), "--threads", str(args.threads),
        "--random-seed", str(seed), "--timings", timings,
    ]
    return command


def read_timings(path):
    with open(path) as file:
        timings = json.load(file)
    for key in ("read_seconds", "fit_seconds", "iteration_seconds"):
        if key not in timings:
            raise SystemExit(f"{path} has no {key!r}: {timings}")
    return timings


# ---------------------------------------------------------------------------------------------
# MovieLens 100K


def _id_key(identifier):
    return (0, int(identifier), "") if identifier.isdigit() else (1, 0, identifier)


def ml100k_wheel():
    folder = os.path.join(BENCH_DIR, "wheel")
    pattern = os.path.join(folder, f"recbole-{RECBOLE_VERSION}-*.whl")
    found = sorted(glob.glob(pattern))
    if not found:
        os.makedirs(folder, exist_ok=True)
        _pip("download", "--quiet", f"recbole=={RECBOLE_VERSION}", "--no-deps", "-d", folder)
        found = sorted(glob.glob(pattern))
        if not found:
            raise SystemExit(f"pip download left no recbole {RECBOLE_VERSION} wheel in {folder}")
    return found[0]


def load_ml100k():
    """(user, item, timestamp) of every rating, read from inside the recbole wheel."""
    wheel = ml100k_wheel()
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(ML100K_MEMBER).decode("utf-8")
    lines = text.splitlines()
    header = lines[0].split("\t")
    if header != ML100K_HEADER:
        raise SystemExit(f"unexpected header in {ML100K_MEMBER}: {header}")
    rows = []
    for line in lines[1:]:
        if line.strip():
            user, item, _rating, timestamp = line.split("\t")
            rows.append((user, item, float(timestamp)))
    return rows, os.path.relpath(wheel, ROOT)


def split_last_percent(rows, percent=TEST_PERCENT):
    """Per user, by (timestamp, item id): the last percent % (>= 1, < n) to test, the rest to train.

    Returns train and test as {user: [items in time order]} and {user: set of items}.
    """
    first_seen = defaultdict(dict)
    for user, item, timestamp in rows:
        known = first_seen[user].get(item)
        if known is None or timestamp < known:
            first_seen[user][item] = timestamp
    train, test = {}, {}
    for user, items in first_seen.items():
        ordered = [item for item, _ in sorted(items.items(), key=lambda pair: (pair[1], _id_key(pair[0])))]
        n = len(ordered)
        n_test = min(n - 1, max(1, n * percent // 100))
        train[user] = ordered[: n - n_test]
        test[user] = set(ordered[n - n_test:])
    return train, test


class TrainIndex:
    """Dense ids of the training users and items, and the training matrix (plays = 1)."""

    def __init__(self, train):
        self.users = sorted(train, key=_id_key)
        self.items = sorted({item for items in train.values() for item in items}, key=_id_key)
        self.item_id = {item: index for index, item in enumerate(self.items)}
        rows, cols = [], []
        for row, user in enumerate(self.users):
            for item in train[user]:
                rows.append(row)
                cols.append(self.item_id[item])
        plays = np.ones(len(rows), dtype=np.float32)
        self.plays = sparse.csr_matrix((plays, (rows, cols)), shape=(len(self.users), len(self.items)))
        self.plays.sum_duplicates()
        self.plays.sort_indices()


def confidence_matrix(plays, alpha):
    """C = 1 + alpha * plays on the stored cells: implicit's input for Hu-Koren-Volinsky confidence."""
    confidence = plays.astype(np.float32, copy=True)
    confidence.data = (1.0 + alpha * confidence.data).astype(np.float32)
    return confidence


def implicit_recommendations(index, args, seed):
    confidence = confidence_matrix(index.plays, args.alpha)
    model = AlternatingLeastSquares(
        factors=args.factors, regularization=args.regularization, alpha=1.0, iterations=args.iterations,
        calculate_training_loss=False, use_gpu=False, num_threads=args.threads, random_state=seed,
    )
    started = time.perf_counter()
    model.fit(confidence, show_progress=False)
    fit_seconds = time.perf_counter() - started
    users = np.arange(len(index.users))
    ids, scores = model.recommend(users, confidence, N=args.k, filter_already_liked_items=True)
    recommendations = {}
    for row, user in enumerate(index.users):
        recommendations[user] = [
            index.items[item] for item, score in zip(ids[row], scores[row]) if item >= 0 and np.isfinite(score)
        ]
    return recommendations, {"fit_seconds": fit_seconds}


def popularity_recommendations(index, k):
    counts = np.asarray((index.plays > 0).sum(axis=0)).ravel()
    order = sorted(range(len(index.items)), key=lambda item: (-counts[item], _id_key(index.items[item])))
    recommendations = {}
    for row, user in enumerate(index.users):
        known = set(index.plays.indices[index.plays.indptr[row]:index.plays.indptr[row + 1]].tolist())
        chosen = []
        for item in order:
            if item not in known:
                chosen.append(index.items[item])
                if len(chosen) == k:
                    break
        recommendations[user] = chosen
    return recommendations


def write_train_csv(path, index, train):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["user", "item", "plays"])
        for user in index.users:
            for item in sorted(train[user], key=_id_key):
                writer.writerow([user, item, 1])


def read_recommendations(path, train, n_items, k):
    """Encore's RECS.csv as {user: [items by rank]}, and what in it breaks the interface."""
    problems = []
    rows = defaultdict(list)
    with open(path, newline="") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header != ["user", "rank", "item", "score"]:
            raise SystemExit(f"{path}: header {header}, expected user,rank,item,score")
        for line, record in enumerate(reader, start=2):
            if len(record) != 4:
                problems.append(f"line {line}: {len(record)} fields")
                continue
            user, rank, item, score = record
            rows[user].append((int(rank), item, float(score)))
    for user, entries in rows.items():
        entries.sort()
        ranks = [rank for rank, _, _ in entries]
        items = [item for _, item, _ in entries]
        scores = [score for _, _, score in entries]
        if user not in train:
            problems.append(f"user {user!r} is not in the training plays")
            continue
        expected = min(k, n_items - len(set(train[user])))
        if ranks != list(range(1, len(ranks) + 1)):
            problems.append(f"user {user!r}: ranks {ranks[:12]} are not 1..n")
        if len(items) != expected:
            problems.append(f"user {user!r}: {len(items)} items, expected {expected}")
        if len(set(items)) != len(items):
            problems.append(f"user {user!r}: an item appears twice")
        if set(items) & set(train[user]):
            problems.append(f"user {user!r}: recommends items already in their training plays")
        if any(later > earlier + 1e-6 * max(1.0, abs(earlier)) for earlier, later in zip(scores, scores[1:])):
            problems.append(f"user {user!r}: scores increase with rank")
    absent = [user for user in train if user not in rows]
    if absent:
        problems.append(f"{len(absent)} training users have no recommendations (e.g. {absent[:3]})")
    return {user: [item for _, item, _ in entries] for user, entries in rows.items()}, problems


def encore_recommendations(args, train_csv, index, train, seed, scratch):
    recs = os.path.join(scratch, f"recs-{seed}.csv")
    timings_path = os.path.join(scratch, f"timings-{seed}.json")
    command = encore_command(args, train_csv, seed, args.iterations, args.factors, timings_path, args.k, out=recs)
    wall, peak, _, _, _ = run_measured(command, scratch)
    timings = read_timings(timings_path)
    recommendations, problems = read_recommendations(recs, train, len(index.items), args.k)
    for problem in problems[:20]:
        log(f"warning: Encore recommendations (seed {seed}): {problem}")
    if len(problems) > 20:
        log(f"warning: ... and {len(problems) - 20} more problems")
    return recommendations, {
        "fit_seconds": timings["fit_seconds"], "read_seconds": timings["read_seconds"],
        "wall_seconds": wall, "peak_rss_kib": peak, "interface_problems": problems,
    }


def spread(values):
    return {
        "values": values, "mean": statistics.fmean(values), "min": min(values), "max": max(values),
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
    }


def quality(args, results):
    rows, source = load_ml100k()
    train, test = split_last_percent(rows)
    per_user = [len(train[user]) + len(test[user]) for user in train]
    if min(per_user) < 5:
        log(f"note: some users have {min(per_user)} ratings (fewer than 5); they are kept")
    index = TrainIndex(train)
    dataset = {
        "source": f"{source}!{ML100K_MEMBER}", "ratings": len(rows), "users": len(index.users),
        "train_items": len(index.items), "train_interactions": int(index.plays.nnz),
        "test_interactions": sum(len(items) for items in test.values()),
        "test_items_unknown_to_train": sum(1 for items in test.values() for item in items if item not in index.item_id),
        "min_ratings_per_user": min(per_user), "test_percent": TEST_PERCENT,
    }
    seeds = [args.seed + offset for offset in range(args.seed_runs)]
    k = args.k
    models = {}
    spreads = {}

    with tempfile.TemporaryDirectory(prefix="encore-ml100k-") as scratch:
        if not args.skip_encore:
            train_csv = os.path.join(scratch, "train.csv")
            write_train_csv(train_csv, index, train)
            ndcgs = []
            for seed in seeds:
                log(f"ml-100k: Encore ALS, seed {seed}")
                recommendations, extra = encore_recommendations(args, train_csv, index, train, seed, scratch)
                metrics = evaluate(recommendations, test, k)
                ndcgs.append(metrics["ndcg"])
                if seed == args.seed:
                    models["Encore ALS"] = {**metrics, **extra, "seed": seed}
            spreads["Encore ALS"] = {"seeds": seeds, **spread(ndcgs)}

    ndcgs = []
    for seed in seeds:
        log(f"ml-100k: implicit ALS, seed {seed}")
        recommendations, extra = implicit_recommendations(index, args, seed)
        metrics = evaluate(recommendations, test, k)
        ndcgs.append(metrics["ndcg"])
        if seed == args.seed:
            models[f"implicit {implicit.__version__} ALS"] = {**metrics, **extra, "seed": seed}
    spreads[f"implicit {implicit.__version__} ALS"] = {"seeds": seeds, **spread(ndcgs)}

    log("ml-100k: popularity")
    started = time.perf_counter()
    popular = popularity_recommendations(index, k)
    models["popularity"] = {**evaluate(popular, test, k), "fit_seconds": time.perf_counter() - started}

    implicit_name = f"implicit {implicit.__version__} ALS"
    ratio = mean_ratio = None
    if "Encore ALS" in models:
        ratio = models["Encore ALS"]["ndcg"] / models[implicit_name]["ndcg"]
        mean_ratio = spreads["Encore ALS"]["mean"] / spreads[implicit_name]["mean"]

    print(f"## MovieLens 100K: top {k} (leave last {TEST_PERCENT} % of each user's ratings out)\n")
    print(f"{dataset['users']} users, {dataset['train_items']} items in training, "
          f"{dataset['train_interactions']} training and {dataset['test_interactions']} test interactions "
          f"({dataset['test_items_unknown_to_train']} of these on items unseen in training). ALS: factors "
          f"{args.factors}, regularization {args.regularization}, alpha {args.alpha}, {args.iterations} "
          f"iterations, {CG_STEPS} CG steps, seed {args.seed}, {args.threads} threads.\n")
    print(f"| model | precision@{k} | recall@{k} | nDCG@{k} | MAP@{k} | fit s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, metrics in models.items():
        print(f"| {name} | {metrics['precision']:.4f} | {metrics['recall']:.4f} | {metrics['ndcg']:.4f} | "
              f"{metrics['map']:.4f} | {metrics['fit_seconds']:.2f} |")
    print()
    if ratio is None:
        print(f"nDCG@{k} Encore / implicit: n/a (Encore skipped)\n")
    else:
        verdict = "met" if mean_ratio >= 0.98 else "NOT met"
        print(f"nDCG@{k} Encore / implicit: {ratio:.4f} at seed {args.seed}; {mean_ratio:.4f} for the means over "
              f"{len(seeds)} seeds (target: within 2 %, >= 0.98, judged on the means: {verdict})\n")
    print(f"nDCG@{k} over seeds (the random start's noise):\n")
    print("| model | seeds | nDCG@10 per seed | mean | stdev | max - min |")
    print("|---|---|---|---:|---:|---:|")
    for name, values in spreads.items():
        per_seed = ", ".join(f"{value:.4f}" for value in values["values"])
        print(f"| {name} | {', '.join(map(str, values['seeds']))} | {per_seed} | {values['mean']:.4f} | "
              f"{values['stdev']:.4f} | {values['max'] - values['min']:.4f} |")
    print(flush=True)
    results["quality"] = {
        "dataset": dataset, "k": k, "models": models, "ndcg_seed_spread": spreads,
        "ndcg_ratio_encore_over_implicit": ratio, "ndcg_ratio_of_seed_means": mean_ratio,
    }


# ---------------------------------------------------------------------------------------------
# The lastfm-360k-shaped matrix


def generate_plays(users, items, nnz, seed):
    """A users x items play-count matrix in CSR order: (indptr, indices, plays, n_items, stats)."""
    if nnz < users:
        raise SystemExit(f"--nnz {nnz} is below --users {users}: every user gets at least one cell")
    if nnz > users * items // 2:
        raise SystemExit(f"--nnz {nnz} is more than half of {users} x {items}: too dense to draw")
    rng = np.random.default_rng(seed)
    activity = rng.lognormal(0.0, USER_ACTIVITY_SIGMA, users)
    user_cdf = np.cumsum(activity)
    user_cdf /= user_cdf[-1]
    item_cdf = np.cumsum(np.arange(1, items + 1, dtype=np.float64) ** -ITEM_ZIPF_EXPONENT)
    item_cdf /= item_cdf[-1]
    item_of_rank = rng.permutation(items).astype(np.int64)

    def draw(cdf, count):
        picked = np.searchsorted(cdf, rng.random(count), side="right")
        return np.minimum(picked, len(cdf) - 1)

    # One cell per user first (kept at the front, never dropped), then users by activity.
    keys = np.arange(users, dtype=np.int64) * items + item_of_rank[draw(item_cdf, users)]
    for _ in range(50):
        if len(keys) >= nnz:
            break
        want = int((nnz - len(keys)) * 1.08) + 1000
        extra = draw(user_cdf, want).astype(np.int64) * items + item_of_rank[draw(item_cdf, want)]
        extra = np.unique(extra)
        extra = extra[~np.isin(extra, keys)]
        keys = np.concatenate([keys, extra])
        log(f"  drew {want:,} cells, {len(keys):,} distinct so far")
    else:
        raise SystemExit("could not draw enough distinct cells")
    if len(keys) > nnz:
        drop = users + rng.choice(len(keys) - users, len(keys) - nnz, replace=False)
        keep = np.ones(len(keys), dtype=bool)
        keep[drop] = False
        keys = keys[keep]
    keys.sort()
    user = keys // items
    item = keys % items
    del keys
    present = np.bincount(item, minlength=items) > 0
    new_id = np.cumsum(present) - 1
    item = new_id[item].astype(np.int32)
    n_items = int(present.sum())
    degree = np.bincount(user, minlength=users)
    indptr = np.concatenate([[0], np.cumsum(degree)]).astype(np.int64)
    plays = rng.geometric(1.0 / PLAYS_MEAN, size=len(item)).astype(np.int32)
    item_degree = np.bincount(item, minlength=n_items)
    stats = {
        "users": users, "items": n_items, "nnz": int(len(item)),
        "cells_per_user_mean": float(degree.mean()), "cells_per_user_median": float(np.median(degree)),
        "cells_per_user_max": int(degree.max()), "cells_of_top_item": int(item_degree.max()),
        "plays_mean": float(plays.mean()), "plays_max": int(plays.max()),
    }
    return indptr, item, plays, user, stats


def write_plays_csv(path, user, item, plays):
    temporary = path + ".tmp"
    if polars is not None:
        polars.DataFrame({"user": user, "item": item, "plays": plays}).write_csv(temporary)
    else:
        np.savetxt(temporary, np.column_stack([user, item, plays]), fmt="%d", delimiter=",",
                   header="user,item,plays", comments="")
    os.replace(temporary, path)


def lastfm_like(args):
    """The generated matrix's CSV and NPZ paths and its stats, made now or reused."""
    os.makedirs(BENCH_DIR, exist_ok=True)
    csv_path = os.path.join(BENCH_DIR, "lastfm_like.csv")
    npz_path = os.path.join(BENCH_DIR, "lastfm_like.npz")
    meta_path = os.path.join(BENCH_DIR, "lastfm_like.json")
    wanted = {
        "generator": GENERATOR_VERSION, "users": args.users, "items": args.items, "nnz": args.nnz,
        "seed": args.data_seed, "item_zipf_exponent": ITEM_ZIPF_EXPONENT,
        "user_activity_sigma": USER_ACTIVITY_SIGMA, "plays_mean": PLAYS_MEAN,
    }
    if os.path.exists(meta_path) and os.path.exists(csv_path) and os.path.exists(npz_path):
        with open(meta_path) as file:
            meta = json.load(file)
        if meta.get("wanted") == wanted:
            log(f"lastfm-like: reusing {os.path.relpath(csv_path, ROOT)}")
            return csv_path, npz_path, meta["stats"]
    log(f"lastfm-like: generating {args.users:,} users x {args.items:,} items, {args.nnz:,} cells")
    started = time.perf_counter()
    indptr, item, plays, user, stats = generate_plays(args.users, args.items, args.nnz, args.data_seed)
    log(f"  generated in {time.perf_counter() - started:.1f} s: {stats}")
    started = time.perf_counter()
    np.savez(npz_path, indptr=indptr, indices=item, plays=plays, shape=np.array([stats["users"], stats["items"]]))
    write_plays_csv(csv_path, user, item, plays)
    log(f"  written in {time.perf_counter() - started:.1f} s")
    with open(meta_path, "w") as file:
        json.dump({"wanted": wanted, "stats": stats}, file, indent=1)
    return csv_path, npz_path, stats


def implicit_speed_worker(args):
    """In its own process: fit implicit on the NPZ matrix, print JSON timings and peak memory."""
    peak_at_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored = np.load(args.implicit_speed_worker)
    shape = tuple(int(size) for size in stored["shape"])
    plays = sparse.csr_matrix((stored["plays"], stored["indices"], stored["indptr"]), shape=shape)
    confidence = confidence_matrix(plays, args.alpha)
    del plays, stored
    model = AlternatingLeastSquares(
        factors=args.factors, regularization=args.regularization, alpha=1.0, iterations=args.iterations,
        calculate_training_loss=False, use_gpu=False, num_threads=args.threads, random_state=args.seed,
    )
    peak_before_fit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    iteration_seconds = []
    has_callback = "callback" in inspect.signature(model.fit).parameters
    started = time.perf_counter()
    if has_callback:
        def per_epoch(_epoch, elapsed, _loss):
            iteration_seconds.append(elapsed)

        model.fit(confidence, show_progress=False, callback=per_epoch)
    else:
        model.fit(confidence, show_progress=False)
    fit_seconds = time.perf_counter() - started
    if not has_callback:
        iteration_seconds = [fit_seconds / args.iterations] * args.iterations
    print(json.dumps({
        "iteration_seconds": iteration_seconds, "fit_seconds": fit_seconds,
        "timing": "fit callback" if has_callback else "fit total / iterations",
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "peak_rss_kib_before_fit": peak_before_fit, "peak_rss_kib_at_start": peak_at_start,
    }))


def speed(args, results):
    csv_path, npz_path, stats = lastfm_like(args)
    rows = []
    with tempfile.TemporaryDirectory(prefix="encore-speed-") as scratch:
        for factors in args.speed_factors:
            row = {"factors": factors, "threads": args.threads, "iterations": args.speed_iterations}
            if not args.skip_encore:
                log(f"speed: Encore, {factors} factors")
                timings_path = os.path.join(scratch, f"timings-encore-{factors}.json")
                command = encore_command(args, csv_path, args.seed, args.speed_iterations, factors, timings_path, 0)
                wall, peak, method, _, _ = run_measured(command, scratch)
                timings = read_timings(timings_path)
                per_iteration = timings["iteration_seconds"]
                if len(per_iteration) != args.speed_iterations:
                    log(f"warning: Encore reported {len(per_iteration)} iteration times for "
                        f"{args.speed_iterations} iterations")
                row["encore"] = {
                    "iteration_seconds": per_iteration, "mean": statistics.fmean(per_iteration),
                    "median": statistics.median(per_iteration), "read_seconds": timings["read_seconds"],
                    "fit_seconds": timings["fit_seconds"], "wall_seconds": wall, "peak_rss_kib": peak,
                    "peak_rss_method": method,
                }
            log(f"speed: implicit, {factors} factors")
            command = [
                sys.executable, SCRIPT, "--implicit-speed-worker", npz_path, "--factors", str(factors),
                "--regularization", str(args.regularization), "--alpha", str(args.alpha),
                "--iterations", str(args.speed_iterations), "--threads", str(args.threads), "--seed", str(args.seed),
            ]
            _, outside_peak, method, stdout, _ = run_measured(command, scratch)
            worker = json.loads(stdout.strip().splitlines()[-1])
            per_iteration = worker["iteration_seconds"]
            row["implicit"] = {
                **worker, "mean": statistics.fmean(per_iteration), "median": statistics.median(per_iteration),
                "peak_rss_method": "getrusage(RUSAGE_SELF) in the fitting process",
                "peak_rss_kib_outside": outside_peak, "peak_rss_method_outside": method,
            }
            if "encore" in row:
                row["ratio_encore_over_implicit"] = row["encore"]["mean"] / row["implicit"]["mean"]
            rows.append(row)

    print("## ALS seconds per iteration on a lastfm-360k-shaped matrix\n")
    print(f"{stats['users']:,} users, {stats['items']:,} items, {stats['nnz']:,} play counts (generated, "
          f"seed {args.data_seed}); regularization {args.regularization}, alpha {args.alpha}, {CG_STEPS} CG steps, "
          f"{args.speed_iterations} iterations each, {args.threads} threads, {os.cpu_count()} cores. Ratio of the "
          f"means; peak resident memory of the whole process.\n")
    print("| factors | Encore s/iteration (mean / median) | implicit s/iteration (mean / median) | "
          "ratio Encore/implicit (target <= 1.0) | threads | Encore peak MiB | implicit peak MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        encore = row.get("encore")
        theirs = row["implicit"]
        encore_time = f"{encore['mean']:.3f} / {encore['median']:.3f}" if encore else "n/a"
        ratio = f"{row['ratio_encore_over_implicit']:.2f}" if encore else "n/a"
        encore_peak = f"{encore['peak_rss_kib'] / 1024:.0f}" if encore else "n/a"
        print(f"| {row['factors']} | {encore_time} | {theirs['mean']:.3f} / {theirs['median']:.3f} | {ratio} | "
              f"{row['threads']} | {encore_peak} | {theirs['peak_rss_kib'] / 1024:.0f} |")
    print(flush=True)
    results["speed"] = {"matrix": {**stats, "csv": os.path.relpath(csv_path, ROOT), "seed": args.data_seed},
                        "rows": rows}


# ---------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encore", default=os.path.join(ROOT, "target", "release", "encore"),
                        help="the Encore binary (default: target/release/encore in the repository)")
    parser.add_argument("--json", default=os.path.join(BENCH_DIR, "results.json"), help="where every figure goes")
    parser.add_argument("--skip-quality", action="store_true", help="no MovieLens 100K part")
    parser.add_argument("--skip-speed", action="store_true", help="no lastfm-like timing part")
    parser.add_argument("--skip-encore", action="store_true", help="leave Encore's rows out")
    parser.add_argument("--factors", type=int, default=64)
    parser.add_argument("--regularization", type=float, default=0.05)
    parser.add_argument("--alpha", type=float, default=10.0)
    parser.add_argument("--iterations", type=int, default=15)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--k", type=int, default=10, help="recommendations per user and metric cut-off")
    parser.add_argument("--seed-runs", type=int, default=3, help="seeds per ALS for the nDCG spread")
    parser.add_argument("--users", type=int, default=358_000)
    parser.add_argument("--items", type=int, default=160_000)
    parser.add_argument("--nnz", type=int, default=17_500_000)
    parser.add_argument("--data-seed", type=int, default=360, help="seed of the generated matrix")
    parser.add_argument("--speed-factors", type=lambda text: [int(part) for part in text.split(",")],
                        default=[64, 128], help="comma-separated, default 64,128")
    parser.add_argument("--speed-iterations", type=int, default=3)
    parser.add_argument("--implicit-speed-worker", metavar="NPZ", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def reproduce_command(args):
    command = ["python3", os.path.relpath(SCRIPT, ROOT)]
    for flag in ("skip_quality", "skip_speed", "skip_encore"):
        if getattr(args, flag):
            command.append("--" + flag.replace("_", "-"))
    if os.path.abspath(args.encore) != os.path.join(ROOT, "target", "release", "encore"):
        command += ["--encore", args.encore]
    if os.path.abspath(args.json) != os.path.join(BENCH_DIR, "results.json"):
        command += ["--json", args.json]
    command += [
        "--factors", str(args.factors), "--regularization", str(args.regularization), "--alpha", str(args.alpha),
        "--iterations", str(args.iterations), "--seed", str(args.seed), "--threads", str(args.threads),
        "--k", str(args.k), "--seed-runs", str(args.seed_runs),
    ]
    if not args.skip_speed:
        command += [
            "--users", str(args.users), "--items", str(args.items), "--nnz", str(args.nnz),
            "--data-seed", str(args.data_seed), "--speed-factors", ",".join(map(str, args.speed_factors)),
            "--speed-iterations", str(args.speed_iterations),
        ]
    return f"cd {shlex.quote(ROOT)} && {shlex.join(command)}"


def display_path(path):
    path = os.path.abspath(path)
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path


def git_commit():
    try:
        done = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True)
        return done.stdout.strip() or None
    except OSError:
        return None


def main():
    args = parse_args()
    if args.implicit_speed_worker:
        implicit_speed_worker(args)
        return
    _check_scorer()
    if not args.skip_encore:
        args.encore = os.path.abspath(args.encore)
        if not os.access(args.encore, os.X_OK):
            raise SystemExit(f"no Encore binary at {args.encore}: build it (cargo build --release -p encore), "
                             "pass --encore PATH, or run with --skip-encore")
    results = {
        "environment": {
            "python": platform.python_version(), "implicit": implicit.__version__, "numpy": np.__version__,
            "scipy": scipy.__version__, "polars": polars.__version__ if polars else None,
            "cores": os.cpu_count(), "machine": platform.platform(), "git_commit": git_commit(),
            "encore": None if args.skip_encore else args.encore,
        },
        "parameters": {
            "factors": args.factors, "regularization": args.regularization, "alpha": args.alpha,
            "iterations": args.iterations, "cg_steps": CG_STEPS, "seed": args.seed, "threads": args.threads,
            "k": args.k, "seed_runs": args.seed_runs,
        },
    }
    print(f"# Encore ALS vs implicit {implicit.__version__} ({os.cpu_count()} cores, {args.threads} threads)\n")
    if not args.skip_quality:
        quality(args, results)
    if not args.skip_speed:
        speed(args, results)
    results["command"] = reproduce_command(args)
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as file:
        json.dump(results, file, indent=1)
    print(f"Figures: {display_path(args.json)}\n")
    print("Reproduce with:\n")
    print(f"    {results['command']}")


if __name__ == "__main__":
    main()
