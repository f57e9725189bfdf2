package vuln

import (
	"fmt"

	"github.com/openvex/go-vex/pkg/vex"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// VEX holds OpenVEX documents (github.com/openvex/go-vex) whose
// not_affected statements mark results FixStateNotAffected.
type VEX struct {
	docs []*vex.VEX
}

// LoadVEX reads OpenVEX documents (JSON or YAML).
func LoadVEX(paths ...string) (*VEX, error) {
	v := &VEX{}
	for _, p := range paths {
		doc, err := vex.Open(p)
		if err != nil {
			return nil, fmt.Errorf("VEX %s: %w", p, err)
		}
		v.docs = append(v.docs, doc)
	}
	return v, nil
}

// NotAffected returns the Options.NotAffected hook: a result is not
// affected when the effective (latest) statement about its advisory id,
// or any alias, for the package's purl says not_affected — the purl as
// the product, or as a subcomponent of product (the image reference or
// digest) when product is not empty.
func (v *VEX) NotAffected(product string) func(id string, aliases []string, pkg sbom.Package) bool {
	return func(id string, aliases []string, pkg sbom.Package) bool {
		if v == nil || pkg.PURL == "" {
			return false
		}
		for _, doc := range v.docs {
			for _, vid := range append([]string{id}, aliases...) {
				var stmts []vex.Statement
				if s := doc.EffectiveStatement(pkg.PURL, vid); s != nil {
					stmts = append(stmts, *s)
				}
				if product != "" {
					stmts = append(stmts, doc.Matches(vid, product, []string{pkg.PURL})...)
				}
				if len(stmts) > 0 && stmts[len(stmts)-1].Status == vex.StatusNotAffected {
					return true
				}
			}
		}
		return false
	}
}
