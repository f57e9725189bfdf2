package ui_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/fleet/ui"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// EnvChromium names the Chromium binary the browser test drives; the
// default is Debian's.
const EnvChromium = "SHIPSHAPE_CHROMIUM"

// EnvScreenshots, when set, is a directory the browser test writes its
// page screenshots to (for looking at them); otherwise they go to a
// temporary directory.
const EnvScreenshots = "SHIPSHAPE_UI_SCREENSHOTS"

func TestMain(m *testing.M) {
	os.Exit(fleettest.Main(m))
}

func digestOf(name string) string { return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name))) }

// vulnDB returns the database of Alpine's secdb v3.10 and v3.11 from the
// shared data.
func vulnDB(t *testing.T) string {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data", "alpine", "secdb")
	return fleettest.VulnDB(t, filepath.Join(data, "v3.10", "main.json"), filepath.Join(data, "v3.11", "main.json"))
}

// fleet is a real server on loopback with real data: the alpine 3.10.4
// and 3.11.5 package databases uploaded as CycloneDX and SPDX, matched
// against Alpine's secdb, containers, findings and one OpenVEX statement,
// stored in the database dsn names (a SQLite path or a postgres:// URL).
type fleet struct {
	*fleettest.Server
	a310 *sbom.SBOM
}

func startFleet(t *testing.T, dsn string) *fleet {
	t.Helper()
	ctx := context.Background()
	data := filepath.Join(corpus.Shared(t), "data", "alpine")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-310-metadata"))
	a311 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-311-metadata"))
	f := &fleet{Server: fleettest.StartServer(t, dsn, server.Options{VulnDB: vulnDB(t), MatchInterval: time.Hour}), a310: a310}

	for _, u := range []struct {
		ref, digest, format string
		doc                 *sbom.SBOM
	}{
		{"shop/api:1.4", digestOf("a310"), encode.CycloneDXJSON, f.a310},
		{"shop/web:2.0", digestOf("a311"), encode.SPDXJSON, a311},
	} {
		var b bytes.Buffer
		if err := encode.Write(&b, u.format, u.doc, encode.Options{}); err != nil {
			t.Fatal(err)
		}
		f.must(t, "POST", "/api/v1/sboms?image="+u.ref+"&digest="+u.digest+"&base=alpine:3", f.Ingest, b.Bytes(), http.StatusCreated)
	}
	f.must(t, "POST", "/api/v1/containers", f.Ingest, []byte(`{"containers": [
		{"host": "web-1", "containerId": "c1", "name": "api", "imageDigest": "`+digestOf("a310")+`", "composeProject": "shop", "composeService": "api", "started": 1764547200},
		{"host": "web-2", "containerId": "c2", "name": "api-2", "imageDigest": "`+digestOf("a310")+`", "started": 1764547200},
		{"host": "web-1", "containerId": "c3", "name": "web", "imageDigest": "`+digestOf("a311")+`", "started": 1764547200}]}`), http.StatusOK)
	f.must(t, "POST", "/api/v1/images/"+digestOf("a310")+"/findings", f.Ingest, []byte(`{"findings": [
		{"fingerprint": "fp-root", "ruleId": "IM1001", "severity": "medium", "title": "Image runs as root", "message": "the image has no USER"},
		{"fingerprint": "fp-key", "ruleId": "IM1100", "severity": "critical", "title": "Secret in an image layer", "message": "AWS access key", "path": "/app/settings.env", "line": 1}]}`), http.StatusOK)
	if _, err := f.Srv.MatchOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// The 3.11 image is triaged not affected by CVE-2020-1967.
	f.must(t, "POST", "/api/v1/vex", f.Admin, []byte(`{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/ui",
		"author": "Shop Security", "timestamp": "2026-12-01T10:00:00Z", "version": 1, "statements": [{"vulnerability": {"name": "CVE-2020-1967"},
		"products": [{"@id": "`+digestOf("a311")+`"}], "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}`), http.StatusCreated)
	return f
}

func (f *fleet) must(t *testing.T, method, path, token string, body []byte, want int) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestAuth: no page renders without a valid read-scoped token in the
// cookie; login sets an HttpOnly, SameSite=Strict cookie; a bearer header
// is not a way in (the pages read the cookie only); cross-origin login is
// refused; the pages carry a strict content security policy. Tokens
// live in the store, so this runs on both backends.
func TestAuth(t *testing.T) {
	fleettest.Backends(t, testAuth)
}

func testAuth(t *testing.T, dsn string) {
	f := startFleet(t, dsn)
	get := func(path, cookie string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", f.URL+path, nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: ui.CookieName, Value: ui.CookieValue(cookie)})
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	for _, p := range []string{"/ui/", "/ui/cve?id=CVE-2020-1967", "/ui/images/" + digestOf("a310"), "/ui/packages?name=musl", "/ui/nothing"} {
		if r := get(p, ""); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/ui/login" {
			t.Errorf("%s without a cookie: %d %s", p, r.StatusCode, r.Header.Get("Location"))
		}
		if r := get(p, "sst_not-a-token-0123456789"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("%s with an unknown token: %d", p, r.StatusCode)
		}
		if r := get(p, f.Ingest); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s with an ingest-only token: %d", p, r.StatusCode)
		}
	}
	req, _ := http.NewRequest("GET", f.URL+"/ui/", nil)
	req.Header.Set("Authorization", "Bearer "+f.Read)
	if r, err := noRedirect.Do(req); err != nil || r.StatusCode != http.StatusSeeOther {
		t.Errorf("bearer header on a page: %v %v", r, err)
	}
	r := get("/ui/", f.Read)
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src 'self'") || r.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("dashboard: %d %v", r.StatusCode, r.Header)
	}
	if r := get("/", ""); r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/ui/" {
		t.Errorf("root: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	login := func(token, origin string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", f.URL+"/ui/login", strings.NewReader("token="+url.QueryEscape(token)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	if r := login(f.Read, f.URL); r.StatusCode != http.StatusSeeOther || len(r.Cookies()) != 1 {
		t.Errorf("login: %d %v", r.StatusCode, r.Cookies())
	} else if c := r.Cookies()[0]; c.Value != ui.CookieValue(f.Read) || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/ui/" {
		t.Errorf("cookie: %+v", c)
	}
	if r := login(f.Read, "http://evil.example"); r.StatusCode != http.StatusForbidden || len(r.Cookies()) != 0 {
		t.Errorf("cross-origin login: %d", r.StatusCode)
	}
	if r := login(f.Ingest, ""); r.StatusCode != http.StatusForbidden || len(r.Cookies()) != 0 {
		t.Errorf("ingest token login: %d", r.StatusCode)
	}
	if r := login("sst_wrong-0123456789abcdef", ""); r.StatusCode != http.StatusUnauthorized || len(r.Cookies()) != 0 {
		t.Errorf("unknown token login: %d", r.StatusCode)
	}
	// A bootstrap token may hold bytes a cookie value cannot; it still
	// logs in.
	odd := `odd "token"; with=bytes, and spaces`
	if err := f.Store.PutToken(context.Background(), "odd", odd, []string{store.ScopeRead}); err != nil {
		t.Fatal(err)
	}
	if r := login(odd, ""); r.StatusCode != http.StatusSeeOther || len(r.Cookies()) != 1 {
		t.Errorf("odd token login: %d", r.StatusCode)
	} else {
		req, _ := http.NewRequest("GET", f.URL+"/ui/", nil)
		req.AddCookie(r.Cookies()[0])
		if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != 200 {
			t.Errorf("dashboard with the odd token's cookie: %v %v", resp, err)
		} else {
			resp.Body.Close()
		}
	}
}

// chromium returns the browser binary, skipping the test when it is
// missing and CI is unset.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv(EnvChromium)
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("no Chromium at %s (apt-get install chromium, or set %s)", path, EnvChromium)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI is set, so the browser test must run)")
		}
		t.Skip("skipping: " + msg)
	}
	return path
}

// TestBrowser drives headless Chromium through the pages as a user
// would: log in with a token, read the dashboard, search a CVE, open an
// affected image, filter its packages, search a package, log out. Each
// page's key content is read from the DOM and each page is photographed
// (a PNG that decodes, of the viewport's size). It runs once per storage
// backend (subtests sqlite and postgres) in one Chromium, each in a
// browser context of its own (no cookie crosses over), and keeps the
// screenshots per backend (DIR/sqlite/*.png, DIR/postgres/*.png).
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	shots := os.Getenv(EnvScreenshots)
	if shots == "" {
		shots = t.TempDir()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-dev-shm-usage", true))
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root with its sandbox.
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	// One browser for both backends: started here, each subtest opens a
	// tab in a new browser context.
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		f := startFleet(t, dsn)
		dir := filepath.Join(shots, filepath.Base(t.Name())) // the backend: sqlite or postgres
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		ctx, cancelCtx := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
		defer cancelCtx()
		ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		browse(t, ctx, f, dir)
	})
}

// browse is TestBrowser's walk through the pages of f in the browser tab
// of ctx; screenshots go to shots.
func browse(t *testing.T, ctx context.Context, f *fleet, shots string) {
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	eval := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return n
	}
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("screenshot %s is not a PNG: %v", name, err)
		}
		if r := img.Bounds(); r.Dx() < 600 || r.Dy() < 400 {
			t.Errorf("screenshot %s is %v", name, r)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	location := func() string {
		t.Helper()
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return l
	}

	// Any page without a login lands on the form.
	do("open dashboard", chromedp.Navigate(f.URL+"/ui/"), chromedp.WaitVisible(chromedp.CSS("#token")))
	if l := location(); l != f.URL+"/ui/login" {
		t.Fatalf("not logged in: at %s", l)
	}
	shot("login")
	do("wrong token", chromedp.SendKeys(chromedp.CSS("#token"), "sst_wrong-token-0123456789"), chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#login-error")))
	if s := text("#login-error"); s != "Unknown token." {
		t.Errorf("login error: %q", s)
	}
	do("log in", chromedp.SendKeys(chromedp.CSS("#token"), f.Read), chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#counts")))

	// The cookie is HttpOnly (scripts cannot read it) and SameSite=Strict.
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{f.URL + "/ui/"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cookies) != 1 || !res.Cookies[0].HTTPOnly || res.Cookies[0].SameSite != network.CookieSameSiteStrict || res.Cookies[0].Value != ui.CookieValue(f.Read) {
		t.Errorf("cookies: %+v", res.Cookies)
	}
	if js, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.cookie")); err != nil || js != "" {
		t.Errorf("document.cookie = %q (%v), want nothing", js, err)
	}

	// Dashboard: counts and the top vulnerabilities by running exposure.
	if s := text("#count-images"); s != "2" {
		t.Errorf("images: %q", s)
	}
	if s := text("#count-containers"); s != "3" {
		t.Errorf("running containers: %q", s)
	}
	top := text("#top")
	if !strings.Contains(top, "CVE-2020-1967") {
		t.Errorf("top vulnerabilities lack CVE-2020-1967:\n%.800s", top)
	}
	// CVE-2020-1967 is triaged away on the 3.11 image, so only the two
	// containers of the 3.10 image count for it.
	row := eval(`(() => { for (const tr of document.querySelectorAll("#top tbody tr")) {
		if (tr.cells[1].textContent.trim() === "CVE-2020-1967") { return parseInt(tr.cells[3].textContent, 10); } } return -1; })()`)
	if row != 2 {
		t.Errorf("CVE-2020-1967 running containers on the dashboard: %d, want 2", row)
	}
	if s := text("#bases"); !strings.Contains(s, "alpine:3") {
		t.Errorf("base images: %q", s)
	}
	shot("dashboard")

	// CVE search from the header form.
	do("search CVE", chromedp.SendKeys(chromedp.CSS(`header input[name="id"]`), "cve-2020-1967"),
		chromedp.Submit(chromedp.CSS(`header input[name="id"]`)), chromedp.WaitVisible(chromedp.CSS("#affected")))
	if s := text("#advisory-CVE-2020-1967"); !strings.Contains(s, "CVE-2020-1967") {
		t.Errorf("advisory heading: %q", s)
	}
	aff := text("#affected")
	for _, want := range []string{"shop/api:1.4", "libcrypto1.1", "libssl1.1", "1.1.1d-r2", "1.1.1g-r0", "/lib/apk/db/installed", "web-1 / api", "web-2 / api-2", "shop / api"} {
		if !strings.Contains(aff, want) {
			t.Errorf("affected table lacks %q:\n%s", want, aff)
		}
	}
	if strings.Contains(aff, "shop/web:2.0") {
		t.Errorf("the triaged image is listed as affected:\n%s", aff)
	}
	if s := text("#affected-count"); s != "1" {
		t.Errorf("affected count %q", s)
	}
	if s := text("#suppressed"); !strings.Contains(s, "shop/web:2.0") || !strings.Contains(s, "vulnerable_code_not_in_execute_path") || !strings.Contains(s, "Shop Security") {
		t.Errorf("triaged table: %q", s)
	}
	shot("cve")

	// The image page, from the affected table's link.
	do("open image", chromedp.Click(chromedp.CSS("#affected a.image-link")), chromedp.WaitVisible(chromedp.CSS("#image-digest")))
	if s := text("#image-digest"); s != digestOf("a310") {
		t.Errorf("image digest: %q", s)
	}
	if s := text("#image-title"); s != "shop/api:1.4" {
		t.Errorf("image title: %q", s)
	}
	if n := eval(`document.querySelectorAll("#packages tbody tr").length`); n != len(f.a310.Packages) {
		t.Errorf("packages listed: %d, want %d", n, len(f.a310.Packages))
	}
	if s := text("#containers"); !strings.Contains(s, "web-1") || !strings.Contains(s, "web-2") || !strings.Contains(s, "running") {
		t.Errorf("where it runs: %q", s)
	}
	if s := text("#findings"); !strings.Contains(s, "IM1100") || !strings.Contains(s, "/app/settings.env:1") || !strings.Contains(s, "Image runs as root") {
		t.Errorf("findings: %q", s)
	}
	if s := text("#vulns"); !strings.Contains(s, "CVE-2020-1967") {
		t.Errorf("vulnerabilities: %.500q", s)
	}
	if s := text("#layers"); !strings.Contains(s, strconv.Itoa(len(f.a310.Packages))) {
		t.Errorf("layers: %q", s)
	}
	// The hand-written filter hides the package rows that do not match.
	do("filter packages", chromedp.SendKeys(chromedp.CSS(`input[data-filter="packages"]`), "libssl"))
	visible := eval(`Array.from(document.querySelectorAll("#packages tbody tr")).filter(r => !r.hidden).length`)
	if visible != 1 {
		t.Errorf("rows left by the filter: %d, want 1 (libssl1.1)", visible)
	}
	shot("image")

	// Package search with a version range.
	do("search package", chromedp.Navigate(f.URL+"/ui/packages?name=libssl1.1&versions=%3C1.1.1d-r3"), chromedp.WaitVisible(chromedp.CSS("#package-results")))
	pk := text("#package-results")
	if !strings.Contains(pk, "shop/api:1.4") || strings.Contains(pk, "shop/web:2.0") || !strings.Contains(pk, "1.1.1d-r2") {
		t.Errorf("package results: %q", pk)
	}
	shot("packages")
	do("search missing package", chromedp.Navigate(f.URL+"/ui/packages?name=no-such-package"), chromedp.WaitVisible(chromedp.CSS("#pkg-none")))

	// Log out: the pages are closed again.
	do("log out", chromedp.Navigate(f.URL+"/ui/"), chromedp.WaitVisible(chromedp.CSS(".logout button")),
		chromedp.Click(chromedp.CSS(".logout button")), chromedp.WaitVisible(chromedp.CSS("#token")))
	do("after logout", chromedp.Navigate(f.URL+"/ui/cve?id=CVE-2020-1967"), chromedp.WaitVisible(chromedp.CSS("#token")))
	if l := location(); l != f.URL+"/ui/login" {
		t.Errorf("after logout at %s", l)
	}
}
