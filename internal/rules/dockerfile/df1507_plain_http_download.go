package dockerfile

import (
	"net/url"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1507 catches downloads over plain HTTP in a RUN (curl, wget, fetch of
// an http:// URL) when nothing in the RUN checks what arrived against a
// checksum or signature. Package managers are left alone: apt, dnf and apk
// verify signed repository metadata whatever the transport. Downloads from
// the build's own machine or network (localhost, private addresses,
// single-label service names) never cross the internet and are left alone
// too.
var DF1507 = &rule.Rule{
	ID:       "DF1507",
	Slug:     "plain-http-download",
	Title:    "File downloaded over plain HTTP without a checksum",
	Severity: rule.Medium,
	Category: rule.CatIntegrity,
	Rationale: "Plain HTTP has no integrity at all: anyone on the path between the build machine and the server (a " +
		"public Wi-Fi, a compromised proxy, a hostile network in a cloud region) can replace the archive, binary or key " +
		"being downloaded, and curl and wget will save the substitute without a warning. A checksum or signature written " +
		"in the Dockerfile is the only thing that would notice.",
	Fix: "Download over https:// (most servers offer it), and check the file against a digest kept in the Dockerfile " +
		"(`echo \"${SHA256}  /tmp/x.tgz\" | sha256sum -c -`) or a signature, or use `ADD --checksum=sha256:...`.",
	Bad: "FROM debian:12-slim\nRUN curl -fsSLo /tmp/tool.tgz http://downloads.example.com/tool-1.2.tgz && tar -xzf /tmp/tool.tgz -C /opt",
	Good: "FROM debian:12-slim\nARG TOOL_SHA256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\n" +
		"RUN curl -fsSLo /tmp/tool.tgz https://downloads.example.com/tool-1.2.tgz \\\n" +
		" && echo \"${TOOL_SHA256}  /tmp/tool.tgz\" | sha256sum -c - && tar -xzf /tmp/tool.tgz -C /opt",
	Peers: []rule.Peer{},
	References: []string{
		"https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
		"https://docs.docker.com/reference/dockerfile/#add---checksum",
	},
	Check: eachRun(false, itgCheckPlainHTTP),
}

// itgProxyOpts take a URL that is not what the command downloads.
var itgProxyOpts = map[string]bool{"-x": true, "--proxy": true, "--preproxy": true, "-e": true, "--referer": true, "-H": true, "--header": true}

// itgCheckPlainHTTP reports the first plain-HTTP download of a RUN that
// verifies nothing.
func itgCheckPlainHTTP(p *rule.Pass, in *df.Instruction) {
	if !strings.Contains(in.Script.Text, "http:") && !strings.Contains(in.Script.Text, "HTTP:") && !strings.Contains(in.Script.Text, "$") {
		return
	}
	for _, c := range in.Script.Commands {
		if itgVerifies(c) {
			return
		}
	}
	for _, c := range in.Script.Commands {
		if c.Name != "curl" && c.Name != "wget" && c.Name != "fetch" {
			continue
		}
		for i, a := range c.Args {
			if i > 0 && itgProxyOpts[c.Args[i-1]] {
				continue
			}
			v, ok := in.ExpandKnown(a)
			if !ok || !strings.HasPrefix(strings.ToLower(v), "http://") {
				continue
			}
			u, err := url.Parse(v)
			if err != nil || itgLoopback(u.Hostname()) {
				continue
			}
			p.Reportf(in.ArgRange(c, i), "%s downloads %s over plain HTTP and nothing in this RUN checks what arrived", c.Name, truncate(v, 100))
			return
		}
	}
}
