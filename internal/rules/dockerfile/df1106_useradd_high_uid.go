package dockerfile

import (
	"strconv"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1106 reports `useradd` with a large UID and without `-l`
// (`--no-log-init`). useradd then writes the new user's record into
// /var/log/lastlog and /var/log/faillog at an offset proportional to the
// UID; the files are sparse on disk but not in an image layer, so a UID in
// the hundreds of thousands adds tens or hundreds of megabytes of zeros.
var DF1106 = &rule.Rule{
	ID:       "DF1106",
	Slug:     "useradd-high-uid",
	Title:    "useradd with a high UID and without -l",
	Severity: rule.Low,
	Category: rule.CatUser,
	Rationale: "useradd records every new account in the lastlog and faillog databases, which are indexed by UID: " +
		"the record for UID N is written at byte N*292 of /var/log/lastlog. On a normal filesystem the hole before it " +
		"costs nothing, but image layers are tar archives that store the file in full, so a large UID silently adds " +
		"tens of megabytes (hundreds for UIDs in the millions) to the layer. `-l`/`--no-log-init` skips those records, " +
		"which a container never needs.",
	Fix:   "Add `--no-log-init` (`-l`) to the useradd command, or choose a UID below the threshold.",
	Bad:   "FROM debian:12-slim\nRUN useradd -u 123456 app",
	Good:  "FROM debian:12-slim\nRUN useradd --no-log-init -u 123456 app",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3046"}},
	References: []string{
		"https://github.com/hadolint/hadolint/wiki/DL3046",
		"https://github.com/moby/moby/issues/5419",
		"https://docs.docker.com/build/building/best-practices/#user",
	},
	Settings: []rule.Setting{{
		Name: "max-uid", Type: "int", Default: 65535,
		Doc: "Largest UID accepted without `-l`; at 65535 the lastlog file alone is about 19 MB.",
	}},
	Check: checkUseraddHighUID,
}

func checkUseraddHighUID(p *rule.Pass) error {
	limit := p.Settings.Int("max-uid")
	for in, c := range fileOf(p).Commands() {
		usrCheckUseradd(p, in, c, limit)
	}
	return nil
}

// usrCheckUseradd reports one useradd with a large UID and no -l.
func usrCheckUseradd(p *rule.Pass, in *df.Instruction, c *df.Cmd, limit int) {
	if c.Name != "useradd" || c.HasFlag("-l", "--no-log-init") {
		return
	}
	raw, ok := c.NumericFlagValue("-u", "--uid")
	if !ok {
		return
	}
	v := in.Resolve(raw)
	uid, err := strconv.ParseUint(v, 10, 64)
	if err != nil || uid <= uint64(max(limit, 0)) {
		return
	}
	mb := float64(uid) * 292 / (1 << 20)
	p.Reportf(in.CmdRange(c), "useradd -u %s without -l grows /var/log/lastlog to about %.0f MB of zeros in the layer", v, mb)
}
