package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1004 reports containers that keep Docker's default capability set
// instead of dropping ALL and adding back what they need.
var RT1004 = &rule.Rule{
	ID:       "RT1004",
	Slug:     "capabilities-not-dropped",
	Title:    "Capabilities are not dropped with ALL",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "By default a container keeps 14 capabilities, among them CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_RAW " +
		"and MKNOD. Most applications need none of them, but a compromised process can use them to read any file in the " +
		"container, change owners, spoof packets or create device nodes. Dropping ALL and adding back the few that are needed " +
		"makes the allowance explicit.",
	Fix:   "Add `cap_drop: [ALL]` (`--cap-drop ALL`) and list the capabilities the process really needs under `cap_add`.",
	Bad:   "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [NET_RAW]",
	Good:  "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]",
	Peers: []rule.Peer{{Tool: "kics", ID: "ce76b7d0-9e77-464d-b86f-c5c48e03e22d"}, {Tool: "cis-docker-1.6.0", ID: "5.4"}},
	References: []string{
		"https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
		"https://docs.docker.com/reference/compose-file/services/#cap_drop",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			// On a privileged container this folds into RT1003's finding.
			if s.DropsAll() {
				continue
			}
			key := keyword(s, "cap_drop", "--cap-drop", "CapDrop")
			fix := keyword(s, "add `cap_drop: [ALL]` to "+who(s), "add --cap-drop ALL", "recreate the container with --cap-drop ALL") +
				" and add back only the capabilities it needs"
			if len(s.CapDrop) == 0 {
				if !s.Partial {
					reportFix(p, s.Self, 0, fix, "%s keeps Docker's default capabilities: no %s ALL", who(s), key)
				}
				continue
			}
			reportFix(p, at(s, container.KeyCapDrop), 0, fix, "%s drops only %s: use %s ALL and add back what is needed",
				who(s), strings.Join(s.CapDrop, ", "), key)
		}
		return nil
	},
}
