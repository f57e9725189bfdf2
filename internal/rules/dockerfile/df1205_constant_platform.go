package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1205 reports `FROM --platform=` with a fixed value. It pins the stage
// to one architecture whatever the build asks for, which breaks
// multi-platform builds or silently runs under emulation.
var DF1205 = &rule.Rule{
	ID:       "DF1205",
	Slug:     "constant-platform",
	Title:    "FROM --platform is set to a constant",
	Severity: rule.Low,
	Category: rule.CatBaseImage,
	Rationale: "A constant platform overrides the --platform the build was asked for: a multi-platform build then ships " +
		"amd64 binaries in the arm64 image, or an arm64 machine runs the stage under slow QEMU emulation. " +
		"The choice belongs to the build invocation, expressed through $BUILDPLATFORM and $TARGETPLATFORM.",
	Fix: "Remove the flag, or use `--platform=$BUILDPLATFORM` for a cross-compiling build stage. " +
		"Choose the target with `docker build --platform` instead; a stage deliberately bound to one platform can say so in its name (`AS build-amd64`).",
	Bad:   "FROM --platform=linux/amd64 node:22-slim",
	Good:  "FROM --platform=$BUILDPLATFORM golang:1.24 AS build\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3029"}, {Tool: "kics", ID: "b16e8501-ef3c-44e1-a543-a093238099c9"}, {Tool: "buildkit", ID: "FromPlatformFlagConstDisallowed"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/",
		"https://github.com/hadolint/hadolint/wiki/DL3029",
		"https://docs.docker.com/build/building/multi-platform/",
	},
	Check: checkConstantPlatform,
}

// knownOS are the operating systems a one-word platform may name; any
// other single word is an architecture (arm64 means linux/arm64).
var knownOS = map[string]bool{
	"linux": true, "windows": true, "darwin": true, "freebsd": true, "netbsd": true, "openbsd": true,
	"solaris": true, "illumos": true, "aix": true, "android": true, "ios": true, "plan9": true, "wasip1": true, "js": true,
}

var archAliases = map[string]string{"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "armel": "arm", "i386": "386"}

func checkConstantPlatform(p *rule.Pass) error {
	f := fileOf(p)
	for _, st := range f.Stages {
		raw := st.Platform
		if raw == "" {
			continue
		}
		// Like BuildKit, any variable at all makes the value not constant.
		res, err := shell.NewLex(f.Escape).ProcessWordWithMatches(raw, st.From.Vars)
		if err != nil || len(res.Matched) > 0 || len(res.Unmatched) > 0 || res.Result == "" {
			continue
		}
		value := res.Result
		parts := strings.Split(strings.ToLower(value), "/")
		var os, arch string
		switch {
		case len(parts) == 1 && knownOS[parts[0]]:
			os = parts[0]
		case len(parts) == 1:
			os, arch = "linux", parts[0]
		default:
			os, arch = parts[0], parts[1]
		}
		if a, ok := archAliases[arch]; ok {
			arch = a
		}
		// A stage named for its platform (AS build-arm64) is pinned on
		// purpose; BuildKit accepts it too.
		if st.Name != "" && ((os != "" && strings.Contains(st.Name, os)) || (arch != "" && strings.Contains(st.Name, arch))) {
			continue
		}
		p.Reportf(st.From.FlagRange("platform"), "stage %s is pinned to the constant platform %q instead of following the requested build platform", st.Label(), value)
	}
	return nil
}
