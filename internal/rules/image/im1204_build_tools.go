package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1204 reports compilers and build tools in the final image.
var IM1204 = &rule.Rule{
	ID:       "IM1204",
	Slug:     "build-tools-in-image",
	Title:    "Compiler or build tool present in the final image",
	Severity: rule.Low,
	Category: rule.CatMultiStage,
	Rationale: "Compilers and build tools are needed to build the application, not to run it. Shipped in the final image they " +
		"add hundreds of megabytes and many packages to patch, and give an intruder the means to build exploits in place.",
	Fix:   "Build in a separate stage and copy only the artefacts into the final stage (a multi-stage build).",
	Bad:   "FROM golang:1.23\nCOPY . /src\nRUN go build -o /app /src\nENTRYPOINT [\"/app\"]",
	Good:  "FROM golang:1.23 AS build\nCOPY . /src\nRUN go build -o /app /src\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://docs.docker.com/build/building/multi-stage/",
	},
	Check: checkBuildTools,
}

var buildTools = []string{"gcc", "cc", "g++", "c++", "clang", "make", "cmake", "ninja", "go", "javac", "cargo", "rustc", "mvn", "gradle", "as", "ld"}

func checkBuildTools(p *rule.Pass) error {
	fs := findTools(imageOf(p), buildTools, "/usr/local/go/bin/go", "/usr/local/cargo/bin/cargo", "/root/.cargo/bin/cargo")
	if len(fs) == 0 {
		return nil
	}
	reportTools(p, fs, "the final image contains build tools (%s); a multi-stage build would leave them in the build stage", toolNames(fs))
	return nil
}
