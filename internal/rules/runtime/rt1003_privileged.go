package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1003 reports privileged containers.
var RT1003 = &rule.Rule{
	ID:       "RT1003",
	Slug:     "privileged-container",
	Title:    "Container runs privileged",
	Severity: rule.Critical,
	Category: rule.CatRuntime,
	Rationale: "A privileged container gets every Linux capability, all host devices, no seccomp or AppArmor confinement and " +
		"writable /sys and /proc: root inside it can mount the host's disks, load kernel modules and take over the host. " +
		"Whatever cap_drop says, privileged wins.",
	Fix: "Remove `privileged: true` (`--privileged`). Grant only what the workload needs: one capability with `cap_add`, " +
		"one device with `devices`.",
	Bad:   "services:\n  app:\n    image: app:1.4\n    privileged: true",
	Good:  "services:\n  app:\n    image: app:1.4\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]",
	Peers: []rule.Peer{{Tool: "kics", ID: "ae5b6871-7f45-42e0-bb4c-ab300c4d2026"}, {Tool: "cis-docker-1.6.0", ID: "5.5"}},
	References: []string{
		"https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
		"https://docs.docker.com/reference/compose-file/services/#privileged",
	},
	// What privileged makes moot folds into its finding; what would
	// survive removing it (added capabilities, host namespaces, mounts,
	// devices) is still reported apart (docs/contract.md).
	Subsumes: []rule.Subsumption{{IDs: []string{"RT1004", "RT1006", "RT1009"}, Same: rule.SameScope}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.Privileged {
				fix := dropFix(s, "privileged: true", "--privileged") + "; grant only the capability (cap_add) or device (devices) it needs"
				reportFix(p, at(s, container.KeyPrivileged), 0, fix,
					"%s runs privileged: it holds every capability and device of the host and can take it over", who(s))
			}
		}
		return nil
	},
}
