package dockerfile

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/basefamily"
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1203 reports a final image built on a full distribution or a language
// image's default (build-tools) variant when a slim, Alpine, JRE or
// distroless counterpart exists. Build stages are not reported: compilers
// belong there; nor are images whose purpose is the toolchain or a
// development environment (Stage.ToolchainPurpose, Stage.Role).
var DF1203 = &rule.Rule{
	ID:       "DF1203",
	Slug:     "non-minimal-base",
	Title:    "Final stage uses a full-size base image",
	Severity: rule.Medium,
	Category: rule.CatBaseImage,
	Rationale: "The default tags of language images (node:22, python:3.13, ruby, golang) sit on buildpack-deps: compilers, " +
		"headers, version-control tools and hundreds of libraries the running application never uses. " +
		"Every one of them is attack surface, shows up in vulnerability scans and adds hundreds of megabytes to pull and store. " +
		"Slim, Alpine, JRE and distroless variants carry only what is needed at run time. Ubuntu is not reported: it publishes no slim variant, its image is already minimised, and moving to another " +
		"distribution is a choice of its own. Images whose purpose is the toolchain (SDK and JDK images, buildpack-deps, " +
		"the language images themselves, a build tool as the command) and development or CI images (dev containers, " +
		"dev/test/ci names, hack/) are left alone.",
	Levels: []rule.Level{{Severity: rule.Low, When: "for an operating system's full image where the same distribution " +
		"publishes a slim or minimal variant (debian, Rocky, Alma, Oracle Linux, UBI): tens of megabytes of documentation, " +
		"locales and tools, no compilers"}},
	Fix: "Base the final stage on the leaner image the message names, and build in an earlier stage. " +
		"Compile in a builder stage and `COPY --from` only the result; list an image in `allowed` if it must stay. " +
		"Dockerfiles under a `.devcontainer` directory are development environments and are not checked.",
	Bad:  "FROM node:22\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]",
	Good: "FROM node:22 AS build\nRUN npm ci && npm run build\n\nFROM node:22-slim\nCOPY --from=build /app/dist /app\nCMD [\"node\", \"/app/server.js\"]",
	Settings: []rule.Setting{{Name: "allowed", Type: "strings", Default: []string{},
		Doc: "Image patterns accepted as a final base even though a slimmer variant exists, e.g. `ubuntu:*` or `docker.io/library/debian`. " +
			"`*` matches any characters; patterns are tried against the full and the short name, with and without the tag."}},
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#choose-the-right-base-image",
		"https://docs.docker.com/build/building/multi-stage/",
		"https://github.com/GoogleContainerTools/distroless",
	},
	Check: checkNonMinimalBase,
}

// leanerOf returns the basefamily advice for a base image; ok is false
// when it is lean already or the tables do not know it.
func leanerOf(b df.BaseImage) (basefamily.Leaner, bool) {
	return basefamily.LeanerOf(basefamily.Image{Official: b.Official, Name: b.Name, Tag: b.Tag})
}

// minimalAdvice returns the leaner alternative for an image in words, or
// "" when it is lean already or the tables do not know it.
func minimalAdvice(b df.BaseImage) string {
	l, _ := leanerOf(b)
	return l.Advice
}

func checkNonMinimalBase(p *rule.Pass) error {
	f := fileOf(p)
	if f.Target == nil || f.Target.Windows || f.Target.ToolchainPurpose() != "" || f.Target.Role().Role == df.RoleDev {
		return nil
	}
	root := f.Target.Root()
	b, ok := root.Image()
	if !ok || b.Matches(p.Settings.Strings("allowed")) {
		return nil
	}
	leaner, ok := leanerOf(b)
	if !ok {
		return nil
	}
	adv := leaner.Advice
	which := "the final stage"
	if root != f.Target {
		which = fmt.Sprintf("the final stage %s (through stage %s)", f.Target.Label(), root.Label())
	}
	sev := rule.Medium
	remedy := "Build in an earlier stage on " + b.Ref + " and base the final stage on " + adv + ", copying only what runs with `COPY --from`."
	if leaner.OS {
		sev = rule.Low
		remedy = "Base the final stage on " + adv + ", installing any tool the application needs at run time."
	}
	p.Report(rule.Finding{
		Severity: sev,
		Message:  fmt.Sprintf("%s is built on the full image %q; use %s", which, b.Ref, adv),
		Remedy:   remedy,
		Location: rule.Location{Range: root.BaseRange()},
		Fixes:    []rule.Fix{suggestion("base the final stage on " + adv + " (a suggestion: what the application needs at run time decides)")},
	})
	return nil
}
