package image

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1001 reports an image that serves (it exposes a port) without a usable
// healthcheck: none configured, or one disabled with NONE (CIS 4.6). An
// image that exposes no port (a command-line tool, a batch job) serves
// nothing a healthcheck could probe, as DF1901 judges its Dockerfile.
var IM1001 = &rule.Rule{
	ID:       "IM1001",
	Slug:     "image-no-healthcheck",
	Title:    "Image defines no healthcheck",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Without a healthcheck the engine only knows whether the main process is alive, not whether it still serves. " +
		"A hung application keeps receiving traffic and is never restarted. Orchestrators with their own probes " +
		"(Kubernetes) ignore the image's healthcheck, so this matters most for Docker and Compose deployments. An image that " +
		"exposes no port (a command-line tool, a batch job) is not reported: there is nothing to probe.",
	Fix:   "Add a HEALTHCHECK that exercises the service (`HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`), or suppress this rule when the platform probes the container itself.",
	Bad:   "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nEXPOSE 80",
	Good:  "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nEXPOSE 80\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1",
	Peers: []rule.Peer{{Tool: "dockle", ID: "CIS-DI-0006"}, {Tool: "cis-docker-1.6.0", ID: "4.6"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#healthcheck",
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0006",
	},
	Check: checkImageHealthcheck,
}

func checkImageHealthcheck(p *rule.Pass) error {
	if len(imageOf(p).Config.ExposedPorts) == 0 {
		return nil
	}
	hc := imageOf(p).Config.Healthcheck
	switch {
	case hc == nil || len(hc.Test) == 0:
		reportConfig(p, "", "the image defines no healthcheck")
	case strings.EqualFold(hc.Test[0], "NONE"):
		instr := lastHistory(imageOf(p), func(c string) bool { return keyword(c) == "HEALTHCHECK" })
		reportConfig(p, instr, "the image disables its healthcheck (HEALTHCHECK NONE)")
	}
	return nil
}
