package recommend

import (
	"fmt"
	"strings"
	"time"

	"github.com/distribution/reference"

	"github.com/shipshape-sec/shipshape/internal/basefamily"
	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Kind of the candidate that moves to a newer release of the same image.
const KindNewerRelease = "newer-release"

// Target is one image to recommend replacements for.
type Target struct {
	// Ref is the reference as given or as the FROM line wrote it.
	Ref string
	// File, Line and Stage locate a Dockerfile's final-stage FROM; empty
	// for an image named on the command line.
	File  string
	Line  int
	Stage string
	// Image is the reference as the family tables see it; Digest is set
	// when the reference pins one.
	Image  basefamily.Image
	Digest string
	// prefix is how candidates of official images are spelt in the
	// target's registry: "" for Docker Hub (node:22-slim), else the
	// mirror's path ("public.ecr.aws/docker/library/").
	prefix string
}

// ParseTarget reads an image reference. Docker Hub's official images are
// recognised under docker.io, the well-known mirrors of its library
// namespace, and the mirrors given for docker.io (see Mirrors).
func ParseTarget(ref string, m Mirrors) (Target, error) {
	r := strings.TrimPrefix(strings.TrimSpace(ref), "registry:")
	named, err := reference.ParseNormalizedNamed(r)
	if err != nil {
		return Target{}, fmt.Errorf("%s: not an image reference: %w", ref, err)
	}
	t := Target{Ref: ref, Image: basefamily.Image{Name: named.Name()}}
	if tg, ok := named.(reference.Tagged); ok {
		t.Image.Tag = tg.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		t.Digest = d.Digest().String()
	}
	domain, path := reference.Domain(named), reference.Path(named)
	t.Image.Official = basefamily.Official(domain, path)
	switch {
	case t.Image.Official != "" && domain != "docker.io":
		t.prefix = strings.TrimSuffix(named.Name(), t.Image.Official)
	case t.Image.Official == "":
		if p, ok := m.hubPath(named.Name()); ok {
			t.Image.Official = basefamily.Official("docker.io", p)
		}
	}
	return t, nil
}

// Candidate is one image to build on instead of the target.
type Candidate struct {
	// Ref is the candidate's reference in the target's registry spelling.
	Ref string `json:"ref"`
	// Kind is newer-release, or what makes a variant leaner: slim,
	// alpine, minimal, micro, jre, runtime, distroless.
	Kind string `json:"kind"`
	// Severity is how strongly the move is advised; the CLI gates on it.
	Severity rule.Severity `json:"severity"`
	// Reasons say why, in the order they apply.
	Reasons []string `json:"reasons"`
	// Note says what the move takes beyond changing FROM.
	Note string `json:"note,omitempty"`

	// The fields below are filled by Compare.

	// Found is false when the registry does not hold the candidate.
	Found *bool `json:"found,omitempty"`
	// Facts are what the registry copy holds.
	Facts *Facts `json:"facts,omitempty"`
	// Fixes and Adds count the vulnerabilities (advisory and package) of
	// the current image the candidate does not have, and the other way.
	Fixes *int `json:"fixes,omitempty"`
	Adds  *int `json:"adds,omitempty"`
	// Recommended is false when the candidate is not in the registry or
	// would add critical or high vulnerabilities (Problem says which);
	// offline every candidate is recommended.
	Recommended bool   `json:"recommended"`
	Problem     string `json:"problem,omitempty"`
	// Best marks the recommended candidate with the fewest critical and
	// high vulnerabilities, then fewest vulnerabilities, then smallest.
	Best bool `json:"best,omitempty"`
}

// Recommendation is the answer for one target.
type Recommendation struct {
	Target Target
	// Family is the repository the tables know the image by ("node",
	// "registry.access.redhat.com/ubi9"), "" when unknown.
	Family string
	// Ended names the releases of the target's tag past end of life
	// ("Node.js 20 reached end of life on 2026-04-30").
	Ended []string
	// Current is the image in use as the registry holds it (Compare).
	Current *Facts
	// Candidates are ordered as the reasons rank them: the newer release
	// first, then its or the current release's leaner variants.
	Candidates []Candidate
	// Note explains an empty or partial answer.
	Note string
}

// Offline lists the candidates for t from the family tables and the
// end-of-life table at now.
//
// When a release the tag names has ended, the newer supported tag and its
// leaner variants are the candidates (at high, the severity of DF1204): a
// slimmer variant of an unsupported release would keep the problem. When
// nothing ended, the candidates are the leaner variants of the same release
// (at DF1203's medium, low for an operating system's own slim image) and
// the newer release whose support lasts longest (at low).
func Offline(t Target, table *eol.Table, now time.Time) Recommendation {
	rec := Recommendation{Target: t}
	img := t.Image
	switch {
	case img.Official != "" && (basefamily.Knows(img) || eol.ImageProduct(img.Official) != ""):
		rec.Family = img.Official
	case img.Official == "" && basefamily.Knows(img):
		rec.Family = img.Name
	}
	var ended []eol.Cycle
	own := eol.ImageProduct(img.Official)
	var ownCycle *eol.Cycle
	if img.Official != "" {
		for _, c := range table.Image(img.Official, img.Tag) {
			if c.PastEOL(now) {
				ended = append(ended, c)
				rec.Ended = append(rec.Ended, endedPhrase(c))
			} else if c.Product == own {
				ownCycle = &c
			}
		}
	}
	seen := map[string]bool{t.Ref: true, t.candidateRef(basefamily.Variant{Official: img.Official, Tag: img.Tag}): true}
	add := func(c Candidate) {
		if seen[c.Ref] {
			return
		}
		seen[c.Ref] = true
		c.Recommended = true
		rec.Candidates = append(rec.Candidates, c)
	}
	leaner := func(tag string, sev rule.Severity, prefix []string) {
		l, ok := basefamily.LeanerOf(basefamily.Image{Official: img.Official, Name: img.Name, Tag: tag})
		if !ok {
			return
		}
		for _, v := range l.Variants {
			if v.Official != "" && pastEOL(table, v.Official, v.Tag, now) {
				continue
			}
			s := sev
			if s == 0 {
				s = rule.Medium
				if l.OS {
					s = rule.Low
				}
			}
			add(Candidate{Ref: t.candidateRef(v), Kind: v.Kind, Severity: s,
				Reasons: append(append([]string(nil), prefix...), leanerReason(v, l.OS)), Note: v.Note})
		}
	}
	if len(ended) > 0 {
		up, ok := basefamily.UpgradeTag(table, img.Official, img.Tag, now, ended)
		if ok {
			reasons := movedReasons(up)
			add(Candidate{Ref: t.candidateRef(basefamily.Variant{Official: img.Official, Tag: up.Tag}), Kind: KindNewerRelease,
				Severity: rule.High, Reasons: reasons})
			leaner(up.Tag, rule.High, reasons)
		} else {
			// Variants of another distribution (CentOS to UBI) may still
			// leave the ended release; those of the same release cannot.
			leaner(img.Tag, rule.High, []string{strings.Join(rec.Ended, "; ")})
		}
		if len(rec.Candidates) == 0 {
			rec.Note = strings.Join(rec.Ended, "; ") + ", and no supported tag of the same image is known: move to another image by hand"
		}
		return rec
	}
	leaner(img.Tag, 0, nil)
	if ownCycle != nil {
		if up, ok := basefamily.UpgradeTag(table, img.Official, img.Tag, now, []eol.Cycle{*ownCycle}); ok {
			add(Candidate{Ref: t.candidateRef(basefamily.Variant{Official: img.Official, Tag: up.Tag}), Kind: KindNewerRelease,
				Severity: rule.Low, Reasons: newerReasons(up)})
		}
	}
	switch {
	case rec.Family == "":
		rec.Note = "no known image family: nothing to recommend"
	case len(rec.Candidates) == 0:
		rec.Note = "already the leanest variant of a supported release the tables know"
	}
	return rec
}

// candidateRef spells a variant in the target's registry: official
// images stay in the target's mirror of Docker Hub.
func (t Target) candidateRef(v basefamily.Variant) string {
	if v.Official != "" && t.prefix != "" {
		r := t.prefix + v.Official
		if v.Tag != "" {
			r += ":" + v.Tag
		}
		return r
	}
	return v.Ref()
}

// pastEOL reports whether an official image's tag names a release that
// ended (node:20-slim when Node.js 20 did).
func pastEOL(table *eol.Table, repo, tag string, now time.Time) bool {
	for _, c := range table.Image(repo, tag) {
		if c.PastEOL(now) {
			return true
		}
	}
	return false
}

func endedPhrase(c eol.Cycle) string {
	if c.EOL.IsZero() {
		return c.String() + " is past end of life"
	}
	return c.String() + " reached end of life on " + c.EOL.Format(time.DateOnly)
}

func supportedPhrase(c eol.Cycle) string {
	if c.EOL.IsZero() {
		return c.String() + " is supported (no end of life announced)"
	}
	return c.String() + " is supported until " + c.EOL.Format(time.DateOnly)
}

// movedReasons explain an upgrade away from ended releases.
func movedReasons(u basefamily.Upgrade) []string {
	var out []string
	for _, m := range u.Moves {
		out = append(out, endedPhrase(m.From)+"; "+supportedPhrase(m.To))
	}
	return out
}

// newerReasons explain an upgrade from a supported release to the one
// supported longest.
func newerReasons(u basefamily.Upgrade) []string {
	var out []string
	for _, m := range u.Moves {
		until := "with no end announced"
		if !m.From.EOL.IsZero() {
			until = "until " + m.From.EOL.Format(time.DateOnly)
		}
		out = append(out, "a newer release: "+supportedPhrase(m.To)+", "+m.From.String()+" "+until)
	}
	return out
}

// leanerReason says what a variant leaves out.
func leanerReason(v basefamily.Variant, os bool) string {
	switch v.Kind {
	case "slim":
		if os {
			return "the slim variant: the same packages without documentation, manual pages and locales"
		}
		return "the slim variant of the same release: no compilers, headers or build tools"
	case "alpine":
		return "the Alpine variant: a base of a few megabytes"
	case "distroless":
		return "distroless: the runtime and its libraries only"
	case "jre":
		return "a Java runtime instead of a full JDK"
	case "minimal", "micro":
		return "the distribution's " + v.Kind + " image: fewer packages and tools"
	case "runtime":
		return "the runtime image without the SDK"
	}
	return "a leaner variant"
}
