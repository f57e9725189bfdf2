package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

func TestSBOMFormats(t *testing.T) {
	root := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures", "bookworm")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	for format, want := range map[string]string{
		"cyclonedx-json": `"specVersion": "1.6"`,
		"cyclonedx-xml":  `xmlns="http://cyclonedx.org/schema/bom/1.6"`,
		"spdx-json":      `"spdxVersion": "SPDX-2.3"`,
		"json":           `"schemaVersion": "1"`,
	} {
		t.Run(format, func(t *testing.T) {
			r := run(t, "", "sbom", "--format", format, "dir:"+root)
			wantCode(t, r, 0)
			if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "libc6") {
				t.Errorf("output lacks %s or libc6:\n%.500s", want, r.stdout)
			}
			if again := run(t, "", "sbom", "--format", format, "dir:"+root); again.stdout != r.stdout {
				t.Error("two runs differ")
			}
		})
	}
}

func TestSBOMOutputFile(t *testing.T) {
	root := filepath.Join(corpus.Shared(t), "data", "alpine", "alpine-311-metadata")
	out := filepath.Join(t.TempDir(), "sbom.json")
	r := run(t, "", "sbom", "--format", "json", "-o", out, root)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("stdout not empty with -o: %q", r.stdout)
	}
	var doc struct {
		Distro   struct{ ID string }
		Packages []struct{ Name, SourceName string }
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Distro.ID != "alpine" || len(doc.Packages) != 14 {
		t.Errorf("distro %q, %d packages", doc.Distro.ID, len(doc.Packages))
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestSBOMErrors(t *testing.T) {
	wantCode(t, run(t, "", "sbom", filepath.Join(t.TempDir(), "missing")), 2)
	wantCode(t, run(t, "", "sbom", "--format", "yaml", t.TempDir()), 2)
	wantCode(t, run(t, "", "sbom", "sbom:x.json"), 2)
	r := run(t, "", "sbom", "--format", "json", t.TempDir())
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "no package database") || !strings.Contains(r.stdout, "no package database") {
		t.Errorf("no-database note missing:\n%s", r)
	}
}
