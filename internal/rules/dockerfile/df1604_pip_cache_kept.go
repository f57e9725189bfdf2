package dockerfile

import (
	"fmt"
	"regexp"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1604 catches pip install without --no-cache-dir in a stage that ships,
// unless PIP_NO_CACHE_DIR is set, the same RUN purges the cache, or a
// cache mount covers ~/.cache/pip: pip keeps a copy of every wheel it
// downloaded or built in the image.
var DF1604 = &rule.Rule{
	ID:       "DF1604",
	Slug:     "pip-cache-kept",
	Title:    "pip install without --no-cache-dir",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "pip saves every downloaded and locally built wheel under ~/.cache/pip so that the next install is faster. In an image " +
		"there is no next install: the cache is dead weight, often as large as the installed packages themselves (hundreds of megabytes " +
		"for numpy, torch and friends). Stages only read through COPY --from are not checked.",
	Fix: "Add `--no-cache-dir` to `pip install`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount: " +
		"`RUN --mount=type=cache,target=/root/.cache/pip pip install ...`.",
	Bad:   "FROM python:3.12-slim\nRUN pip install -r requirements.txt",
	Good:  "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3042"}, {Tool: "kics", ID: "f2f903fb-b977-461e-98d7-b3e2185c6118"}},
	References: []string{
		"https://pip.pypa.io/en/stable/topics/caching/",
		"https://github.com/hadolint/hadolint/wiki/DL3042",
	},
	Check: eachRun(true, leanCheckPipCache),
}

// leanPipName matches pip, pip3, pip3.12.
var leanPipName = regexp.MustCompile(`^pip[0-9]*(\.[0-9]+)?$`)

// leanPythonName matches python, python3, python3.12.
var leanPythonName = regexp.MustCompile(`^python[0-9]*(\.[0-9]+)?$`)

// leanPipInstall returns the pip arguments of a `pip install` or
// `python -m pip install` command, or nil for other commands.
func leanPipInstall(c *df.Cmd) []string {
	args, _ := leanPipInstallAt(c)
	return args
}

// leanPipInstallAt is leanPipInstall that also returns the index in
// c.Args of the `install` word, where the fix adds --no-cache-dir.
func leanPipInstallAt(c *df.Cmd) ([]string, int) {
	var args []string
	off := 0
	switch {
	case leanPipName.MatchString(c.Name):
		args = c.Args
	case leanPythonName.MatchString(c.Name):
		for i := 0; i+1 < len(c.Args); i++ {
			if c.Args[i] == "-m" && c.Args[i+1] == "pip" {
				args, off = c.Args[i+2:], i+2
				break
			}
			if !strings.HasPrefix(c.Args[i], "-") {
				return nil, -1
			}
		}
	default:
		return nil, -1
	}
	sub, at := (&df.Cmd{Args: args}).Subcommand("--python", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert", "--client-cert", "--cache-dir", "--src", "-e", "--root-user-action")
	if sub != "install" {
		return nil, -1
	}
	return args, off + at
}

// leanPipNoCacheValue reports whether a PIP_NO_CACHE_DIR value turns the
// cache off. pip disables the cache for every value it can parse as a
// boolean, "false" and "0" included, for backwards compatibility.
func leanPipNoCacheValue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "y", "yes", "t", "true", "on", "1", "n", "no", "f", "false", "off", "0":
		return true
	}
	return false
}

// leanCheckPipCache reports the first pip install of a RUN that keeps its cache.
func leanCheckPipCache(p *rule.Pass, in *df.Instruction) {
	if leanPipCacheOff(in) {
		return
	}
	if in.Discards("~/.cache/pip") || leanPipPurged(in) {
		return
	}
	if dir, ok := in.Vars.Value("PIP_CACHE_DIR"); ok && in.Discards(dir) {
		return
	}
	for _, c := range in.Script.Commands {
		args := leanPipInstall(c)
		if args == nil {
			continue
		}
		if v, ok := c.Assigns["PIP_NO_CACHE_DIR"]; ok && leanPipNoCacheValue(v) {
			continue
		}
		if v, ok := in.Script.ExportedBefore("PIP_NO_CACHE_DIR", c); ok && leanPipNoCacheValue(v) {
			continue
		}
		x, unknown := in.ExpandCmd(&df.Cmd{Args: args})
		if unknown || x.HasFlag("--no-cache-dir") {
			continue
		}
		if dir, ok := x.FlagValue("--cache-dir"); ok && in.Discards(dir) {
			continue
		}
		p.Report(rule.Finding{
			Message:  fmt.Sprintf("`%s` keeps downloaded wheels in ~/.cache/pip; add --no-cache-dir", strings.TrimSpace(leanShort(c))),
			Location: rule.Location{Range: in.Start()},
			Fixes:    []rule.Fix{pipNoCacheFix(in)},
		})
		return
	}
}

// pipNoCacheFix adds --no-cache-dir after `install` in every pip install
// of the RUN that keeps its cache (those DF1604 would report). pip then
// installs the same packages and leaves no copy of the wheels behind.
func pipNoCacheFix(in *df.Instruction) rule.Fix {
	const title = "add --no-cache-dir to pip install"
	var edits []rule.Edit
	for _, c := range in.Script.Commands {
		args, at := leanPipInstallAt(c)
		if args == nil {
			continue
		}
		if v, ok := c.Assigns["PIP_NO_CACHE_DIR"]; ok && leanPipNoCacheValue(v) {
			continue
		}
		if v, ok := in.Script.ExportedBefore("PIP_NO_CACHE_DIR", c); ok && leanPipNoCacheValue(v) {
			continue
		}
		x, unknown := in.ExpandCmd(&df.Cmd{Args: args})
		if unknown || x.HasFlag("--no-cache-dir") {
			continue
		}
		if _, ok := x.FlagValue("--cache-dir"); ok {
			return refusal(title, "pip is given its own --cache-dir")
		}
		line, col, ok := argEnd(in, c, at, "install")
		if !ok {
			return refusal(title, fixWhy(in, c))
		}
		edits = append(edits, insertAt(line, col, " --no-cache-dir"))
	}
	if len(edits) == 0 {
		return refusal(title, "no pip install of the RUN can be edited in place")
	}
	return safeFix(title, edits...)
}

// leanPipCacheOff reports whether ARG or ENV set PIP_NO_CACHE_DIR to a
// value that turns pip's cache off for the RUN.
func leanPipCacheOff(in *df.Instruction) bool {
	v, ok := in.Vars.Value("PIP_NO_CACHE_DIR")
	return ok && leanPipNoCacheValue(v)
}

// leanPipPurged reports whether the RUN runs `pip cache purge`.
func leanPipPurged(in *df.Instruction) bool {
	for _, c := range in.Script.Commands {
		if leanPipName.MatchString(c.Name) {
			if sub, i := c.Subcommand(); sub == "cache" {
				if rest := c.OperandsAfter(i); len(rest) > 0 && (rest[0] == "purge" || rest[0] == "remove") {
					return true
				}
			}
		}
	}
	return false
}

// leanShort renders a command's name and first three arguments.
func leanShort(c *df.Cmd) string {
	parts := []string{c.Name}
	for i, a := range c.Args {
		if i == 3 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
