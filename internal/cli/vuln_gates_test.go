package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// vulnJSON is the part of the JSON report the vulnerability tests read.
type vulnJSON struct {
	Summary struct {
		Findings   int            `json:"findings"`
		Suppressed int            `json:"suppressed"`
		BySeverity map[string]int `json:"bySeverity"`
	} `json:"summary"`
	Findings []struct {
		RuleID     string `json:"ruleId"`
		Severity   string `json:"severity"`
		Message    string `json:"message"`
		File       string `json:"file"`
		Suppressed *struct {
			Kind string `json:"kind"`
		} `json:"suppressed"`
		Image         *struct{ Path string } `json:"image"`
		Vulnerability *struct {
			Package       string `json:"package"`
			SourcePackage string `json:"sourcePackage"`
			FixState      string `json:"fixState"`
		} `json:"vulnerability"`
	} `json:"findings"`
}

func parseVulnJSON(t *testing.T, r result) vulnJSON {
	t.Helper()
	var v vulnJSON
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	return v
}

// count returns how many findings of an id there are, and how many of them
// are suppressed with a kind.
func (v vulnJSON) count(id, kind string) (all, suppressed int) {
	for _, f := range v.Findings {
		if f.RuleID == id {
			all++
			if f.Suppressed != nil && f.Suppressed.Kind == kind {
				suppressed++
			}
		}
	}
	return all, suppressed
}

// unfixedOSV is an advisory with no fixed version for Alpine 3.10's musl.
const unfixedOSV = `{"schema_version": "1.6.0", "id": "CVE-2099-0001", "modified": "2026-01-01T00:00:00Z",
 "summary": "musl: a test vulnerability with no fix",
 "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "musl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`

// TestImageVulnGates checks --ignore-unfixed, --vex, unknown-severity:,
// --severity unknown, .shipshapeignore.yaml by source package, and
// --fail-on-unknown against the real Alpine 3.10 database and secdb.
func TestImageVulnGates(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	dir := t.TempDir()
	db := filepath.Join(dir, "vuln.db")
	osv := imagetest.FileAt(t, filepath.Join(dir, "osv", "CVE-2099-0001.json"), unfixedOSV)
	r := run(t, "", "db", "import", "--db", db, filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"), osv)
	wantCode(t, r, 0)
	alpine := "dir:" + filepath.Join(data, "alpine", "alpine-310-metadata")
	scan := func(args ...string) result {
		return run(t, "", append([]string{"image", "--no-cache", "--scanners", "vuln", "--db", db, "--format", "json"}, append(args, alpine)...)...)
	}

	r = scan()
	wantCode(t, r, 1)
	v := parseVulnJSON(t, r)
	if n, _ := v.count("CVE-2099-0001", ""); n != 2 { // musl and musl-utils
		t.Fatalf("unfixed musl advisory reported %d times:\n%s", n, r.stdout)
	}
	if n, _ := v.count("CVE-2020-1967", ""); n != 2 {
		t.Fatalf("CVE-2020-1967 reported %d times, want 2", n)
	}
	for _, f := range v.Findings {
		if f.RuleID == "CVE-2099-0001" && (f.Vulnerability == nil || f.Vulnerability.FixState != "not-fixed") {
			t.Errorf("unfixed finding: %+v", f)
		}
	}

	// --ignore-unfixed drops it and keeps the fixed ones.
	r = scan("--ignore-unfixed")
	wantCode(t, r, 1)
	v = parseVulnJSON(t, r)
	if n, _ := v.count("CVE-2099-0001", ""); n != 0 {
		t.Errorf("--ignore-unfixed kept the unfixed advisory")
	}
	if n, _ := v.count("CVE-2020-1967", ""); n != 2 {
		t.Errorf("--ignore-unfixed dropped a fixed advisory")
	}

	// --severity unknown shows the unknown findings (all of the secdb's).
	r = scan("--severity", "unknown")
	v = parseVulnJSON(t, r)
	if len(v.Findings) == 0 || v.Summary.BySeverity["unknown"] != len(v.Findings) {
		t.Errorf("--severity unknown: %+v", v.Summary)
	}
	r = scan("--severity", "critical")
	wantCode(t, r, 0)

	checkVulnConfigGates(t, dir, scan)
	checkVulnVEX(t, dir, alpine, scan)
	checkNotAssessed(t, db)
}

// checkVulnConfigGates: unknown-severity and .shipshapeignore.yaml entries
// by source package.
func checkVulnConfigGates(t *testing.T, dir string, scan func(args ...string) result) {
	t.Helper()
	// unknown-severity: low in the config: still shown as unknown, no
	// longer failing the high gate.
	cfgDir := filepath.Join(dir, "low")
	cfg := imagetest.FileAt(t, filepath.Join(cfgDir, ".shipshape.yaml"), "version: 1\nunknown-severity: low\n")
	r := scan("--config", cfg)
	wantCode(t, r, 0)
	if v := parseVulnJSON(t, r); v.Summary.BySeverity["unknown"] == 0 {
		t.Errorf("unknown findings no longer shown as unknown: %+v", v.Summary)
	}
	r = scan("--config", cfg, "--fail-on", "low")
	wantCode(t, r, 1)

	// .shipshapeignore.yaml: package: names the source package (openssl)
	// of the binary packages libssl1.1 and libcrypto1.1.
	igDir := filepath.Join(dir, "ignore")
	cfg = imagetest.FileAt(t, filepath.Join(igDir, ".shipshape.yaml"), "version: 1\n")
	imagetest.FileAt(t, filepath.Join(igDir, ".shipshapeignore.yaml"),
		"- id: CVE-2020-1967\n  package: openssl\n  reason: TLS is terminated upstream\n- id: CVE-2099-0001\n  package: libssl1.1\n  reason: wrong package, must not match\n")
	r = scan("--config", cfg)
	v := parseVulnJSON(t, r)
	if n, s := v.count("CVE-2020-1967", "config"); n != 2 || s != 2 {
		t.Errorf("ignore by source package: %d findings, %d suppressed", n, s)
	}
	if _, s := v.count("CVE-2099-0001", "config"); s != 0 {
		t.Errorf("an entry for another package suppressed musl's advisory")
	}

}

// checkVulnVEX: an OpenVEX statement for libssl1.1's purl suppresses that
// finding only, kept in JSON with kind vex.
func checkVulnVEX(t *testing.T, dir, alpine string, scan func(args ...string) result) {
	t.Helper()
	r := run(t, "", "sbom", "--format", "json", alpine)
	wantCode(t, r, 0)
	purl := ""
	var doc struct {
		Packages []struct{ Name, PURL string } `json:"packages"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.Packages {
		if p.Name == "libssl1.1" {
			purl = p.PURL
		}
	}
	if purl == "" {
		t.Fatalf("no purl for libssl1.1 in:\n%.2000s", r.stdout)
	}
	vex := imagetest.FileAt(t, filepath.Join(dir, "app.openvex.json"), `{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "test",
  "timestamp": "2026-11-24T12:00:00Z",
  "version": 1,
  "statements": [{
    "vulnerability": {"name": "CVE-2020-1967"},
    "products": [{"@id": "`+purl+`"}],
    "status": "not_affected",
    "justification": "vulnerable_code_not_in_execute_path"
  }]
}`)
	r = scan("--vex", vex, "--vex", vex)
	wantCode(t, r, 1)
	v := parseVulnJSON(t, r)
	if n, s := v.count("CVE-2020-1967", "vex"); n != 2 || s != 1 {
		t.Errorf("--vex: %d findings, %d suppressed by VEX, want 2 and 1", n, s)
	}
	r = scan("--vex", filepath.Join(dir, "missing.json"))
	wantCode(t, r, 2)

}

// checkNotAssessed: an input with no package database says so, and
// --fail-on-unknown fails it.
func checkNotAssessed(t *testing.T, db string) {
	t.Helper()
	empty := t.TempDir()
	imagetest.FileAt(t, filepath.Join(empty, "app", "README"), "hello\n")
	r := run(t, "", "image", "--no-cache", "--scanners", "vuln", "--db", db, "dir:"+empty)
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "vulnerabilities not assessed: no package database") ||
		!strings.Contains(r.stdout, "no findings (vulnerabilities not assessed") {
		t.Errorf("no package database is not said plainly:\n%s", r)
	}
	r = run(t, "", "image", "--no-cache", "--scanners", "vuln", "--db", db, "--fail-on-unknown", "dir:"+empty)
	wantCode(t, r, 1)
}

// TestImageScansSBOM checks that image reads a CycloneDX or SPDX SBOM,
// by the sbom: scheme or by sniffing a plain path, and matches its
// packages without the image; findings are located at the document.
func TestImageScansSBOM(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	dir := t.TempDir()
	db := filepath.Join(dir, "vuln.db")
	wantCode(t, run(t, "", "db", "import", "--db", db, filepath.Join(data, "alpine", "secdb", "v3.10", "main.json")), 0)
	alpine := "dir:" + filepath.Join(data, "alpine", "alpine-310-metadata")
	for _, format := range []string{"cyclonedx-json", "cyclonedx-xml", "spdx-json"} {
		doc := filepath.Join(dir, "alpine."+format)
		wantCode(t, run(t, "", "sbom", "--format", format, "-o", doc, alpine), 0)
		for _, ref := range []string{"sbom:" + doc, doc} {
			r := run(t, "", "image", "--db", db, "--format", "json", ref)
			wantCode(t, r, 1)
			v := parseVulnJSON(t, r)
			n := 0
			for _, f := range v.Findings {
				if f.RuleID != "CVE-2020-1967" {
					continue
				}
				n++
				if f.File != doc || f.Image != nil || f.Vulnerability == nil || f.Vulnerability.SourcePackage != "openssl" {
					t.Errorf("%s: finding %+v", ref, f)
				}
			}
			if n != 2 {
				t.Errorf("%s: CVE-2020-1967 reported %d times, want 2 (libssl1.1, libcrypto1.1)", ref, n)
			}
		}
	}
	doc := filepath.Join(dir, "alpine.cyclonedx-json")
	r := run(t, "", "image", "--db", db, doc)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "libssl1.1@1.1.1d-r2 "+doc) || strings.Contains(r.stdout, "(config)") {
		t.Errorf("text output:\n%s", r.stdout)
	}
	r = run(t, "", "image", "--db", db, "--format", "sarif", doc)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, `"id": "CVE-2020-1967"`) || !strings.Contains(r.stdout, `"name": "Vulnerability"`) {
		t.Errorf("SARIF lacks the advisory's rule entry:\n%.3000s", r.stdout)
	}

	// Only vuln applies to an SBOM.
	wantCode(t, run(t, "", "image", "--scanners", "config", "sbom:"+doc), 2)
	wantCode(t, run(t, "", "image", "--db", db, "sbom:"+filepath.Join(dir, "missing.json")), 2)
}

// TestImageSBOMIgnoreByAlias checks an ignore entry naming an advisory's
// alias (GHSA, CVE) against a hand-written CycloneDX SBOM and OSV record.
func TestImageSBOMIgnoreByAlias(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vuln.db")
	osv := imagetest.FileAt(t, filepath.Join(dir, "GO-2099-0001.json"), `{"schema_version": "1.6.0",
 "id": "GO-2099-0001", "modified": "2026-01-01T00:00:00Z",
 "aliases": ["CVE-2099-1234", "GHSA-aaaa-bbbb-cccc"], "summary": "x/net: a test vulnerability",
 "references": [{"type": "ADVISORY", "url": "https://example.com/GO-2099-0001"}],
 "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/net"},
   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.7.0"}]}]}]}`)
	wantCode(t, run(t, "", "db", "import", "--db", db, osv), 0)
	bom := imagetest.FileAt(t, filepath.Join(dir, "app.cdx.json"), `{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "components": [{"type": "library", "name": "golang.org/x/net", "version": "v0.1.0",
   "purl": "pkg:golang/golang.org/x/net@v0.1.0"}]}`)
	r := run(t, "", "image", "--db", db, "--format", "sarif", bom)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, `"helpUri": "https://example.com/GO-2099-0001"`) || !strings.Contains(r.stdout, "x/net: a test vulnerability") {
		t.Errorf("SARIF advisory rule:\n%.3000s", r.stdout)
	}
	for _, id := range []string{"GHSA-aaaa-bbbb-cccc", "CVE-2099-1234", "GO-2099-0001"} {
		cdir := filepath.Join(dir, id)
		cfg := imagetest.FileAt(t, filepath.Join(cdir, ".shipshape.yaml"), "version: 1\n")
		imagetest.FileAt(t, filepath.Join(cdir, ".shipshapeignore.yaml"), "- id: "+id+"\n  package: golang.org/x/net\n  reason: not reachable\n")
		r = run(t, "", "image", "--db", db, "--config", cfg, "--format", "json", bom)
		wantCode(t, r, 0)
		if v := parseVulnJSON(t, r); v.Summary.Suppressed != 1 {
			t.Errorf("ignore %s: %+v", id, v.Summary)
		}
	}
}
