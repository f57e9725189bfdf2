package image

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// IM1002 reports credentials in the image configuration's Env and labels.
// Both are stored in clear in the config blob: `docker inspect` and any
// registry reader show them, and every container inherits the variables.
// Each entry is judged by secrets.Pair, the verdict DF1400/DF1401 give the
// ENV or LABEL that set it and RT1029 gives a compose environment entry.
var IM1002 = &rule.Rule{
	ID:       "IM1002",
	Slug:     "secret-in-image-config",
	Title:    "Credential in the image's environment or labels",
	Severity: rule.Critical,
	Category: rule.CatSecrets,
	Rationale: "Environment variables and labels are part of the image configuration, readable by anyone who can pull the " +
		"image (`docker inspect`, registry APIs) and inherited by every process of every container. A password, token or " +
		"key set there has leaked to everyone with pull access and cannot be rotated away without rebuilding.",
	Fix: "Remove the value from ENV/LABEL and rotate the credential; pass it at run time (a secret mount, an orchestrator secret, `--env-file` kept out of the image) " +
		"and use build secrets (`RUN --mount=type=secret`) when the build needs it.",
	Bad:   "FROM alpine:3.20\nENV DB_PASSWORD=hunter2",
	Good:  "FROM alpine:3.20\nENV DB_PASSWORD_FILE=/run/secrets/db_password",
	Peers: []rule.Peer{{Tool: "dockle", ID: "CIS-DI-0010"}, {Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{
		"https://docs.docker.com/build/building/secrets/",
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0010",
	},
	Settings: []rule.Setting{{Name: "ignore-names", Type: "strings", Default: []string{}, Doc: "variable and label names never reported (exact, case-insensitive)"}},
	Check:    checkSecretInConfig,
}

func checkSecretInConfig(p *rule.Pass) error {
	ignore := map[string]bool{}
	for _, n := range p.Settings.Strings("ignore-names") {
		ignore[strings.ToLower(n)] = true
	}
	for _, kv := range imageOf(p).Config.Env {
		name, value, _ := strings.Cut(kv, "=")
		if ignore[strings.ToLower(name)] {
			continue
		}
		if f, ok := secrets.Pair(name, value); ok {
			instr := lastHistory(imageOf(p), func(c string) bool {
				return (keyword(c) == "ENV" || keyword(c) == "ARG") && strings.Contains(c, name)
			})
			reportConfig(p, instr, "environment variable %s holds a credential (%s: %s)", name, f.Kind, f.Match)
		}
	}
	names := make([]string, 0, len(imageOf(p).Config.Labels))
	for k := range imageOf(p).Config.Labels {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		if ignore[strings.ToLower(name)] {
			continue
		}
		if f, ok := secrets.Pair(name, imageOf(p).Config.Labels[name]); ok {
			instr := lastHistory(imageOf(p), func(c string) bool { return keyword(c) == "LABEL" && strings.Contains(c, name) })
			reportConfig(p, instr, "label %s holds a credential (%s: %s)", name, f.Kind, f.Match)
		}
	}
	return nil
}
