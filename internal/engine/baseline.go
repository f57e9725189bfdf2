package engine

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Baseline is the set of findings a team has accepted for now, by
// fingerprint: read from a previous JSON report (`shipshape baseline`
// writes one), so that a run reports only what is new. Fingerprints stay put
// when unrelated lines move, so an accepted finding stays accepted until
// its own text changes.
type Baseline struct {
	// Source is the file the baseline was read from, for messages.
	Source       string
	fingerprints map[string]bool
}

// ReadBaseline reads a shipshape JSON report as a baseline. A report of
// schema 1.x is refused: its fingerprints hash other things and would
// silently accept nothing (or the wrong findings).
func ReadBaseline(name string, r io.Reader) (*Baseline, error) {
	var doc struct {
		SchemaVersion string `json:"schemaVersion"`
		Findings      []struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("baseline %s: not a shipshape JSON report: %w", name, err)
	}
	major, _, _ := strings.Cut(doc.SchemaVersion, ".")
	if major != "2" {
		return nil, fmt.Errorf("baseline %s: schemaVersion %q; fingerprints changed in 2.0.0, so write it again with `shipshape baseline`", name, doc.SchemaVersion)
	}
	b := &Baseline{Source: name, fingerprints: map[string]bool{}}
	for _, f := range doc.Findings {
		if f.Fingerprint != "" {
			b.fingerprints[f.Fingerprint] = true
		}
	}
	return b, nil
}

// Len is how many findings the baseline accepts.
func (b *Baseline) Len() int { return len(b.fingerprints) }

// Apply marks the findings the baseline holds as suppressed (kind
// "baseline"): they stay in JSON and SARIF, marked, and do not count
// toward the gate. It returns how many it marked.
func (b *Baseline) Apply(fs []rule.Finding) int {
	if b == nil {
		return 0
	}
	n := 0
	for i := range fs {
		if fs[i].Suppression == nil && b.fingerprints[fs[i].Fingerprint] {
			fs[i].Suppression = &rule.Suppression{Kind: "baseline", Justification: "accepted in the baseline " + b.Source}
			n++
		}
	}
	return n
}
