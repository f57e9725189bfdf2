package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1808 flags the `apt` front end in RUN. apt is meant for people at a
// terminal: it prints a warning that its command-line interface is not
// stable, shows progress bars and may change behaviour between releases.
// apt-get and apt-cache are the stable interfaces for scripts.
var DF1808 = &rule.Rule{
	ID:       "DF1808",
	Slug:     "apt-instead-of-apt-get",
	Title:    "apt used instead of apt-get",
	Severity: rule.Low,
	Category: rule.CatCorrectness,
	Rationale: "apt is the interactive front end of Debian's package manager and warns that its CLI has no stable interface: " +
		"options, output and defaults may change between releases, which turns a base image update into a build change nobody " +
		"asked for. apt-get (and apt-cache for queries) keep a stable, script-friendly behaviour.",
	Fix:   "Replace `apt` with `apt-get` (or `apt-cache` for search and show).",
	Bad:   "FROM debian:12\nRUN apt update && apt install -y curl",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3027"}, {Tool: "kics", ID: "b84a0b47-2e99-4c9f-8933-98bcabe2b94d"}, {Tool: "checkov", ID: "CKV_DOCKER_9"}},
	References: []string{
		"https://manpages.debian.org/bookworm/apt/apt.8.en.html",
		"https://github.com/hadolint/hadolint/wiki/DL3027",
	},
	Check: checkAptInsteadOfAptGet,
}

func checkAptInsteadOfAptGet(p *rule.Pass) error {
	for in := range fileOf(p).Runs() {
		for _, c := range in.Script.Unwrapped() {
			if c.Name != "apt" {
				continue
			}
			op, _ := c.Package()
			sub := op.Sub
			alt := "apt-get"
			switch sub {
			case "search", "show", "policy", "showsrc", "depends", "rdepends":
				alt = "apt-cache"
			case "list":
				p.Reportf(in.SpanTo(c), "apt list: use dpkg-query or apt-cache, apt has no stable command-line interface for scripts")
				continue
			case "":
				continue
			}
			p.Reportf(in.SpanTo(c), "apt %s: use %s %s, apt has no stable command-line interface for scripts", sub, alt, sub)
		}
	}
	return nil
}
