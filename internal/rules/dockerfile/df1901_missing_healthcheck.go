package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1901 reports a final image without a HEALTHCHECK, looking through the
// stages it is built FROM. `HEALTHCHECK NONE` counts as a deliberate choice
// (for example when an orchestrator's probes do the job) and silences the
// rule; so does a FROM scratch stage that runs nothing, which is an
// artifact export rather than a container image.
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
		"`HEALTHCHECK NONE`.",
	Fix: "Add a HEALTHCHECK that exercises the service, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD " +
		"[\"/app\", \"healthcheck\"]`, or `HEALTHCHECK NONE` when the orchestrator probes the container instead.",
	Bad:   "FROM nginx:1.27-alpine\nCOPY site /usr/share/nginx/html",
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
	p.Reportf(t.From.Start(), "final stage %s has no HEALTHCHECK, so a hung service still looks healthy to Docker", t.Describe())
	return nil
}
