package dockerfile

import (
	"path"
	"slices"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1107 catches a sudoers rule written by the Dockerfile that lets the
// user the container runs as become root without a password: `echo "app
// ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers`, a file written under
// /etc/sudoers.d, or a group rule (%wheel) for a group the Dockerfile puts
// that user in. The non-root USER then protects nothing: any code running
// in the container is one `sudo` away from root. A rule for other users,
// or in a stage whose layers never ship, is left alone.
var DF1107 = &rule.Rule{
	ID:       "DF1107",
	Slug:     "passwordless-sudo",
	Title:    "Runtime user may sudo without a password",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "Running as a non-root USER limits what a compromised process can do only as long as that user cannot " +
		"become root. A NOPASSWD sudoers rule for it undoes that: an attacker who gets code execution as the user runs " +
		"`sudo sh` and owns the container, its mounted secrets and whatever the container's capabilities reach on the host. " +
		"A rule limited to a few commands is often no better (sudo mount, sudo cp or an editor run as root lead to a root shell).",
	Levels: []rule.Level{{Severity: rule.Medium, When: "when the sudoers line limits the user to some commands rather than ALL"}},
	Fix: "Do the root work at build time, before `USER`, and drop the sudoers rule. If the container must do one root " +
		"task at start-up, start as root and drop privileges in the entrypoint with gosu or su-exec, or grant a capability " +
		"to the container instead.",
	Bad:   "FROM debian:12-slim\nRUN useradd -m app && apt-get update && apt-get install -y --no-install-recommends sudo \\\n && echo \"app ALL=(ALL) NOPASSWD: ALL\" >> /etc/sudoers\nUSER app",
	Good:  "FROM debian:12-slim\nRUN useradd -m app\nUSER app",
	Peers: []rule.Peer{},
	References: []string{
		"https://www.sudo.ws/docs/man/sudoers.man/#NOPASSWD_and_PASSWD",
		"https://docs.docker.com/build/building/best-practices/#user",
		"https://gtfobins.github.io/#+sudo",
	},
	Check: checkPasswordlessSudo,
}

func checkPasswordlessSudo(p *rule.Pass) error {
	f := fileOf(p)
	for _, s := range f.Stages {
		if !s.Ships {
			continue
		}
		img := s
		if f.Target != nil && slices.Contains(f.Target.Chain(), s) {
			img = f.Target
		}
		user, _, _ := img.Last("USER").User()
		if user == "" || df.IsRoot(user, s.Windows) {
			continue
		}
		groups := usrGroupsOf(img, user)
		for in := range s.Runs() {
			for _, c := range in.Script.Commands {
				text, files, ok := c.WrittenText()
				if !ok || !slices.ContainsFunc(files, usrSudoersFile) {
					continue
				}
				if c.Name == "printf" {
					text = strings.ReplaceAll(text, "%%", "%")
				}
				usrReportSudoers(p, in, c, in.Resolve(text), user, groups)
			}
		}
		for _, in := range s.Instructions {
			if (in.Keyword == "COPY" || in.Keyword == "ADD") && len(in.Args) > 1 && usrSudoersFile(in.Args[len(in.Args)-1]) && in.Node != nil {
				for _, h := range in.Node.Heredocs {
					usrReportSudoers(p, in, nil, in.Resolve(h.Content), user, groups)
				}
			}
		}
	}
	return nil
}

// usrSudoersFile reports whether a path is sudo's configuration.
func usrSudoersFile(p string) bool {
	p = path.Clean(p)
	return p == "/etc/sudoers" || strings.HasPrefix(p, "/etc/sudoers.d/")
}

// usrReportSudoers reports the first NOPASSWD rule of text that the
// runtime user falls under. c is the writing command, nil for a COPY
// heredoc.
func usrReportSudoers(p *rule.Pass, in *df.Instruction, c *df.Cmd, text, user string, groups map[string]bool) {
	for _, line := range strings.Split(strings.ReplaceAll(text, `\n`, "\n"), "\n") {
		grantee, cmds, ok := usrNopasswd(line)
		if !ok || !(grantee == user || grantee == "ALL" || strings.HasPrefix(grantee, "%") && groups[grantee[1:]]) {
			continue
		}
		r := in.Start()
		if c != nil {
			r = in.CmdRange(c)
		}
		who := user
		if grantee != user {
			who = user + " (through " + grantee + ")"
		}
		f := rule.Finding{Location: rule.Location{Range: r}}
		if cmds == "ALL" {
			f.Message = "the sudoers rule lets " + who + ", the user the container runs as, run anything as root without a password, so USER " + user + " limits nothing"
		} else {
			f.Severity = rule.Medium
			f.Message = "the sudoers rule lets " + who + ", the user the container runs as, run " + truncate(cmds, 60) + " as root without a password"
		}
		p.Report(f)
		return
	}
}

// usrNopasswd reads one sudoers line `who hosts = (runas) NOPASSWD: cmds`
// and returns who it grants and the commands, when it grants them without
// a password.
func usrNopasswd(line string) (grantee, cmds string, ok bool) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "Defaults") {
		return "", "", false
	}
	_, after, found := strings.Cut(line, "NOPASSWD:")
	if !found {
		return "", "", false
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", "", false
	}
	grantee = strings.TrimSuffix(fields[0], ",")
	cmds = strings.TrimSpace(after)
	for _, tag := range []string{"SETENV:", "NOEXEC:", "EXEC:", "NOSETENV:"} {
		cmds = strings.TrimSpace(strings.TrimPrefix(cmds, tag))
	}
	return grantee, cmds, true
}

// usrGroupsOf returns the groups the Dockerfile puts user in, in the
// stages the image is built from: its own group, useradd/adduser -G,
// usermod -G/-aG, `adduser user group`, `addgroup user group` and
// `gpasswd -a user group`.
func usrGroupsOf(img *df.Stage, user string) map[string]bool {
	groups := map[string]bool{user: true}
	addList := func(v string) {
		for _, g := range strings.Split(v, ",") {
			if g = strings.TrimSpace(g); g != "" {
				groups[g] = true
			}
		}
	}
	for _, st := range img.Chain() {
		for in := range st.Runs() {
			for _, c := range in.Script.Commands {
				ps := c.Positionals()
				switch c.Name {
				case "useradd", "usermod":
					if v, ok := c.FlagValue("-G", "--groups", "-aG"); ok && len(ps) > 0 && in.Resolve(ps[len(ps)-1]) == user {
						addList(in.Resolve(v))
					}
				case "adduser", "addgroup":
					if v, ok := c.FlagValue("-G", "--ingroup"); ok {
						if len(ps) > 0 && in.Resolve(ps[len(ps)-1]) == user {
							addList(in.Resolve(v))
						}
					} else if len(ps) == 2 && in.Resolve(ps[0]) == user {
						// adduser USER GROUP adds an existing user to a group.
						groups[in.Resolve(ps[1])] = true
					}
				case "gpasswd":
					if v, ok := c.FlagValue("-a", "--add"); ok && in.Resolve(v) == user && len(ps) > 0 {
						groups[in.Resolve(ps[len(ps)-1])] = true
					}
				}
			}
		}
	}
	return groups
}
