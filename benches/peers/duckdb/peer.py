"""jixiao vs DuckDB on benches/rules/twenty.jx: wall time (min of three
alternating runs each) and disagreements with an exact reference.

Called by ./run, which provides the virtual environment with duckdb."""

import csv
import os
import subprocess
import sys
import time
from fractions import Fraction

import duckdb

root, records, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
jixiao = os.path.join(root, "target", "release", "jixiao")
rules = os.path.join(root, "benches", "rules", "twenty.jx")
work = os.path.join(root, "target", "peers")
os.makedirs(work, exist_ok=True)
records_csv = os.path.join(work, f"records-{records}.csv")
jixiao_out = os.path.join(work, "jixiao.csv")
duckdb_out = os.path.join(work, "duckdb.csv")

if not os.path.exists(records_csv):
    subprocess.run([jixiao, "generate", rules, "--records", str(records), "--seed", "1", "-o", records_csv], check=True)

# The indicators of twenty.jx: (id, method, target, points). Percent targets as fractions.
COUNTS = [("数量1", 500), ("数量2", 1000), ("数量3", 1500), ("数量4", 2000),
          ("数量5", 2500), ("数量6", 3000), ("数量7", 3500), ("数量8", 4000)]
INDICATORS = (
    [("预算执行率", "budget", Fraction(1), 10)]
    + [(i, "proportional", Fraction(t), 4) for i, t in COUNTS]
    + [("培训", "per_unit", Fraction(12), 4)]
    + [("合格率1", "proportional", Fraction(96, 100), 2), ("合格率2", "proportional", Fraction(97, 100), 2),
       ("合格率3", "proportional", Fraction(98, 100), 2), ("费用", "inverse", Fraction(120), 8)]
    + [(f"事故{k}", "inverse", Fraction(0), 5) for k in (1, 2, 3)]
    + [("改善", "level", None, 10), ("满意率", "proportional", Fraction(80, 100), 10),
       ("满意率2", "proportional", Fraction(85, 100), 5)]
)
IDS = [i for i, *_ in INDICATORS]


# ------------------------------------------------------------------ DuckDB SQL, written by hand

def num(col):
    return f"CAST(\"{col}\" AS DECIMAL(18,4))"


def pct(col):
    return f"(CAST(replace(\"{col}\", '%', '') AS DECIMAL(18,4)) / 100)"


def proportional(a, t, p):
    return f"CASE WHEN {a} >= {t} THEN {p} ELSE {p} * {a} / {t} END"


def score(ident, method, target, points):
    if method == "budget":
        a = f"({num('全年执行数')} / {num('到位资金')})"
        return proportional(a, 1, points)
    if method == "proportional":
        a = pct(ident) if target < 1 else num(ident)
        t = f"{target.numerator / target.denominator}" if target < 1 else f"{target}"
        return proportional(a, t, points)
    if method == "per_unit":
        return f"greatest({points} - greatest({target} - {num(ident)}, 0) / 1 * 0.5, 0)"
    if method == "inverse":
        a = num(ident)
        if target == 0:
            return f"CASE WHEN {a} <= 0 THEN {points} ELSE 0 END"
        return f"CASE WHEN {a} <= {target} THEN {points} ELSE {points} * {target} / {a} END"
    if method == "level":
        level = f"\"{ident}\""
        frac = f"(CAST(replace(split_part({level}, ' ', 2), '%', '') AS DECIMAL(18,4)) / 100)"
        return f"CASE WHEN {level} = '达成' THEN {points} ELSE {points} * {frac} END"
    raise ValueError(method)


columns = [f"round({score(*ind)}, 2)::DECIMAL(18,2) AS \"{ind[0]}\"" for ind in INDICATORS]
total = " + ".join(f"round({score(*ind)}, 2)::DECIMAL(18,2)" for ind in INDICATORS)
SQL = f"""
COPY (
  SELECT project, year, {total} AS total, {", ".join(columns)}
  FROM read_csv('{records_csv}', header = true, all_varchar = true)
) TO '{duckdb_out}' (HEADER, DELIMITER ',')
"""


def run_duckdb():
    con = duckdb.connect()
    con.execute(f"PRAGMA threads={threads}")
    con.execute(SQL)
    con.close()


def run_jixiao():
    subprocess.run([jixiao, "eval", rules, "--data", records_csv, "-o", jixiao_out, "--jobs", str(threads)],
                   check=True, stderr=subprocess.DEVNULL)


times = {"jixiao": [], "duckdb": []}
for _ in range(3):
    for name, fn in (("jixiao", run_jixiao), ("duckdb", run_duckdb)):
        start = time.perf_counter()
        fn()
        times[name].append(time.perf_counter() - start)


# ------------------------------------------------------------------ the exact reference

def exact_number(text):
    text = text.strip()
    return Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)


def half_up(x):
    """Rounds a non-negative fraction to 0.01, halves away from zero."""
    hundredths = x * 100
    whole = hundredths.numerator // hundredths.denominator
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def reference(row):
    out = {}
    for ident, method, t, p in INDICATORS:
        if method == "budget":
            a = exact_number(row["全年执行数"]) / exact_number(row["到位资金"])
            s = p if a >= t else p * a / t
        elif method == "proportional":
            a = exact_number(row[ident])
            s = p if a >= t else p * a / t
        elif method == "per_unit":
            s = max(p - max(t - exact_number(row[ident]), 0) / 1 * Fraction(1, 2), 0)
        elif method == "inverse":
            a = exact_number(row[ident])
            s = p if a <= t else (0 if t == 0 else p * t / a)
        else:
            cell = row[ident].split()
            s = p if cell[0] == "达成" else p * exact_number(cell[1])
        out[ident] = half_up(Fraction(s))
    out["total"] = sum(out[i] for i in IDS)
    return out


SAMPLE = 5000
step = max(records // SAMPLE, 1)


def sampled(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        for k, row in enumerate(csv.DictReader(f)):
            if k % step == 0 and k // step < SAMPLE:
                yield k, row


inputs = dict(sampled(records_csv))
wrong = {}
for name, path in (("jixiao", jixiao_out), ("duckdb", duckdb_out)):
    bad, example = 0, None
    for k, row in sampled(path):
        ref = reference(inputs[k])
        differs = [i for i in ["total"] + IDS if Fraction(row[i]) != ref[i]]
        if differs:
            bad += 1
            if example is None:
                i = differs[0]
                example = f"record {k + 1}, {i}: {row[i]}, exactly {float(ref[i]):.2f}"
    wrong[name] = (bad, example)

best = {name: min(ts) for name, ts in times.items()}
print(f"{records} records × 20 indicators, CSV in → CSV out, {threads} threads, three alternating runs each")
for name in ("jixiao", "duckdb"):
    runs = ", ".join(f"{t:.2f}" for t in times[name])
    bad, example = wrong[name]
    print(f"  {name:<7} min {best[name]:.2f} s  (runs {runs} s)  "
          f"records that disagree with the exact reference: {bad} of {len(inputs)}"
          + (f"  e.g. {example}" if example else ""))
print(f"  jixiao is {best['duckdb'] / best['jixiao']:.2f}× DuckDB's speed")
