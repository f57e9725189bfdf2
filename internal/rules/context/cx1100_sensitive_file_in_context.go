package context

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// maxPerRule bounds the findings one rule reports for one context; the rest
// are counted in a last finding so that a repository full of test keys does
// not bury everything else.
const maxPerRule = 50

// CX1100 reports credentials and the Git history that `docker build` would
// send to the builder because the ignore file does not exclude them.
var CX1100 = &rule.Rule{
	ID:       "CX1100",
	Slug:     "sensitive-file-in-context",
	Title:    "Sensitive file is sent with the build context",
	Severity: rule.High,
	Category: rule.CatSecrets,
	Rationale: "Everything in the build context that .dockerignore does not exclude is uploaded to the builder, which " +
		"may be a remote BuildKit instance or a CI service, and is one `COPY . .` away from being baked into an image " +
		"layer that anyone who can pull the image can read. Environment files, private keys, cloud and registry " +
		"credentials, Terraform state and package-manager tokens have no business in a build context; the .git " +
		"directory carries the whole history, including secrets that were deleted from the working tree long ago " +
		"(reported at medium, since nearly every context without a .dockerignore sends it).",
	Levels: []rule.Level{{Severity: rule.Medium, When: "for a .git directory, which nearly every context without a " +
		".dockerignore sends; copying it into the image is CX1101's finding"}},
	Fix: "Add the file (or a pattern such as `**/.env`, `**/*.pem`, `.git`) to .dockerignore. Pass credentials a " +
		"build needs with `RUN --mount=type=secret` instead of copying them, and keep deployment secrets out of the " +
		"repository.",
	Bad:        "# .dockerignore\nnode_modules\n\n# context: .env, .git/, deploy/id_rsa are sent",
	Good:       "# .dockerignore\nnode_modules\n.git\n**/.env\n**/.env.*\n!**/.env.example\n**/*.pem\n**/*.key\n**/id_rsa*",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{docsContext, "https://docs.docker.com/build/building/secrets/"},
	Check:      checkSensitiveFiles,
}

func checkSensitiveFiles(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil {
		return nil
	}
	n := 0
	for _, d := range gitDirs(c) {
		n++
		// The Git directory is reported at medium: it is in nearly every
		// context without a .dockerignore and its risk is what its history
		// may hold; copying it into the image is CX1101's critical finding.
		p.Report(rule.Finding{Severity: rule.Medium,
			Message: fmt.Sprintf("%s/ (%s, %s of repository history) is sent with the build context; exclude it in %s",
				d.Path, plural(d.Files, "file"), humanSize(d.Size), ignoreName(c)), Location: rule.Location{File: c.DisplayPath(d.Path), Range: loc.Line(1)}})
	}
	more := 0
	for _, f := range c.Files {
		what := sensitive(c, f)
		if what == "" {
			continue
		}
		if n >= maxPerRule {
			more++
			continue
		}
		n++
		p.ReportAt(c.DisplayPath(f.Path), loc.Line(1), "%s (%s) is sent with the build context and not excluded by %s", f.Path, what, ignoreName(c))
	}
	if more > 0 {
		p.ReportAt(anchor(p), loc.Line(1), "%d more sensitive files are sent with the build context", more)
	}
	return nil
}
