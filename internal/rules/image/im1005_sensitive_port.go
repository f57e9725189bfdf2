package image

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1005 reports exposed ports of remote-administration and unencrypted
// management services.
var IM1005 = &rule.Rule{
	ID:       "IM1005",
	Slug:     "sensitive-port-exposed",
	Title:    "Image exposes a remote-administration port",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Ports such as SSH (22), Telnet (23), RDP (3389), VNC (5900) or the Docker API (2375/2376) mean the image runs " +
		"a remote shell or management service next to its application. Containers are managed through the engine " +
		"(`docker exec`), and each such service is one more thing to patch, authenticate and keep off the network. " +
		"An exposed, unauthenticated Docker API (2375) hands root on the host to anyone who reaches it.",
	Levels: []rule.Level{{Severity: rule.High, When: "for the Docker API port 2375, which hands root on the host to anyone who reaches it"}},
	Fix:    "Remove the service and its EXPOSE; use `docker exec` or `kubectl exec` for administration.",
	Bad:    "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y openssh-server\nEXPOSE 22 8080",
	Good:   "FROM ubuntu:24.04\nEXPOSE 8080",
	Peers:  []rule.Peer{{Tool: "trivy", ID: "DS-0004"}},
	References: []string{
		"https://docs.docker.com/engine/security/protect-access/",
		"https://avd.aquasec.com/misconfig/ds004",
	},
	Settings: []rule.Setting{{Name: "allow-ports", Type: "strings", Default: []string{}, Doc: "ports (\"22\" or \"22/tcp\") that may be exposed"}},
	Check:    checkSensitivePort,
}

// sensitivePorts names the services behind remote-administration ports.
var sensitivePorts = map[int]string{
	21: "FTP", 22: "SSH", 23: "Telnet", 111: "rpcbind", 135: "MS RPC", 139: "NetBIOS", 445: "SMB",
	512: "rexec", 513: "rlogin", 514: "rsh", 2375: "the unencrypted Docker API", 2376: "the Docker API",
	3389: "RDP", 5900: "VNC", 5901: "VNC", 5985: "WinRM", 5986: "WinRM", 6000: "X11", 10250: "the kubelet API",
}

func checkSensitivePort(p *rule.Pass) error {
	allow := map[string]bool{}
	for _, a := range p.Settings.Strings("allow-ports") {
		allow[strings.ToLower(a)] = true
	}
	ports := append([]string(nil), imageOf(p).Config.ExposedPorts...)
	sort.Strings(ports)
	for _, ps := range ports {
		num, _, _ := strings.Cut(ps, "/")
		n, err := strconv.Atoi(num)
		if err != nil || allow[num] || allow[strings.ToLower(ps)] {
			continue
		}
		svc, ok := sensitivePorts[n]
		if !ok {
			continue
		}
		instr := lastHistory(imageOf(p), func(c string) bool { return keyword(c) == "EXPOSE" && strings.Contains(c, num) })
		f := rule.Finding{
			Message: "the image exposes port " + ps + " (" + svc + ")", Location: rule.Location{File: imageOf(p).Ref, Image: &rule.ImageLocation{Image: imageOf(p).Ref, LayerIndex: configLayer, Instruction: instr}}}
		if n == 2375 {
			f.Severity = rule.High
		}
		p.Report(f)
	}
	return nil
}
