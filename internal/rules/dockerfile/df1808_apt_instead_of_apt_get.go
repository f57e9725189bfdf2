package dockerfile

import (
	"fmt"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
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
			p.Report(rule.Finding{
				Message:  fmt.Sprintf("apt %s: use %s %s, apt has no stable command-line interface for scripts", sub, alt, sub),
				Location: rule.Location{Range: in.SpanTo(c)},
				Fixes:    []rule.Fix{aptGetFix(in, c, sub)},
			})
		}
	}
	return nil
}

// aptSameAsAptGet are the apt subcommands that do what apt-get's
// subcommand of the same name does. Not listed: upgrade (apt's also
// installs new dependencies, apt-get's does not), full-upgrade (apt-get
// calls it dist-upgrade), and the queries apt-cache answers with its own
// output format.
var aptSameAsAptGet = map[string]bool{"update": true, "install": true, "remove": true, "purge": true, "autoremove": true,
	"autopurge": true, "reinstall": true, "dist-upgrade": true, "clean": true, "autoclean": true, "build-dep": true, "source": true, "satisfy": true}

// aptGetFix renames the apt program word to apt-get, for the subcommands
// that behave the same in both.
func aptGetFix(in *df.Instruction, c *df.Cmd, sub string) rule.Fix {
	const title = "use apt-get instead of apt"
	if !aptSameAsAptGet[sub] {
		return refusal(title, "apt "+sub+" does not do the same as apt-get "+sub)
	}
	r, ok := progRange(in, c)
	if !ok {
		return refusal(title, fixWhy(in, c))
	}
	return safeFix(title, rule.Edit{Range: r, New: c.Path + "-get"})
}
