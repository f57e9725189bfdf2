package dockerfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds the review fix DF1400 and DF1401 share: a secret passed
// as ARG or ENV becomes a BuildKit secret mounted, as the same variable,
// into the RUNs that read it, so that it is in no layer, history entry or
// image configuration.

// secretMountFix removes the ARG or ENV instruction in that sets name and
// adds `--mount=type=secret,id=<name>,env=<name>` to each RUN of the stage
// after it that names the variable ($NAME, ${NAME}), and the `# syntax=`
// directive that gives RUN --mount its env= option when the file has
// none. No fix is offered, so that nothing is guessed, when:
//   - the instruction sets other variables too, or is an ARG before FROM
//     (it feeds FROM lines and every stage that redeclares it);
//   - an instruction other than RUN reads the variable: CMD, ENTRYPOINT
//     or HEALTHCHECK (the value is used at run time), COPY, LABEL, ENV,
//     WORKDIR and the like (the value shapes the image);
//   - a later stage built FROM this one reads an ENV;
//   - RUNs follow but none names the variable (a program may read it
//     from its environment, as npm does with NPM_TOKEN in .npmrc), or an
//     ENV is read by no RUN at all (it is meant for the running container);
//   - a `# syntax=` directive names a frontend older than 1.10, which
//     lacks env= on secret mounts.
func secretMountFix(f *df.File, in *df.Instruction, name string) []rule.Fix {
	if in.Stage == nil || in.IsTrigger() || !secretSingleKey(in) || !secretSyntaxOK(f.Syntax) {
		return nil
	}
	uses := regexp.MustCompile(`\$\{?` + regexp.QuoteMeta(name) + `\b`)
	id := strings.ToLower(name)
	mount := " --mount=type=secret,id=" + id + ",env=" + name
	var edits []rule.Edit
	runs, after := 0, false
	for _, st := range f.Stages {
		inChain := st == in.Stage
		if in.Keyword == "ENV" && !inChain {
			for _, c := range st.Chain() {
				inChain = inChain || c == in.Stage
			}
		}
		if !inChain {
			continue
		}
		for _, x := range st.Instructions {
			if x == in {
				after = true
				continue
			}
			if !after || (st == in.Stage && x.Range.Line < in.Range.Line) {
				continue
			}
			if x.Keyword == "RUN" && st == in.Stage && !x.IsTrigger() {
				runs++
			}
			if !uses.MatchString(secretText(f, x)) {
				continue
			}
			if x.Keyword != "RUN" || st != in.Stage || x.IsTrigger() {
				return nil
			}
			edits = append(edits, rule.Edit{
				Range: loc.Range{Line: x.Range.Line, Col: x.Range.Col + len("RUN"), EndLine: x.Range.Line, EndCol: x.Range.Col + len("RUN")},
				New:   mount,
			})
		}
	}
	switch {
	case len(edits) == 0 && (runs > 0 || in.Keyword == "ENV"):
		return nil
	case len(edits) > 0 && f.Syntax == "":
		edits = append([]rule.Edit{{Range: loc.Range{Line: 1, Col: 1, EndLine: 1, EndCol: 1}, New: "# syntax=docker/dockerfile:1\n"}}, edits...)
	}
	edits = append(edits, rule.Edit{Range: secretLines(f, in), New: ""})
	how := fmt.Sprintf("move %s to a build secret: the value leaves the image and its history; build with `docker build --secret id=%s,env=%s` (BuildKit), and only the RUNs that name $%s receive it", name, id, name, name)
	if len(edits) == 1 {
		how = fmt.Sprintf("remove the unused %s %s: nothing reads it; drop --build-arg %s from the build", in.Keyword, name, name)
	}
	return []rule.Fix{{Title: how, Level: rule.FixReview, Edits: edits}}
}

// secretSingleKey reports an ARG or ENV of a stage that sets one variable.
func secretSingleKey(in *df.Instruction) bool {
	switch c := in.Command.(type) {
	case *instructions.ArgCommand:
		return len(c.Args) == 1
	case *instructions.EnvCommand:
		return len(c.Env) == 1
	}
	return false
}

// secretSyntaxOK reports a `# syntax=` directive (or none) whose frontend
// knows env= on secret mounts (Dockerfile frontend 1.10 and later).
func secretSyntaxOK(syntax string) bool {
	s := strings.TrimPrefix(strings.TrimSpace(syntax), "docker.io/")
	if s == "" {
		return true
	}
	v, ok := strings.CutPrefix(s, "docker/dockerfile:")
	if !ok {
		return false
	}
	v, _, _ = strings.Cut(v, "@")
	v = strings.TrimSuffix(v, "-labs")
	major, minor, _ := strings.Cut(v, ".")
	if major != "1" {
		return false
	}
	if minor == "" {
		return true
	}
	minor, _, _ = strings.Cut(minor, ".")
	n, err := strconv.Atoi(minor)
	return err == nil && n >= 10
}

// secretText is an instruction's source text, heredocs included.
func secretText(f *df.File, in *df.Instruction) string {
	r := in.Range.Normalized()
	if r.Line < 1 || r.EndLine > len(f.Lines) {
		return strings.Join(in.Args, " ")
	}
	return strings.Join(f.Lines[r.Line-1:r.EndLine], "\n")
}

// secretLines is the range that deletes an instruction's whole lines with
// their terminator, or up to the end of the file when it is the last.
func secretLines(f *df.File, in *df.Instruction) loc.Range {
	r := in.Range.Normalized()
	if strings.Count(string(f.Source), "\n") >= r.EndLine {
		return loc.Range{Line: r.Line, Col: 1, EndLine: r.EndLine + 1, EndCol: 1}
	}
	return loc.Range{Line: r.Line, Col: 1, EndLine: r.EndLine}
}
