package dockerfile

import (
	"path"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1100 reports a final image that never switches away from root: no USER
// in the target stage or in the stages it is built FROM, on a base image not
// known to default to a non-root account. A process running as root inside
// the container turns any code-execution bug into root on the container's
// filesystem and makes every kernel or runtime escape more dangerous. How
// much that matters depends on what the image is for (Stage.Role), and the
// finding's severity follows it.
var DF1100 = &rule.Rule{
	ID:       "DF1100",
	Slug:     "missing-user",
	Title:    "Final stage does not switch to a non-root USER",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "Without a USER instruction the container's main process runs as UID 0. Root inside a container can rewrite " +
		"the application and its libraries, read every secret mounted into the container, bind privileged ports, and is " +
		"one kernel or runtime bug away from root on the host; user namespaces are not enabled by default. Running as an " +
		"unprivileged account confines a compromise to what that account may touch. Images built FROM scratch are no " +
		"exception: a static binary in them also runs as UID 0 unless USER says otherwise. The level follows what the " +
		"image is for, as the Dockerfile tells it (the levels are listed under Severity; the message names the " +
		"evidence): high for a service, whose root process takes requests from the network; the user of a base or " +
		"toolchain image is chosen by the Dockerfiles built FROM it, which need root to install packages and are " +
		"checked in their turn; a development or CI image is never deployed. Images whose publisher documents a non-root default user " +
		"(distroless :nonroot, Chainguard, the Elastic images since 8.0, Grafana k6, nanoserver and the .NET images " +
		"built on it, which run as ContainerUser) are not reported.",
	Levels: []rule.Level{
		{Severity: rule.Medium, When: "for an application: a program of its own that announces no server (a " +
			"command-line tool, a worker, a job)"},
		{Severity: rule.Low, When: "for a base image (no CMD or ENTRYPOINT of its own, or a shell), a language or toolchain image " +
			"(SDK, JDK, buildpack-deps, a language image, a build tool as its command), an image whose entrypoint drops " +
			"privileges (it ships gosu or su-exec, or keeps the entrypoint of an official image that steps down: postgres, " +
			"redis, mongo), and IIS on Windows, which needs ContainerAdministrator"},
		{Severity: rule.Info, When: "for a development or CI image: a dev container, a file or default stage named dev, test " +
			"or ci, a file under hack/ or .github/, a test runner or `sleep infinity` as its command"},
	},
	Fix: "Create an unprivileged account and add `USER <name or UID>` near the end of the final stage. " +
		"On scratch or distroless images, which have no useradd, use a numeric UID such as `USER 65532:65532`; " +
		"images that need root only to start (gosu, su-exec) should still document why.",
	Bad: "FROM python:3.12-slim\nCOPY app /app\nEXPOSE 8000\nCMD [\"gunicorn\", \"app:app\"]",
	Good: "FROM python:3.12-slim\nRUN useradd --system --uid 10001 --no-log-init app\nCOPY --chown=app app /app\n" +
		"USER app\nEXPOSE 8000\nCMD [\"gunicorn\", \"app:app\"]",
	Peers: []rule.Peer{{Tool: "kics", ID: "fd54f200-402c-4333-a5a4-36ef6709af2f"}, {Tool: "trivy", ID: "DS-0002"}, {Tool: "checkov", ID: "CKV_DOCKER_3"}, {Tool: "cis-docker-1.6.0", ID: "4.1"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#user",
		"https://docs.docker.com/reference/dockerfile/#user",
		"https://github.com/GoogleContainerTools/distroless#debug-images",
		"https://elastic.co/guide/en/cloud-on-k8s/2.8/k8s-security-context.html",
		"https://techcommunity.microsoft.com/t5/itops-talk-blog/how-to-change-the-user-account-for-windows-containers/ba-p/3601571",
	},
	Settings: []rule.Setting{usrNonRootBaseSetting},
	Check:    checkMissingUser,
}

// usrRoleSeverity is DF1100's level for each role of the final image
// (see the rule's rationale).
var usrRoleSeverity = map[df.Role]rule.Severity{
	df.RoleService: rule.High, df.RoleApp: rule.Medium, df.RoleBase: rule.Low,
	df.RoleToolchain: rule.Low, df.RoleDev: rule.Info,
}

func checkMissingUser(p *rule.Pass) error {
	t := fileOf(p).Target
	if t == nil || t.Last("USER") != nil || usrNonRootBase(p, t) || !t.Runnable() {
		return nil
	}
	role := t.Role()
	sev := usrRoleSeverity[role.Role]
	desc := t.Describe()
	var msg string
	switch {
	case t.IsScratch():
		msg = "final stage " + desc + " never sets USER, so its binary runs as UID 0; scratch has no /etc/passwd, use a numeric USER such as 65532"
	case t.Windows && usrIIS(t):
		// IIS starts as ContainerAdministrator and runs each site as
		// its application pool's identity; USER ContainerUser would stop
		// it from starting.
		sev = min(sev, rule.Low)
		msg = "final stage " + desc + " never sets USER and runs IIS as ContainerAdministrator, which IIS needs to start; its sites run as their application pool identities"
	case t.Windows:
		msg = "final stage " + desc + " never sets USER, so the container runs as ContainerAdministrator; switch to USER ContainerUser"
	default:
		msg = "final stage " + desc + " never switches to a non-root USER, so the container runs as root"
	}
	remedy := addUserRemedy(t)
	if t.Windows && usrIIS(t) {
		remedy = "Keep ContainerAdministrator for IIS and run the application pools under their own identities (the default ApplicationPoolIdentity)."
	}
	if why := usrPrivDropWhy(t); why != "" && !t.IsScratch() && !t.Windows {
		// The image starts as root by design and its entrypoint steps
		// down; still worth a note, not a gate.
		sev = min(sev, rule.Low)
		msg = "final stage " + desc + " never sets USER and starts as root; " + why + ", so the entrypoint probably drops privileges, but anything run with `docker exec` or a replaced command stays root"
		remedy = "Keep the privilege drop in the entrypoint and document it, or set `USER` when nothing needs root at start; " +
			"run `docker exec` with `--user` to stay unprivileged."
	}
	switch role.Role {
	case df.RoleBase, df.RoleToolchain:
		remedy = "If images are built FROM this one, create the unprivileged account here and end the derived images with `USER <name>`; " +
			"otherwise " + lowerFirst(remedy)
	case df.RoleDev:
		remedy = "Development and CI images may stay root; for a dev container set `remoteUser` in devcontainer.json or " + lowerFirst(remedy)
	}
	f := rule.Finding{
		Severity: sev,
		Message:  msg + " (" + roleWhy(role) + ")",
		Remedy:   remedy,
		Location: rule.Location{Range: t.From.Start()},
	}
	if !p.NoFixes {
		f.Fixes = nonRootUserFix(fileOf(p), t)
	}
	p.Report(f)
	return nil
}

// roleWhy names the role of an image and its evidence for a message:
// "a service: it EXPOSEs 8080".
func roleWhy(r df.RoleInfo) string {
	if r.Why == "" {
		return r.Role.String()
	}
	return r.Role.String() + ": " + r.Why
}

// lowerFirst lower-cases the first letter of a sentence that follows
// another clause.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// usrDefaultNonRootImages are base images whose configuration already
// names a non-root user, so a Dockerfile built on them need not repeat it.
var usrDefaultNonRootImages = []string{
	"gcr.io/distroless/*:nonroot",
	"gcr.io/distroless/*:*-nonroot",
	"gcr.io/distroless/*:nonroot-*",
	"*:*-nonroot",
	"cgr.dev/chainguard/*",
	"!cgr.dev/chainguard/wolfi-base*",
	"mcr.microsoft.com/dotnet/*:*-chiseled*",
	"mcr.microsoft.com/dotnet/*:*-distroless*",
	"mcr.microsoft.com/windows/nanoserver*",
	"quay.io/jupyter/*",
	"jupyter/*",
	"jenkins/jenkins*",
	"jenkins/agent*",
	"jenkins/inbound-agent*",
	"mcr.microsoft.com/dotnet/*:*nanoserver*",
	"docker.elastic.co/*",
	"grafana/k6*",
}

// usrNonRootBaseSetting is the setting that lists such images; DF1100 and
// DF1102 share it.
var usrNonRootBaseSetting = rule.Setting{
	Name:    "non-root-base-images",
	Type:    "strings",
	Default: usrDefaultNonRootImages,
	Doc: "Base image patterns (`*` matches any text, a leading `!` excludes) whose image configuration " +
		"already runs as a non-root user; a final stage built on one needs no USER of its own.",
}

// usrNonRootBase reports whether the image at the root of s's chain is
// known to run as a non-root user by default. The reference is compared as
// written (digest and docker.io/ dropped), so that patterns read like the
// FROM lines they describe.
func usrNonRootBase(p *rule.Pass, s *df.Stage) bool {
	ref := strings.ToLower(s.Root().Base)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	if ref == "" || ref == "scratch" {
		return false
	}
	match := false
	for _, pat := range p.Settings.Strings(usrNonRootBaseSetting.Name) {
		pat = strings.ToLower(strings.TrimSpace(pat))
		neg := strings.HasPrefix(pat, "!")
		pat = strings.TrimPrefix(pat, "!")
		if pat == "" || !df.MatchImagePattern(pat, ref) {
			continue
		}
		if neg {
			return false
		}
		match = true
	}
	return match
}

// usrIIS reports a Windows image that runs IIS: ServiceMonitor watching
// w3svc, or a base image of IIS or ASP.NET on .NET Framework (which runs
// on IIS).
func usrIIS(s *df.Stage) bool {
	if prog, _, _ := s.EntryProgram(); prog == "servicemonitor" {
		return true
	}
	ref := strings.ToLower(s.Root().Base)
	return strings.Contains(ref, "/windows/servercore/iis") || strings.Contains(ref, "/dotnet/framework/aspnet") ||
		strings.Contains(ref, "/dotnet/framework/wcf")
}

// usrPrivDropImages are official images whose entrypoint starts as root
// and runs the server as its own account (gosu in docker-entrypoint.sh).
var usrPrivDropImages = map[string]bool{"postgres": true, "redis": true, "mongo": true, "mysql": true, "mariadb": true,
	"rabbitmq": true, "cassandra": true, "couchdb": true, "zookeeper": true, "percona": true, "influxdb": true}

// usrPrivDropWhy says why the image probably drops privileges in its
// entrypoint, "" when nothing says so: the chain ships a privilege-dropping
// tool, or it is built on an official image whose entrypoint steps down
// and keeps that entrypoint.
func usrPrivDropWhy(s *df.Stage) string {
	if tool := usrPrivDrop(s); tool != "" {
		return "it ships " + tool
	}
	b, ok := s.Root().Image()
	if ok && usrPrivDropImages[b.Official] && s.Last("ENTRYPOINT") == nil {
		return "its base image " + b.Official + " starts the server as its own account"
	}
	return ""
}

// usrPrivDropTools are programs an entrypoint uses to step down from root.
var usrPrivDropTools = map[string]bool{"gosu": true, "su-exec": true, "setpriv": true, "chpst": true, "s6-setuidgid": true}

// usrPrivDrop returns the privilege-dropping tool the stage chain installs
// or runs (gosu, su-exec, ...), or "". Images such as the official database
// images start as root on purpose and switch users in their entrypoint.
func usrPrivDrop(s *df.Stage) string {
	hit := func(words []string) string {
		for _, w := range words {
			b := path.Base(strings.Trim(w, `"'`))
			b, _, _ = strings.Cut(b, "=")
			if usrPrivDropTools[b] {
				return b
			}
		}
		return ""
	}
	for _, st := range s.Chain() {
		for _, in := range st.Instructions {
			switch in.Keyword {
			case "RUN":
				if in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					for _, w := range c.Wrappers {
						if usrPrivDropTools[w] {
							return w
						}
					}
					if t := hit(append([]string{c.Name}, c.Args...)); t != "" {
						return t
					}
				}
			case "COPY", "ADD", "ENTRYPOINT", "CMD":
				if t := hit(in.Args); t != "" {
					return t
				}
			}
		}
	}
	return ""
}
