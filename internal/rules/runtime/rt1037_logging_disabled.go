package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1037 reports containers whose log driver discards their output, which
// leaves no trace of what a compromised or failing service did.
var RT1037 = &rule.Rule{
	ID:       "RT1037",
	Slug:     "logging-disabled",
	Title:    "Container logging is disabled",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "With the `none` log driver Docker throws away everything the container writes to stdout and stderr: " +
		"`docker logs` shows nothing, no collector receives anything, and after an incident there is no record of what " +
		"the service did or what an attacker ran through it. Audit and incident response depend on those logs.",
	Fix: "Remove `logging: {driver: none}` (`--log-driver none`) and keep the default driver, or send the logs to your " +
		"collector (`syslog`, `journald`, `fluentd`, `gelf`…); bound local logs with `max-size`/`max-file` options instead " +
		"of disabling them.",
	Bad:  "services:\n  app:\n    image: app:1.4\n    logging:\n      driver: none",
	Good: "services:\n  app:\n    image: app:1.4\n    logging:\n      driver: json-file\n      options:\n        max-size: 10m\n        max-file: \"3\"",
	References: []string{
		"https://docs.docker.com/engine/logging/configure/",
		"https://docs.docker.com/reference/compose-file/services/#logging",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if strings.EqualFold(strings.TrimSpace(s.LoggingDriver), "none") {
				reportFix(p, at(s, container.KeyLogging), 0, dropFix(s, "driver: none", "--log-driver none")+
					" and keep the default driver with max-size/max-file, or send the logs to a collector",
					"%s uses the %q log driver, so its output is discarded and leaves no audit trail", who(s), s.LoggingDriver)
			}
		}
		return nil
	},
}
