package compose

import (
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
)

// TestIncludedServicePositions checks that a service pulled in by
// `include:` is located in the included file, not at line 1 of the main
// file.
func TestIncludedServicePositions(t *testing.T) {
	main := filepath.Join("testdata", "include", "compose.yaml")
	p, err := Load([]string{main}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var db *container.Spec
	for _, s := range p.Specs {
		if s.Name == "db" {
			db = s
		}
	}
	if db == nil {
		t.Fatalf("included service db not loaded; services: %d", len(p.Specs))
	}
	if filepath.Base(db.Self.File) != "base.yaml" || db.Self.Range.Line != 2 {
		t.Errorf("db defined at %s:%d, want base.yaml:2", db.Self.File, db.Self.Range.Line)
	}
	if pos := db.Pos(container.KeyPrivileged); filepath.Base(pos.File) != "base.yaml" || pos.Range.Line != 4 {
		t.Errorf("privileged at %s:%d, want base.yaml:4", pos.File, pos.Range.Line)
	}
}
