package dockerfile

import (
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1601 catches a RUN that fetches apt package lists (apt-get update or
// an install) in a stage that ships, without deleting /var/lib/apt/lists in
// the same RUN. The lists are tens of megabytes the running container
// never needs, and deleting them in a later RUN does not shrink the image.
var DF1601 = &rule.Rule{
	ID:       "DF1601",
	Slug:     "apt-lists-not-removed",
	Title:    "apt lists not removed in the same RUN",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "`apt-get update` downloads the package lists of every configured repository into /var/lib/apt/lists, often 20 to 50 MB. " +
		"A container never needs them at run time, and a layer is frozen when its RUN ends: removing the lists in a later RUN only hides them. " +
		"Stages that are only read through COPY --from are not checked, since their layers never ship.",
	Fix: "End the RUN that updates and installs with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean` on apt 2.7 and later), or mount the lists as a cache " +
		"(`RUN --mount=type=cache,target=/var/lib/apt/lists ...`).",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
	Good:  "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3009"}, {Tool: "kics", ID: "df746b39-6564-4fed-bf85-e9c44382303c"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/hadolint/hadolint/wiki/DL3009",
	},
	Check: eachRun(true, leanCheckAptLists),
}

// leanCheckAptLists reports one RUN of a shipped stage that keeps the apt lists.
func leanCheckAptLists(p *rule.Pass, in *df.Instruction) {
	var first *df.PackageOp
	for _, c := range in.Script.Commands {
		op, ok := c.Package()
		if ok && op.Family == df.FamilyApt && (op.Update || op.Install || op.Upgrade) {
			first = &op
			break
		}
	}
	if first == nil {
		return
	}
	if leanAptListsGone(in) {
		return
	}
	p.Reportf(in.Start(), "`%s %s` leaves the package lists in this layer; add `rm -rf /var/lib/apt/lists/*` to the same RUN", first.Tool, first.Sub)
}

// leanAptListsGone reports whether the RUN deletes the apt lists (rm, find
// -delete, or apt-get dist-clean, which apt 2.7 added for exactly this) or
// keeps them on a cache or tmpfs mount.
func leanAptListsGone(in *df.Instruction) bool {
	for _, c := range in.Script.Commands {
		if op, ok := c.Package(); ok && op.Family == df.FamilyApt && op.Sub == "dist-clean" {
			return true
		}
	}
	return in.Discards("/var/lib/apt/lists")
}
