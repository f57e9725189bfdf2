#!/usr/bin/env python3
"""token_offsets.py REPORT.json ROOT: how far DF1806 and DF1801 findings sit
from the token they are about (the pipe, the cd), in lines.

The token's line is found from the file alone, not from shipshape: the RUN
instruction holding the finding is walked from its first line through its
continuation lines, and the token is the first lone `|` after the pipeline's
first command (DF1806, whose message names it: "pipeline X | Y") or the first
`cd DIR` (DF1801: "cd DIR"). ROOT is the directory the report's paths are
relative to. Prints, per rule, the number of findings, the median and the
largest offset, and how many are off at all.
"""
import json
import re
import statistics
import sys


def instruction_lines(lines, line):
    """The 1-based line numbers of the instruction holding line."""
    start = line
    while start > 1 and continues(lines[start - 2]):
        start -= 1
    end = start
    while end < len(lines) and continues(lines[end - 1]):
        end += 1
    return range(start, end + 1)


def continues(text):
    t = text.rstrip()
    return t.endswith("\\") or t.endswith("`") or t.lstrip().startswith("#")


def token_line(lines, span, rule, msg):
    if rule == "DF1806":
        # The pipe after the writer's word, in the same pipeline: a `;`,
        # `&&` or `||` between them (outside quotes) ends the pipeline. A
        # pipe inside quotes counts: it is the pipe of an `sh -c` script.
        m = re.match(r"pipeline (\S+) \| ", msg)
        word = re.compile(r"(^|[\s;&|(`\"'/])" + re.escape(m.group(1) if m else "") + r"($|[\s;&|)])")
        seen = False
        quote = ""
        for n in span:
            text = lines[n - 1]
            if text.lstrip().startswith("#"):
                continue
            i = 0
            while i < len(text):
                two = text[i:i + 2]
                if text[i] == "\\":
                    i += 2  # an escaped character (`\;` of find -exec)
                    continue
                if text[i] in "'\"" and (not quote or quote == text[i]):
                    quote = "" if quote else text[i]
                if not quote and (two in ("&&", "||") or text[i] == ";"):
                    seen = False
                    i += 2 if two in ("&&", "||") else 1
                    continue
                if text[i] == "|" and seen and two != "||" and text[i - 1:i] != "|":
                    return n
                if word.match(text, i) or (i == 0 and word.match(" " + text)):
                    seen = True
                i += 1
        return None
    m = re.match(r"(?:RUN )?cd (\S+)", msg)
    target = re.escape(m.group(1)) if m else r"\S+"
    for n in span:
        if re.search(r"(^|[\s;&|(])cd\s+[\"']?" + target, lines[n - 1]):
            return n
    return None


def main():
    report, root = sys.argv[1], sys.argv[2]
    offs = {"DF1806": [], "DF1801": []}
    missing = 0
    for f in json.load(open(report))["findings"]:
        if f["ruleId"] not in offs:
            continue
        lines = open(root + "/" + f["file"], encoding="utf-8", errors="replace").read().split("\n")
        n = token_line(lines, instruction_lines(lines, f["line"]), f["ruleId"], f["message"])
        if n is None:
            missing += 1
            continue
        offs[f["ruleId"]].append(abs(f["line"] - n))
    for rule, o in offs.items():
        if o:
            print(f"{rule}: {len(o)} findings, median {statistics.median(o)} lines off, "
                  f"worst {max(o)}, {sum(1 for x in o if x)} off at all")
    if missing:
        print(f"({missing} findings whose token the script could not find)")


if __name__ == "__main__":
    main()
