package dockerfile

import (
	"fmt"
	"regexp"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1203 reports a final image built on a full distribution or a language
// image's default (build-tools) variant when a slim, Alpine, JRE or
// distroless counterpart exists. Build stages are not reported: compilers
// belong there; nor are images whose purpose is the toolchain or a
// development environment (Stage.ToolchainPurpose, Stage.Role).
var DF1203 = &rule.Rule{
	ID:       "DF1203",
	Slug:     "non-minimal-base",
	Title:    "Final stage uses a full-size base image",
	Severity: rule.Medium,
	Category: rule.CatBaseImage,
	Rationale: "The default tags of language images (node:22, python:3.13, ruby, golang) sit on buildpack-deps: compilers, " +
		"headers, version-control tools and hundreds of libraries the running application never uses. " +
		"Every one of them is attack surface, shows up in vulnerability scans and adds hundreds of megabytes to pull and store. " +
		"Slim, Alpine, JRE and distroless variants carry only what is needed at run time. Ubuntu is not reported: it publishes no slim variant, its image is already minimised, and moving to another " +
		"distribution is a choice of its own. Images whose purpose is the toolchain (SDK and JDK images, buildpack-deps, " +
		"the language images themselves, a build tool as the command) and development or CI images (dev containers, " +
		"dev/test/ci names, hack/) are left alone.",
	Levels: []rule.Level{{Severity: rule.Low, When: "for an operating system's full image where the same distribution " +
		"publishes a slim or minimal variant (debian, Rocky, Alma, Oracle Linux, UBI): tens of megabytes of documentation, " +
		"locales and tools, no compilers"}},
	Fix: "Base the final stage on the leaner image the message names, and build in an earlier stage. " +
		"Compile in a builder stage and `COPY --from` only the result; list an image in `allowed` if it must stay. " +
		"Dockerfiles under a `.devcontainer` directory are development environments and are not checked.",
	Bad:  "FROM node:22\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]",
	Good: "FROM node:22 AS build\nRUN npm ci && npm run build\n\nFROM node:22-slim\nCOPY --from=build /app/dist /app\nCMD [\"node\", \"/app/server.js\"]",
	Settings: []rule.Setting{{Name: "allowed", Type: "strings", Default: []string{},
		Doc: "Image patterns accepted as a final base even though a slimmer variant exists, e.g. `ubuntu:*` or `docker.io/library/debian`. " +
			"`*` matches any characters; patterns are tried against the full and the short name, with and without the tag."}},
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#choose-the-right-base-image",
		"https://docs.docker.com/build/building/multi-stage/",
		"https://github.com/GoogleContainerTools/distroless",
	},
	Check: checkNonMinimalBase,
}

// minimalTokens mark a tag as a slim variant already.
var minimalTokens = map[string]bool{
	"slim": true, "alpine": true, "minimal": true, "micro": true, "distroless": true, "chiseled": true,
	"jre": true, "busybox": true, "nanoserver": true, "windowsservercore": true, "ltsc2019": true, "ltsc2022": true, "ltsc2025": true,
}

// isMinimalTag reports whether a tag names a slim variant (node:22-slim,
// python:3.13-alpine3.21, eclipse-temurin:21-jre).
func isMinimalTag(tag string) bool {
	for _, t := range strings.Split(strings.ToLower(tag), "-") {
		if minimalTokens[t] || strings.HasPrefix(t, "alpine") || strings.HasPrefix(t, "slim") {
			return true
		}
	}
	return false
}

// leadingVersion is the first dash-separated part of a tag when it is a
// version or release name (22 in 22-bookworm), else "".
func leadingVersion(tag string) string {
	v, _, _ := strings.Cut(tag, "-")
	if v == "latest" {
		return ""
	}
	return v
}

func withSuffix(repo, ver, suffix string) string {
	if ver == "" {
		return repo + ":" + suffix
	}
	return repo + ":" + ver + "-" + suffix
}

// fullImages maps official image names to the advice for their full
// variants. The function returns "" when the tag is already lean or no
// leaner variant exists. ubuntu is absent on purpose: Canonical publishes no
// slim variant, the image is already minimised (unminimize restores the
// rest), and the only leaner choice is another distribution.
var fullImages = map[string]func(tag string) string{
	"node": runtimeAdvice("node", true), "python": runtimeAdvice("python", true), "ruby": runtimeAdvice("ruby", true),
	"perl": runtimeAdvice("perl", false), "elixir": runtimeAdvice("elixir", true),
	"php": func(tag string) string {
		if isMinimalTag(tag) || strings.Contains(tag, "apache") {
			return ""
		}
		base := tag
		for _, c := range []string{"-bookworm", "-bullseye", "-buster", "-trixie"} {
			base = strings.Replace(base, c, "", 1)
		}
		if base == "" || base == "latest" {
			return "php:alpine"
		}
		return "php:" + base + "-alpine"
	},
	"openjdk": func(tag string) string {
		if isMinimalTag(tag) {
			return ""
		}
		return "eclipse-temurin:" + javaVersion(tag) + "-jre (the openjdk images are deprecated and ship a full JDK)"
	},
	"eclipse-temurin": func(tag string) string {
		if isMinimalTag(tag) {
			return ""
		}
		return "eclipse-temurin:" + javaVersion(tag) + "-jre instead of the JDK"
	},
	"maven": func(string) string {
		return "a JRE image such as eclipse-temurin:21-jre, copying the built artifact from the maven stage"
	},
	"gradle": func(string) string {
		return "a JRE image such as eclipse-temurin:21-jre, copying the built artifact from the gradle stage"
	},
	"golang": func(tag string) string {
		if strings.Contains(tag, "windowsservercore") || strings.Contains(tag, "nanoserver") {
			return ""
		}
		return "gcr.io/distroless/static-debian12 or scratch, copying the compiled binary from a golang build stage"
	},
	"rust": func(string) string {
		return "gcr.io/distroless/cc-debian12 (or static-debian12 for a musl build), copying the binary from a rust build stage"
	},
	"gcc": func(string) string {
		return "gcr.io/distroless/cc-debian12 or debian:stable-slim, copying the binary from the gcc build stage"
	},
	"debian": func(tag string) string {
		if isMinimalTag(tag) {
			return ""
		}
		v := leadingVersion(tag)
		if v == "" {
			v = "stable"
		}
		return "debian:" + v + "-slim or a distroless image"
	},
	"centos": func(string) string {
		return "a minimal image such as registry.access.redhat.com/ubi9/ubi-minimal or rockylinux:9-minimal (CentOS Linux is end of life)"
	},
	"fedora": func(string) string { return "registry.fedoraproject.org/fedora-minimal or a distroless image" },
	"rockylinux": func(tag string) string {
		if isMinimalTag(tag) {
			return ""
		}
		return withSuffix("rockylinux", leadingVersion(tag), "minimal")
	},
	"almalinux": func(tag string) string {
		if isMinimalTag(tag) {
			return ""
		}
		return withSuffix("almalinux", leadingVersion(tag), "minimal")
	},
	"oraclelinux": func(tag string) string {
		if isMinimalTag(tag) {
			return ""
		}
		return withSuffix("oraclelinux", leadingVersion(tag), "slim")
	},
}

// runtimeAdvice suggests the slim and, where published, Alpine variant of
// a language image.
func runtimeAdvice(repo string, alpine bool) func(string) string {
	return func(tag string) string {
		if isMinimalTag(tag) || strings.Contains(tag, "windowsservercore") || strings.Contains(tag, "nanoserver") {
			return ""
		}
		v := leadingVersion(tag)
		if alpine {
			return withSuffix(repo, v, "slim") + " or " + withSuffix(repo, v, "alpine")
		}
		return withSuffix(repo, v, "slim")
	}
}

var javaVersionRE = regexp.MustCompile(`^\d+`)

// javaVersion picks the Java feature release out of a tag (8u412-b08-jdk,
// 21-jdk-jammy, 17.0.11_9-jdk), defaulting to 21.
func javaVersion(tag string) string {
	v := javaVersionRE.FindString(tag)
	if v == "" || v == "1" {
		return "21"
	}
	return v
}

var (
	ubiRE     = regexp.MustCompile(`^(registry\.access\.redhat\.com|registry\.redhat\.io|docker\.io/redhat)/ubi(\d+)(/ubi)?$`)
	dotnetSDK = regexp.MustCompile(`^mcr\.microsoft\.com/dotnet/(core/)?sdk$`)
)

// minimalAdvice returns the leaner alternative for an image, or "" when it
// is lean already or the table does not know it.
func minimalAdvice(b df.BaseImage) string {
	tag := strings.ToLower(b.Tag)
	if b.Official != "" {
		if adv, ok := fullImages[b.Official]; ok {
			return adv(tag)
		}
		return ""
	}
	if m := ubiRE.FindStringSubmatch(b.Name); m != nil {
		return fmt.Sprintf("%s/ubi%s/ubi-minimal or ubi%s/ubi-micro", m[1], m[2], m[2])
	}
	if dotnetSDK.MatchString(b.Name) && !strings.Contains(tag, "nanoserver") && !strings.Contains(tag, "windowsservercore") {
		t := tag
		if t == "" {
			t = "latest"
		}
		return "mcr.microsoft.com/dotnet/aspnet:" + t + " or mcr.microsoft.com/dotnet/runtime:" + t + ", publishing from an sdk build stage"
	}
	return ""
}

// osImages are the operating systems among fullImages: their full image
// differs from the slim or minimal one by documentation, locales and tools,
// not by compilers (DF1203 reports them at low).
var osImages = map[string]bool{"debian": true, "centos": true, "fedora": true, "rockylinux": true, "almalinux": true, "oraclelinux": true}

func checkNonMinimalBase(p *rule.Pass) error {
	f := fileOf(p)
	if f.Target == nil || f.Target.Windows || f.Target.ToolchainPurpose() != "" || f.Target.Role().Role == df.RoleDev {
		return nil
	}
	root := f.Target.Root()
	b, ok := root.Image()
	if !ok || b.Matches(p.Settings.Strings("allowed")) {
		return nil
	}
	adv := minimalAdvice(b)
	if adv == "" {
		return nil
	}
	which := "the final stage"
	if root != f.Target {
		which = fmt.Sprintf("the final stage %s (through stage %s)", f.Target.Label(), root.Label())
	}
	sev := rule.Medium
	remedy := "Build in an earlier stage on " + b.Ref + " and base the final stage on " + adv + ", copying only what runs with `COPY --from`."
	if osImages[b.Official] || ubiRE.MatchString(b.Name) {
		sev = rule.Low
		remedy = "Base the final stage on " + adv + ", installing any tool the application needs at run time."
	}
	p.Report(rule.Finding{
		Severity: sev,
		Message:  fmt.Sprintf("%s is built on the full image %q; use %s", which, b.Ref, adv),
		Remedy:   remedy,
		Location: rule.Location{Range: root.BaseRange()},
		Fixes:    []rule.Fix{suggestion("base the final stage on " + adv + " (a suggestion: what the application needs at run time decides)")},
	})
	return nil
}
