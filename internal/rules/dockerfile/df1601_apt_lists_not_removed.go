package dockerfile

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1601 catches a RUN that fetches apt package lists (apt-get update or
// an install) in a stage that ships, without deleting /var/lib/apt/lists in
// the same RUN. The lists are tens of megabytes the running container
// never needs, and deleting them in a later RUN does not shrink the image.
var DF1601 = &rule.Rule{
	ID:       "DF1601",
	Slug:     "apt-lists-not-removed",
	Title:    "apt lists not removed in the same RUN",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "`apt-get update` downloads the package lists of every configured repository into /var/lib/apt/lists, often 20 to 50 MB. " +
		"A container never needs them at run time, and a layer is frozen when its RUN ends: removing the lists in a later RUN only hides them. " +
		"Stages that are only read through COPY --from are not checked, since their layers never ship. " +
		"The images of Debian and Ubuntu delete the downloaded .deb files after each install (/etc/apt/apt.conf.d/docker-clean); " +
		"a Dockerfile that removes that file, usually to use a cache mount, keeps them in the layer unless the mount covers /var/cache/apt.",
	Fix: "End the RUN that updates and installs with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean` on apt 2.7 and later), or mount the lists as a cache " +
		"(`RUN --mount=type=cache,target=/var/lib/apt/lists ...`).",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
	Good:  "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3009"}, {Tool: "kics", ID: "df746b39-6564-4fed-bf85-e9c44382303c"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/hadolint/hadolint/wiki/DL3009",
	},
	Check: eachRun(true, leanCheckAptLists),
}

// leanCheckAptLists reports one RUN of a shipped stage that keeps the apt
// lists, or the downloaded packages once docker-clean is gone.
func leanCheckAptLists(p *rule.Pass, in *df.Instruction) {
	var first *df.PackageOp
	var last, install *df.Cmd
	for _, c := range in.Script.Commands {
		op, ok := c.Package()
		if !ok || op.Family != df.FamilyApt || !(op.Update || op.Install || op.Upgrade) {
			continue
		}
		if first == nil {
			first = &op
		}
		last = c
		if op.Install || op.Upgrade {
			install = c
		}
	}
	if first == nil {
		return
	}
	if !leanAptListsGoneAfter(in, last) {
		p.Report(rule.Finding{Location: rule.Location{Range: in.Start()}, Subject: leanIndexSubject(df.FamilyApt, in.Range.Line),
			Message: fmt.Sprintf("`%s %s` leaves the package lists in this layer; add `rm -rf /var/lib/apt/lists/*` to the same RUN", first.Tool, first.Sub),
			Fixes:   []rule.Fix{aptListsFix(in)}})
		return
	}
	if install == nil {
		return
	}
	if line, gone := leanDockerCleanRemoved(in); gone && !leanAptArchivesGoneAfter(in, install) {
		where := "in this RUN"
		if line != in.Range.Line {
			where = fmt.Sprintf("at line %d", line)
		}
		p.Reportf(in.Start(), "`%s` keeps the downloaded packages in /var/cache/apt/archives, since docker-clean was removed %s; "+
			"add `apt-get clean` to the same RUN or mount /var/cache/apt as a cache", install.Name+" "+install.Sub(), where)
	}
}

// leanAptListsGone reports whether the RUN deletes the apt lists (rm, find
// -delete, or apt-get dist-clean, which apt 2.7 added for exactly this) or
// keeps them on a cache or tmpfs mount.
func leanAptListsGone(in *df.Instruction) bool {
	return leanAptListsGoneAfter(in, nil)
}

// leanAptListsGoneAfter is leanAptListsGone counting only the clean-ups
// after the command c (all of them when c is nil): deleting the lists
// before `apt-get update` fetches them again keeps nothing out.
func leanAptListsGoneAfter(in *df.Instruction, c *df.Cmd) bool {
	after := in.Script.Commands
	if c != nil {
		after = leanAfter(in, c)
	}
	for _, x := range after {
		if op, ok := x.Package(); ok && op.Family == df.FamilyApt && op.Sub == "dist-clean" {
			return true
		}
	}
	return leanDiscardsAfter(in, after, "/var/lib/apt/lists")
}

// leanAptArchivesGoneAfter reports whether the .deb files an install
// downloads stay out of the layer: apt-get clean (or dist-clean) after it,
// their directory deleted after it, or on a cache or tmpfs mount.
func leanAptArchivesGoneAfter(in *df.Instruction, c *df.Cmd) bool {
	after := leanAfter(in, c)
	for _, x := range after {
		if op, ok := x.Package(); ok && op.Family == df.FamilyApt && op.Clean {
			return true
		}
	}
	return leanDiscardsAfter(in, after, "/var/cache/apt/archives")
}

// leanDockerClean is the apt configuration Debian and Ubuntu images ship
// to delete downloaded packages after every install.
const leanDockerClean = "/etc/apt/apt.conf.d/docker-clean"

// leanDockerCleanRemoved reports whether docker-clean was deleted before
// the RUN's install, in the RUN itself or earlier in its image, and the
// line that deleted it.
func leanDockerCleanRemoved(in *df.Instruction) (int, bool) {
	if in.Deletes(leanDockerClean) {
		return in.Range.Line, true
	}
	for x := range in.Earlier() {
		if x.Keyword == "RUN" && x.Deletes(leanDockerClean) {
			return x.Range.Line, true
		}
	}
	return 0, false
}

// aptListsRemove is the command DF1601's fix appends.
const aptListsRemove = "rm -rf /var/lib/apt/lists/*"

// aptListsFix appends `&& rm -rf /var/lib/apt/lists/*` to the last
// statement of the RUN's script, where it runs after every apt command and
// only when that statement succeeded: the RUN's exit status is the same,
// and the layer lacks only the lists. A RUN written over several lines
// gets the command on a line of its own, in the style of the line before
// (`&& cmd` or `cmd && \`). RUNs with a heredoc, in exec form, whose apt
// command is inside `sh -c`, or whose script ends in the background or
// with exit are left alone.
func aptListsFix(in *df.Instruction) rule.Fix {
	const title = "remove the apt lists in the same RUN"
	s := in.Script
	switch {
	case s.Exec || len(in.Node.Heredocs) > 0:
		return refusal(title, "the RUN is in exec form or has a heredoc")
	case s.AST == nil || len(s.AST.Stmts) == 0 || len(s.Trees) == 0 || in.File() == nil:
		return refusal(title, "the RUN's script did not parse")
	}
	for _, c := range s.Commands {
		if op, ok := c.Package(); ok && op.Family == df.FamilyApt && c.Nested {
			return refusal(title, "an apt command runs inside `sh -c` or a heredoc")
		}
	}
	last := s.AST.Stmts[len(s.AST.Stmts)-1]
	if last.Background || last.Coprocess {
		return refusal(title, "the script ends with a command run in the background")
	}
	if x, ok := last.Cmd.(*syntax.CallExpr); ok && len(x.Args) > 0 && df.WordText(x.Args[0]) == "exit" {
		return refusal(title, "the script ends with exit")
	}
	line, col, ok := stmtEnd(in, last)
	if !ok || line < in.Range.Line || line > len(in.File().Lines) {
		return refusal(title, "the end of the script is not known")
	}
	text := " && " + aptListsRemove
	if lastLine := in.File().Lines[line-1]; line > in.Range.Line && line == in.Range.Normalized().EndLine {
		indent := lastLine[:len(lastLine)-len(strings.TrimLeft(lastLine, " \t"))]
		esc := string(in.File().Escape)
		if strings.HasPrefix(strings.TrimSpace(lastLine), "&&") {
			text = " " + esc + "\n" + indent + "&& " + aptListsRemove
		} else {
			text = " && " + esc + "\n" + indent + aptListsRemove
		}
	}
	return safeFix(title, insertAt(line, col, text))
}
