package dockerfile

import (
	"fmt"
	"path"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1602 catches apt-get install (and apt install) without
// --no-install-recommends in a stage that ships. Recommended packages are
// not needed for the requested ones to work, yet they often double the
// size of what gets installed and add packages to patch.
var DF1602 = &rule.Rule{
	ID:       "DF1602",
	Slug:     "apt-install-recommends",
	Title:    "apt-get install without --no-install-recommends",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "By default apt also installs every package the requested ones merely recommend: documentation tools, optional libraries, " +
		"sometimes whole compilers or X11 stacks. They make the image larger and widen the set of packages with vulnerabilities to track, " +
		"while the software works without them. The flag is also accepted as `-o APT::Install-Recommends=false` or set for the whole " +
		"stage in /etc/apt/apt.conf.d; both are recognised.",
	Fix:   "Add `--no-install-recommends` to `apt-get install`, and name any recommended package you really need explicitly.",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3015"}, {Tool: "trivy", ID: "DS-0029"}, {Tool: "kics", ID: "7384dfb2-fcd1-4fbf-91cd-6c44c318c33c"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/hadolint/hadolint/wiki/DL3015",
	},
	Check: checkAptRecommends,
}

func checkAptRecommends(p *rule.Pass) error {
	configured := map[*df.Stage]bool{}
	for _, s := range fileOf(p).Stages {
		// off says whether an earlier instruction of the image turned
		// recommends off; ONBUILD triggers run after all of them.
		off := s.BaseStage != nil && configured[s.BaseStage]
		offAt := map[*df.Instruction]bool{}
		for _, in := range s.Instructions {
			if !off && leanDisablesRecommends(in) {
				off = true
			}
			offAt[in] = off
		}
		configured[s] = off
		if !s.Ships {
			continue
		}
		for in := range s.Runs() {
			if o, ok := offAt[in]; (ok && o) || (!ok && off) {
				continue
			}
			leanCheckRecommends(p, in)
		}
	}
	return nil
}

// leanCheckRecommends reports the first apt install of a RUN that keeps
// recommends on.
func leanCheckRecommends(p *rule.Pass, in *df.Instruction) {
	for _, c := range in.Script.Commands {
		if c.Name != "apt-get" && c.Name != "apt" {
			continue
		}
		x, unknown := in.ExpandCmd(c)
		op, _ := x.Package()
		if op.Sub != "install" || unknown || leanNoRecommends(x) {
			continue
		}
		p.Report(rule.Finding{
			Message:  fmt.Sprintf("`%s install` also installs recommended packages; add --no-install-recommends", c.Name),
			Location: rule.Location{Range: in.Start()},
			Fixes:    aptRecommendsFix(in),
		})
		return
	}
}

// aptRecommendsFix adds --no-install-recommends after the `install` word of
// every apt install of the RUN that keeps recommends on, so that one run
// of fix leaves nothing for the rule to report. It is a review fix: the
// packages apt only recommends are no longer installed, and software that
// relied on one of them (ca-certificates beside curl is the usual case)
// must name it. No fix is offered when any such command is where columns
// are unknown (inside `sh -c` or a heredoc, or the exec form).
func aptRecommendsFix(in *df.Instruction) []rule.Fix {
	var edits []rule.Edit
	for _, c := range in.Script.Commands {
		if c.Name != "apt-get" && c.Name != "apt" {
			continue
		}
		x, unknown := in.ExpandCmd(c)
		op, _ := c.Package()
		if op.Sub != "install" || unknown || leanNoRecommends(x) {
			continue
		}
		r := in.ArgRange(c, op.SubIndex)
		if c.Nested || c.Call() == nil || r.Col == 0 || r.EndCol == 0 || r.EndLine != r.Line {
			return nil
		}
		edits = append(edits, rule.Edit{Range: loc.Range{Line: r.Line, Col: r.EndCol, EndLine: r.Line, EndCol: r.EndCol}, New: " --no-install-recommends"})
	}
	if len(edits) == 0 {
		return nil
	}
	return []rule.Fix{{
		Title: "add --no-install-recommends: packages apt only recommends are no longer installed; name any the image needs",
		Level: rule.FixReview,
		Edits: edits,
	}}
}

// leanNoRecommends reports whether an apt command turns recommends off on
// its command line.
func leanNoRecommends(c *df.Cmd) bool {
	if c.HasFlag("--no-install-recommends") {
		return true
	}
	for _, a := range c.Args {
		if leanRecommendsOff(strings.TrimPrefix(a, "-o")) {
			return true
		}
	}
	return false
}

// leanRecommendsOff reports whether text sets APT::Install-Recommends to a
// false value, as an option (APT::Install-Recommends=false) or in apt.conf
// syntax (APT::Install-Recommends "0";).
func leanRecommendsOff(text string) bool {
	t := strings.ToLower(text)
	i := strings.Index(t, "install-recommends")
	if i < 0 {
		return false
	}
	v := strings.TrimLeft(t[i+len("install-recommends"):], ` ="'`)
	for _, f := range []string{"false", "0", "no", "off"} {
		if strings.HasPrefix(v, f) {
			return true
		}
	}
	return false
}

// leanDisablesRecommends reports whether an instruction writes an apt
// configuration that turns recommends off for the rest of the stage: an
// echo/printf redirected (or piped to tee) into /etc/apt/apt.conf*, or a
// COPY of such a file (a heredoc with the setting, or a file whose name
// says so).
func leanDisablesRecommends(in *df.Instruction) bool {
	switch in.Keyword {
	case "RUN":
		if in.Script == nil {
			return false
		}
		for _, c := range in.Script.Commands {
			if c.Name != "echo" && c.Name != "printf" && c.Name != "cat" {
				continue
			}
			set := false
			for _, a := range c.Args {
				if leanRecommendsOff(a) {
					set = true
				}
			}
			if !set && c.Name == "cat" && in.Script != nil {
				for _, h := range in.Script.Heredocs {
					if leanRecommendsOff(h.Content) {
						set = true
					}
				}
			}
			if !set {
				continue
			}
			for _, t := range c.Writes() {
				if strings.HasPrefix(t, "/etc/apt/apt.conf") {
					return true
				}
			}
		}
	case "COPY", "ADD":
		if len(in.Args) < 2 {
			return false
		}
		dest := in.Args[len(in.Args)-1]
		if !strings.HasPrefix(dest, "/etc/apt/apt.conf") {
			return false
		}
		if in.Node != nil {
			for _, h := range in.Node.Heredocs {
				if leanRecommendsOff(h.Content) {
					return true
				}
			}
		}
		for _, src := range in.Args[:len(in.Args)-1] {
			b := strings.ToLower(path.Base(src))
			if strings.Contains(b, "recommend") {
				return true
			}
		}
		if strings.Contains(strings.ToLower(path.Base(dest)), "recommend") {
			return true
		}
	}
	return false
}
