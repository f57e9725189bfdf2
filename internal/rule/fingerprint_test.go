package rule

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"testing"
)

// fingerprintFindings is a run's worth of findings: many files, rules
// repeating within a file (so occurrence numbers climb), image findings
// and tokens that need normalising.
func fingerprintFindings(n int) []Finding {
	fs := make([]Finding, n)
	for i := range fs {
		f := &fs[i]
		f.RuleID = fmt.Sprintf("DF%d", 1000+i%7)
		f.File = fmt.Sprintf("repo%d/Dockerfile", i/5)
		f.Scope = "build"
		f.Token = fmt.Sprintf("apt-get  install\tpkg%d", i%3)
		if i%11 == 0 {
			f.Image = &ImageLocation{Path: "/etc/shadow"}
		}
	}
	return fs
}

// TestAssignFingerprintsParts: cut into parts hashed at once, the
// fingerprints are the documented hash (rule, repository-relative path or
// image path, scope, normalised token and occurrence number, each
// followed by a NUL, after "v2"), as one pass gives them.
func TestAssignFingerprintsParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	fs := fingerprintFindings(3*minFingerprintPart + 17)
	AssignFingerprints(fs, func(file string) string { return "rel/" + file })
	seen := map[string]int{}
	for i, f := range fs {
		path := "rel/" + f.File
		if f.Image != nil {
			path = "image:" + f.Image.Path
		}
		token := normalizeToken(f.Token)
		k := f.RuleID + "\x00" + path + "\x00" + f.Scope + "\x00" + token
		seen[k]++
		sum := sha256.Sum256(fmt.Appendf(nil, "v2\x00%s\x00%d\x00", k, seen[k]))
		if want := hex.EncodeToString(sum[:16]); f.Fingerprint != want {
			t.Fatalf("finding %d: fingerprint %s, want %s", i, f.Fingerprint, want)
		}
	}
	if len(seen) == len(fs) {
		t.Fatal("no key repeats: the occurrence numbers were not exercised")
	}
}

// BenchmarkAssignFingerprints fingerprints 10,000 findings, the size of a
// lint of the real-world corpus.
func BenchmarkAssignFingerprints(b *testing.B) {
	fs := fingerprintFindings(10000)
	rel := func(file string) string { return file }
	b.ReportAllocs()
	for b.Loop() {
		AssignFingerprints(fs, rel)
	}
}
