package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1039 reports scripts and CI files that switch Docker Content Trust
// off. The places are found by internal/dockerrun while it parses the
// shell (assignments, export, env, flags) and YAML env: maps.
var RT1039 = &rule.Rule{
	ID:       "RT1039",
	Slug:     "content-trust-disabled",
	Title:    "Docker Content Trust is switched off",
	Severity: rule.Medium,
	Category: rule.CatIntegrity,
	Rationale: "With DOCKER_CONTENT_TRUST=1 docker refuses to pull, build from or run an image tag that carries no valid " +
		"signature. Setting it to 0 (or passing --disable-content-trust) in a pipeline silently turns that check off for " +
		"every later command, usually to get past one failing pull, and the pipeline then runs whatever the registry serves.",
	Fix: "Remove the DOCKER_CONTENT_TRUST=0 assignment or the --disable-content-trust flag, and sign the images the " +
		"pipeline uses (or verify them with `shipshape verify`).",
	Bad:   "export DOCKER_CONTENT_TRUST=0\ndocker pull registry.example.com/app:1.4",
	Good:  "export DOCKER_CONTENT_TRUST=1\ndocker pull registry.example.com/app:1.4",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.5"}},
	References: []string{
		"https://docs.docker.com/engine/security/trust/",
	},
	Check: func(p *rule.Pass) error {
		proj := projectOf(p)
		if proj == nil {
			return nil
		}
		for _, t := range proj.TrustOff {
			report(p, t.Where, 0, "%s switches Docker Content Trust off, so image signatures are not checked", t.What)
		}
		return nil
	},
}
