"""Print locust's figures per kind of request: requests, failures, p50 and p95 (ms)."""

import csv
import sys

with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
print(f"{'request':<36} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8}")
for row in rows:
    name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
    print(f"{name:<36} {row['Request Count']:>9} {row['Failure Count']:>9} "
          f"{row['50%']:>8} {row['95%']:>8}")
