package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// TestDebianGoToolchainVerdicts scans the bookworm root filesystem with
// python3-requests, openssl and golang-go against Debian's OVAL and the Go
// vulnerability database: Debian's open issues for requests and
// golang-1.19 (CVE-2023-32681, CVE-2023-29403) are reported with no fix,
// the Go toolchain's standard library (/usr/lib/go-1.19/VERSION, owned by
// golang-1.19-go but kept as the stdlib identity) matches Go's advisory
// for the same CVE (GO-2023-1840, fixed in 1.19.10), and --ignore-unfixed
// keeps only what an upgrade fixes.
func TestDebianGoToolchainVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("imports Go.zip and scans a 660 MB root filesystem")
	}
	root := corpus.BookwormAppsRootfs(t)
	data := filepath.Join(corpus.Shared(t), "data")
	db := filepath.Join(t.TempDir(), "vuln.db")
	r := run(t, "", "db", "import", "--db", db, filepath.Join(data, "osv", "Go.zip"),
		filepath.Join(data, "debian", "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2"))
	wantCode(t, r, 0)

	type finding struct {
		RuleID  string `json:"ruleId"`
		Message string `json:"message"`
		Vuln    struct {
			Package      string `json:"package"`
			FixState     string `json:"fixState"`
			FixedVersion string `json:"fixedVersion"`
		} `json:"vulnerability"`
	}
	scan := func(extra ...string) map[string]finding {
		args := append([]string{"image", "--no-cache", "--scanners", "vuln", "--db", db, "--format", "json"}, extra...)
		r := run(t, "", append(args, "dir:"+root)...)
		wantCode(t, r, 1)
		var doc struct {
			Findings []finding `json:"findings"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("json: %v\n%s", err, r)
		}
		out := map[string]finding{}
		for _, f := range doc.Findings {
			out[f.Vuln.Package+" "+f.RuleID] = f
		}
		return out
	}
	all := scan()
	for _, k := range []string{"python3-requests CVE-2023-32681", "golang-1.19-go CVE-2023-29403", "libc6 CVE-2019-9192"} {
		f, ok := all[k]
		if !ok {
			t.Errorf("%s: not reported", k)
			continue
		}
		if f.Vuln.FixState != "not-fixed" || f.Vuln.FixedVersion != "" || !strings.Contains(f.Message, "no fix yet") {
			t.Errorf("%s: %+v, want no fixed version", k, f)
		}
	}
	std, ok := all["stdlib GO-2023-1840"]
	if !ok || std.Vuln.FixedVersion == "" {
		t.Errorf("Go's stdlib advisory GO-2023-1840 (CVE-2023-29403) for Go 1.19.8: %+v (found %v)", std, ok)
	}
	stdlib := 0
	for k := range all {
		if strings.HasPrefix(k, "stdlib ") {
			stdlib++
		}
	}
	fixedOnly := scan("--ignore-unfixed")
	for k, f := range fixedOnly {
		if f.Vuln.FixedVersion == "" {
			t.Errorf("--ignore-unfixed kept %s without a fix", k)
		}
	}
	if _, ok := fixedOnly["stdlib GO-2023-1840"]; !ok {
		t.Error("--ignore-unfixed dropped GO-2023-1840, which has a fix")
	}
	t.Logf("%d findings (%d Go stdlib advisories), %d with a fix", len(all), stdlib, len(fixedOnly))
}
