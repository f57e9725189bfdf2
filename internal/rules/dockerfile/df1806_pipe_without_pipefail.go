package dockerfile

import (
	"fmt"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1806 flags a pipeline in a RUN whose shell does not run with pipefail:
// the pipeline's status is then the last command's, so a failed download in
// `curl ... | tar x` is hidden and the build goes on with a broken layer.
// pipefail counts when the SHELL instruction sets it (`-o pipefail`), when
// the script runs `set -o pipefail` before the pipe, or when the pipe runs
// in `bash -o pipefail -c`. Pipelines whose writers cannot fail in a way that
// matters (echo, printf, yes, true) are accepted: their status is the
// reader's anyway, which is how `echo "$SUM  file" | sha256sum -c -` works.
var DF1806 = &rule.Rule{
	ID:       "DF1806",
	Slug:     "pipe-without-pipefail",
	Title:    "RUN pipes without pipefail",
	Severity: rule.Low,
	Category: rule.CatCorrectness,
	Rationale: "A POSIX shell reports only the exit status of the last command of a pipeline. When `curl -fsSL $URL | tar -xz` " +
		"fails to download, tar reads an empty stream, the RUN succeeds and the image ships without the files it was meant to " +
		"contain, or with a half-written one. With pipefail the first failing command fails the build where the problem is.",
	Fix:   "Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN (or start the script with `set -o pipefail` in a shell that supports it).",
	Bad:   "FROM debian:12\nRUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local",
	Good:  "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL4006"}, {Tool: "kics", ID: "efbf148a-67e9-42d2-ac47-02fa1c0d0b22"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#using-pipes",
		"https://github.com/hadolint/hadolint/wiki/DL4006",
	},
	Check: checkPipefail,
}

// pipeHarmlessWriters cannot fail in a way that pipefail would catch.
var pipeHarmlessWriters = map[string]bool{"echo": true, "printf": true, "yes": true, "true": true}

func checkPipefail(p *rule.Pass) error {
	// shellOffered holds the stages where a SHELL fix was offered: it
	// covers every later RUN there and in the stages built on them.
	shellOffered := map[*df.Stage]bool{}
	for in := range fileOf(p).Runs() {
		if pipefailInArgs(in.Shell) {
			continue
		}
		cmds := in.Script.Commands
		setAt := -1
		shellPF := false
		for _, c := range cmds {
			if setAt < 0 && c.Name == "set" && pipefailInArgs(append([]string{""}, c.Args...)) {
				setAt = c.Seq
			}
			if df.IsPOSIXShell([]string{c.Name}) && c.Name != "" && pipefailInArgs(append([]string{""}, c.Args...)) {
				shellPF = true
			}
			// Report the first command of a pipeline only.
			if c.PipeNext == nil || c.PipePrev != nil {
				continue
			}
			if setAt >= 0 && setAt < c.Seq {
				continue
			}
			if c.Nested && shellPF {
				continue
			}
			if pipeWritersHarmless(c) {
				continue
			}
			f := rule.Finding{
				Message:  fmt.Sprintf("pipeline %s | %s runs without pipefail, so a failure of %s is ignored", c.Name, c.PipeNext.Name, c.Name),
				Remedy:   pipefailRemedy(in, c),
				Location: rule.Location{Range: in.PipeRange(c)},
			}
			if !p.NoFixes {
				f.Fixes = pipefailFixes(in, c, shellOffered)
			}
			p.Report(f)
			break
		}
	}
	return nil
}

// pipeWritersHarmless reports whether every command writing into the
// pipeline that starts at c is one whose failure does not matter.
func pipeWritersHarmless(c *df.Cmd) bool {
	for x := c; x != nil && x.PipeNext != nil; x = x.PipeNext {
		if !pipeHarmlessWriters[x.Name] {
			return false
		}
	}
	return true
}

// pipefailInArgs reports whether a shell argv (SHELL value, or a `set` or
// `bash` command line with a leading placeholder) enables pipefail.
func pipefailInArgs(argv []string) bool {
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		if a == "-c" || (strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, "c")) {
			// Arguments after -c belong to the script.
			if !strings.Contains(a, "o") || a == "-c" {
				return false
			}
		}
		if a == "pipefail" && i > 0 {
			prev := argv[i-1]
			if strings.HasPrefix(prev, "-") && !strings.HasPrefix(prev, "--") && strings.HasSuffix(prev, "o") {
				return true
			}
		}
		if a == "-opipefail" {
			return true
		}
	}
	return false
}

// pipefailRemedy is DF1806's remedy in the image's own shell: Alpine has
// no bash but BusyBox ash knows pipefail; a pipe inside `sh -c` needs it
// in that script.
func pipefailRemedy(in *df.Instruction, c *df.Cmd) string {
	switch {
	case c.Nested:
		return "Start the script that holds the pipe with `set -o pipefail;` (bash, ksh, zsh and BusyBox ash know it)."
	case imageFamily(in.Stage) == famAlpine:
		return "Alpine has no bash: start the RUN with `set -o pipefail &&` (BusyBox ash knows it), or add " +
			"`SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]` before the RUN."
	case imageFamily(in.Stage) == famDebian || imageFamily(in.Stage) == famRPM:
		return "Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN: bash is in the image, and its `/bin/sh` may not know pipefail."
	}
	return ""
}
