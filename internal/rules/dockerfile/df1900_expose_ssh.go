package dockerfile

import (
	"strconv"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1900 reports EXPOSE of TCP port 22, written plainly, with /tcp, inside a
// range, or through an ARG/ENV value. An exposed SSH port means the image
// runs an SSH daemon, which brings a second way in, long-lived credentials
// and a process the container's lifecycle does not manage. Build stages
// whose configuration never reaches a built image are skipped.
var DF1900 = &rule.Rule{
	ID:       "DF1900",
	Slug:     "expose-ssh",
	Title:    "Port 22 is exposed",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Port 22 is SSH. Running sshd in a container adds a network-facing service with its own authentication, " +
		"keys or passwords that must be managed and rotated, and an extra attack surface that the application does not " +
		"need. `docker exec`, `kubectl exec` and `kubectl debug` give operators a shell without any of that, and " +
		"`docker run -P` publishes every EXPOSEd port on the host.",
	Fix:   "Remove 22 from EXPOSE and drop the SSH server; use `docker exec` or `kubectl exec` for interactive access.",
	Bad:   "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\nEXPOSE 22 8080",
	Good:  "FROM ubuntu:24.04\nEXPOSE 8080",
	Peers: []rule.Peer{{Tool: "trivy", ID: "DS-0004"}, {Tool: "kics", ID: "5907595b-5b6d-4142-b173-dbb0e73fbff8"}, {Tool: "checkov", ID: "CKV_DOCKER_1"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#expose",
		"https://docs.docker.com/reference/cli/docker/container/exec/",
	},
	Check: checkExposeSSH,
}

func checkExposeSSH(p *rule.Pass) error {
	chain := map[*df.Stage]bool{}
	for _, s := range fileOf(p).Target.Chain() {
		chain[s] = true
	}
	for _, st := range fileOf(p).Stages {
		// A stage the target only copies from contributes files, not its
		// EXPOSE list; a stage the target does not need at all is another
		// build target and is checked as one.
		if st.InTarget && !chain[st] {
			continue
		}
		for _, in := range st.ByKeyword("EXPOSE") {
			for _, raw := range in.Args {
				v, _ := in.Expand(raw)
				for _, port := range strings.Fields(v) {
					desc, ok := usrIsSSHPort(port)
					if !ok {
						continue
					}
					msg := "EXPOSE publishes " + desc + " (SSH)"
					if strings.Contains(raw, "$") {
						msg = "EXPOSE " + raw + " resolves to " + desc + " (SSH)"
					}
					p.Reportf(in.LocateWord(raw), "%s", msg)
				}
			}
		}
	}
	return nil
}

// usrIsSSHPort reports whether an EXPOSE item (`22`, `22/tcp`, `20-30`)
// covers TCP port 22, and describes it for the message.
func usrIsSSHPort(item string) (string, bool) {
	port, proto, _ := strings.Cut(strings.ToLower(item), "/")
	if proto != "" && proto != "tcp" {
		return "", false
	}
	if lo, hi, isRange := strings.Cut(port, "-"); isRange {
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 == nil && err2 == nil && a <= 22 && 22 <= b {
			return "port range " + port + ", which includes port 22", true
		}
		return "", false
	}
	if n, err := strconv.Atoi(port); err == nil && n == 22 {
		return "port 22", true
	}
	return "", false
}
