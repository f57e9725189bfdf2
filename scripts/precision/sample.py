#!/usr/bin/env python3
"""sample.py REPORT.json ROOT [--seed N] [--size N] [--context N]: the precision sample.

Draws, reproducibly, the findings of a `shipshape lint --format json` report
of the real-world corpus that docs/precision/dockerfile.md judges:

1. SIZE findings at medium severity or above, drawn uniformly with
   random.Random(SEED) from all of them, in report order;
2. then, for every Dockerfile (DF) or build-context (CX) rule that fired
   and is not in the sample yet, one of its findings at any severity, drawn
   with the same generator.

Suppressed findings are left out. Prints one block per finding: the
finding, then the lines of its instruction (or CONTEXT lines around it)
with line numbers, so that each can be judged by reading the file. ROOT is
the directory the report's paths are relative to.

  shipshape lint corpus/realworld/dockerfiles --format json > /tmp/rw.json   # in ../shared
  scripts/precision/sample.py /tmp/rw.json ../shared --seed 9 --size 110
"""
import argparse
import json
import random

MEDIUM_UP = {"critical", "high", "medium"}


def draw(findings, seed, size):
    rng = random.Random(seed)
    pool = [f for f in findings if f["severity"] in MEDIUM_UP]
    picked = sorted(rng.sample(range(len(pool)), min(size, len(pool))))
    sample = [("sample", pool[i]) for i in picked]
    seen = {f["ruleId"] for _, f in sample}
    rules = sorted({f["ruleId"] for f in findings if f["ruleId"][:2] in ("DF", "CX")} - seen)
    for r in rules:
        of = [f for f in findings if f["ruleId"] == r]
        sample.append(("rule", of[rng.randrange(len(of))]))
    return sample


def show(root, f, context):
    lines = open(root + "/" + f["file"], encoding="utf-8", errors="replace").read().split("\n")
    lo = max(1, f["line"] - context)
    hi = min(len(lines), f.get("endLine", f["line"]) + context)
    return "\n".join(f"  {n:4d}{'>' if n == f['line'] else ' '} {lines[n - 1]}" for n in range(lo, hi + 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("root")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--size", type=int, default=110)
    ap.add_argument("--context", type=int, default=4)
    a = ap.parse_args()
    findings = [f for f in json.load(open(a.report))["findings"] if not f.get("suppressed")]
    for i, (why, f) in enumerate(draw(findings, a.seed, a.size), 1):
        print(f"#{i} [{why}] {f['file'].split('dockerfiles/', 1)[-1]}:{f['line']} {f['ruleId']} {f['severity']}")
        print(f"  {f['message']}")
        print(f"  fix: {f.get('fix', '')}")
        print(show(a.root, f, a.context))
        print()


if __name__ == "__main__":
    main()
