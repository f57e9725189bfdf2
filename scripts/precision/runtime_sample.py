#!/usr/bin/env python3
"""Draw the precision sample of the runtime (RT) rules, reproducibly.

Lints the real-world compose files of the shared corpus and prints, as the
rows of a Markdown table, a seeded random sample of N findings at medium and
above, followed by one finding (drawn with the same generator) of every RT
rule that fired and is not in the sample yet, at whatever severity. The
verdict and reason columns are left for a reader who opens each file at the
line given; docs/precision/runtime.md holds the judged table.

usage: scripts/precision/runtime_sample.py [--seed 9] [--n 40] [--check FILE]
  --check FILE  compare the sample with the rows of a judged table instead
                of printing it (exit 1 when they differ)

Findings are sorted by file, line, rule and message before drawing, so the
same outputs give the same sample whatever order shipshape prints them in.
"""
import argparse, json, os, random, re, subprocess, sys, tempfile

SEVERE = ("critical", "high", "medium")

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shared = os.environ.get("SHIPSHAPE_SHARED", os.path.join(root, "..", "shared"))
realworld = os.path.join(shared, "corpus", "realworld")


def findings():
    binp = os.path.join(tempfile.gettempdir(), "shipshape-precision-runtime")
    subprocess.run(["go", "build", "-o", binp, "./cmd/shipshape"], cwd=root, check=True)
    out = subprocess.run([binp, "lint", "compose", "--format", "json", "--fail-on", "none"],
                         cwd=realworld, capture_output=True, check=True)
    fs = [f for f in json.loads(out.stdout)["findings"]
          if f["ruleId"].startswith("RT") and not f.get("suppressed")]
    fs.sort(key=lambda f: (f["file"], f["line"], f["ruleId"], f["message"]))
    return fs


def sample(fs, seed, n):
    rng = random.Random(seed)
    severe = [f for f in fs if f["severity"] in SEVERE]
    picked = rng.sample(severe, min(n, len(severe)))
    picked.sort(key=lambda f: (f["file"], f["line"], f["ruleId"], f["message"]))
    have = {f["ruleId"] for f in picked}
    extra = []
    for rid in sorted({f["ruleId"] for f in fs} - have):
        extra.append(rng.choice([f for f in fs if f["ruleId"] == rid]))
    return picked, extra


def key(f):
    return (f["file"].removeprefix("compose/"), str(f["line"]), f["ruleId"], f["severity"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--check")
    a = ap.parse_args()
    picked, extra = sample(findings(), a.seed, a.n)
    if a.check:
        rows = []
        for line in open(a.check):
            m = re.match(r"\|\s*\d+\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*(RT\d+)\s*\|\s*(\w+)\s*\|", line)
            if m:
                rows.append(m.groups())
        want = [key(f) for f in picked + extra]
        if rows != want:
            for i, (r, w) in enumerate(zip(rows + [None] * len(want), want + [None] * len(rows))):
                if r != w:
                    print(f"row {i + 1}: table {r}, sample {w}", file=sys.stderr)
            return 1
        print(f"{a.check}: the {len(rows)} rows are the sample (seed {a.seed}, n {a.n})")
        return 0
    print("| # | file | line | rule | severity | message | verdict | reason |")
    print("|---|---|---|---|---|---|---|---|")
    for i, f in enumerate(picked + extra, 1):
        file, line, rid, sev = key(f)
        msg = f["message"].replace("|", "\\|")
        print(f"| {i} | `{file}` | {line} | {rid} | {sev} | {msg} | ? | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
