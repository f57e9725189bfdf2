package dockerfile

import (
	"fmt"
	"strconv"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1901 reports a final image that serves something (Stage.Role: it
// EXPOSEs a port, runs a server program, or is built on a server image)
// without a HEALTHCHECK, looking through the stages it is built FROM.
// `HEALTHCHECK NONE` counts as a deliberate choice (for example when an
// orchestrator's probes do the job) and silences the rule. Images that do
// not serve (command-line tools, workers, base and toolchain images, dev
// containers) have nothing a health check could ask.
var DF1901 = &rule.Rule{
	ID:       "DF1901",
	Slug:     "missing-healthcheck",
	Title:    "Final stage has no HEALTHCHECK",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Without a health check Docker only knows whether the main process is alive, not whether it still " +
		"serves requests. A deadlocked or wedged service keeps its container in the `running` state, so Docker Swarm, " +
		"Compose `depends_on: condition: service_healthy` and restart policies cannot react and traffic keeps flowing " +
		"to it. Kubernetes ignores HEALTHCHECK and uses its own probes; images deployed only there can state that with " +
		"`HEALTHCHECK NONE`. Only images that serve something are reported: one that EXPOSEs a port, runs a server " +
		"program (nginx, gunicorn, `npm start`...) or is built on a server image without replacing its command. A " +
		"command-line tool, a worker, a base or toolchain image and a development image have no service to probe.",
	Fix: "Add a HEALTHCHECK that exercises the service, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD " +
		"[\"/app\", \"healthcheck\"]`, or `HEALTHCHECK NONE` when the orchestrator probes the container instead.",
	Bad:   "FROM nginx:1.27-alpine\nCOPY site /usr/share/nginx/html\nEXPOSE 80",
	Good:  "FROM nginx:1.27-alpine\nCOPY site /usr/share/nginx/html\nHEALTHCHECK --interval=30s --timeout=3s CMD wget -q -O /dev/null http://localhost/ || exit 1",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3057"}, {Tool: "trivy", ID: "DS-0026"}, {Tool: "kics", ID: "b03a748a-542d-44f4-bb86-9199ab4fd2d5"}, {Tool: "checkov", ID: "CKV_DOCKER_2"}, {Tool: "cis-docker-1.6.0", ID: "4.6"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#healthcheck",
		"https://github.com/hadolint/hadolint/wiki/DL3057",
	},
	Check: checkMissingHealthcheck,
}

func checkMissingHealthcheck(p *rule.Pass) error {
	t := fileOf(p).Target
	if t == nil || t.Last("HEALTHCHECK") != nil || !t.Runnable() {
		return nil
	}
	role := t.Role()
	if role.Role != df.RoleService {
		return nil
	}
	p.Report(rule.Finding{
		Message:  fmt.Sprintf("final stage %s serves (%s) but has no HEALTHCHECK, so a hung service still looks healthy to Docker", t.Describe(), role.Why),
		Remedy:   healthcheckRemedy(t),
		Location: rule.Location{Range: t.From.Start()},
		Fixes:    []rule.Fix{suggestion("add a HEALTHCHECK that probes the service: " + healthcheckRemedy(t))},
	})
	return nil
}

// healthcheckRemedy writes DF1901's remedy with a probe that exists in the
// image: BusyBox wget on Alpine, curl (to install) on Debian and RPM
// images, the application's own check where there is no shell, against
// the first port the image EXPOSEs.
func healthcheckRemedy(t *df.Stage) string {
	port := ""
	if e := t.Last("EXPOSE"); e != nil && len(e.Args) > 0 {
		p, _, _ := strings.Cut(e.Args[0], "/")
		if _, err := strconv.Atoi(p); err == nil {
			port = ":" + p
		}
	}
	switch fam := imageFamily(t); {
	case fam == famNoShell:
		return "This image has no shell, curl or wget: add an exec-form HEALTHCHECK that runs a check built into the application, " +
			"e.g. `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`, or `HEALTHCHECK NONE` when the orchestrator probes the container."
	case port == "":
		return ""
	case fam == famAlpine:
		return "Add `HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://localhost" + port + "/ || exit 1` " +
			"(BusyBox wget is in the image), pointed at a health endpoint of the service."
	case fam == famDebian || fam == famRPM:
		return "Add `HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost" + port + "/ || exit 1` " +
			"(install curl, which slim images lack) or a health command of the application, pointed at a health endpoint."
	}
	return ""
}
