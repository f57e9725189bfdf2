package image

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// IM1002 reports credentials in the image configuration's Env and labels,
// and in its history: a secret written in a RUN command or passed as a
// build argument is recorded in the history entry (`docker history
// --no-trunc` shows it) even when the layer deletes the file it wrote.
// All of it is stored in clear in the config blob: `docker inspect` and any
// registry reader show it, and every container inherits the variables.
// Each entry is judged by secrets.Pair, the verdict DF1400/DF1401 give the
// ENV or LABEL that set it and RT1029 gives a compose environment entry.
var IM1002 = &rule.Rule{
	ID:       "IM1002",
	Slug:     "secret-in-image-config",
	Title:    "Credential in the image's environment, labels or history",
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
	checkSecretInHistory(p, ignore)
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

// checkSecretInHistory reports credentials in the history entries of the
// image: RUN commands and the build arguments BuildKit records with them
// (`|2 TOKEN=... /bin/sh -c ...`), ARG defaults. ENV and LABEL entries are
// judged above from the configuration, where their final values are.
func checkSecretInHistory(p *rule.Pass, ignore map[string]bool) {
	im := imageOf(p)
	for _, h := range im.History {
		raw := rawInstruction(h.CreatedBy)
		if kw := keyword(raw); kw == "ENV" || kw == "LABEL" {
			continue
		}
		for _, f := range secrets.InCommand(raw) {
			if ignored(raw, f, ignore) {
				continue
			}
			what := "the history entry"
			if h.Layer >= 0 {
				what = fmt.Sprintf("the history entry of layer %d", h.Layer)
			}
			msg := fmt.Sprintf("%s holds a credential (%s: %s); the image's history keeps it even when the layer deletes what it wrote", what, f.Kind, f.Match)
			if h.Layer >= 0 {
				p.Report(rule.Finding{Message: msg, Token: f.Kind + " " + f.Match, Location: rule.Location{File: im.Ref, Image: locate(im, h.Layer, "")}})
				continue
			}
			l := &rule.ImageLocation{Image: im.Ref, LayerIndex: configLayer, Instruction: cleanInstruction(h.CreatedBy)}
			p.Report(rule.Finding{Message: msg, Token: f.Kind + " " + f.Match, Location: rule.Location{File: im.Ref, Image: l}})
		}
	}
}

// ignored reports whether a finding in a command sits in the value of an
// assignment whose name the ignore-names setting lists.
func ignored(cmd string, f secrets.Finding, ignore map[string]bool) bool {
	if len(ignore) == 0 || f.Start == 0 {
		return false
	}
	before := cmd[:f.Start]
	eq := strings.LastIndexByte(before, '=')
	if eq < 0 {
		return false
	}
	i := eq
	for i > 0 && (isNameByte(cmd[i-1])) {
		i--
	}
	return ignore[strings.ToLower(cmd[i:eq])]
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
