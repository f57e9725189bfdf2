package basefamily

import (
	"fmt"
	"regexp"
	"strings"
)

// Image is a base image as the family tables see it.
type Image struct {
	// Official is the Docker official repository name ("node") for an
	// official image or a mirror of one (see Official), else "".
	Official string
	// Name is the normalised repository: docker.io/library/node,
	// registry.access.redhat.com/ubi9.
	Name string
	// Tag is the tag as written, "" when there is none.
	Tag string
}

// Variant is one concrete image to build a final stage on instead.
type Variant struct {
	// Official is the Docker official repository of the variant ("node"),
	// else Repo is its full repository (gcr.io/distroless/static-debian12).
	Official, Repo string
	// Tag is the variant's tag, "" for the repository's default.
	Tag string
	// Kind says what makes it leaner: slim, alpine, minimal, micro, jre,
	// runtime or distroless.
	Kind string
	// Note says what moving to it takes beyond changing FROM, "" when it
	// runs the same program the same way.
	Note string
}

// Ref is the variant's reference in its familiar form: node:22-slim,
// gcr.io/distroless/static-debian12.
func (v Variant) Ref() string {
	r := v.Repo
	if v.Official != "" {
		r = v.Official
	}
	if v.Tag != "" {
		r += ":" + v.Tag
	}
	return r
}

// Leaner is what a full-size image could be replaced with in a final stage.
type Leaner struct {
	// Advice names the alternatives in words, as DF1203 writes them:
	// "node:22-slim or node:22-alpine".
	Advice string
	// Variants are the concrete images Advice names, and the distroless
	// images that fit the same release.
	Variants []Variant
	// OS is set for an operating system's full image: it differs from its
	// slim or minimal variant by documentation, locales and tools, not by
	// compilers.
	OS bool
}

// minimalTokens mark a tag as a slim variant already.
var minimalTokens = map[string]bool{
	"slim": true, "alpine": true, "minimal": true, "micro": true, "distroless": true, "chiseled": true,
	"jre": true, "busybox": true, "nanoserver": true, "windowsservercore": true, "ltsc2019": true, "ltsc2022": true, "ltsc2025": true,
}

// IsMinimalTag reports whether a tag names a slim variant (node:22-slim,
// python:3.13-alpine3.21, eclipse-temurin:21-jre).
func IsMinimalTag(tag string) bool {
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

func suffixTag(ver, suffix string) string {
	if ver == "" {
		return suffix
	}
	return ver + "-" + suffix
}

func official(repo, tag, kind string) Variant { return Variant{Official: repo, Tag: tag, Kind: kind} }

func names(vs ...Variant) string {
	refs := make([]string, len(vs))
	for i, v := range vs {
		refs[i] = v.Ref()
	}
	return strings.Join(refs, " or ")
}

// Notes of variants that need more than a new FROM line.
const (
	noteCopyBinary = "copy the compiled binary from a build stage; no shell or package manager"
	noteCopyJar    = "copy the built artifact from the build stage; a JRE runs it, nothing compiles"
	noteDistroless = "no shell or package manager: the entrypoint must be the program itself"
)

// distrolessDebian maps a Debian release (as a tag names it) to the
// distroless suffix built on it.
var distrolessDebian = map[string]string{"bookworm": "debian12", "12": "debian12", "trixie": "debian13", "13": "debian13"}

// distrolessNode are the Node.js majors distroless publishes images of
// (gcr.io/distroless/nodejsNN-debian12).
var distrolessNode = map[string]bool{"20": true, "22": true, "24": true}

// fullImages maps official image names to the leaner variants of their
// full images; ok is false when the tag is already lean or no leaner
// variant exists. ubuntu is absent on purpose: Canonical publishes no slim
// variant, the image is already minimised (unminimize restores the rest),
// and the only leaner choice is another distribution.
var fullImages = map[string]func(tag string) (Leaner, bool){
	"node": func(tag string) (Leaner, bool) {
		l, ok := runtimeLeaner("node", true)(tag)
		if ok {
			if v := leadingVersion(tag); distrolessNode[v] && !strings.Contains(tag, "bullseye") {
				l.Variants = append(l.Variants, Variant{Repo: "gcr.io/distroless/nodejs" + v + "-debian12", Kind: "distroless", Note: noteDistroless})
			}
		}
		return l, ok
	},
	"python": runtimeLeaner("python", true), "ruby": runtimeLeaner("ruby", true),
	"perl": runtimeLeaner("perl", false), "elixir": runtimeLeaner("elixir", true),
	"php": func(tag string) (Leaner, bool) {
		if IsMinimalTag(tag) || strings.Contains(tag, "apache") {
			return Leaner{}, false
		}
		base := tag
		for _, c := range []string{"-bookworm", "-bullseye", "-buster", "-trixie"} {
			base = strings.Replace(base, c, "", 1)
		}
		v := official("php", base+"-alpine", "alpine")
		if base == "" || base == "latest" {
			v.Tag = "alpine"
		}
		return Leaner{Advice: v.Ref(), Variants: []Variant{v}}, true
	},
	"openjdk": func(tag string) (Leaner, bool) {
		if IsMinimalTag(tag) {
			return Leaner{}, false
		}
		v := official("eclipse-temurin", javaVersion(tag)+"-jre", "jre")
		v.Note = "the openjdk images are deprecated; a JRE runs the application, nothing compiles"
		return Leaner{Advice: v.Ref() + " (the openjdk images are deprecated and ship a full JDK)", Variants: []Variant{v}}, true
	},
	"eclipse-temurin": func(tag string) (Leaner, bool) {
		if IsMinimalTag(tag) {
			return Leaner{}, false
		}
		v := official("eclipse-temurin", javaVersion(tag)+"-jre", "jre")
		return Leaner{Advice: v.Ref() + " instead of the JDK", Variants: []Variant{v}}, true
	},
	"maven":  buildToolLeaner("maven"),
	"gradle": buildToolLeaner("gradle"),
	"golang": func(tag string) (Leaner, bool) {
		if strings.Contains(tag, "windowsservercore") || strings.Contains(tag, "nanoserver") {
			return Leaner{}, false
		}
		v := Variant{Repo: "gcr.io/distroless/static-debian12", Kind: "distroless", Note: noteCopyBinary}
		return Leaner{Advice: v.Ref() + " or scratch, copying the compiled binary from a golang build stage", Variants: []Variant{v}}, true
	},
	"rust": func(string) (Leaner, bool) {
		v := Variant{Repo: "gcr.io/distroless/cc-debian12", Kind: "distroless", Note: noteCopyBinary}
		return Leaner{Advice: v.Ref() + " (or static-debian12 for a musl build), copying the binary from a rust build stage", Variants: []Variant{v}}, true
	},
	"gcc": func(string) (Leaner, bool) {
		d := Variant{Repo: "gcr.io/distroless/cc-debian12", Kind: "distroless", Note: noteCopyBinary}
		s := Variant{Official: "debian", Tag: "stable-slim", Kind: "slim", Note: noteCopyBinary}
		return Leaner{Advice: d.Ref() + " or " + s.Ref() + ", copying the binary from the gcc build stage", Variants: []Variant{d, s}}, true
	},
	"debian": func(tag string) (Leaner, bool) {
		if IsMinimalTag(tag) {
			return Leaner{}, false
		}
		v := leadingVersion(tag)
		if v == "" {
			v = "stable"
		}
		slim := official("debian", v+"-slim", "slim")
		l := Leaner{Advice: slim.Ref() + " or a distroless image", Variants: []Variant{slim}, OS: true}
		if d, ok := distrolessDebian[v]; ok {
			l.Variants = append(l.Variants, Variant{Repo: "gcr.io/distroless/base-" + d, Kind: "distroless", Note: noteDistroless})
		}
		return l, true
	},
	"centos": func(string) (Leaner, bool) {
		u := Variant{Repo: "registry.access.redhat.com/ubi9/ubi-minimal", Kind: "minimal", Note: "another distribution: check the packages the application installs"}
		r := official("rockylinux", "9-minimal", "minimal")
		r.Note = u.Note
		return Leaner{Advice: "a minimal image such as " + u.Ref() + " or " + r.Ref() + " (CentOS Linux is end of life)", Variants: []Variant{u, r}, OS: true}, true
	},
	"fedora": func(string) (Leaner, bool) {
		v := Variant{Repo: "registry.fedoraproject.org/fedora-minimal", Kind: "minimal"}
		return Leaner{Advice: v.Ref() + " or a distroless image", Variants: []Variant{v}, OS: true}, true
	},
	"rockylinux":  osSuffixLeaner("rockylinux", "minimal"),
	"almalinux":   osSuffixLeaner("almalinux", "minimal"),
	"oraclelinux": osSuffixLeaner("oraclelinux", "slim"),
}

// runtimeLeaner offers the slim and, where published, Alpine variant of a
// language image.
func runtimeLeaner(repo string, alpine bool) func(string) (Leaner, bool) {
	return func(tag string) (Leaner, bool) {
		if IsMinimalTag(tag) || strings.Contains(tag, "windowsservercore") || strings.Contains(tag, "nanoserver") {
			return Leaner{}, false
		}
		v := leadingVersion(tag)
		vs := []Variant{official(repo, suffixTag(v, "slim"), "slim")}
		if alpine {
			a := official(repo, suffixTag(v, "alpine"), "alpine")
			a.Note = "musl instead of glibc: native modules and wheels must be built for it"
			vs = append(vs, a)
		}
		return Leaner{Advice: names(vs...), Variants: vs}, true
	}
}

// buildToolLeaner is the advice for a Java build tool's image: run on a
// JRE and copy the artifact.
func buildToolLeaner(tool string) func(string) (Leaner, bool) {
	return func(string) (Leaner, bool) {
		v := official("eclipse-temurin", "21-jre", "jre")
		v.Note = noteCopyJar
		return Leaner{Advice: "a JRE image such as " + v.Ref() + ", copying the built artifact from the " + tool + " stage", Variants: []Variant{v}}, true
	}
}

// osSuffixLeaner offers a distribution's own minimal variant of the same
// release (rockylinux:9-minimal).
func osSuffixLeaner(repo, suffix string) func(string) (Leaner, bool) {
	return func(tag string) (Leaner, bool) {
		if IsMinimalTag(tag) {
			return Leaner{}, false
		}
		v := official(repo, suffixTag(leadingVersion(tag), suffix), suffix)
		return Leaner{Advice: v.Ref(), Variants: []Variant{v}, OS: true}, true
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

// LeanerOf returns the leaner alternatives to img for a final stage; ok is
// false when img is lean already or the tables do not know its family.
func LeanerOf(img Image) (Leaner, bool) {
	tag := strings.ToLower(img.Tag)
	if img.Official != "" {
		if adv, ok := fullImages[img.Official]; ok {
			return adv(tag)
		}
		return Leaner{}, false
	}
	if m := ubiRE.FindStringSubmatch(img.Name); m != nil {
		min := Variant{Repo: fmt.Sprintf("%s/ubi%s/ubi-minimal", m[1], m[2]), Kind: "minimal"}
		micro := Variant{Repo: fmt.Sprintf("%s/ubi%s/ubi-micro", m[1], m[2]), Kind: "micro", Note: "no package manager: install what runs in a build stage"}
		return Leaner{Advice: fmt.Sprintf("%s or ubi%s/ubi-micro", min.Ref(), m[2]), Variants: []Variant{min, micro}, OS: true}, true
	}
	if dotnetSDK.MatchString(img.Name) && !strings.Contains(tag, "nanoserver") && !strings.Contains(tag, "windowsservercore") {
		t := tag
		if t == "" {
			t = "latest"
		}
		note := "publish from an sdk build stage and copy the output"
		a := Variant{Repo: "mcr.microsoft.com/dotnet/aspnet", Tag: t, Kind: "runtime", Note: note}
		r := Variant{Repo: "mcr.microsoft.com/dotnet/runtime", Tag: t, Kind: "runtime", Note: note}
		return Leaner{Advice: a.Ref() + " or " + r.Ref() + ", publishing from an sdk build stage", Variants: []Variant{a, r}}, true
	}
	return Leaner{}, false
}

// Knows reports whether the tables know img's family at all, lean variant
// or not: a family whose full image they name, or a UBI or .NET SDK image.
func Knows(img Image) bool {
	if img.Official != "" {
		_, ok := fullImages[img.Official]
		return ok
	}
	return ubiRE.MatchString(img.Name) || dotnetSDK.MatchString(img.Name)
}
