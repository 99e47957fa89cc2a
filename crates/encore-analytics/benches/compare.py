"""Reference methods on the accuracy bench's synthetic series (see accuracy.rs).

Reads peaks.csv, peaks_truth.csv and effects.csv from the folder given as the only argument and
prints `task<TAB>method<TAB>result` lines:
- ruptures PELT (model "l2", jump 1, min_size 2) on the log series with the same automatic penalty
  and the same peak rule as Encore, and with ruptures' usual hand penalty (3 * ln n * var);
- pycausalimpact (a local-level structural time-series model; statsmodels) on the log series,
  with the comparable songs as covariates, pre-period days 0..event-1, post-period the 28 days on.
"""

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import ruptures

warnings.filterwarnings("ignore")
TOLERANCE = 7


def robust_sigma(values):
    differences = np.diff(values)
    return 1.4826 * np.median(np.abs(differences - np.median(differences))) / np.sqrt(2)


def peaks_from_segments(logs, bounds, step):
    segments = [(start, end, logs[start:end].mean()) for start, end in zip(bounds[:-1], bounds[1:])]
    peaks = []
    for index, (start, end, mean) in enumerate(segments):
        above_left = index == 0 or mean > segments[index - 1][2] + step
        above_right = index + 1 == len(segments) or mean > segments[index + 1][2] + step
        if above_left and above_right and len(segments) > 1:
            peaks.append(start + int(np.argmax(logs[start:end])))
    return peaks


def f1(found, truth):
    used = [False] * len(truth)
    hits = 0
    for day in found:
        for index, true_day in enumerate(truth):
            if not used[index] and abs(true_day - day) <= TOLERANCE:
                used[index] = True
                hits += 1
                break
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def compare_peaks(folder):
    series = pd.read_csv(folder / "peaks.csv")
    truth = pd.read_csv(folder / "peaks_truth.csv")
    scores = {"automatic": [], "hand": []}
    started = time.perf_counter()
    for seed, rows in series.groupby("seed"):
        logs = np.log(rows.sort_values("day")["value"].to_numpy())
        true_days = sorted(truth[truth.seed == seed]["day"].tolist())
        sigma = robust_sigma(logs)
        penalties = {"automatic": 2 * sigma**2 * np.log(len(logs)), "hand": 3 * np.log(len(logs)) * np.var(logs)}
        for label, penalty in penalties.items():
            bounds = [0] + ruptures.Pelt(model="l2", min_size=2, jump=1).fit(logs).predict(pen=penalty)
            scores[label].append(f1(peaks_from_segments(logs, bounds, 2 * sigma), true_days))
    elapsed = time.perf_counter() - started
    task = "peak F1 (±7 days)"
    print(f"{task}\truptures PELT, same automatic penalty\t{np.mean(scores['automatic']):.3f}")
    print(f"{task}\truptures PELT, penalty 3·ln n·var\t{np.mean(scores['hand']):.3f} ({elapsed:.1f} s for both)")


def compare_effects(folder):
    if not hasattr(pd.DataFrame, "applymap"):
        pd.DataFrame.applymap = pd.DataFrame.map
    from causalimpact import CausalImpact

    series = pd.read_csv(folder / "effects.csv")
    errors, widths, covered = [], [], 0
    started = time.perf_counter()
    for seed, rows in series.groupby("seed"):
        rows = rows.sort_values("day")
        event = int(rows["event"].iloc[0])
        lift = float(rows["lift"].iloc[0])
        columns = ["song"] + [column for column in rows.columns if column.startswith("donor")]
        data = np.log(rows[columns].reset_index(drop=True))
        impact = CausalImpact(data, [0, event - 1], [event, len(data) - 1])
        inferences = impact.inferences.iloc[event:]
        actual = data["song"].iloc[event:].to_numpy()
        gap = actual.mean() - inferences["preds"].mean()
        low = actual.mean() - inferences["preds_upper"].mean()
        high = actual.mean() - inferences["preds_lower"].mean()
        errors.append(abs(np.exp(gap) - 1 - lift))
        covered += int(np.exp(low) - 1 <= lift <= np.exp(high) - 1)
        widths.append(np.exp(high) - np.exp(low))
    elapsed = time.perf_counter() - started
    task = "lift: mean abs error; 95 % interval coverage, mean width"
    count = len(errors)
    result = f"{100 * np.mean(errors):.1f} pts; {100 * covered / count:.0f} %, {100 * np.mean(widths):.0f} pts ({elapsed:.1f} s)"
    print(f"{task}\tpycausalimpact, comparables as covariates\t{result}")


def main():
    folder = Path(sys.argv[1])
    compare_peaks(folder)
    compare_effects(folder)


if __name__ == "__main__":
    main()
