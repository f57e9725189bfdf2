package harden

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Verification compares the image findings of the original and the
// hardened image.
type Verification struct {
	// Before and After are the findings of each image.
	Before, After []rule.Finding
	// Fixed are findings the plan targeted that are gone; Remaining those
	// it targeted that are still there; New those of the hardened image
	// that the original did not have.
	Fixed, Remaining, New []rule.Finding
}

// OK is true when every targeted finding is gone and none is new.
func (v *Verification) OK() bool { return len(v.Remaining) == 0 && len(v.New) == 0 }

// findingKey identifies a finding across the two images: its rule and the
// path it is about. Layer indices and digests differ between the two
// images by design, and IM1301 reports one finding per image whatever its
// largest path is.
func findingKey(f rule.Finding) string {
	if f.RuleID == "IM1301" || f.Image == nil {
		return f.RuleID
	}
	return f.RuleID + "\x00" + f.Image.Path
}

// Compare decides, for each finding of the original, whether the plan
// targeted it, and sorts the findings of the hardened image into fixed,
// remaining and new.
func Compare(plan *Plan, before, after []rule.Finding) *Verification {
	v := &Verification{Before: before, After: after}
	afterKeys := map[string]bool{}
	for _, f := range after {
		afterKeys[findingKey(f)] = true
	}
	beforeKeys := map[string]bool{}
	for _, f := range before {
		k := findingKey(f)
		beforeKeys[k] = true
		if !targets(plan, f) {
			continue
		}
		if afterKeys[k] {
			v.Remaining = append(v.Remaining, f)
		} else {
			v.Fixed = append(v.Fixed, f)
		}
	}
	for _, f := range after {
		if !beforeKeys[findingKey(f)] {
			v.New = append(v.New, f)
		}
	}
	return v
}

// targets reports whether the plan sets out to remove finding f.
func targets(plan *Plan, f rule.Finding) bool {
	p := ""
	if f.Image != nil {
		p = f.Image.Path
	}
	for _, c := range plan.Changes {
		switch {
		case f.RuleID == "IM1200" && c.Kind == StripSetuid && c.Path == p,
			f.RuleID == "IM1300" && c.Kind == RemoveCache && p != "" && strings.HasPrefix(c.Path, p+"/"),
			f.RuleID == "IM1301" && c.Kind == DropShadowed,
			f.RuleID == "IM1000" && c.Kind == SetUser,
			f.RuleID == "IM1202" && c.Kind == RemoveShell,
			f.RuleID == "IM1203" && c.Kind == RemovePackageManager:
			return true
		}
	}
	return false
}
