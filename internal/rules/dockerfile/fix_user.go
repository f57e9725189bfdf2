package dockerfile

import (
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds the review fix DF1100 and DF1101 share: switch the final
// stage to an unprivileged account, created for it with the command the
// image's system has.

// fixUserName and fixUserID are the account the fix creates. 10001 is
// above the ranges distributions hand out to system and login accounts,
// so it collides with none of the base image's, and below the UIDs that
// make useradd write large lastlog files (DF1106).
const (
	fixUserName = "app"
	fixUserID   = "10001"
)

// nonRootUserFix is the fix that makes the final stage t of f run as a
// non-root account, or nil when no fix can be written with confidence:
// an image whose entrypoint drops privileges itself (gosu would fail as
// non-root), a base, toolchain or development image (images built FROM a
// base still need root to install packages), Windows, the Red Hat family
// (ubi-minimal and other minimal images have no useradd, and whether
// shadow-utils is there cannot be told from the Dockerfile), and a system
// the Dockerfile does not reveal (no known base name, no package manager).
//
// An account the stage chain already creates (useradd, adduser) is used;
// otherwise one is created: groupadd and useradd on Debian and Ubuntu,
// BusyBox addgroup and adduser on Alpine, and on scratch and distroless,
// which have neither a shell nor an account database to add to, a numeric
// USER alone. The lines go after the last RUN of the stage (or the USER
// root it ends with), so that every step that needs root keeps it, else
// before its CMD or ENTRYPOINT.
func nonRootUserFix(f *df.File, t *df.Stage) []rule.Fix {
	if t == nil || t.Windows || usrPrivDropWhy(t) != "" {
		return nil
	}
	switch t.Role().Role {
	case df.RoleService, df.RoleApp:
	default:
		return nil
	}
	var lines []string
	how := ""
	switch name := existingAccount(t); {
	case name != "":
		lines = []string{"USER " + name}
		how = "the container runs as " + name + ", the account the Dockerfile creates"
	default:
		switch imageFamily(t) {
		case famNoShell:
			lines = []string{"USER " + fixUserID + ":" + fixUserID}
			how = "the container runs as UID " + fixUserID + " (no account: the image has no shell or useradd)"
		case famDebian:
			lines = []string{
				"RUN groupadd --system --gid " + fixUserID + " " + fixUserName + " \\\n" +
					" && useradd --system --uid " + fixUserID + " --gid " + fixUserName + " --no-log-init --no-create-home --shell /usr/sbin/nologin " + fixUserName,
				"USER " + fixUserName,
			}
			how = "the container runs as a new system account " + fixUserName + " (UID " + fixUserID + ")"
		case famAlpine:
			lines = []string{
				"RUN addgroup -S -g " + fixUserID + " " + fixUserName + " \\\n" +
					" && adduser -S -D -H -u " + fixUserID + " -G " + fixUserName + " -s /sbin/nologin " + fixUserName,
				"USER " + fixUserName,
			}
			how = "the container runs as a new system account " + fixUserName + " (UID " + fixUserID + ")"
		default:
			return nil
		}
	}
	r, before, ok := userInsertPoint(f, t)
	if !ok {
		return nil
	}
	text := strings.Join(lines, "\n")
	if before {
		text += "\n"
	} else {
		text = "\n" + text
	}
	return []rule.Fix{{
		Title: "switch to a non-root USER: " + how + "; files it writes must be writable by that account, and ports below 1024 need a capability",
		Level: rule.FixReview,
		Edits: []rule.Edit{{Range: r, New: text}},
	}}
}

// userInsertPoint is where the USER lines go in stage t: an empty range at
// the end of the last line of its last RUN or USER (before says false), or
// at the start of its first CMD or ENTRYPOINT (before says true), or after
// its last instruction. ok is false when the stage has no instruction of
// its own to anchor to and no FROM line.
func userInsertPoint(f *df.File, t *df.Stage) (r loc.Range, before, ok bool) {
	var anchor, start *df.Instruction
	for _, in := range t.Instructions {
		if in.IsTrigger() {
			continue
		}
		switch in.Keyword {
		case "RUN", "USER":
			anchor = in
		case "CMD", "ENTRYPOINT":
			if start == nil {
				start = in
			}
		}
	}
	if anchor == nil && start != nil {
		return loc.Range{Line: start.Range.Line, Col: 1, EndLine: start.Range.Line, EndCol: 1}, true, true
	}
	if anchor == nil {
		anchor = t.From
		for _, in := range t.Instructions {
			if !in.IsTrigger() {
				anchor = in
			}
		}
	}
	if anchor == nil {
		return loc.Range{}, false, false
	}
	end := anchor.Range.Normalized().EndLine
	lines := f.Lines
	if end < 1 || end > len(lines) {
		return loc.Range{}, false, false
	}
	col := len(lines[end-1]) + 1
	return loc.Range{Line: end, Col: col, EndLine: end, EndCol: col}, false, true
}

// existingAccount is the account the stage chain creates with useradd or
// adduser (its last operand, build arguments substituted), the last one
// when several are, or "" when it creates none or the name stays dynamic.
func existingAccount(t *df.Stage) string {
	name := ""
	for _, st := range t.Chain() {
		for in := range st.Runs() {
			if in.Script == nil {
				continue
			}
			for _, c := range in.Script.Commands {
				if c.Name != "useradd" && c.Name != "adduser" {
					continue
				}
				pos := c.Positionals()
				if len(pos) == 0 {
					continue
				}
				n, unknown := in.Expand(pos[len(pos)-1])
				if len(unknown) > 0 || n == "" || strings.ContainsAny(n, "$ \t") || df.IsRoot(n, false) {
					continue
				}
				name = n
			}
		}
	}
	return name
}
