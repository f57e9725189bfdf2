package dockerfile

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1300 reports a final image that installs compilers or build systems, or
// runs a build, without removing the toolchain in the same step. A build
// toolchain is dead weight at run time and hands an attacker who gets a
// shell a ready way to compile exploits; a multi-stage build leaves it
// behind. The image's own stage and the stages it is built FROM are
// checked, because their layers all ship.
var DF1300 = &rule.Rule{
	ID:       "DF1300",
	Slug:     "toolchain-in-final-stage",
	Title:    "Final stage carries a build toolchain",
	Severity: rule.Medium,
	Category: rule.CatMultiStage,
	Rationale: "Compilers, headers and build tools (gcc, make, *-dev packages, the Go or Rust toolchain, Maven, an SDK) " +
		"are needed to produce an application, not to run it. Left in the image they add hundreds of megabytes, bring " +
		"their own vulnerabilities into every scan, and give anyone who gets a shell in the container the means to " +
		"build and run arbitrary native code. A multi-stage build compiles in a builder stage and copies only the " +
		"artefacts into a slim runtime stage; when a build must happen in place, install the tools and remove them " +
		"in the same RUN (apk add --virtual .build-deps ... && apk del .build-deps). Images meant for development are " +
		"left alone: dev containers, files named like Dockerfile.dev or test.Dockerfile, a default (last) stage " +
		"named dev, test, debug, ci or lint, and files in CI folders (hack/, .github/). So are images whose purpose is " +
		"the toolchain: SDK and JDK images, buildpack-deps, the language images themselves (a file that installs a " +
		"language as the official images do, with ENV PYTHON_VERSION or GOLANG_VERSION), and images whose command " +
		"is a build tool or that are built on a toolchain image without a command of their own.",
	Fix: "Move the build into an earlier stage and COPY --from=that-stage only the built artefacts into the final stage. " +
		"Where that is impossible, install the toolchain and purge it within the same RUN instruction.",
	Bad: "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]",
	Good: "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\n" +
		"FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://docs.docker.com/build/building/multi-stage/",
		"https://docs.docker.com/build/building/best-practices/#use-multi-stage-builds",
	},
	Settings: []rule.Setting{{
		Name: "ignore-packages", Type: "strings", Default: []string{},
		Doc: "Package names (glob patterns allowed) that the final image may install, e.g. a -dev package a runtime needs.",
	}},
	Check: checkToolchainInFinalStage,
}

// stsToolchainExact are package names that are build toolchains in the
// common distributions.
var stsToolchainExact = map[string]bool{
	"gcc": true, "g++": true, "gcc-c++": true, "c++": true, "clang": true, "make": true, "cmake": true,
	"build-essential": true, "build-base": true, "alpine-sdk": true, "autoconf": true, "automake": true,
	"libtool": true, "ninja-build": true, "gfortran": true, "golang": true, "golang-go": true, "go": true,
	"rustc": true, "cargo": true, "rust": true, "maven": true, "gradle": true, "linux-headers": true,
	"development tools": true, "@development-tools": true, "@development": true, "kernel-headers": true,
}

// stsToolchainPattern matches versioned compilers and SDKs and header
// packages (-dev on Debian/Alpine, -devel on RPM distributions).
var stsToolchainPattern = regexp.MustCompile(`^(gcc|g\+\+|clang|llvm-gcc|gfortran)-?\d[\d.]*$|^golang-\d[\d.]*(-go)?$|^openjdk-?\d+-jdk(-headless)?$|^openjdk\d+$|^java-[\d.]+-openjdk-devel$|^dotnet-sdk-[\d.]+$|^temurin-\d+-jdk$|.-dev$|.-devel$`)

func stsIsToolchainPkg(p *rule.Pass, name string) bool {
	if settingLists(p, "ignore-packages", name) {
		return false
	}
	return stsToolchainExact[name] || stsToolchainPattern.MatchString(name)
}

// stsBuildCommand names the build a command runs, or "" when it runs none.
func stsBuildCommand(c *df.Cmd) string {
	if c.HasFlag("--version", "--help", "-v", "-h") && len(c.Positionals()) == 0 {
		return ""
	}
	pos := c.Positionals()
	sub := c.Sub()
	has := func(words ...string) string {
		for _, p := range pos {
			for _, w := range words {
				if strings.EqualFold(p, w) {
					return p
				}
			}
		}
		return ""
	}
	switch c.Name {
	case "go":
		if sub == "build" || sub == "install" {
			return "go " + sub
		}
	case "cargo":
		if sub == "build" || sub == "install" || sub == "rustc" {
			return "cargo " + sub
		}
	case "rustc", "javac", "gcc", "g++", "cc", "c++", "clang", "clang++", "cmake", "ninja":
		if len(pos) > 0 || len(c.Args) > 0 {
			return c.Name
		}
	case "make", "gmake":
		return c.Name
	case "mvn", "mvnw":
		if p := has("package", "install", "verify", "compile", "deploy"); p != "" {
			return c.Name + " " + p
		}
	case "gradle", "gradlew":
		if p := has("build", "assemble", "jar", "bootJar", "shadowJar", "installDist", "war"); p != "" {
			return c.Name + " " + p
		}
	case "npm", "pnpm", "yarn":
		script := sub
		if sub == "run" || sub == "run-script" {
			script = ""
			if len(pos) > 1 {
				script = strings.ToLower(pos[1])
			}
		} else if c.Name == "npm" {
			// npm runs only known subcommands without `run`.
			script = ""
		}
		if script == "build" || strings.HasPrefix(script, "build:") {
			return c.Name + " " + strings.Join(pos[:min(len(pos), 2)], " ")
		}
	case "dotnet":
		if sub == "publish" || sub == "build" {
			return "dotnet " + sub
		}
	case "python", "python2", "python3":
		if len(pos) > 1 && path.Base(pos[0]) == "setup.py" {
			switch pos[1] {
			case "build", "build_ext", "install", "bdist_wheel", "bdist_egg", "develop":
				return "python setup.py " + pos[1]
			}
		}
	}
	return ""
}

func checkToolchainInFinalStage(p *rule.Pass) error {
	if t := fileOf(p).Target; t != nil && t.ToolchainPurpose() != "" {
		return nil
	}
	for _, st := range finalChain(fileOf(p)) {
		for in := range st.Runs() {
			stsCheckToolchain(p, in)
		}
	}
	return nil
}

// stsCheckToolchain reports the first command of a RUN that installs a
// toolchain it does not remove again, or runs a build.
func stsCheckToolchain(p *rule.Pass, in *df.Instruction) {
	var ops []indexedOp // decoded on first need
	for i, c := range in.Script.Commands {
		if op, ok := packageOp(in, i, c); ok && op.Install {
			var left []string
			for _, pkg := range op.Pkgs {
				if !stsIsToolchainPkg(p, pkg) {
					continue
				}
				if ops == nil {
					ops = runPackageOps(in)
				}
				if !removedLaterIn(ops, i, op, pkg) {
					left = append(left, pkg)
				}
			}
			if len(left) > 0 {
				p.Report(rule.Finding{Location: rule.Location{Range: in.CmdRange(c)}, Fixes: []rule.Fix{multiStageSuggestion},
					Message: fmt.Sprintf("%s installs build toolchain %s in %s and never removes it; build in an earlier stage and copy only the artefacts",
						c.Name, listNames(left, 3), stsStageWhere(fileOf(p), in.Stage))})
				return
			}
			continue
		}
		if b := stsBuildCommand(c); b != "" && !removesAnything(in, i) {
			p.Report(rule.Finding{Location: rule.Location{Range: in.CmdRange(c)}, Fixes: []rule.Fix{multiStageSuggestion},
				Message: fmt.Sprintf("`%s` builds in %s, so the build toolchain ships in the image; build in an earlier stage and copy only the artefacts",
					b, stsStageWhere(fileOf(p), in.Stage))})
			return
		}
	}
}

// stsStageWhere names a stage of the final chain for messages.
func stsStageWhere(f *df.File, s *df.Stage) string {
	if s == f.Target {
		if len(f.Stages) == 1 {
			return "the only (final) stage"
		}
		return "the final stage"
	}
	return fmt.Sprintf("stage %s, which the final stage is built FROM", s.Label())
}

// multiStageSuggestion is DF1300's suggestion: a split the user writes,
// since only they know which files the running application needs.
var multiStageSuggestion = suggestion("split the build into stages: build in `FROM ... AS build`, then start the final stage from a runtime image and `COPY --from=build` only the artefacts")
