package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1202 reports shells in the final image.
var IM1202 = &rule.Rule{
	ID:       "IM1202",
	Slug:     "shell-in-image",
	Title:    "Shell present in the final image",
	Severity: rule.Low,
	Category: rule.CatMultiStage,
	Rationale: "A shell is what an attacker who gets code execution in the container reaches for first: it turns a narrow " +
		"bug into an interactive foothold with pipes, downloads and scripts. An application that does not start through " +
		"a shell does not need one at run time; distroless and scratch images ship none.",
	Fix:   "Copy the application into a distroless or scratch final stage, and use exec-form ENTRYPOINT/CMD so that nothing needs /bin/sh.",
	Bad:   "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]",
	Good:  "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://github.com/GoogleContainerTools/distroless#why-should-i-use-distroless-images",
		"https://docs.docker.com/build/building/multi-stage/",
	},
	Check: checkShell,
}

var shells = []string{"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"}

func checkShell(p *rule.Pass) error {
	fs := findTools(imageOf(p), shells)
	if len(fs) == 0 {
		return nil
	}
	if entrypointNeedsShell(imageOf(p)) {
		reportTools(p, fs, "the final image contains shells (%s); its entrypoint runs through one, so removing them needs an exec-form entrypoint first", toolNames(fs))
		return nil
	}
	reportTools(p, fs, "the final image contains shells (%s) that its exec-form entrypoint does not need; a distroless or scratch final stage would drop them", toolNames(fs))
	return nil
}
