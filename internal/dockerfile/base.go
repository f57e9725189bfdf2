package dockerfile

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/distribution/reference"

	"github.com/shipshape-sec/shipshape/internal/basefamily"
)

// BaseImage is the external image a stage starts from, its reference
// parsed and normalised the way Docker does (node becomes
// docker.io/library/node).
type BaseImage struct {
	Stage *Stage
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

// Image returns the external image the stage is built FROM. It says false
// for scratch, for an earlier stage, and for references that stay dynamic
// after build arguments are applied (an ARG without a value, an unknown
// variable), so that rules report nothing rather than guess.
func (s *Stage) Image() (BaseImage, bool) {
	if s == nil || s.BaseStage != nil || s.From == nil {
		return BaseImage{}, false
	}
	ref := strings.TrimSpace(s.Base)
	if ref == "" || strings.EqualFold(ref, "scratch") || strings.ContainsAny(ref, "$") {
		return BaseImage{}, false
	}
	if strings.Contains(s.BaseName, "$") && !s.From.resolved(s.BaseName) {
		return BaseImage{}, false
	}
	named := s.BaseRef
	if named == nil {
		return BaseImage{}, false
	}
	b := BaseImage{
		Stage: s, Ref: ref, Named: named,
		Name: named.Name(), Familiar: reference.FamiliarName(named),
		Domain: reference.Domain(named), Path: reference.Path(named),
	}
	if t, ok := named.(reference.Tagged); ok {
		b.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		b.Digest = d.Digest().String()
	}
	b.Official = basefamily.Official(b.Domain, b.Path)
	return b, true
}

// resolved reports whether every variable in word has a value in the
// instruction's scope (an ARG declared without a default and without a
// --build-arg has none).
func (in *Instruction) resolved(word string) bool {
	lex := getLex(in.file.Escape)
	defer putLex(in.file.Escape, lex)
	res, err := lex.ProcessWordWithMatches(word, in.Vars)
	if err != nil || len(res.Unmatched) > 0 {
		return false
	}
	for name := range res.Matched {
		if _, ok := in.Vars.Value(name); !ok {
			return false
		}
	}
	return true
}

// ImagePattern compiles a pattern of image references, compared in lower
// case: `*` matches any run of characters including `/` and `:`, `?` one
// character.
func ImagePattern(pattern string) *regexp.Regexp {
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

// Matches reports whether any of the patterns (see ImagePattern) matches
// the image, tried against its normalised and short names, each with and
// without its tag (docker.io/library/node, node, docker.io/library/node:20,
// node:20), and for a mirror of an official image its official name.
func (b BaseImage) Matches(patterns []string) bool {
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
	for i, f := range forms {
		forms[i] = strings.ToLower(f)
	}
	for _, p := range patterns {
		for _, f := range forms {
			if MatchImagePattern(p, f) {
				return true
			}
		}
	}
	return false
}

// MatchImagePattern reports whether s matches pattern, as
// ImagePattern(pattern).MatchString(s) does, without compiling a regular
// expression: rules match every base image against a list of patterns, and
// compiling each pattern for each stage cost more than all other checks of
// a stage together. Like the compiled form, it compares runes (an invalid
// UTF-8 byte is U+FFFD), and `*` and `?` never match a newline (such a
// string takes the compiled path, which is the definition).
func MatchImagePattern(pattern, s string) bool {
	pattern = strings.ToLower(strings.TrimSpace(pattern))
	if strings.IndexByte(s, '\n') >= 0 {
		return ImagePattern(pattern).MatchString(s)
	}
	// The classic wildcard matcher: on a mismatch, go back to the last `*`
	// and let it take one more rune. One star remembered is enough,
	// because a later star can take anything an earlier one could.
	px, sx := 0, 0
	starPx, starSx := -1, 0
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			c, cw := utf8.DecodeRuneInString(pattern[px:])
			switch c {
			case '*':
				starPx, starSx = px, sx
				px += cw
				continue
			case '?':
				if sx < len(s) {
					_, w := utf8.DecodeRuneInString(s[sx:])
					px, sx = px+cw, sx+w
					continue
				}
			default:
				if sx < len(s) {
					if r, w := utf8.DecodeRuneInString(s[sx:]); r == c {
						px, sx = px+cw, sx+w
						continue
					}
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			_, w := utf8.DecodeRuneInString(s[starSx:])
			starSx += w
			px, sx = starPx+1, starSx
			continue
		}
		return false
	}
	return true
}
