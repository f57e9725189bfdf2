#!/usr/bin/env python3
"""Developer aid: run shipshape over the peer corpus cases mapped to some rules
and print disagreements. The authoritative test is internal/conformance;
this is for quick iteration while writing a rule.

usage: scripts/peercheck.py DF1100 [DF1101 ...]   (builds ./cmd/shipshape first)
"""
import json, os, re, subprocess, sys, glob, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("SHIPSHAPE_SHARED", os.path.join(root, "..", "shared"))
corpus = os.path.join(shared, "corpus")
binp = os.path.join(tempfile.gettempdir(), "shipshape-peercheck")
subprocess.run(["go", "build", "-o", binp, "./cmd/shipshape"], cwd=root, check=True)
rules = json.loads(subprocess.run([binp, "rules", "--format", "json"], capture_output=True, check=True).stdout)
want = set(sys.argv[1:])
peers = {}  # (tool,id) -> set(rule ids)
for r in rules:
    if want and r["id"] not in want:
        continue
    for p in r["peers"]:
        peers.setdefault((p["tool"], p["id"].upper()), set()).add(r["id"])

def lint(text, build_args=()):
    cmd = [binp, "lint", "--format", "json", "--fail-on", "none", "--type", "dockerfile"]
    for k, v in build_args:
        cmd += ["--build-arg", f"{k}={v}"]
    out = subprocess.run(cmd + ["-"], input=text.encode(), capture_output=True)
    if out.returncode == 2:  # the input could not be linted (internal error)
        return [("ERROR", 0)]
    try:
        return [(f["ruleId"], f["line"]) for f in json.loads(out.stdout)["findings"] if not f.get("suppressed")]
    except Exception:
        return [("ERROR", 0)]

agree = total = 0
def judge(label, text, ids, should, lines, build_args=()):
    global agree, total
    total += 1
    res = lint(text, build_args)
    got = [(r, l) for r, l in res if r in ids]
    if ("ERROR", 0) in res:  # the engine failed on the sample: that agrees with nothing
        ok = False
        got = res
    elif should:
        ok = bool(got) and (not lines or all(any(l == x for _, l in got) for x in lines))
    else:
        ok = not got
    if ok:
        agree += 1
    else:
        print(f"DISAGREE {label} should_fire={should} expected_lines={lines} got={got}")

for l in open(os.path.join(corpus, "kics", "cases.jsonl")):
    c = json.loads(l)
    if c["platform"] != "dockerfile":
        continue
    ids = peers.get(("kics", c["query_id"].upper()))
    if ids:
        judge(f'kics {c["query_dir"]} {c["file"]}', c["text"], ids, c["should_fire"], c["expected_lines"])
for l in open(os.path.join(corpus, "trivy", "examples.jsonl")):
    c = json.loads(l)
    ids = peers.get(("trivy", c["check"].upper()))
    if ids:
        judge(f'trivy {c["id"]}', c["dockerfile"], ids, c["should_fire"], [])
checks = {c["file"].rsplit(".", 1)[0]: c["id"] for c in json.load(open(os.path.join(corpus, "checkov", "checks.json")))}
for d in glob.glob(os.path.join(corpus, "checkov", "python_checks", "example_*")):
    cid = checks.get(os.path.basename(d)[len("example_"):])
    ids = peers.get(("checkov", (cid or "").upper()))
    if not ids:
        continue
    for f in glob.glob(os.path.join(d, "*", "*")):
        outcome = os.path.basename(os.path.dirname(f))
        judge(f"checkov {cid} {os.path.relpath(f, corpus)}", open(f, errors="replace").read(), ids, outcome.startswith("failure"), [])
for d in glob.glob(os.path.join(corpus, "checkov", "graph_checks", "*")):
    cid = checks.get(os.path.basename(d))
    ids = peers.get(("checkov", (cid or "").upper()))
    if not ids:
        continue
    for f in glob.glob(os.path.join(d, "*", "*")):
        if f.endswith(".yaml"):
            continue
        outcome = os.path.basename(os.path.dirname(f))  # pass, fail, fail_multiline (see expected.yaml)
        judge(f"checkov {cid} {os.path.relpath(f, corpus)}", open(f, errors="replace").read(), ids, outcome.startswith("fail"), [])
bk_names = {}  # upper-case peer id -> BuildKit's spelling, as the Go test labels cases
for r in rules:
    for p in r["peers"]:
        if p["tool"] == "buildkit":
            bk_names[p["id"].upper()] = p["id"]
for l in open(os.path.join(corpus, "buildkit", "check_cases.jsonl")):
    c = json.loads(l)
    if c.get("build_err"):
        continue
    exp = {}
    for w in c.get("expected_lint_warnings") or []:
        exp.setdefault(w["rule"], []).append(w["line"])
    # frontend_attrs_raw is Go source: "build-arg:K": "V" or integration.UnixOrWindows("unix", "windows").
    args = re.findall(r'"build-arg:([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*(?:integration\.UnixOrWindows\(\s*)?"((?:[^"\\]|\\.)*)"',
                      c.get("frontend_attrs_raw") or "")
    for (tool, pid), ids in peers.items():
        if tool != "buildkit":
            continue
        name = next((k for k in exp if k.upper() == pid), None)
        judge(f'buildkit {c["id"]} {bk_names.get(pid, pid)}', c["dockerfile"], ids, name is not None,
              sorted(set(exp.get(name, []))) if name else [], args)
print(f"agreement: {agree}/{total}")
