package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

const secretCompose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n"

// TestFixSecretFile: the file a compose secret fix creates beside the
// compose file exists only when the fix is applied (not at --level safe),
// and a fix never overwrites such a file: it is refused, with the reason.
func TestFixSecretFile(t *testing.T) {
	dir := t.TempDir()
	dc := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(dc, []byte(secretCompose), 0o644); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secrets", "postgres_password.txt")
	o := fixOpts(t, dc)
	o.Only = map[string]bool{"RT1029": true}
	res, err := Fix(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, ff := range res.Files {
		if ff.Changed() {
			t.Errorf("--level safe changes %s", ff.Path)
		}
	}

	o.Level = "review"
	if res, err = Fix(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var created *FileFix
	for _, ff := range res.Files {
		if ff.Path == secret {
			created = ff
		}
	}
	if created == nil || !created.Changed() || string(created.After) != "example" {
		t.Fatalf("secret file fix: %+v", created)
	}
	if err := WriteFixed(created); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "example" {
		t.Fatalf("secret file: %q %v", b, err)
	}

	// With the secret file there already, the fix is refused and the
	// compose file is left alone.
	if res, err = Fix(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	refused := false
	for _, ff := range res.Files {
		if ff.Changed() {
			t.Errorf("changes %s although the secret file exists", ff.Path)
		}
		for _, n := range ff.Skipped {
			refused = refused || n.RuleID == "RT1029" && strings.Contains(n.Reason, "exists already")
		}
	}
	if !refused {
		t.Error("no refusal for the existing secret file")
	}
}

// TestFixRefusedIsReported: a fix a rule refuses (a service that is an
// alias of another) is a skipped note with its reason, and nothing is
// written; at a level that leaves the fix out it is not reported.
func TestFixRefusedIsReported(t *testing.T) {
	dir := t.TempDir()
	dc := filepath.Join(dir, "compose.yaml")
	src := "x-web: &web\n  image: nginx:1.27\n  security_opt: [no-new-privileges:true]\nservices:\n  web: *web\n"
	if err := os.WriteFile(dc, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	o := fixOpts(t, dc)
	o.Only = map[string]bool{"RT1004": true}
	o.Level = "review"
	res, err := Fix(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, ff := range res.Files {
		if ff.Changed() {
			t.Errorf("changes %s", ff.Path)
		}
		for _, n := range ff.Skipped {
			reasons = append(reasons, n.Reason)
		}
	}
	if len(reasons) == 0 || !strings.Contains(strings.Join(reasons, "\n"), `refused: service "web" is an alias`) {
		t.Errorf("reasons %q", reasons)
	}
	o.Level = "safe"
	if res, err = Fix(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	for _, ff := range res.Files {
		for _, n := range ff.Skipped {
			if strings.HasPrefix(n.Reason, "refused:") {
				t.Errorf("a review fix refused at --level safe is reported: %+v", n)
			}
		}
	}
}

// TestFixInsertionsAtOnePoint: insertions of different rules at one offset
// are all applied, the more deeply indented first; two of one rule at one
// offset still conflict.
func TestFixInsertionsAtOnePoint(t *testing.T) {
	ff := &FileFix{Path: "f", Before: []byte("a:\n  - x\n"), After: []byte("a:\n  - x\n")}
	files := map[string]*FileFix{"f": ff}
	mk := func(id, text string) pendingFix {
		return pendingFix{note: FixNote{RuleID: id}, fix: rule.Fix{Level: rule.FixSafe, Edits: []rule.Edit{{File: "f", Start: 9, End: 9, New: text}}}}
	}
	applyFixes([]pendingFix{mk("RT1", "b: 1\n"), mk("RT2", "  - y\n"), mk("RT2", "  - z\n")}, files)
	if got, want := string(ff.After), "a:\n  - x\n  - y\nb: 1\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(ff.Applied) != 2 || len(ff.Skipped) != 1 || ff.Skipped[0].RuleID != "RT2" {
		t.Errorf("applied %+v skipped %+v", ff.Applied, ff.Skipped)
	}
}
