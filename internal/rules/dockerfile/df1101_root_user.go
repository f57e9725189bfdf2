package dockerfile

import (
	"fmt"
	"strconv"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1101 reports a final image whose last USER is root (by name or UID 0,
// after ARG/ENV substitution, inherited through FROM <stage> chains). It is
// common to switch to root for installation steps and forget to switch
// back, which ships an image that runs as root despite its USER lines.
var DF1101 = &rule.Rule{
	ID:       "DF1101",
	Slug:     "root-user",
	Title:    "Last USER of the final stage is root",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "The last USER of the final stage is the account the container runs as. Switching to root for a few " +
		"installation steps is fine, but leaving it in force means the application runs with full privileges inside the " +
		"container: a compromise can modify the image's binaries, read all mounted secrets and use any kernel or runtime " +
		"weakness with root's capabilities. The level follows what the image is for, as DF1100's does (listed under Severity; the " +
		"message names the evidence): a dev container ends with USER root on purpose and names its user in " +
		"devcontainer.json.",
	Levels: []rule.Level{
		{Severity: rule.Medium, When: "for an application: a program of its own that announces no server"},
		{Severity: rule.Low, When: "for a base or toolchain image, and for an image whose entrypoint drops privileges (gosu, su-exec)"},
		{Severity: rule.Info, When: "for a development or CI image, such as a dev container"},
	},
	Fix: "Add `USER <unprivileged name or UID>` after the steps that need root, as the last USER of the final stage. " +
		"If the entrypoint must start as root, drop privileges in it with gosu or su-exec and say so in a suppression.",
	Bad:   "FROM node:22-alpine\nUSER root\nRUN apk add --no-cache curl\nCMD [\"node\", \"server.js\"]",
	Good:  "FROM node:22-alpine\nUSER root\nRUN apk add --no-cache curl\nUSER node\nCMD [\"node\", \"server.js\"]",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3002"}, {Tool: "kics", ID: "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae"}, {Tool: "checkov", ID: "CKV_DOCKER_8"}, {Tool: "trivy", ID: "DS-0002"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#user",
		"https://github.com/hadolint/hadolint/wiki/DL3002",
	},
	Check: checkRootUser,
}

func checkRootUser(p *rule.Pass) error {
	t := fileOf(p).Target
	if t == nil {
		return nil
	}
	in := t.Last("USER")
	if in == nil {
		return nil
	}
	user, _, raw := in.User()
	if !df.IsRoot(user, t.Windows) {
		return nil
	}
	r := in.Start()
	if raw != "" {
		r = in.LocateWord(raw)
	}
	what := strconv.Quote(raw)
	if strings.Contains(raw, "$") {
		what += " (resolves to " + user + ")"
	}
	role := t.Role()
	sev := usrRoleSeverity[role.Role]
	if usrPrivDropWhy(t) != "" {
		sev = min(sev, rule.Low)
	}
	msg := fmt.Sprintf("last USER of final stage %s is %s, so the container runs as root", t.Describe(), what)
	if in.Stage != t {
		msg = fmt.Sprintf("USER %s in stage %s is still in force in the final stage %s, so the container runs as root", what, in.Stage.Describe(), t.Describe())
	}
	p.Report(rule.Finding{Severity: sev, Message: msg + " (" + roleWhy(role) + ")", Location: rule.Location{Range: r}, Fixes: nonRootUserFix(fileOf(p), t)})
	return nil
}
