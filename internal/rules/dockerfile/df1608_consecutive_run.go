package dockerfile

import (
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1608 catches runs of consecutive RUN instructions in a stage that
// could be one: each has at most two commands and they share the same
// --mount, --network and --security flags. Longer RUNs are left alone, as
// splitting them is usually a deliberate choice for the build cache. It
// also catches consecutive COPY (or ADD) instructions with the same flags
// into the same directory in a stage that ships, which one instruction
// with several sources does in one layer.
var DF1608 = &rule.Rule{
	ID:       "DF1608",
	Slug:     "consecutive-run",
	Title:    "Consecutive RUN, COPY or ADD instructions could be one",
	Severity: rule.Info,
	Category: rule.CatLean,
	Rationale: "Every RUN adds a layer, a cache entry and a snapshot step to the build. Short RUNs in a row (a download, an extract, " +
		"a delete) cost layers, and files they pass to each other stay in the image even when a later RUN deletes them. One RUN " +
		"chained with && keeps the intermediate files out and makes the steps succeed or fail together. Likewise several COPY " +
		"or ADD instructions into one directory make one layer each where a single instruction with several sources makes one.",
	Fix: "Merge the consecutive RUN instructions into one, joining the commands with `&&` (or use a heredoc `RUN <<EOF`); " +
		"merge consecutive COPY/ADD into one directory as `COPY a b c /dir/`.",
	Bad:  "FROM alpine:3.20\nRUN mkdir -p /app\nRUN chown nobody /app",
	Good: "FROM alpine:3.20\nRUN mkdir -p /app && chown nobody /app",
	Settings: []rule.Setting{
		{Name: "max-commands", Type: "int", Default: 2, Doc: "RUNs with more commands than this are considered deliberate splits and never reported."},
	},
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3059"}, {Tool: "kics", ID: "0008c003-79aa-42d8-95b8-1c2fe37dbfe6"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers",
		"https://github.com/hadolint/hadolint/wiki/DL3059",
	},
	Check: checkConsecutiveRun,
}

func checkConsecutiveRun(p *rule.Pass) error {
	max := p.Settings.Int("max-commands")
	if max <= 0 {
		max = 2
	}
	for _, s := range fileOf(p).Stages {
		if s.Windows {
			continue
		}
		var group []*df.Instruction
		flush := func() {
			if len(group) >= 2 {
				first, last := group[0], group[len(group)-1]
				p.Reportf(first.Start(), "%d consecutive RUN instructions (lines %d-%d) could be combined into one", len(group), first.Range.Line, last.Range.Line)
			}
			group = nil
		}
		for _, in := range s.Instructions {
			if in.Keyword != "RUN" || in.Script == nil || leanCommandCount(in) > max {
				flush()
				continue
			}
			if len(group) > 0 && leanRunFlags(group[len(group)-1]) != leanRunFlags(in) {
				flush()
			}
			group = append(group, in)
		}
		flush()
	}
	checkConsecutiveCopies(p)
	return nil
}

// checkConsecutiveCopies reports runs of COPY (or ADD) instructions with
// the same flags and the same destination directory, in the stages whose
// layers ship. Build stages are left alone: their layers never reach the
// image.
func checkConsecutiveCopies(p *rule.Pass) {
	for _, s := range fileOf(p).Stages {
		if !s.Ships {
			continue
		}
		var group []*df.Instruction
		key := ""
		flush := func() {
			if len(group) >= 2 {
				first, last := group[0], group[len(group)-1]
				p.Reportf(first.Start(), "%d consecutive %s instructions into %s (lines %d-%d) could be one %s with several sources",
					len(group), first.Keyword, copyDest(first), first.Range.Line, last.Range.Line, first.Keyword)
			}
			group, key = nil, ""
		}
		for _, in := range s.Instructions {
			k := copyGroupKey(in)
			if k == "" {
				flush()
				continue
			}
			if k != key {
				flush()
				key = k
			}
			group = append(group, in)
		}
		flush()
	}
}

// copyGroupKey identifies the COPY/ADD instructions that could be merged:
// keyword, flags and normalised destination; "" for anything else
// (heredoc sources, URLs and git sources are never merged).
func copyGroupKey(in *df.Instruction) string {
	if in.Keyword != "COPY" && in.Keyword != "ADD" || len(in.Args) < 2 || len(in.Node.Heredocs) > 0 {
		return ""
	}
	for _, src := range in.Args[:len(in.Args)-1] {
		if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") {
			return ""
		}
	}
	return in.Keyword + "\x00" + strings.Join(in.Flags, " ") + "\x00" + copyDest(in)
}

// copyDest is a COPY/ADD destination without a trailing slash ("." for
// the working directory).
func copyDest(in *df.Instruction) string {
	d, _ := in.Expand(in.Args[len(in.Args)-1])
	d = strings.TrimRight(d, "/")
	if d == "" || d == "." {
		if strings.HasPrefix(in.Args[len(in.Args)-1], "/") {
			return "/"
		}
		return "."
	}
	return strings.TrimPrefix(d, "./")
}

// leanCommandCount counts the commands of a RUN, not counting `set`.
func leanCommandCount(in *df.Instruction) int {
	n := 0
	for _, c := range in.Script.Commands {
		if c.Name != "set" {
			n++
		}
	}
	return n
}

// leanRunFlags renders a RUN's flags for comparison.
func leanRunFlags(in *df.Instruction) string {
	return strings.Join(in.Flags, " ")
}
