package dockerfile

import (
	"fmt"
	"slices"

	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/loc"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1603 catches apk add (and apk upgrade) without --no-cache in a stage
// that ships, when the same RUN neither deletes /var/cache/apk nor mounts a
// cache there: the downloaded APKINDEX files stay in the image.
var DF1603 = &rule.Rule{
	ID:       "DF1603",
	Slug:     "apk-cache-kept",
	Title:    "apk add without --no-cache",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "Without --no-cache, apk stores the package index of every repository under /var/cache/apk, a few megabytes per " +
		"layer that the running container never reads and that go stale at once. --no-cache fetches a fresh index for the " +
		"command and discards it, which also removes the need for a separate `apk update`.",
	Fix:   "Use `apk add --no-cache PKG` (drop `apk update` and `--update`), or mount a cache: `RUN --mount=type=cache,target=/var/cache/apk apk add PKG`.",
	Bad:   "FROM alpine:3.20\nRUN apk update && apk add curl",
	Good:  "FROM alpine:3.20\nRUN apk add --no-cache curl",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3019"}, {Tool: "trivy", ID: "DS-0025"}, {Tool: "kics", ID: "ae9c56a6-3ed1-4ac0-9b54-31267f51151d"}},
	References: []string{
		"https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache",
		"https://github.com/hadolint/hadolint/wiki/DL3019",
	},
	Check: eachRun(true, leanCheckApkCache),
}

// leanCheckApkCache reports the first apk command of a RUN that keeps the index.
func leanCheckApkCache(p *rule.Pass, in *df.Instruction) {
	for _, c := range in.Script.Commands {
		op, ok := c.Package()
		if !ok || op.Family != df.FamilyApk || !(op.Install || op.Upgrade) || op.Sub == "fix" {
			continue
		}
		x, unknown := in.ExpandCmd(c)
		if unknown || x.HasFlag("--no-cache") || leanApkCacheGone(in) {
			continue
		}
		p.Report(rule.Finding{
			Message:  fmt.Sprintf("`apk %s` without --no-cache keeps the package index in /var/cache/apk", op.Sub),
			Location: rule.Location{Range: in.Start()},
			Fixes:    []rule.Fix{apkNoCacheFix(in)},
		})
		return
	}
}

// apkNoCacheFix adds --no-cache after the subcommand of every apk add or
// upgrade of the RUN that lacks it. The image differs only in the index
// files apk no longer leaves in /var/cache/apk: --no-cache fetches the
// same index for the command and discards it.
func apkNoCacheFix(in *df.Instruction) rule.Fix {
	const title = "add --no-cache to apk"
	var edits []rule.Edit
	for _, c := range in.Script.Commands {
		op, ok := c.Package()
		if !ok || op.Family != df.FamilyApk || !(op.Install || op.Upgrade) || op.Sub == "fix" || c.HasFlag("--no-cache") {
			continue
		}
		line, col, ok := argEnd(in, c, op.SubIndex, op.Sub)
		if !ok {
			return refusal(title, fixWhy(in, c))
		}
		edits = append(edits, insertAt(line, col, " --no-cache"))
	}
	if len(edits) == 0 {
		return refusal(title, "no apk command of the RUN names its subcommand literally")
	}
	return safeFix(title, append(edits, apkUpdateRemoval(in)...)...)
}

// apkUpdateRemoval deletes an `apk update &&` that starts an && chain of
// the RUN, once every apk command of the RUN runs with --no-cache (which
// fetches a fresh index itself): left in place, it would still store the
// index in the layer. It is kept when any later instruction of the stage,
// or of a stage built on it, runs apk without --no-cache and so may read
// that stored index.
func apkUpdateRemoval(in *df.Instruction) []rule.Edit {
	var update *df.Cmd
	for _, c := range in.Script.Commands {
		op, ok := c.Package()
		if !ok || op.Family != df.FamilyApk {
			continue
		}
		switch {
		case op.Update && !op.Install && !op.Upgrade && update == nil && exactCmd(c):
			update = c
		case op.Install || op.Upgrade:
		default:
			return nil
		}
	}
	if update == nil || apkCacheReadLater(in) {
		return nil
	}
	var del []rule.Edit
	syntax.Walk(in.Script.AST, func(n syntax.Node) bool {
		b, ok := n.(*syntax.BinaryCmd)
		if ok && b.Op == syntax.AndStmt && b.X == update.Stmt && len(update.Stmt.Redirs) == 0 {
			from, to := in.NodeRange(update, b.X), in.NodeRange(update, b.Y)
			if from.Col > 0 && to.Col > 0 {
				del = []rule.Edit{{Range: loc.Range{Line: from.Line, Col: from.Col, EndLine: to.Line, EndCol: to.Col}}}
			}
		}
		return del == nil
	})
	return del
}

// apkCacheReadLater reports whether an instruction after in, in its stage
// or a stage built on it, runs apk without --no-cache.
func apkCacheReadLater(in *df.Instruction) bool {
	for _, st := range in.File().Stages {
		if !slices.Contains(st.Chain(), in.Stage) {
			continue
		}
		for _, x := range st.Instructions {
			if x.Script == nil || st == in.Stage && x.Range.Line <= in.Range.Line {
				continue
			}
			for _, c := range x.Script.Commands {
				if op, ok := c.Package(); ok && op.Family == df.FamilyApk && !c.HasFlag("--no-cache") {
					return true
				}
			}
		}
	}
	return false
}

// leanApkCacheGone reports whether the RUN removes or mounts over the apk
// cache directory.
func leanApkCacheGone(in *df.Instruction) bool {
	return in.Discards("/var/cache/apk") || in.Script.Mounted("/etc/apk/cache")
}
