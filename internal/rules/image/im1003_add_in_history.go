package image

import (
	"regexp"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1003 reports ADD instructions in the image history (CIS 4.9). The base
// image's root file system import (`ADD file:<digest> in /`) is exempt: it
// is how every distribution image starts.
var IM1003 = &rule.Rule{
	ID:       "IM1003",
	Slug:     "add-in-history",
	Title:    "Image history uses ADD instead of COPY",
	Severity: rule.Low,
	Category: rule.CatIntegrity,
	Rationale: "ADD fetches URLs without checksum verification and silently unpacks local archives, so what lands in the " +
		"image depends on more than the build context shows. COPY does only what it says; ADD is worth its surprises " +
		"only with --checksum for remote files.",
	Fix:   "Use COPY for local files, and `ADD --checksum=sha256:...` or a verified download in RUN for remote ones.",
	Bad:   "FROM alpine:3.20\nADD app.tar.gz /app/",
	Good:  "FROM alpine:3.20\nCOPY app/ /app/",
	Peers: []rule.Peer{{Tool: "dockle", ID: "CIS-DI-0009"}, {Tool: "cis-docker-1.6.0", ID: "4.9"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#add-or-copy",
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0009",
	},
	Check: checkAddInHistory,
}

var reRootfsAdd = regexp.MustCompile(`^ADD (?:file|dir|multi):[0-9a-f]+ in /\s*$`)

func checkAddInHistory(p *rule.Pass) error {
	for _, h := range imageOf(p).History {
		c := cleanInstruction(h.CreatedBy)
		if keyword(c) != "ADD" || reRootfsAdd.MatchString(c) {
			continue
		}
		p.Report(rule.Finding{Message: "history instruction uses ADD: " + short(c, 120), Location: rule.Location{File: imageOf(p).Ref, Image: locateHistory(p, h.Layer, c)}})
	}
	return nil
}

// locateHistory locates a finding at a history entry: its layer when it
// produced one, else the configuration.
func locateHistory(p *rule.Pass, layer int, instr string) *rule.ImageLocation {
	l := locate(imageOf(p), layer, "")
	if layer < 0 {
		l.LayerIndex = configLayer
	}
	l.Instruction = instr
	return l
}

// short truncates s to n bytes with an ellipsis.
func short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
