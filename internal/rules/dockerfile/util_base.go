package dockerfile

import (
	"regexp"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// baseImage is the external image a stage starts from, with its reference
// parsed and normalised the way Docker does (node becomes
// docker.io/library/node).
type baseImage struct {
	Stage *dockerfile.Stage
	// Ref is the resolved reference as written, after ARG substitution.
	Ref   string
	Named reference.Named
	// Name is the normalised repository (docker.io/library/node), Familiar
	// its short form (node).
	Name, Familiar string
	Domain, Path   string
	Tag, Digest    string
	// Official is the repository name when the image is a Docker official
	// image ("node"), including the well-known mirrors of the library
	// namespace, else "".
	Official string
}

// String returns the reference in its short form for messages.
func (b baseImage) String() string { return b.Ref }

// externalBase returns the external image a stage is built FROM. It says
// false for scratch, for an earlier stage, and for references that stay
// dynamic after build arguments are applied (an ARG without a value, an
// unknown variable), so that rules report nothing rather than guess.
func externalBase(f *dockerfile.File, st *dockerfile.Stage) (baseImage, bool) {
	if st == nil || st.BaseStage != nil || st.From == nil {
		return baseImage{}, false
	}
	ref := strings.TrimSpace(st.Base)
	if ref == "" || strings.EqualFold(ref, "scratch") || strings.ContainsAny(ref, "$") {
		return baseImage{}, false
	}
	if strings.Contains(st.BaseName, "$") && !baseResolved(f.Escape, st.From, st.BaseName) {
		return baseImage{}, false
	}
	named := st.BaseRef
	if named == nil {
		return baseImage{}, false
	}
	b := baseImage{
		Stage: st, Ref: ref, Named: named,
		Name: named.Name(), Familiar: reference.FamiliarName(named),
		Domain: reference.Domain(named), Path: reference.Path(named),
	}
	if t, ok := named.(reference.Tagged); ok {
		b.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		b.Digest = d.Digest().String()
	}
	b.Official = baseOfficialRepo(b.Domain, b.Path)
	return b, true
}

// baseLibraryMirrors are registries that republish Docker's official images
// under a library/ path.
var baseLibraryMirrors = []string{
	"public.ecr.aws/docker/library/",
	"mirror.gcr.io/library/",
	"mcr.microsoft.com/mirror/docker/library/",
}

func baseOfficialRepo(domain, path string) string {
	if domain == "docker.io" {
		if r, ok := strings.CutPrefix(path, "library/"); ok && !strings.Contains(r, "/") {
			return r
		}
		return ""
	}
	full := domain + "/" + path
	for _, m := range baseLibraryMirrors {
		if r, ok := strings.CutPrefix(full, m); ok && !strings.Contains(r, "/") {
			return r
		}
	}
	return ""
}

// baseResolved reports whether every variable in word has a value in the
// instruction's scope (an ARG declared without a default and without a
// --build-arg has none).
func baseResolved(esc rune, in *dockerfile.Instruction, word string) bool {
	res, err := shell.NewLex(esc).ProcessWordWithMatches(word, in.Vars)
	if err != nil || len(res.Unmatched) > 0 {
		return false
	}
	for name := range res.Matched {
		if v, ok := in.Vars.Lookup(name); !ok || !v.HasValue {
			return false
		}
	}
	return true
}

// baseRange locates the image reference in a FROM instruction: the first
// whole word equal to the reference as written (so not a piece of a
// --platform flag or of the stage name); it falls back to the
// instruction's first line.
func baseRange(f *dockerfile.File, st *dockerfile.Stage) loc.Range {
	if st.BaseName == "" {
		return st.From.Start()
	}
	return st.From.LocateFunc(st.BaseName, func(line string, s, e int) bool {
		return (s == 0 || baseIsSpace(line[s-1])) && (e == len(line) || baseIsSpace(line[e]))
	})
}

func baseIsSpace(c byte) bool { return c == ' ' || c == '\t' }

// fromFlagRange locates a `--name=` flag of an instruction, or its first line.
func fromFlagRange(in *dockerfile.Instruction, name string) loc.Range {
	for _, f := range in.Flags {
		k, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if strings.EqualFold(k, name) {
			if r := in.Locate(f); r.EndCol != 0 {
				return r
			}
		}
	}
	return in.Start()
}

// baseImageGlob compiles a pattern of image references: `*` matches any run of
// characters including `/` and `:`, `?` one character.
func baseImageGlob(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range strings.ToLower(strings.TrimSpace(pattern)) {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`^\b$`)
	}
	return re
}

// baseMatches reports whether any pattern matches the image, tried
// against its normalised and short names, each with and without its tag
// (docker.io/library/node, node, docker.io/library/node:20, node:20).
func baseMatches(patterns []string, b baseImage) bool {
	if len(patterns) == 0 {
		return false
	}
	forms := []string{b.Name, b.Familiar}
	if b.Tag != "" {
		forms = append(forms, b.Name+":"+b.Tag, b.Familiar+":"+b.Tag)
	}
	if b.Official != "" && b.Domain != "docker.io" {
		forms = append(forms, b.Official)
		if b.Tag != "" {
			forms = append(forms, b.Official+":"+b.Tag)
		}
	}
	for _, p := range patterns {
		re := baseImageGlob(p)
		for _, f := range forms {
			if re.MatchString(strings.ToLower(f)) {
				return true
			}
		}
	}
	return false
}
