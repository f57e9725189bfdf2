package dockerfile

import (
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1102 reports a USER that is set in a build stage while the final stage
// (and the stages it is built FROM) sets none. USER does not travel with
// COPY --from, so the author's intent to run unprivileged is lost and the
// shipped image runs as root; the finding points at the USER that was meant
// to protect it.
var DF1102 = &rule.Rule{
	ID:       "DF1102",
	Slug:     "user-in-build-stage-only",
	Title:    "USER is set only in a build stage",
	Severity: rule.Low,
	Category: rule.CatUser,
	Rationale: "Each FROM starts a new image configuration. A USER in a builder stage affects only the RUN steps of that " +
		"stage; it does not carry into a later stage that copies files out of it. A Dockerfile that sets USER only in a " +
		"build stage therefore looks hardened in review while the image it produces runs as root.",
	Fix: "Repeat the USER instruction (and the account it needs) in the final stage, or build the final stage FROM the " +
		"stage that sets it.",
	Bad: "FROM golang:1.23 AS build\nRUN useradd -u 10001 app\nUSER app\nRUN go build -o /out/app .\n\n" +
		"FROM debian:12-slim\nCOPY --from=build /out/app /app\nCMD [\"/app\"]",
	Good: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\n\n" +
		"FROM debian:12-slim\nRUN useradd -u 10001 --no-log-init app\nCOPY --from=build /out/app /app\nUSER app\nCMD [\"/app\"]",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/multi-stage/", "https://docs.docker.com/reference/dockerfile/#user"},
	Settings:   []rule.Setting{usrNonRootBaseSetting},
	Check:      checkUserInBuildStageOnly,
}

func checkUserInBuildStageOnly(p *rule.Pass) error {
	t := fileOf(p).Target
	if t == nil || t.Last("USER") != nil || usrNonRootBase(p, t) || !t.Runnable() {
		return nil
	}
	inChain := map[*df.Stage]bool{}
	for _, s := range t.Chain() {
		inChain[s] = true
	}
	for _, s := range fileOf(p).Stages {
		// Only stages the final image is built from count: a stage it does
		// not need at all is another build target with its own USER.
		if inChain[s] || !s.InTarget {
			continue
		}
		users := s.ByKeyword("USER")
		if len(users) == 0 {
			continue
		}
		in := users[len(users)-1]
		user, _, raw := in.User()
		if df.IsRoot(user, s.Windows) || raw == "" {
			continue
		}
		p.Reportf(in.LocateWord(raw), "USER %s is set in stage %s only; it does not carry into the final stage %s, which runs as root", raw, s.Describe(), t.Describe())
	}
	return nil
}
