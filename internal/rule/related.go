package rule

import (
	"fmt"
	"slices"
)

// FoldRelated keeps one finding per problem: a finding whose rule subsumes
// another rule's finding at the same place (Rule.Subsumes) takes that
// finding into its Related list, and the weaker one is no longer reported
// apart. Suppressed findings neither fold nor are folded, so a suppression
// keeps meaning what it says. instruction, when not nil, returns the first
// and last line of the instruction a line belongs to (Dockerfiles);
// without it SameInstruction means the same line. fs must be sorted.
func FoldRelated(fs []Finding, reg *Registry, instruction func(file string, line int) (int, int)) []Finding {
	folded := make([]bool, len(fs))
	byFile := map[string][]int{}
	for i, f := range fs {
		byFile[f.File] = append(byFile[f.File], i)
	}
	for i := range fs {
		s := &fs[i]
		r, ok := reg.Get(s.RuleID)
		if !ok || len(r.Subsumes) == 0 || s.Suppression != nil || folded[i] {
			continue
		}
		for _, sub := range r.Subsumes {
			for _, j := range byFile[s.File] {
				w := &fs[j]
				if j == i || folded[j] || w.Suppression != nil || !slices.Contains(sub.IDs, w.RuleID) {
					continue
				}
				if !samePlace(s, w, sub.Same, instruction) {
					continue
				}
				folded[j] = true
				s.Related = append(s.Related, Related{RuleID: w.RuleID, Message: w.Message, Location: w.Location, Fixes: w.Fixes})
				// What the weaker finding had folded comes along.
				s.Related = append(s.Related, w.Related...)
				w.Related = nil
			}
		}
	}
	out := fs[:0]
	for i, f := range fs {
		if !folded[i] {
			out = append(out, f)
		}
	}
	return out
}

// samePlace reports whether two findings of one file are at the same place
// in the sense given.
func samePlace(a, b *Finding, same Sameness, instruction func(string, int) (int, int)) bool {
	switch same {
	case SameScope:
		return a.Scope != "" && a.Scope == b.Scope
	case SameSubject:
		return a.Subject != "" && a.Subject == b.Subject
	case SameInstruction:
		if instruction != nil {
			as, ae := instruction(a.File, a.Range.Line)
			bs, be := instruction(b.File, b.Range.Line)
			return as > 0 && as == bs && ae == be
		}
	}
	return a.Range.Line == b.Range.Line
}

// checkSubsumptions validates the Subsumes declarations of a registry: the
// rules named exist, a rule does not subsume itself, and no two rules
// subsume each other.
func checkSubsumptions(reg *Registry) []string {
	var errs []string
	for _, r := range reg.rules {
		for _, sub := range r.Subsumes {
			if sub.Same < SameLine || sub.Same > SameSubject {
				errs = append(errs, fmt.Sprintf("rule %s: subsumption without a sameness", r.ID))
			}
			for _, id := range sub.IDs {
				w, ok := reg.byID[id]
				switch {
				case !ok:
					errs = append(errs, fmt.Sprintf("rule %s subsumes unknown rule %s", r.ID, id))
				case w == r:
					errs = append(errs, fmt.Sprintf("rule %s subsumes itself", r.ID))
				case w.subsumes(r.ID):
					errs = append(errs, fmt.Sprintf("rules %s and %s subsume each other", r.ID, w.ID))
				}
			}
		}
	}
	return errs
}

func (r *Rule) subsumes(id string) bool {
	for _, sub := range r.Subsumes {
		if slices.Contains(sub.IDs, id) {
			return true
		}
	}
	return false
}

// WithRelated returns fs followed by every related finding folded into
// them, as findings of their own rules: what each rule detected, whatever
// the report shows apart. Rule fixtures and seeds judge detection this
// way; FoldRelated is judged on its own.
func WithRelated(fs []Finding) []Finding {
	out := append([]Finding(nil), fs...)
	for _, f := range fs {
		for _, r := range f.Related {
			out = append(out, Finding{RuleID: r.RuleID, Severity: f.Severity, Message: r.Message, Location: r.Location, Suppression: f.Suppression})
		}
	}
	return out
}
