package rule

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Category groups rules for listing and documentation.
type Category string

// Categories used by the rule catalogue.
const (
	CatUser        Category = "user"
	CatBaseImage   Category = "base-image"
	CatMultiStage  Category = "multi-stage"
	CatSecrets     Category = "secrets"
	CatIntegrity   Category = "integrity"
	CatLean        Category = "lean-layers"
	CatCache       Category = "cache"
	CatCorrectness Category = "correctness"
	CatRuntime     Category = "runtime"
	CatMeta        Category = "meta"
)

// Peer names another tool's check that covers the same concept. Tools:
// hadolint, kics (query UUID), trivy (DS-xxxx), checkov (CKV_DOCKER_x),
// buildkit (rule name), cis-docker-1.6.0 (control number).
type Peer struct {
	Tool string `json:"tool"`
	ID   string `json:"id"`
}

// Setting documents one per-rule option readable from .shipshape.yaml.
type Setting struct {
	Name string `json:"name"`
	// Type is one of "bool", "int", "string", "strings".
	Type    string `json:"type"`
	Default any    `json:"default,omitempty"`
	Doc     string `json:"doc"`
}

// Rule is one check. It is declared as a package-level value and never
// mutated after start-up.
type Rule struct {
	ID       string
	Slug     string
	Title    string
	Severity Severity
	Category Category
	// Rationale explains why the practice matters; Fix what to do.
	Rationale string
	Fix       string
	// Bad and Good are short Dockerfile (or YAML) examples.
	Bad, Good  string
	Peers      []Peer
	References []string
	Settings   []Setting
	// Aliases are former IDs that still select this rule.
	Aliases []string
	// Levels are the other severities a finding of this rule carries, and
	// when: a finding carries Severity unless one of these cases says
	// otherwise, so that `shipshape explain` predicts the level of every
	// finding. Rule packages test that their rules emit nothing else.
	Levels []Level
	// Subsumes names weaker rules whose finding, at the same place as one
	// of this rule's, describes the same problem (a pipe to a shell is also
	// a pipe without pipefail; a privileged service also lacks
	// no-new-privileges): the engine keeps this rule's finding and lists
	// the other as related instead of reporting it apart.
	Subsumes []Subsumption
	// Check runs the rule. It returns an error only when the rule could
	// not run; findings go through the Pass.
	Check func(*Pass) error
}

// Level is a severity a rule gives the findings of one case.
type Level struct {
	Severity Severity `json:"severity"`
	When     string   `json:"when"`
}

// Allows reports whether a finding of the rule may carry sev: the rule's
// severity or one of its Levels.
func (r *Rule) Allows(sev Severity) bool {
	if sev == r.Severity {
		return true
	}
	for _, l := range r.Levels {
		if l.Severity == sev {
			return true
		}
	}
	return false
}

// Subsumption names weaker rules and how close their finding must be to
// count as the same problem.
type Subsumption struct {
	IDs  []string
	Same Sameness
}

// Sameness is how close two findings must be to be one problem.
type Sameness int

// The places two findings may share, from the narrowest.
const (
	// SameLine: the same file and line (one FROM, one ENV, one port).
	SameLine Sameness = iota + 1
	// SameInstruction: the same Dockerfile instruction (a RUN over several
	// lines), or the same line where there are no instructions.
	SameInstruction
	// SameScope: the same stage or service (a privileged service and its
	// missing no-new-privileges, located at different keys).
	SameScope
	// SameSubject: the same file and the same Finding.Subject, which rules
	// set when they see one thing from different places (the apt lists one
	// RUN stored, seen at that RUN, at a later install that relies on
	// them, and at a later RUN that deletes them).
	SameSubject
)

// Kind returns the input kind a rule checks, from its ID prefix:
// "dockerfile" (DF), "context" (CX), "runtime" (RT) or "image" (IM).
func (r *Rule) Kind() string {
	switch {
	case strings.HasPrefix(r.ID, "DF"):
		return "dockerfile"
	case strings.HasPrefix(r.ID, "CX"):
		return "context"
	case strings.HasPrefix(r.ID, "RT"):
		return "runtime"
	case strings.HasPrefix(r.ID, "IM"):
		return "image"
	}
	return ""
}

// HelpURI is where a rule's documentation is published.
func (r *Rule) HelpURI() string {
	return "https://github.com/shipshape-sec/shipshape/blob/main/docs/rules/" + r.ID + ".md"
}

// PeerIDs returns the IDs this rule declares for a tool.
func (r *Rule) PeerIDs(tool string) []string {
	var out []string
	for _, p := range r.Peers {
		if p.Tool == tool {
			out = append(out, p.ID)
		}
	}
	return out
}

// Setting returns the declaration of a named setting.
func (r *Rule) Setting(name string) (Setting, bool) {
	for _, s := range r.Settings {
		if s.Name == name {
			return s, true
		}
	}
	return Setting{}, false
}

var (
	idPattern   = regexp.MustCompile(`^(DF|CX|RT|IM)1\d{3}$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	knownTools  = map[string]bool{"hadolint": true, "kics": true, "trivy": true, "checkov": true, "buildkit": true, "cis-docker-1.6.0": true, "dockle": true}
)

// Validate checks that a rule is complete enough to ship.
func (r *Rule) Validate() error {
	var probs []string
	if !idPattern.MatchString(r.ID) {
		probs = append(probs, "id must look like DF1xxx, CX1xxx, RT1xxx or IM1xxx")
	}
	if !slugPattern.MatchString(r.Slug) {
		probs = append(probs, "slug must be kebab-case")
	}
	if r.Title == "" || len(r.Title) > 60 || strings.HasSuffix(r.Title, ".") {
		probs = append(probs, "title must be 1-60 characters without a trailing period")
	}
	if _, ok := severityNames[r.Severity]; !ok || r.Severity == Unknown {
		probs = append(probs, "severity must be critical, high, medium, low or info")
	}
	if r.Category == "" {
		probs = append(probs, "category missing")
	}
	if len(r.Rationale) < 40 {
		probs = append(probs, "rationale missing or too short")
	}
	if r.Fix == "" {
		probs = append(probs, "fix missing")
	}
	if r.Bad == "" || r.Good == "" {
		probs = append(probs, "bad and good examples required")
	}
	if len(r.References) == 0 {
		probs = append(probs, "at least one reference required")
	}
	if r.Check == nil {
		probs = append(probs, "check function missing")
	}
	for _, p := range r.Peers {
		if !knownTools[p.Tool] || p.ID == "" {
			probs = append(probs, fmt.Sprintf("peer %v: unknown tool or empty id", p))
		}
	}
	for _, l := range r.Levels {
		if _, ok := severityNames[l.Severity]; !ok || l.Severity == Unknown || l.Severity == r.Severity || l.When == "" {
			probs = append(probs, fmt.Sprintf("level %v: a severity other than the rule's, and when it applies", l))
		}
	}
	for _, s := range r.Settings {
		switch s.Type {
		case "bool", "int", "string", "strings":
		default:
			probs = append(probs, fmt.Sprintf("setting %s: unknown type %q", s.Name, s.Type))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("rule %s: %s", r.ID, strings.Join(probs, "; "))
	}
	return nil
}

// Registry is an immutable, ID-sorted set of rules.
type Registry struct {
	rules []*Rule
	byID  map[string]*Rule
}

// NewRegistry validates the rules and indexes them. IDs and aliases must be
// unique and the slice must already be sorted by ID, so that the source
// listing reads in the same order as the output.
func NewRegistry(rules ...*Rule) (*Registry, error) {
	reg := &Registry{byID: map[string]*Rule{}}
	var errs []string
	for i, r := range rules {
		if err := r.Validate(); err != nil {
			errs = append(errs, err.Error())
		}
		if i > 0 && rules[i-1].ID >= r.ID {
			errs = append(errs, fmt.Sprintf("rule %s listed after %s: keep the registry sorted", r.ID, rules[i-1].ID))
		}
		for _, id := range append([]string{r.ID}, r.Aliases...) {
			if _, dup := reg.byID[id]; dup {
				errs = append(errs, "duplicate rule id "+id)
			}
			reg.byID[id] = r
		}
		reg.rules = append(reg.rules, r)
	}
	if len(errs) == 0 {
		errs = checkSubsumptions(reg)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid rule registry:\n  %s", strings.Join(errs, "\n  "))
	}
	return reg, nil
}

// MustRegistry is NewRegistry for static rule lists checked by tests.
func MustRegistry(rules ...*Rule) *Registry {
	r, err := NewRegistry(rules...)
	if err != nil {
		panic(err)
	}
	return r
}

// Merge combines registries (for example Dockerfile and runtime rules).
func Merge(regs ...*Registry) (*Registry, error) {
	var all []*Rule
	for _, r := range regs {
		all = append(all, r.rules...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return NewRegistry(all...)
}

// All returns the rules sorted by ID.
func (g *Registry) All() []*Rule { return append([]*Rule(nil), g.rules...) }

// Rules is All without the copy, for the engine, which ranges over every
// rule for every input: the slice is the registry's own and must not be
// changed (a registry does not change once made).
func (g *Registry) Rules() []*Rule { return g.rules }

// Get returns a rule by ID or alias, case-insensitively.
func (g *Registry) Get(id string) (*Rule, bool) {
	r, ok := g.byID[strings.ToUpper(strings.TrimSpace(id))]
	return r, ok
}

// ByPeer returns the rules that declare a peer check, comparing IDs
// case-insensitively and ignoring Trivy's AVD- prefix.
func (g *Registry) ByPeer(tool, id string) []*Rule {
	norm := func(s string) string {
		s = strings.ToUpper(strings.TrimSpace(s))
		return strings.TrimPrefix(s, "AVD-")
	}
	want := norm(id)
	var out []*Rule
	for _, r := range g.rules {
		for _, p := range r.Peers {
			if p.Tool == tool && (norm(p.ID) == want || (tool == "trivy" && strings.ReplaceAll(norm(p.ID), "-0", "") == strings.ReplaceAll(want, "-0", ""))) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}
