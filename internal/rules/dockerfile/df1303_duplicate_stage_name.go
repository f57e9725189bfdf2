package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1303 reports a `FROM ... AS name` whose name (compared
// case-insensitively, as BuildKit does) an earlier stage already took.
// `COPY --from=name`, `FROM name` and `--target name` can then reach only
// one of the two, so the other stage's work is silently lost or the wrong
// files are copied.
var DF1303 = &rule.Rule{
	ID:       "DF1303",
	Slug:     "duplicate-stage-name",
	Title:    "Two stages share one name",
	Severity: rule.High,
	Category: rule.CatMultiStage,
	Rationale: "Stage names are how COPY --from, FROM and --target refer to a stage. When two stages carry the same " +
		"name (stage names are case-insensitive), every reference resolves to just one of them, so artefacts are " +
		"copied from a stage the author did not mean, or a stage's work is built and then ignored. The result " +
		"depends on the builder's resolution order rather than on what the file appears to say.",
	Fix:   "Give every stage a unique name, and update the COPY --from, FROM and --target references that meant the renamed stage.",
	Bad:   "FROM golang:1.23 AS build\nRUN go build -o /app ./cmd/server\n\nFROM node:22 AS build\nRUN npm ci && npm run build",
	Good:  "FROM golang:1.23 AS build-server\nRUN go build -o /app ./cmd/server\n\nFROM node:22 AS build-web\nRUN npm ci && npm run build",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3024"}, {Tool: "trivy", ID: "DS-0012"}, {Tool: "kics", ID: "f2daed12-c802-49cd-afed-fe41d0b82fed"}, {Tool: "checkov", ID: "CKV_DOCKER_11"}, {Tool: "buildkit", ID: "DuplicateStageName"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/duplicate-stage-name/",
		"https://github.com/hadolint/hadolint/wiki/DL3024",
	},
	Check: func(p *rule.Pass) error {
		first := map[string]int{}
		for _, st := range fileOf(p).Stages {
			if st.Name == "" {
				continue
			}
			if line, dup := first[st.Name]; dup {
				name := st.NameAsWritten
				if name == "" {
					name = st.Name
				}
				p.Reportf(st.From.Start(), "stage name %q is already used by the stage at line %d; references to it can reach only one of them", name, line)
				continue
			}
			first[st.Name] = st.From.Range.Line
		}
		return nil
	},
}
