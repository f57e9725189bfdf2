package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

func TestDBImportStatusUpdate(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	goZip := filepath.Join(data, "osv", "Go.zip")
	zipBytes, err := os.ReadFile(goZip)
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/Go/all.zip" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("Content-Type", "application/zip")
		w.Write(zipBytes)
	}))
	defer srv.Close()

	db := filepath.Join(t.TempDir(), "sub", "vuln.db")

	// URL import (the real Go.zip served over HTTP) plus a local secdb.
	r := run(t, "", "db", "import", "--db", db, srv.URL+"/Go/all.zip", filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"))
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "imported osv:Go: 4771 advisories") || !strings.Contains(r.stdout, "alpine-secdb:v3.11/main") {
		t.Fatalf("import output:\n%s", r)
	}

	r = run(t, "", "db", "status", "--db", db, "--format", "json")
	wantCode(t, r, 0)
	var st struct {
		SchemaVersion string `json:"schemaVersion"`
		Advisories    int    `json:"advisories"`
		Sources       []struct {
			Name, Origin string
			Records      int
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status json: %v\n%s", err, r.stdout)
	}
	if len(st.Sources) != 2 || st.Sources[1].Name != "osv:Go" || st.Sources[1].Origin != srv.URL+"/Go/all.zip" {
		t.Errorf("sources: %+v", st.Sources)
	}
	r = run(t, "", "db", "status", "--db", db)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "osv:Go") {
		t.Errorf("text status:\n%s", r)
	}

	// Update downloads osv.dev's archive of each OSV ecosystem present.
	r = run(t, "", "db", "update", "--db", db, "--osv-url", srv.URL)
	wantCode(t, r, 0)
	if hits.Load() != 2 || !strings.Contains(r.stdout, "kept alpine-secdb:v3.11/main") {
		t.Errorf("update (hits %d):\n%s", hits.Load(), r)
	}

	// An unreachable host: exit 2, database untouched.
	before, _ := os.ReadFile(db)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	r = run(t, "", "db", "update", "--db", db, "--osv-url", deadURL)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "database unchanged") {
		t.Errorf("unreachable host message:\n%s", r)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("failed update changed the database")
	}
	r = run(t, "", "db", "import", "--db", db, srv.URL+"/nope.zip")
	wantCode(t, r, 2)
}

func TestDBErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o644)
	r := run(t, "", "db", "status", "--db", bad)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "corrupt") {
		t.Errorf("corrupt db message:\n%s", r)
	}
	r = run(t, "", "db", "import", "--db", bad, filepath.Join(dir, "missing.json"))
	wantCode(t, r, 2)
	r = run(t, "", "db", "status", "--db", filepath.Join(dir, "none.db"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "shipshape db import") {
		t.Errorf("missing db message:\n%s", r)
	}
	junk := filepath.Join(dir, "junk.json")
	os.WriteFile(junk, []byte(`{"id": 5}`), 0o644)
	r = run(t, "", "db", "import", "--db", filepath.Join(dir, "new.db"), junk)
	wantCode(t, r, 2)
	if _, err := os.Stat(filepath.Join(dir, "new.db")); err == nil {
		t.Error("a failed first import created the database")
	}
}

func TestImageVulnScanner(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	db := filepath.Join(t.TempDir(), "vuln.db")
	r := run(t, "", "db", "import", "--db", db, filepath.Join(data, "alpine", "secdb", "v3.10"),
		filepath.Join(data, "debian", "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2"))
	wantCode(t, r, 0)

	// Alpine 3.10.4: openssl 1.1.1d-r2 is affected by CVE-2020-1967; the
	// secdb carries no severity, so the findings are unknown and gate as high.
	r = run(t, "", "image", "--no-cache", "--scanners", "vuln", "--db", db, "--format", "json",
		"dir:"+filepath.Join(data, "alpine", "alpine-310-metadata"))
	wantCode(t, r, 1)
	var rep struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Image    *struct {
				Path string `json:"path"`
			} `json:"image"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	found := 0
	for _, f := range rep.Findings {
		if f.RuleID == "CVE-2020-1967" {
			found++
			if f.Severity != "unknown" || !strings.Contains(f.Message, "(source openssl) 1.1.1d-r2 is affected by CVE-2020-1967 (fixed in 1.1.1g-r0)") ||
				f.Image == nil || f.Image.Path != "/lib/apk/db/installed" {
				t.Errorf("finding: %+v", f)
			}
		}
	}
	if found != 2 { // libssl1.1 and libcrypto1.1
		t.Errorf("CVE-2020-1967 reported %d times, want 2 (libssl1.1, libcrypto1.1):\n%s", found, r.stdout)
	}

	// The 2026 bookworm root filesystem against the 2023 OVAL: everything
	// with a fixed version has been fixed since; what remains are the
	// issues Debian holds open ("DPKG is earlier than 0"), reported with
	// no fixed version, and --ignore-unfixed drops them all.
	bookworm := "dir:" + filepath.Join(data, "debian", "rootfs-fixtures", "bookworm")
	r = run(t, "", "image", "--no-cache", "--scanners", "vuln", "--db", db, "--format", "json", bookworm)
	wantCode(t, r, 1)
	var open struct {
		Findings []struct {
			RuleID  string `json:"ruleId"`
			Message string `json:"message"`
			Vuln    struct {
				FixState     string `json:"fixState"`
				FixedVersion string `json:"fixedVersion"`
			} `json:"vulnerability"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &open); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	glibc := 0
	for _, f := range open.Findings {
		if f.Vuln.FixState != "not-fixed" || f.Vuln.FixedVersion != "" || !strings.Contains(f.Message, "(no fix yet)") {
			t.Errorf("bookworm: a finding with a fix: %+v", f)
		}
		if f.RuleID == "CVE-2019-9192" {
			glibc++
		}
	}
	if glibc != 2 { // libc6 and libc-bin, both from glibc
		t.Errorf("CVE-2019-9192 reported %d times, want 2 (libc6, libc-bin) among %d findings", glibc, len(open.Findings))
	}
	r = run(t, "", "image", "--no-cache", "--scanners", "vuln", "--db", db, "--ignore-unfixed", bookworm)
	wantCode(t, r, 0)

	// No database: exit 2 with the way out.
	r = run(t, "", "image", "--no-cache", "--scanners", "vuln", "--db", filepath.Join(t.TempDir(), "none.db"),
		"dir:"+filepath.Join(data, "debian", "rootfs-fixtures", "bookworm"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "shipshape db import") {
		t.Errorf("no-db message:\n%s", r)
	}
}
