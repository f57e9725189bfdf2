package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1000 turns every problem met while loading a compose file, a script's
// `docker run` line or an inspect document into a finding at the place the
// loader names, so that a broken file is reported while the rest of it, and
// every other file, is still checked.
var RT1000 = &rule.Rule{
	ID:       "RT1000",
	Slug:     "invalid-runtime-input",
	Title:    "Compose file or runtime input cannot be loaded",
	Severity: rule.High,
	Category: rule.CatMeta,
	Rationale: "`docker compose` refuses a file with broken YAML or a service that is not a mapping, and a `docker run` line " +
		"with an unknown flag fails, so the containers this input describes would not start as written. Every other " +
		"runtime rule still runs on what could be loaded.",
	Fix:        "Correct the input at the reported line; `docker compose config` shows the same error for a compose file.",
	Bad:        "services:\n  web:\n    image: nginx:1.27\n    ports: [8080:80",
	Good:       "services:\n  web:\n    image: nginx:1.27\n    ports: [\"127.0.0.1:8080:80\"]",
	References: []string{"https://docs.docker.com/reference/compose-file/", "https://docs.docker.com/reference/cli/docker/compose/config/"},
	Check: func(p *rule.Pass) error {
		if projectOf(p) == nil {
			return nil
		}
		for _, e := range projectOf(p).Errors {
			pos := e.Pos
			if pos.File == "" {
				pos.File = projectOf(p).File
			}
			report(p, pos, 0, "%s", e.Message)
		}
		return nil
	},
}
