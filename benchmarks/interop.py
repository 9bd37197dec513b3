"""Importer benchmarks: the ACLED and GDELT readers against the ``csv`` module's floor.

    python -m benchmarks.interop            # N = 10^5 and 10^6 generated rows
    python -m benchmarks.interop --quick    # N = 2,000: checks the harness (numbers mean nothing)

For each format and N, one file of N generated rows is written; then, each in
a fresh process (so that peak memory is the case's own):

- **floor**: the file parsed by ``csv`` into one dict per row
  (``csv.DictReader``; for GDELT, which has no header, with GDELT's 61 column
  names), each dict dropped at once;
- **reader**: ``read_acled`` / ``read_gdelt`` streaming the file into events,
  each event dropped at once (what an importer that writes as it goes does).

Reported: rows per second of each, the reader's rate as a fraction of the
floor's (target >= 0.3), and each process's peak RSS (``ru_maxrss``), whose
change from 10^5 to 10^6 rows shows whether memory stays flat in the file
size.  Cases alternate floor/reader; the median of the repeats is kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from crisis_model.interop.acled import COLUMNS as ACLED_COLUMNS
from crisis_model.interop.gdelt import COLUMNS as GDELT_COLUMNS

_SUB_EVENTS = [
    ("Protests", "Peaceful protest", 40), ("Protests", "Protest with intervention", 10),
    ("Protests", "Excessive force against protesters", 5), ("Riots", "Violent demonstration", 8),
    ("Riots", "Mob violence", 5), ("Strategic developments", "Arrests", 10),
    ("Battles", "Armed clash", 12), ("Violence against civilians", "Attack", 10),
]
_CAMEO = [("141", "141", "14"), ("1411", "141", "14"), ("145", "145", "14"),
          ("173", "173", "17"), ("175", "175", "17"), ("0841", "084", "08"),
          ("051", "051", "05"), ("1041", "104", "10"), ("010", "010", "01"), ("111", "111", "11")]


def write_acled(path: Path, n: int, seed: int = 2024) -> None:
    """``n`` generated ACLED rows (1,000 distinct actor names), newest first."""
    rng = random.Random(seed)
    kinds = [k for k in _SUB_EVENTS for _ in range(k[2])]
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(ACLED_COLUMNS)
        for i in range(n):
            event_type, sub, _ = rng.choice(kinds)
            day = 1 + (n - i) * 365 // (n + 1)
            row = dict.fromkeys(ACLED_COLUMNS, "")
            row.update(
                event_id_cnty=f"VEN{i}", event_date=f"2024-{1 + (day - 1) // 31 % 12:02d}-"
                f"{1 + (day - 1) % 28:02d}", year="2024", time_precision=rng.choice("1113"),
                disorder_type="Demonstrations", event_type=event_type, sub_event_type=sub,
                actor1=f"Protesters group {rng.randrange(1000)} (Venezuela)", inter1="Protesters",
                actor2=rng.choice(["", "Police Forces of Venezuela (2013-)"]), iso="862",
                region="South America", country="Venezuela", admin1="Distrito Capital",
                location="Caracas", latitude="10.5000", longitude="-66.9167", geo_precision="1",
                source="Synthetic Wire", source_scale="National",
                notes=f"Synthetic record {i}: a generated event for the benchmark.",
                fatalities=str(rng.choice([0, 0, 0, 1, 2])), timestamp="1722556800",
            )
            out.writerow([row[c] for c in ACLED_COLUMNS])


def write_gdelt(path: Path, n: int, seed: int = 2024) -> None:
    """``n`` generated GDELT 2.0 rows (61 tab-separated columns, 1,000 actor names)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            code, base, root = rng.choice(_CAMEO)
            day = 1 + i * 28 // (n + 1)
            row = dict.fromkeys(GDELT_COLUMNS, "")
            row.update(
                GLOBALEVENTID=str(1_190_000_000 + i), SQLDATE=f"202408{day:02d}",
                MonthYear="202408", Year="2024", FractionDate="2024.6",
                Actor1Code="VENOPP", Actor1Name=f"GROUP {rng.randrange(1000)}",
                Actor1CountryCode="VEN", Actor1Type1Code="OPP",
                Actor2Code="VENGOV", Actor2Name="VENEZUELA", Actor2CountryCode="VEN",
                Actor2Type1Code="GOV", IsRootEvent="1", EventCode=code, EventBaseCode=base,
                EventRootCode=root, QuadClass="4", GoldsteinScale="-6.5", NumMentions="4",
                NumSources="1", NumArticles="4", AvgTone="-5.1", ActionGeo_Type="4",
                ActionGeo_FullName="Caracas, Distrito Federal, Venezuela",
                ActionGeo_CountryCode="VE", ActionGeo_Lat="10.5", ActionGeo_Long="-66.9167",
                DATEADDED="20240830120000",
                SOURCEURL=f"https://example.org/synthetic/{i}",
            )
            f.write("\t".join(row[c] for c in GDELT_COLUMNS) + "\n")


_CHILD = """
import csv, json, resource, sys, time
from crisis_model.interop import ImportSummary, read
from crisis_model.interop.gdelt import COLUMNS
fmt, case, path = sys.argv[1:4]
start = time.perf_counter()
n = 0
if case == "floor":
    with open(path, encoding="utf-8", newline="") as f:
        if fmt == "acled":
            rows = csv.DictReader(f)
        else:
            rows = csv.DictReader(f, fieldnames=COLUMNS, delimiter="\\t",
                                  quoting=csv.QUOTE_NONE)
        for row in rows:
            n += 1
else:
    summary = ImportSummary(fmt)
    for event in read(fmt, path, summary=summary):
        n += 1
    n = summary.records
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": n, "seconds": elapsed, "peak_rss": rss}))
"""


def _run(fmt: str, case: str, path: Path) -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", _CHILD, fmt, case, str(path)], check=True,
                         capture_output=True, text=True, env=env, cwd=root)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def measure(sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    """Every (format, N) case: rates, ratio and peak memory."""
    results = []
    with tempfile.TemporaryDirectory(prefix="cm-interop-bench-") as tmp:
        for fmt, write in (("acled", write_acled), ("gdelt", write_gdelt)):
            for n in sizes:
                path = Path(tmp) / f"{fmt}-{n}.csv"
                write(path, n)
                runs: dict[str, list[dict[str, Any]]] = {"floor": [], "reader": []}
                for _ in range(repeats if n < 1_000_000 else max(1, repeats - 2)):
                    for case in ("floor", "reader"):
                        runs[case].append(_run(fmt, case, path))
                floor = statistics.median(r["seconds"] for r in runs["floor"])
                reader = statistics.median(r["seconds"] for r in runs["reader"])
                results.append({
                    "format": fmt, "rows": n, "bytes": path.stat().st_size,
                    "repeats": len(runs["floor"]),
                    "floor_rows_per_s": n / floor, "reader_rows_per_s": n / reader,
                    "ratio": floor / reader,
                    "floor_peak_rss_mb": max(r["peak_rss"] for r in runs["floor"]) / 2**20,
                    "reader_peak_rss_mb": max(r["peak_rss"] for r in runs["reader"]) / 2**20,
                    "load_average": os.getloadavg()[0],
                })
                path.unlink()
    return results


def render(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| format | rows | file MB | floor rows/s | reader rows/s | reader/floor "
             "| floor peak RSS MB | reader peak RSS MB | load |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r['format']} | {r['rows']:,} | {r['bytes'] / 2**20:.0f} | "
            f"{r['floor_rows_per_s']:,.0f} | {r['reader_rows_per_s']:,.0f} | "
            f"{r['ratio']:.2f}x | {r['floor_peak_rss_mb']:.0f} | {r['reader_peak_rss_mb']:.0f} | "
            f"{r['load_average']:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the importer benchmarks and print the table (``--json FILE`` keeps the records)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.interop")
    parser.add_argument("--quick", action="store_true", help="N = 2,000 only, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="also write the records as JSON")
    args = parser.parse_args(argv)
    sizes = [2_000] if args.quick else [100_000, 1_000_000]
    results = measure(sizes, 1 if args.quick else args.repeats)
    print(render(results), end="")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
