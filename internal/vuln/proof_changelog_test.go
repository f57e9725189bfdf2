package vuln

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProofDebianChangelogRecords is the Debian true-positive test the
// data README describes: OSV records in osv.dev's Debian format
// (ecosystem Debian:12, source package, fixed version), derived from the
// CVE ids the Debian changelogs name between the installed and the
// bookworm-security version (bookworm-plus-changelog-cves.tsv), imported
// as an OSV directory and matched against the bookworm-plus status file.
func TestProofDebianChangelogRecords(t *testing.T) {
	haveDpkg(t)
	data := dataDir(t)
	fx := filepath.Join(data, "debian", "rootfs-fixtures")
	tsv, err := os.ReadFile(filepath.Join(fx, "bookworm-plus-changelog-cves.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	recDir := t.TempDir()
	type row struct{ source, installed, fixed string }
	var rows []row
	ids := map[string][]string{}
	for i, line := range strings.Split(strings.TrimSpace(string(tsv)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 4 {
			continue
		}
		r := row{f[0], f[1], f[2]}
		rows = append(rows, r)
		for _, id := range strings.Fields(f[3]) {
			ids[r.source] = append(ids[r.source], id)
			rec := map[string]any{
				"schema_version": "1.6.0",
				"id":             fmt.Sprintf("DEBCL-%s-%s", r.source, id),
				"aliases":        []string{id},
				"summary":        "derived from the Debian changelog of " + r.source + " " + r.fixed,
				"affected": []map[string]any{{
					"package": map[string]string{"ecosystem": "Debian:12", "name": r.source},
					"ranges": []map[string]any{{"type": "ECOSYSTEM", "events": []map[string]string{
						{"introduced": "0"}, {"fixed": r.fixed},
					}}},
				}},
				"database_specific": map[string]string{"source": "debian changelog (shared/data bookworm-plus-changelog-cves.tsv)"},
			}
			b, _ := json.Marshal(rec)
			if err := os.WriteFile(filepath.Join(recDir, r.source+"-"+id+".json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(rows) < 10 {
		t.Fatalf("%d rows", len(rows))
	}
	db := filepath.Join(t.TempDir(), "vuln.db")
	ims := importInto(t, db, recDir)
	if len(ims) != 1 || !strings.HasPrefix(ims[0].Name, "osv-dir:") {
		t.Fatalf("imported %+v", ims)
	}
	raw, err := os.ReadFile(filepath.Join(fx, "bookworm-plus", "var", "lib", "dpkg", "status"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := readDpkgStatus(t, string(raw))
	distro := readOSRelease(t, filepath.Join(fx, "bookworm-plus", "etc", "os-release"))
	res, err := Match(pkgs, distro, openDB(t, db), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res {
		got[r.Package.Name+" "+r.ID] = r.FixedVersion
	}
	want := map[string]string{}
	fixedBy := map[string]string{}
	for _, r := range rows {
		fixedBy[r.source] = r.fixed
	}
	for _, p := range pkgs {
		fixed, ok := fixedBy[p.SourceName]
		if !ok {
			continue
		}
		// Independent check: dpkg on the source version.
		if !dpkgCompare(t, p.SourceVersion, "lt", fixed) {
			continue
		}
		for _, id := range ids[p.SourceName] {
			want[p.Name+" DEBCL-"+p.SourceName+"-"+id] = fixed
		}
	}
	if len(want) == 0 {
		t.Fatal("empty expectation")
	}
	if fmt.Sprint(sortedMap(got)) != fmt.Sprint(sortedMap(want)) {
		t.Errorf("got %d findings, want %d\n got  %v\n want %v", len(got), len(want), sortedMap(got), sortedMap(want))
	}
	hit := map[string]bool{}
	for _, r := range res {
		hit[r.Queried] = true
	}
	for _, r := range rows {
		if !hit[r.source] {
			t.Errorf("%s %s < %s: no finding", r.source, r.installed, r.fixed)
		}
	}
	t.Logf("%d source packages, %d findings", len(rows), len(got))
}
