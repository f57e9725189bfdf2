package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1810 flags ONBUILD triggers that cannot do what they say: a trigger that
// is itself ONBUILD, FROM or MAINTAINER (forbidden), a trigger that does not
// parse as an instruction (it fails every downstream build, not this one),
// and ONBUILD in an intermediate stage that no stage is built FROM, where
// the trigger is stored in an image nobody uses as a base.
var DF1810 = &rule.Rule{
	ID:       "DF1810",
	Slug:     "onbuild-misuse",
	Title:    "ONBUILD used in a way that cannot work",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "ONBUILD stores an instruction that runs later, in the build of every image based on this one. Mistakes in it " +
		"do not show in this build: an unparsable or forbidden trigger (ONBUILD ONBUILD, ONBUILD FROM, ONBUILD MAINTAINER) " +
		"breaks the builds of downstream users, who cannot fix it, and an ONBUILD in a builder stage that nothing builds FROM " +
		"is dead code that suggests a behaviour the image does not have.",
	Fix:   "Make the trigger a valid, allowed instruction (not ONBUILD, FROM or MAINTAINER), and put ONBUILD only in stages used as a base image.",
	Bad:   "FROM python:3.12-slim\nONBUILD ONBUILD COPY . /app",
	Good:  "FROM python:3.12-slim\nONBUILD COPY . /app",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3043"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#onbuild",
		"https://github.com/hadolint/hadolint/wiki/DL3043",
	},
	Check: checkOnbuildMisuse,
}

func checkOnbuildMisuse(p *rule.Pass) error {
	f := fileOf(p)
	for _, in := range f.Instructions {
		if in.Keyword != "ONBUILD" || in.Stage == nil {
			continue
		}
		trigger := ""
		if fs := strings.Fields(in.Original); len(fs) > 1 {
			trigger = strings.ToUpper(fs[1])
		}
		switch trigger {
		case "ONBUILD", "FROM", "MAINTAINER":
			p.Reportf(in.Start(), "ONBUILD %s is not allowed as a trigger", trigger)
			continue
		}
		if c, ok := in.Command.(*instructions.OnbuildCommand); ok {
			if msg := onbuildParse(c.Expression); msg != "" {
				p.Reportf(in.Start(), "ONBUILD trigger %q will fail every build based on this image: %s", c.Expression, msg)
				continue
			}
		}
		if !in.Stage.ConfigReachesImage() {
			p.Reportf(in.Start(), "ONBUILD in stage %s never runs: no stage is built FROM it and it is not the image this file produces", in.Stage.Label())
		}
	}
	return nil
}

// onbuildParse parses a trigger the way a downstream build will.
func onbuildParse(expr string) string {
	res, err := parser.Parse(strings.NewReader(expr))
	if err != nil {
		return err.Error()
	}
	if res == nil || res.AST == nil || len(res.AST.Children) == 0 {
		return "empty trigger"
	}
	if _, err := instructions.ParseCommand(res.AST.Children[0]); err != nil {
		return err.Error()
	}
	return ""
}
