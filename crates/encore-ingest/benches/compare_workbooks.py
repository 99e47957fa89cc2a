"""Loads the same workbooks as `cargo bench --workspace --bench workbooks` with Polars' read_excel.

Usage: python3 crates/encore-ingest/benches/compare_workbooks.py [WORKBOOK_DIR]
(pip install -r crates/encore-ingest/benches/requirements.txt first: polars and fastexcel, the
calamine engine Polars reads workbooks with). WORKBOOK_DIR is kr-platform-charts-2022q1 (its
sub-folders hold the .xlsx files). Reads every workbook's first sheet into a DataFrame, concatenates
them, and prints the median of five runs from disk as `polars_read_excel_ms <ms>` (the page cache
is warm after the first run), then the row count.
"""

import glob
import os
import statistics
import sys
import time

import polars

FOLDER = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "../../../../shared/data/kr-platform-charts-2022q1"
)
WORKBOOKS = sorted(glob.glob(os.path.join(FOLDER, "*", "*.xlsx")))


def load():
    frames = [polars.read_excel(path, engine="calamine") for path in WORKBOOKS]
    return polars.concat(frames).height


times, rows = [], 0
for _ in range(5):
    started = time.perf_counter()
    rows = load()
    times.append(time.perf_counter() - started)
print(f"polars_read_excel_ms {statistics.median(times) * 1000:.1f}")
print(f"rows {rows} from {len(WORKBOOKS)} workbooks")
