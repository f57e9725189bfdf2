#!/usr/bin/env python3
"""kept_findings.py BEFORE.json [AFTER.json]: the findings a gate must never lose.

The findings that are right every time -- pipe to a shell (DF1502), TLS
verification off (DF1503), secrets (DF1400-DF1402), world-writable modes
such as chmod 777 (DF1104) and end-of-life bases (DF1204) -- must survive any
change that makes the default gate quieter.

With one report (`shipshape lint --format json` of the real-world corpus),
prints them as TSV (rule, file relative to realworld/dockerfiles, line): the
list internal/conformance/testdata/gate_kept.tsv holds, which
TestDefaultGateOnRealWorldCorpus checks on every run. With two reports, lists
the kept findings of BEFORE that AFTER lacks (a related finding folded into
another counts as reported) and exits 1 when there is any.

  scripts/precision/kept_findings.py /tmp/golden-v7/realworld-dockerfiles.json > internal/conformance/testdata/gate_kept.tsv
  scripts/precision/kept_findings.py /tmp/golden-v7/realworld-dockerfiles.json /tmp/golden-precision/realworld-dockerfiles.json
"""
import json
import sys

KEPT = {"DF1502", "DF1503", "DF1400", "DF1401", "DF1402", "DF1104", "DF1204"}
PREFIX = "corpus/realworld/dockerfiles/"


def kept(report):
    out = set()
    for f in json.load(open(report))["findings"]:
        for x in [f] + f.get("related", []):
            rid = x.get("ruleId", f["ruleId"])
            if rid in KEPT and not f.get("suppressed"):
                out.add((rid, x.get("file", f["file"]).removeprefix(PREFIX), x.get("line", f["line"])))
    return out


def main():
    before = kept(sys.argv[1])
    if len(sys.argv) == 2:
        print("# rule\tfile (below realworld/dockerfiles)\tline; written by scripts/precision/kept_findings.py")
        for r in sorted(before, key=lambda k: (k[1], k[2], k[0])):
            print("\t".join(map(str, r)))
        return
    after = kept(sys.argv[2])
    lost = sorted(before - after, key=lambda k: (k[1], k[2], k[0]))
    for r in lost:
        print("lost\t" + "\t".join(map(str, r)))
    print(f"{len(before)} kept findings before, {len(before & after)} still reported, {len(lost)} lost, "
          f"{len(after - before)} new", file=sys.stderr)
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
