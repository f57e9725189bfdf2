package dockerfile

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1105 reports account passwords set while the image is built:
// `echo user:pw | chpasswd`, `passwd --stdin`, `echo pw | passwd`,
// `useradd/usermod -p HASH` and `htpasswd -b`. The password (or its hash)
// is then shared by every container started from the image, and the clear
// text usually sits in the Dockerfile and the image history as well.
var DF1105 = &rule.Rule{
	ID:       "DF1105",
	Slug:     "password-in-image",
	Title:    "Password set inside the image",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "A password set during the build is baked into /etc/shadow (or an htpasswd file) of every container that " +
		"runs the image, so it cannot be rotated without a rebuild and is the same everywhere the image is deployed. " +
		"The clear text is normally visible in the Dockerfile, in `docker history` and in the build cache, and hashes " +
		"in /etc/shadow can be cracked offline by anyone who can pull the image. Containers rarely need password login " +
		"at all: use key-based access, lock the account, or inject credentials at run time.",
	Fix: "Remove the password step and lock the account (`useradd --no-create-home --shell /usr/sbin/nologin app`, " +
		"`passwd -l root`). If a service needs a credential, provide it at run time through a secret or an environment " +
		"variable read by the entrypoint.",
	Bad:   "FROM ubuntu:24.04\nRUN useradd -m app && echo 'app:changeme' | chpasswd",
	Good:  "FROM ubuntu:24.04\nRUN useradd -m --shell /usr/sbin/nologin app && passwd -l app",
	Peers: []rule.Peer{{Tool: "checkov", ID: "CKV2_DOCKER_17"}},
	References: []string{
		"https://cwe.mitre.org/data/definitions/798.html",
		"https://docs.docker.com/build/building/secrets/",
		"https://man7.org/linux/man-pages/man8/chpasswd.8.html",
	},
	Check: eachCommand(usrCheckPassword),
}

// usrCheckPassword reports one command that sets a password.
func usrCheckPassword(p *rule.Pass, in *df.Instruction, c *df.Cmd) {
	r := in.CmdRange(c)
	switch c.Name {
	case "chpasswd":
		user, pw, ok := usrEchoedPair(c.PipePrev)
		hashed := c.HasFlag("-e", "--encrypted")
		switch {
		case ok && hashed && usrLockedHash(pw):
			return
		case ok && pw == "":
			p.Reportf(r, "chpasswd gives %s an empty password in the image", user)
		case ok:
			p.Reportf(r, "chpasswd sets a password for %s in the image", user)
		default:
			src := usrStdinFile(c)
			if src == "" {
				src = "its input"
			}
			p.Reportf(r, "chpasswd sets account passwords from %s; the hashes stay in the image's /etc/shadow", src)
		}
	case "passwd":
		if !c.HasFlag("--stdin") && c.PipePrev == nil && usrStdinFile(c) == "" {
			return
		}
		who := "root"
		if pos := c.Positionals(); len(pos) > 0 {
			who = pos[len(pos)-1]
		}
		p.Reportf(r, "passwd sets a password for %s from non-interactive input in the image", who)
	case "useradd", "usermod", "adduser":
		v, ok := c.FlagValue("-p", "--password")
		if !ok || usrLockedHash(v) {
			return
		}
		who := "the account"
		if pos := c.Positionals(); len(pos) > 0 {
			who = pos[len(pos)-1]
		}
		if v == "" {
			p.Reportf(r, "%s -p '' leaves %s with an empty password", c.Name, who)
			return
		}
		p.Reportf(r, "%s -p sets a password hash for %s in the image", c.Name, who)
	case "htpasswd":
		if c.HasFlag("-b") {
			p.Reportf(r, "htpasswd -b writes a password given on the command line into the image")
		}
	}
}

// usrEchoedPair reads `user:password` from an echo/printf feeding a pipe.
func usrEchoedPair(prev *df.Cmd) (user, pw string, ok bool) {
	if prev == nil || (prev.Name != "echo" && prev.Name != "printf") {
		return "", "", false
	}
	for _, a := range prev.Positionals() {
		a = strings.TrimSpace(strings.SplitN(a, `\n`, 2)[0])
		if u, rest, found := strings.Cut(a, ":"); found && u != "" && !strings.ContainsAny(u, " %") {
			pw, _, _ = strings.Cut(rest, ":")
			return u, pw, true
		}
	}
	return "", "", false
}

// usrLockedHash reports whether a shadow password field locks the account
// instead of setting a password.
func usrLockedHash(h string) bool {
	return h == "*" || h == "x" || strings.HasPrefix(h, "!")
}

// usrStdinFile returns the file a command's standard input is redirected
// from, if any.
func usrStdinFile(c *df.Cmd) string {
	if c.Stmt == nil {
		return ""
	}
	for _, rd := range c.Stmt.Redirs {
		if rd.Op == syntax.RdrIn && rd.Word != nil && (rd.N == nil || rd.N.Value == "0") {
			var b strings.Builder
			_ = syntax.NewPrinter().Print(&b, rd.Word)
			return b.String()
		}
		if rd.Op == syntax.Hdoc || rd.Op == syntax.DashHdoc || rd.Op == syntax.WordHdoc {
			return "a here-document"
		}
	}
	return ""
}
