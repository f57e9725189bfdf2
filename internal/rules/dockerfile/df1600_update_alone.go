package dockerfile

import (
	"fmt"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1600 catches package index updates (apt-get update, apk update, zypper
// refresh, yum makecache, pacman -Sy, ...) that run in a RUN of their own.
// The build cache keeps that layer forever, so a later RUN that installs
// packages works from an index that may be weeks old, and a RUN that does
// nothing but refresh the index just stores it in the image.
var DF1600 = &rule.Rule{
	ID:       "DF1600",
	Slug:     "update-alone",
	Title:    "Package index updated without installing in the same RUN",
	Severity: rule.Medium,
	Category: rule.CatLean,
	Rationale: "Docker caches every RUN by its text. A RUN that only refreshes the package index is never re-executed while its text " +
		"stays the same, so an install in a later RUN resolves packages against that old index: it can fail on package versions the " +
		"mirror no longer carries, or quietly install outdated, vulnerable versions. The stored index also adds megabytes to the image.",
	Levels: []rule.Level{{Severity: rule.Low, When: "in a stage that does not ship (its layers stay in the build), where a stale index only costs the build"}},
	Fix: "Refresh the index and install in one RUN, e.g. `RUN apt-get update && apt-get install -y PKG && rm -rf /var/lib/apt/lists/*`. " +
		"For apk use `apk add --no-cache PKG`, which fetches a fresh index without keeping it.",
	Bad:   "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl",
	Good:  "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "trivy", ID: "DS-0017"}, {Tool: "kics", ID: "9bae49be-0aa3-4de5-bab2-4c3a069e40cd"}, {Tool: "checkov", ID: "CKV_DOCKER_5"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://docs.docker.com/build/cache/",
	},
	// One index stored in a layer is one problem, however many rules see
	// it: the RUN that keeps the lists (DF1601) and the later RUN that
	// deletes them (DF1606) are folded into this finding.
	Subsumes: []rule.Subsumption{
		{IDs: []string{"DF1601", "DF1606"}, Same: rule.SameSubject},
		{IDs: []string{"DF1601"}, Same: rule.SameInstruction},
	},
	Check: checkUpdateAlone,
}

// leanPendingUpdate is an index refresh whose RUN installed nothing.
type leanPendingUpdate struct {
	in   *df.Instruction
	fam  string
	cmd  string
	pure bool
	used bool
}

// leanIndexSubject names the package index (or cache) of a family that the
// RUN at line stored in its layer: the Finding.Subject of DF1600, DF1601
// and DF1606 findings about it.
func leanIndexSubject(fam string, line int) string {
	return fmt.Sprintf("index:%s@%d", fam, line)
}

// leanUpdateSeverity is the severity of a DF1600 finding at a RUN: in a
// stage whose layers never ship, a stale index can still break or skew the
// build, but no index is stored in an image, so the finding is low.
func leanUpdateSeverity(in *df.Instruction) rule.Severity {
	if in.Stage != nil && !in.Stage.Ships {
		return rule.Low
	}
	return 0 // the rule's own
}

func checkUpdateAlone(p *rule.Pass) error {
	// Pending refreshes per stage, per family; a stage built FROM another
	// starts with its base's pending refreshes.
	end := map[*df.Stage]map[string]*leanPendingUpdate{}
	var all []*leanPendingUpdate
	for _, s := range fileOf(p).Stages {
		pending := map[string]*leanPendingUpdate{}
		if s.BaseStage != nil {
			for k, v := range end[s.BaseStage] {
				pending[k] = v
			}
		}
		end[s] = pending
		if s.Windows {
			continue
		}
		for _, in := range s.Instructions {
			if in.Keyword != "RUN" || in.Script == nil {
				continue
			}
			refreshed := map[string]string{}
			consumers := map[string]string{}
			pure := true
			for _, c := range in.Script.Commands {
				op, ok := c.Package()
				if !ok {
					if !leanNeutral[c.Name] {
						pure = false
					}
					continue
				}
				if !op.Update || op.Install || op.Upgrade {
					pure = false
				}
				selfFresh := op.Update || (op.Family == df.FamilyApk && c.HasFlag("--no-cache"))
				if (op.Install || op.Upgrade) && !selfFresh {
					if _, done := refreshed[op.Family]; !done {
						if _, seen := consumers[op.Family]; !seen {
							consumers[op.Family] = op.Tool + " " + op.Sub
						}
					}
				}
				if _, seen := refreshed[op.Family]; seen {
					continue
				}
				switch {
				case op.Update || (op.Upgrade && (op.Family == df.FamilyRPM || op.Family == df.FamilyZypper)):
					refreshed[op.Family] = op.Tool + " " + op.Sub
				case selfFresh:
					// apk add --no-cache fetches a fresh index and keeps none.
					refreshed[op.Family] = ""
				}
			}
			for fam, what := range consumers {
				if u := pending[fam]; u != nil {
					u.used = true
					p.Report(rule.Finding{Severity: leanUpdateSeverity(in), Location: rule.Location{Range: in.Start()}, Subject: leanIndexSubject(fam, u.in.Range.Line),
						Message: fmt.Sprintf("`%s` relies on the package index that `%s` at line %d stored in an earlier layer; refresh and install in the same RUN", what, u.cmd, u.in.Range.Line)})
					delete(pending, fam)
				}
			}
			for fam, what := range refreshed {
				if what == "" || leanIndexRemoved(in, fam) {
					delete(pending, fam)
					continue
				}
				u := &leanPendingUpdate{in: in, fam: fam, cmd: what, pure: pure}
				pending[fam] = u
				all = append(all, u)
			}
		}
	}
	for _, u := range all {
		if u.pure && !u.used {
			p.Report(rule.Finding{Severity: leanUpdateSeverity(u.in), Location: rule.Location{Range: u.in.Start()}, Subject: leanIndexSubject(u.fam, u.in.Range.Line),
				Message: fmt.Sprintf("`%s` runs alone: nothing in this RUN installs from the refreshed index, which stays in the layer and goes stale", u.cmd)})
		}
	}
	return nil
}

// leanIndexRemoved reports whether the RUN throws the refreshed index away
// again, so that no later RUN can use it.
func leanIndexRemoved(in *df.Instruction, fam string) bool {
	switch fam {
	case df.FamilyApt:
		return leanAptListsGone(in)
	case df.FamilyApk:
		return in.Discards("/var/cache/apk")
	case df.FamilyRPM:
		for _, c := range in.Script.Commands {
			if op, ok := c.Package(); ok && op.Family == fam && op.Clean {
				return true
			}
		}
		// tdnf and dnf5 keep their metadata under their own directories;
		// a cache mount over any of them keeps the index out of the layer.
		return in.Discards(leanRPMCaches...)
	case df.FamilyZypper:
		return in.Discards("/var/cache/zypp")
	}
	return false
}

// leanNeutral are commands that neither install nor change files, so a RUN
// made of them and an index update does nothing but the update.
var leanNeutral = map[string]bool{"set": true, "echo": true, "printf": true, "true": true, ":": true, "export": true}
