package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/rule"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

func fixOpts(t *testing.T, paths ...string) FixOptions {
	t.Helper()
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return FixOptions{Lint: LintOptions{Paths: paths, Rules: reg, Configs: config.NewFinder(reg)}, Level: "safe"}
}

// TestFixKeepsBytesOutsideItsEdits: a safe fix (MAINTAINER to LABEL) on a
// file with CRLF line endings and a byte-order mark changes only the
// instruction, keeps the line endings, and a second run has nothing to do.
func TestFixKeepsBytesOutsideItsEdits(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	src := "\ufeffFROM alpine:3.20\r\n# keep this comment\r\nMAINTAINER Jane \"JD\" Doe <jane@example.com>\r\nRUN echo hi\r\n"
	if err := os.WriteFile(df, []byte(src), 0o640); err != nil {
		t.Fatal(err)
	}
	res, err := Fix(context.Background(), fixOpts(t, df))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || !res.Files[0].Changed() {
		t.Fatalf("files %+v", res.Files)
	}
	ff := res.Files[0]
	want := strings.Replace(src, `MAINTAINER Jane "JD" Doe <jane@example.com>`, `LABEL org.opencontainers.image.authors="Jane \"JD\" Doe <jane@example.com>"`, 1)
	if string(ff.After) != want {
		t.Fatalf("fixed:\n%q\nwant\n%q", ff.After, want)
	}
	if len(ff.Applied) != 1 || ff.Applied[0].RuleID != "DF1804" || ff.Applied[0].Line != 3 {
		t.Errorf("applied %+v", ff.Applied)
	}
	if err := WriteFixed(ff); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(df); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v after the fix, want 0640", st.Mode().Perm())
	}
	again, err := Fix(context.Background(), fixOpts(t, df))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Files {
		if f.Changed() {
			t.Errorf("a second run changes %s again:\n%s", f.Path, f.After)
		}
	}
}

// TestFixOverlapsResolveDeterministically: of two fixes whose edits
// overlap, the first by position (then rule ID) is applied and the other
// skipped with a reason; fixes of one finding apply whole or not at all.
func TestFixOverlapsResolveDeterministically(t *testing.T) {
	ff := &FileFix{Path: "f", Before: []byte("0123456789"), After: []byte("0123456789")}
	other := &FileFix{Path: "g", Before: []byte("abcdef"), After: []byte("abcdef")}
	files := map[string]*FileFix{"f": ff, "g": other}
	mk := func(id string, es ...rule.Edit) pendingFix {
		return pendingFix{note: FixNote{RuleID: id}, fix: rule.Fix{Level: rule.FixSafe, Edits: es}}
	}
	pending := []pendingFix{
		mk("DF1902", rule.Edit{File: "f", Start: 2, End: 5, New: "X"}),
		mk("DF1901", rule.Edit{File: "f", Start: 4, End: 6, New: "Y"}),                                                    // overlaps DF1902
		mk("DF1903", rule.Edit{File: "f", Start: 8, End: 8, New: "+"}, rule.Edit{File: "g", Start: 0, End: 1, New: "A"}),  // both fit
		mk("DF1904", rule.Edit{File: "f", Start: 9, End: 10, New: "Z"}, rule.Edit{File: "g", Start: 0, End: 2, New: "B"}), // g overlaps DF1903
	}
	applyFixes(sortedPending(pending), files)
	if string(ff.After) != "01X567+89" || string(other.After) != "Abcdef" {
		t.Errorf("after: %q %q", ff.After, other.After)
	}
	var applied, skipped []string
	for _, n := range ff.Applied {
		applied = append(applied, n.RuleID)
	}
	for _, n := range ff.Skipped {
		skipped = append(skipped, n.RuleID+": "+n.Reason)
	}
	if strings.Join(applied, ",") != "DF1902,DF1903" || len(skipped) != 2 || !strings.Contains(skipped[0], "overlaps") {
		t.Errorf("applied %v skipped %v", applied, skipped)
	}
}

// TestWriteFixedRefusesSymlinks: a fix never writes through a symbolic link.
func TestWriteFixedRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	os.WriteFile(real, []byte("x"), 0o644)
	link := filepath.Join(dir, "Dockerfile")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("symlinks:", err)
	}
	if err := WriteFixed(&FileFix{Path: link, Before: []byte("x"), After: []byte("y")}); err == nil {
		t.Fatal("wrote through a symbolic link")
	}
	if b, _ := os.ReadFile(real); string(b) != "x" {
		t.Errorf("target changed: %q", b)
	}
}
