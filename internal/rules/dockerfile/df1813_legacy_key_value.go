package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1813 flags `ENV key value` and `LABEL key value`, the legacy form
// without `=`. That form sets exactly one variable whose value is the whole
// rest of the line, which surprises anyone who adds a second pair, and the
// Dockerfile reference marks it for removal.
var DF1813 = &rule.Rule{
	ID:       "DF1813",
	Slug:     "legacy-key-value",
	Title:    "ENV or LABEL uses the legacy space-separated form",
	Severity: rule.Info,
	Category: rule.CatCorrectness,
	Rationale: "In the legacy form `ENV NAME value with spaces` the first word is the name and everything after it, spaces " +
		"included, is the value. Extending the line to `ENV A 1 B 2` therefore sets A to \"1 B 2\" instead of two variables, " +
		"and the form may be removed from future Dockerfile versions. `NAME=value` pairs are unambiguous and can be combined.",
	Fix:   "Write `ENV NAME=value` (quote values with spaces: `ENV NAME=\"a b\"`), and likewise `LABEL key=value`.",
	Bad:   "FROM alpine:3.20\nENV APP_HOME /srv/app\nLABEL maintainer jane@example.com",
	Good:  "FROM alpine:3.20\nENV APP_HOME=/srv/app\nLABEL maintainer=jane@example.com",
	Peers: []rule.Peer{{Tool: "buildkit", ID: "LegacyKeyValueFormat"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/legacy-key-value-format/",
		"https://docs.docker.com/reference/dockerfile/#env",
	},
	Check: checkLegacyKeyValue,
}

func checkLegacyKeyValue(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		var kvs instructions.KeyValuePairs
		switch c := in.Command.(type) {
		case *instructions.EnvCommand:
			kvs = c.Env
		case *instructions.LabelCommand:
			kvs = c.Labels
		default:
			continue
		}
		for _, kv := range kvs {
			if kv.NoDelim {
				p.Reportf(in.Start(), "%s %s %s uses the legacy form; write %s %s=%q", in.KeywordAsWritten, kv.Key, truncate(kv.Value, 40), in.Keyword, kv.Key, kv.Value)
			}
		}
	}
	return nil
}
