package dockerfile

import (
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1805 checks every EXPOSE port after ARG/ENV substitution: a number or
// range within 1-65535, an optional protocol among tcp, udp and sctp written
// in lower case, and no host address or host port (EXPOSE documents the
// container side only; publishing is decided by `docker run -p`).
var DF1805 = &rule.Rule{
	ID:       "DF1805",
	Slug:     "invalid-expose",
	Title:    "EXPOSE has an invalid port",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "EXPOSE records which container ports a service listens on; orchestrators, `docker run -P` and scanners rely on it. " +
		"A port outside 1-65535 or an unknown protocol is rejected by the builder or produces metadata nothing can use, and a " +
		"host mapping such as `80:80` is silently reduced to the container port: publishing is a run-time decision the image " +
		"cannot make, so the line does not do what it says.",
	Fix:   "Expose only the container port with an optional lower-case protocol, e.g. `EXPOSE 8080/tcp`, and publish it with `docker run -p`.",
	Bad:   "FROM nginx:1.27\nEXPOSE 80:80 443/TCP 70000",
	Good:  "FROM nginx:1.27\nEXPOSE 80 443/tcp",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3011"}, {Tool: "trivy", ID: "DS-0008"}, {Tool: "kics", ID: "71bf8cf8-f0a1-42fa-b9d2-d10525e0a38e"}, {Tool: "buildkit", ID: "ExposeInvalidFormat"}, {Tool: "buildkit", ID: "ExposeProtoCasing"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#expose",
		"https://docs.docker.com/reference/build-checks/expose-invalid-format/",
		"https://docs.docker.com/reference/build-checks/expose-proto-casing/",
		"https://github.com/hadolint/hadolint/wiki/DL3011",
	},
	Check: checkInvalidExpose,
}

func checkInvalidExpose(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		if in.Keyword != "EXPOSE" || in.Stage == nil {
			continue
		}
		for _, raw := range in.Args {
			v, unmatched := in.Expand(raw)
			if len(unmatched) > 0 {
				continue
			}
			for _, port := range strings.Fields(v) {
				if msg := exposeProblem(port); msg != "" {
					shown := port
					if raw != port {
						shown = raw + " (" + port + ")"
					}
					p.Reportf(in.Locate(raw), "EXPOSE %s: %s", shown, msg)
				}
			}
		}
	}
	return nil
}

// exposeProblem describes what is wrong with one EXPOSE word, or "".
func exposeProblem(port string) string {
	spec, proto, hasProto := strings.Cut(port, "/")
	parts := strings.Split(spec, ":")
	container := parts[len(parts)-1]
	var probs []string
	if len(parts) > 1 {
		probs = append(probs, "a host address or port cannot be set in a Dockerfile, expose only the container port "+container)
	}
	if msg := exposeRange(container); msg != "" {
		probs = append(probs, msg)
	}
	if hasProto {
		switch strings.ToLower(proto) {
		case "tcp", "udp", "sctp":
			if proto != strings.ToLower(proto) {
				probs = append(probs, "write the protocol in lower case ("+strings.ToLower(proto)+")")
			}
		default:
			probs = append(probs, "unknown protocol "+strconv.Quote(proto)+" (use tcp, udp or sctp)")
		}
	}
	return strings.Join(probs, "; ")
}

func exposeRange(s string) string {
	lo, hi, isRange := strings.Cut(s, "-")
	a, errA := strconv.Atoi(lo)
	b := a
	var errB error
	if isRange {
		b, errB = strconv.Atoi(hi)
	}
	switch {
	case errA != nil || errB != nil:
		return "port " + strconv.Quote(s) + " is not a number or range"
	case a < 1 || a > 65535 || b < 1 || b > 65535:
		return "port " + s + " is outside 1-65535"
	case b < a:
		return "port range " + s + " ends before it starts"
	}
	return ""
}
