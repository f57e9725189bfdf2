package rule

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Finding is one reported problem, of any input kind (Dockerfile, build
// context, runtime, image, vulnerability), before output formatting. Every
// engine produces this one shape, so that post-processing, storage and
// every output format treat all findings alike.
type Finding struct {
	RuleID   string
	Severity Severity
	Message  string
	// Remedy is a one-line remedy; it defaults to the first sentence of the
	// rule's Fix.
	Remedy string
	// Location is where the finding is: a source file range, an image
	// layer and path, a container.
	Location
	// Suppression is set when an ignore pragma or config entry covers the
	// finding; suppressed findings are kept for SARIF and JSON.
	Suppression *Suppression
	// Snippet is the source line the finding points at, when known.
	Snippet string
	// Vuln describes a vulnerability finding (affected package, advisory,
	// fix); nil for rule findings.
	Vuln *Vulnerability
	// Fixes are machine-applicable repairs, each a set of byte-range edits;
	// empty when the finding has none.
	Fixes []Fix
	// Related are the weaker findings this one subsumes (the same problem
	// seen by another rule), kept for the reader rather than reported
	// apart.
	Related []Related
	// Subject names what the finding is about when that is not where it is
	// located, for Subsumption with SameSubject: findings of one file with
	// the same Subject describe one problem. It is not part of the
	// finding's identity and is not reported.
	Subject string
	// Scope and Token are the finding's identity inside its file, from
	// which its fingerprint is made: the stage or service it belongs to,
	// and the normalised offending text. A rule may set Token when the
	// text of its range is not what identifies the finding; the engine
	// fills what is left empty.
	Scope, Token string
	// Fingerprint identifies the finding across runs; the engine sets it
	// once all findings of a run are known (see AssignFingerprints).
	Fingerprint string
}

// Location is where a finding is. A source finding has File and Range; an
// image finding Image (and File naming the image or SBOM document); a
// finding about a running container Container. Several may be set: an
// image finding attached to the Dockerfile line that made its layer, a
// container finding at the compose line that set the value.
type Location struct {
	File  string
	Range loc.Range
	// Image locates a finding inside an image (docs/contract.md: image, layer
	// digest, layer index, history instruction, path); nil otherwise.
	Image *ImageLocation
	// Container locates a finding at a container or compose service; nil
	// otherwise.
	Container *ContainerLocation
}

// Related is a weaker finding folded into a stronger one.
type Related struct {
	RuleID  string
	Message string
	Location
	// Fixes are the folded finding's own repairs, kept so that `fix`
	// still applies them under that finding's rule.
	Fixes []Fix
}

// ImageLocation is where in an image a finding is.
type ImageLocation struct {
	Image       string `json:"image"`
	LayerDigest string `json:"layerDigest,omitempty"`
	LayerIndex  int    `json:"layerIndex"`
	Instruction string `json:"instruction,omitempty"`
	Path        string `json:"path,omitempty"`
	// Line is the line in the file at Path the finding is about (a secret
	// on line 2), 0 when it is about the whole file.
	Line int `json:"line,omitempty"`
}

// ContainerLocation names a container (live or described by inspect
// output) or a compose service.
type ContainerLocation struct {
	Name        string `json:"name,omitempty"`
	ID          string `json:"id,omitempty"`
	ImageDigest string `json:"imageDigest,omitempty"`
	Project     string `json:"project,omitempty"`
	Service     string `json:"service,omitempty"`
}

// Vulnerability is what a vulnerability finding carries besides its
// location: the affected package as installed, the advisory, and the fix.
// Vulnerabilities are not registry rules; the finding's RuleID is the
// advisory id.
type Vulnerability struct {
	// Package and Version are the affected package as installed;
	// SourcePackage the distribution source package it was built from
	// (openssl for libssl3), so that an ignore entry may name either.
	Package       string
	Version       string
	SourcePackage string
	// Aliases are the advisory's other ids (CVE for a GHSA, say).
	Aliases []string
	Summary string
	// HelpURI is the advisory's first reference, else its osv.dev page.
	HelpURI string
	// Score is the CVSS base score, 0 when unknown.
	Score float64
	// SeverityFrom says where the severity came from when it is not the
	// advisory's own (another feed's record of the same vulnerability).
	SeverityFrom string
	// FixState is "fixed", "not-fixed", "wont-fix" or "not-affected".
	FixState     string
	FixedVersion string
}

// FixLevel says how far a fix may change behaviour: a safe fix leaves the
// built image behaving the same, a review fix may change it (the diff says
// how), a suggestion is shown and never applied.
type FixLevel string

// The fix levels, from the most to the least certain.
const (
	FixSafe    FixLevel = "safe"
	FixReview  FixLevel = "review"
	FixSuggest FixLevel = "suggest"
)

// Fix is one machine-applicable repair of a finding. A fix without edits
// is shown, never applied: a suggestion the rule cannot write for the
// user (split the build into stages), or, with Refused set, the reason a
// rule that repairs this kind of finding left this one alone (the change
// would not be safe here), so that `fix` can say why instead of staying
// silent.
type Fix struct {
	Title string
	Level FixLevel
	Edits []Edit
	// Refused, when not empty, says why the rule made no edits for this
	// finding although it has a fix for its kind (a compose service whose
	// keys come from an alias, a service defined in another file): `fix`
	// reports it instead of staying silent, and Edits is empty.
	Refused string
}

// Edit replaces the bytes [Start, End) of File with New; Start == End
// inserts. Offsets count bytes from the start of the file as read. A rule
// may give Range (line and columns, end exclusive) instead of offsets: the
// engine turns it into offsets from the source it read. File "" is the
// finding's own file. An edit of a file that does not exist creates it
// with New (a .dockerignore beside a Dockerfile).
type Edit struct {
	File       string
	Range      loc.Range
	Start, End int
	New        string
}

// same reports whether two fixes make the same edits.
func (x Fix) same(y Fix) bool {
	return x.Title == y.Title && x.Level == y.Level && x.Refused == y.Refused && slices.Equal(x.Edits, y.Edits)
}

// Suppression records why a finding is not counted.
type Suppression struct {
	// Kind is "inline", "file", "config", or the foreign tool whose pragma
	// matched (hadolint, trivy, checkov, buildkit).
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
	Line          int    `json:"line,omitempty"`
}

// AssignFingerprints gives every finding of one run its fingerprint: a
// hash of the rule, the file's path as rel returns it (repository-relative),
// the scope (stage or service), the normalised token, and the occurrence
// number of that combination in the run's order. It never hashes the line,
// the column or the message, so a fingerprint stays put when unrelated
// lines are added above the finding or a message's wording changes, and
// the occurrence number keeps fingerprints unique within the run. An image
// finding hashes its path inside the image instead of the file (the image
// reference changes with every tag). fs must be sorted (Sort). rel is
// called from several goroutines at once.
func AssignFingerprints(fs []Finding, rel func(file string) string) {
	type key struct{ rule, path, scope, token string }
	// The keys, then the hashes, are found in parts, one per core; only
	// the occurrence numbers, which depend on the order, take one pass.
	parts := max(1, min(runtime.GOMAXPROCS(0), len(fs)/minFingerprintPart))
	inParts := func(do func(lo, hi int)) {
		var wg sync.WaitGroup
		for p := range parts - 1 {
			wg.Go(func() { do(p*len(fs)/parts, (p+1)*len(fs)/parts) })
		}
		do((parts-1)*len(fs)/parts, len(fs))
		wg.Wait()
	}
	keys := make([]key, len(fs))
	inParts(func(lo, hi int) {
		for i := lo; i < hi; i++ {
			f := &fs[i]
			k := key{rule: f.RuleID, scope: f.Scope, token: normalizeToken(f.Token)}
			if f.Image != nil {
				k.path = "image:" + f.Image.Path
			} else {
				k.path = rel(f.File)
			}
			keys[i] = k
		}
	})
	occurrence := make([]int, len(fs))
	seen := make(map[key]int, len(fs))
	for i := range keys {
		n := seen[keys[i]] + 1
		seen[keys[i]] = n
		occurrence[i] = n
	}
	inParts(func(lo, hi int) {
		// One hash and one buffer for each part; the bytes hashed are as
		// they were: each part of the key followed by a NUL.
		h := sha256.New()
		var buf []byte
		var sum [sha256.Size]byte
		for i := lo; i < hi; i++ {
			k := &keys[i]
			buf = buf[:0]
			for _, part := range [...]string{"v2", k.rule, k.path, k.scope, k.token} {
				buf = append(buf, part...)
				buf = append(buf, 0)
			}
			buf = strconv.AppendInt(buf, int64(occurrence[i]), 10)
			buf = append(buf, 0)
			h.Reset()
			h.Write(buf)
			fs[i].Fingerprint = hex.EncodeToString(h.Sum(sum[:0])[:16])
		}
	})
}

// minFingerprintPart is the fewest findings worth a goroutine of their
// own (about a microsecond each).
const minFingerprintPart = 2048

// normalizeToken collapses whitespace, so that re-indenting a line or
// re-wrapping a continuation does not change a fingerprint.
func normalizeToken(s string) string {
	// Most tokens are normal already: ASCII with single spaces between
	// words. Return those as they are; anything else takes the long way.
	normal := true
	for i := 0; i < len(s) && normal; i++ {
		switch c := s[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			normal = false
		case c == ' ':
			normal = i > 0 && i < len(s)-1 && s[i-1] != ' '
		}
	}
	if normal {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// imageKey returns an image finding's layer and path; other findings sort
// before an image's layers and have no path.
func (f *Finding) imageKey() (int, string) {
	if f.Image == nil {
		return -2, ""
	}
	return f.Image.LayerIndex, f.Image.Path
}

// vulnPackage is a vulnerability finding's package, "" for rule findings.
func (f *Finding) vulnPackage() string {
	if f.Vuln == nil {
		return ""
	}
	return f.Vuln.Package
}

// Sort orders findings by file, line, column, then (for image findings)
// layer and path, so that an image reads from its configuration and base
// layer upwards, then by vulnerable package (so that one package's
// advisories stand together), rule and message.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		la, pa := a.imageKey()
		lb, pb := b.imageKey()
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Range.Line, b.Range.Line),
			cmp.Compare(a.Range.Col, b.Range.Col), cmp.Compare(la, lb), cmp.Compare(pa, pb),
			cmp.Compare(a.vulnPackage(), b.vulnPackage()), cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Message, b.Message))
	})
}

// Dedupe drops findings identical in rule, place (file, line, column, image
// layer and path) and message: a file reached twice, or one problem found
// through two routes, is reported once.
func Dedupe(fs []Finding) []Finding {
	type key struct {
		id, file, msg, path string
		line, col, layer    int
	}
	seen := map[key]int{}
	out := fs[:0]
	for _, f := range fs {
		layer, path := f.imageKey()
		k := key{f.RuleID, f.File, f.Message, path, f.Range.Line, f.Range.Col, layer}
		if i, ok := seen[k]; ok {
			// The same words about two commands of one instruction
			// (`apt install` twice in a RUN) are one finding, but each
			// command's repair is kept.
			for _, fx := range f.Fixes {
				if !slices.ContainsFunc(out[i].Fixes, fx.same) {
					out[i].Fixes = append(out[i].Fixes, fx)
				}
			}
			continue
		}
		seen[k] = len(out)
		out = append(out, f)
	}
	return out
}
