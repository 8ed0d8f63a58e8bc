"""Print the load test's figures.

First locust's, per kind of request as the client saw it: requests, failures, p50 and p95 (ms),
queueing on a busy machine included. Then, from the site's own request log (JSON lines), the time
the server spent on each kind of page, so that waiting for a worker and working can be told apart.

    summary.py RESULT_STATS_CSV [SERVER_LOG]
"""

import csv
import json
import re
import statistics
import sys
from collections import defaultdict

with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
print("As the clients saw it (queueing included):")
print(f"{'request':<40} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8}")
for row in rows:
    name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
    print(f"{name:<40} {row['Request Count']:>9} {row['Failure Count']:>9} "
          f"{row['50%']:>8} {row['95%']:>8}")


def _percentile(values: list[int], share: float) -> int:
    return sorted(values)[min(len(values) - 1, int(share * len(values)))]


if len(sys.argv) > 2:
    times = defaultdict(list)
    with open(sys.argv[2], encoding="utf-8", errors="replace") as log:
        for line in log:
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") != "requests" or "duration_ms" not in entry:
                continue
            path = re.sub(r"\d+", "N", entry["path"])
            times[f"{entry['method']} {path}"].append(entry["duration_ms"])
            times["ALL"].append(entry["duration_ms"])
    print()
    print("Time spent in the server (from its request log):")
    print(f"{'request':<40} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in sorted(times.items(), key=lambda item: (item[0] == "ALL", item[0])):
        if len(values) >= 10:
            print(f"{name:<40} {len(values):>9} {statistics.median(values):>8.0f} "
                  f"{_percentile(values, 0.95):>8}")
