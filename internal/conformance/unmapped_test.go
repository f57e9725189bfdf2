package conformance

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// unmappedEntry is one record of unmapped.yaml.
type unmappedEntry struct {
	Tool   string `yaml:"tool"`
	ID     string `yaml:"id"`
	Reason string `yaml:"reason"`
}

// allPeerChecks returns every peer check the mapping must account for:
// KICS Dockerfile queries, Trivy, Checkov, hadolint and BuildKit.
func allPeerChecks(t *testing.T, dir string) []corpus.Check {
	t.Helper()
	var out []corpus.Check
	kq, err := corpus.KICSQueries(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range kq {
		if q.Platform == "dockerfile" {
			out = append(out, q)
		}
	}
	for _, load := range []func(string) ([]corpus.Check, error){
		corpus.TrivyChecks, corpus.CheckovChecks, corpus.HadolintRules, corpus.BuildKitRules,
	} {
		cs, err := load(dir)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cs...)
	}
	return out
}

func checkKey(tool, id string) string {
	return tool + " " + strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(id)), "AVD-")
}

// TestUnmappedPeers checks that every peer check is either mapped by a rule
// or listed in unmapped.yaml with a reason, and not both.
func TestUnmappedPeers(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := registry(t)
	data, err := os.ReadFile("unmapped.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var entries []unmappedEntry
	if err := yaml.Unmarshal(data, &entries); err != nil {
		t.Fatalf("unmapped.yaml: %v", err)
	}
	listed := map[string]unmappedEntry{}
	for _, e := range entries {
		k := checkKey(e.Tool, e.ID)
		if _, dup := listed[k]; dup {
			t.Errorf("unmapped.yaml: %s %s listed twice", e.Tool, e.ID)
		}
		if strings.TrimSpace(e.Reason) == "" {
			t.Errorf("unmapped.yaml: %s %s has no reason", e.Tool, e.ID)
		}
		listed[k] = e
	}

	known := map[string]bool{}
	var missing []string
	for _, c := range allPeerChecks(t, dir) {
		k := checkKey(c.Tool, c.ID)
		known[k] = true
		mapped := len(reg.ByPeer(c.Tool, c.ID)) > 0
		_, isListed := listed[k]
		switch {
		case mapped && isListed:
			var ids []string
			for _, r := range reg.ByPeer(c.Tool, c.ID) {
				ids = append(ids, r.ID)
			}
			t.Errorf("unmapped.yaml: stale entry %s %s (%s): %s now declare(s) it as a peer; remove the entry",
				c.Tool, c.ID, c.Title, strings.Join(ids, ", "))
		case !mapped && !isListed:
			missing = append(missing, c.Tool+" "+c.ID+" ("+c.Title+")")
		}
	}
	for _, m := range missing {
		t.Errorf("peer check %s is neither a rule's peer nor listed in unmapped.yaml with a reason", m)
	}
	// KICS compose queries and CIS section 5 controls are accounted for
	// by TestRuntimeUnmapped (compose_test.go).
	for _, c := range runtimePeerChecks(t, dir) {
		known[checkKey(c.Tool, c.ID)] = true
	}
	for k, e := range listed {
		if !known[k] {
			t.Errorf("unmapped.yaml: %s %s names no known peer check", e.Tool, e.ID)
		}
	}
}

// TestPeerIDsExist checks that every peer a rule declares names a real
// check of that tool, so that a typo cannot silently drop a rule out of
// conformance and foreign-pragma matching.
func TestPeerIDsExist(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := registry(t)
	known := map[string]bool{}
	for _, c := range allPeerChecks(t, dir) {
		known[checkKey(c.Tool, c.ID)] = true
	}
	// Compose queries and CIS controls are valid peers too, though outside
	// the Dockerfile mapping.
	kq, err := corpus.KICSQueries(dir)
	if err != nil {
		t.Fatal(err)
	}
	cis, err := corpus.CISControls(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append(kq, cis...) {
		known[checkKey(c.Tool, c.ID)] = true
	}
	for _, r := range reg.All() {
		for _, p := range r.Peers {
			switch p.Tool {
			case "kics", "trivy", "checkov", "hadolint", "buildkit", "cis-docker-1.6.0":
				if !known[checkKey(p.Tool, p.ID)] {
					t.Errorf("%s declares peer %s %q, which is not in the peer catalogues under corpus/", r.ID, p.Tool, p.ID)
				}
			}
		}
	}
}
