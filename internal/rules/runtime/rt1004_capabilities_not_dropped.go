package runtime

import (
	"fmt"
	"github.com/shipshape-sec/shipshape/internal/composeedit"
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
					reportWithFixes(p, s.Self, 0, fix, dropAllFix(p, s), "%s keeps Docker's default capabilities: no %s ALL", who(s), key)
				}
				continue
			}
			reportWithFixes(p, at(s, container.KeyCapDrop), 0, fix, dropAllFix(p, s), "%s drops only %s: use %s ALL and add back what is needed",
				who(s), strings.Join(s.CapDrop, ", "), key)
		}
		return nil
	},
}

// dropAllFix adds ALL to cap_drop and, for an image shipshape knows, adds
// back in cap_add the capabilities its entrypoint uses. It is a review
// fix: anything else the container does with a capability stops working.
func dropAllFix(p *rule.Pass, s *container.Spec) []rule.Fix {
	caps, known := missingCaps(s)
	title := "drop every capability (review: the image is not one shipshape knows; it may need cap_add for the capabilities it uses)"
	if known {
		title = fmt.Sprintf("drop every capability and add back %s, which the %s image uses (review: anything else needing a capability stops working)",
			orNone(caps), officialImage(s.Image))
	}
	return composeFix(p, s, rule.FixReview, title, func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
		if s.Privileged {
			pl.Refuse("%s is privileged, which grants every capability whatever cap_drop says; remove privileged first", who(s))
			return nil
		}
		svc.AppendItems("cap_drop", "ALL")
		svc.AppendItems("cap_add", caps...)
		return nil
	})
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "nothing"
	}
	return strings.Join(xs, ", ")
}
