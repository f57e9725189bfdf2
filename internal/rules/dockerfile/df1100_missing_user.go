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
// filesystem and makes every kernel or runtime escape more dangerous.
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
		"exception: a static binary in them also runs as UID 0 unless USER says otherwise.",
	Fix: "Create an unprivileged account and add `USER <name or UID>` near the end of the final stage. " +
		"On scratch or distroless images, which have no useradd, use a numeric UID such as `USER 65532:65532`; " +
		"images that need root only to start (gosu, su-exec) should still document why.",
	Bad: "FROM python:3.12-slim\nCOPY app /app\nCMD [\"python\", \"/app/main.py\"]",
	Good: "FROM python:3.12-slim\nRUN useradd --system --uid 10001 --no-log-init app\nCOPY --chown=app app /app\n" +
		"USER app\nCMD [\"python\", \"/app/main.py\"]",
	Peers: []rule.Peer{{Tool: "kics", ID: "fd54f200-402c-4333-a5a4-36ef6709af2f"}, {Tool: "trivy", ID: "DS-0002"}, {Tool: "checkov", ID: "CKV_DOCKER_3"}, {Tool: "cis-docker-1.6.0", ID: "4.1"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#user",
		"https://docs.docker.com/reference/dockerfile/#user",
		"https://github.com/GoogleContainerTools/distroless#debug-images",
	},
	Settings: []rule.Setting{usrNonRootBaseSetting},
	Check:    checkMissingUser,
}

func checkMissingUser(p *rule.Pass) error {
	t := fileOf(p).Target
	if t == nil || t.Last("USER") != nil || usrNonRootBase(p, t) || !t.Runnable() {
		return nil
	}
	desc := t.Describe()
	switch {
	case t.IsScratch():
		p.Reportf(t.From.Start(), "final stage %s never sets USER, so its binary runs as UID 0; scratch has no /etc/passwd, use a numeric USER such as 65532", desc)
	case t.Windows:
		p.Reportf(t.From.Start(), "final stage %s never sets USER, so the container runs as ContainerAdministrator; switch to USER ContainerUser", desc)
	default:
		if tool := usrPrivDrop(t); tool != "" {
			// The image starts as root by design and its entrypoint steps
			// down with tool; still worth a note, not a gate.
			p.Report(rule.Finding{
				Severity: rule.Low,
				Message:  "final stage " + desc + " never sets USER and starts as root; it ships " + tool + ", so the entrypoint probably drops privileges, but anything run with `docker exec` or a replaced command stays root",
				Location: rule.Location{Range: t.From.Start()},
			})
			return nil
		}
		p.Reportf(t.From.Start(), "final stage %s never switches to a non-root USER, so the container runs as root", desc)
	}
	return nil
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
		if pat == "" || !df.ImagePattern(pat).MatchString(ref) {
			continue
		}
		if neg {
			return false
		}
		match = true
	}
	return match
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
