package image

import (
	"regexp"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1004 reports RUN instructions in the history that call sudo.
var IM1004 = &rule.Rule{
	ID:       "IM1004",
	Slug:     "sudo-in-history",
	Title:    "Image history runs sudo",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "A build step that needs sudo means the image carries sudo and a user allowed to use it: a ready-made path from " +
		"the application's account back to root. Build steps can simply run as root and switch USER afterwards.",
	Fix:   "Run the step as root (`USER root` before it, `USER app` after) and remove sudo from the image.",
	Bad:   "FROM debian:12\nUSER app\nRUN sudo apt-get install -y curl",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nUSER app",
	Peers: []rule.Peer{{Tool: "dockle", ID: "DKL-DI-0001"}},
	References: []string{
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0001",
		"https://docs.docker.com/build/building/best-practices/#user",
	},
	Check: checkSudoInHistory,
}

var reSudo = regexp.MustCompile(`(?:^|[\s;&|(])sudo\s`)

func checkSudoInHistory(p *rule.Pass) error {
	for _, h := range imageOf(p).History {
		c := cleanInstruction(h.CreatedBy)
		if keyword(c) == "RUN" && reSudo.MatchString(c) {
			p.Report(rule.Finding{Message: "history instruction runs sudo: " + short(c, 120), Location: rule.Location{File: imageOf(p).Ref, Image: locateHistory(p, h.Layer, c)}})
		}
	}
	return nil
}
