package ui

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// CookieName is the cookie that holds the token after login.
const CookieName = "shipshape_token"

// CookieValue is the cookie value that carries a token secret.
func CookieValue(secret string) string { return base64.RawURLEncoding.EncodeToString([]byte(secret)) }

// cookieAge bounds how long a login lasts; the token itself may live
// longer, and a revoked token stops working at once.
const cookieAge = 12 * time.Hour

// Options configures the pages.
type Options struct {
	Store *store.Store
	// Log receives errors; nil discards them.
	Log *slog.Logger
}

// UI serves the pages under /ui/.
type UI struct {
	st    *store.Store
	log   *slog.Logger
	pages map[string]*template.Template
	login *template.Template
	mux   *http.ServeMux
}

var funcs = template.FuncMap{
	"lower": strings.ToLower,
	"join":  strings.Join,
	"inc":   func(i int) int { return i + 1 },
	// layer names a layer index; -1 is what a directory scan reports.
	"layer": func(i int) string {
		if i < 0 {
			return "dir"
		}
		return strconv.Itoa(i)
	},
	"short": func(s string) string {
		if d, ok := strings.CutPrefix(s, "sha256:"); ok && len(d) > 12 {
			return "sha256:" + d[:12]
		}
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
	"when": func(unix int64) string {
		if unix <= 0 {
			return "—"
		}
		return time.Unix(unix, 0).UTC().Format("2006-01-02 15:04 UTC")
	},
}

// New parses the embedded templates; they are part of the binary, so a
// parse error is a programming error caught by the package's tests.
func New(o Options) *UI {
	log := o.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	u := &UI{st: o.Store, log: log, pages: map[string]*template.Template{}}
	for _, p := range []string{"dashboard", "cve", "image", "packages", "error"} {
		u.pages[p] = template.Must(template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html"))
	}
	u.login = template.Must(template.New("login").Funcs(funcs).ParseFS(templateFS, "templates/login.html"))
	static, _ := fs.Sub(staticFS, "static")
	mux := http.NewServeMux()
	mux.Handle("GET /ui/static/", http.StripPrefix("/ui/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /ui/login", u.getLogin)
	mux.HandleFunc("POST /ui/login", u.postLogin)
	mux.HandleFunc("POST /ui/logout", u.postLogout)
	mux.Handle("GET /ui/{$}", u.authed(u.dashboard))
	mux.Handle("GET /ui/cve", u.authed(u.cve))
	mux.Handle("GET /ui/images/{digest}", u.authed(u.image))
	mux.Handle("GET /ui/packages", u.authed(u.packages))
	mux.Handle("/ui/", u.authed(func(w http.ResponseWriter, r *http.Request, v *view) {
		v.Title, v.Error = "Not found", "There is no page "+r.URL.Path+"."
		u.render(w, http.StatusNotFound, "error", v)
	}))
	u.mux = mux
	return u
}

// ServeHTTP serves the pages with headers that keep them from being
// framed, sniffed, cached or given inline script.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if !strings.HasPrefix(r.URL.Path, "/ui/static/") {
		h.Set("Cache-Control", "no-store")
	}
	u.mux.ServeHTTP(w, r)
}

// view is what every page template reads.
type view struct {
	Title, Error string
	TokenName    string
	CVEQuery     string
	PackageQuery string

	Counts store.Counts
	Top    []store.RankedAdvisory
	Bases  []store.BaseImage

	Affected *store.Affected

	Image    *store.ImageDetail
	History  *store.ImageHistory
	Findings []store.Finding
	Layers   []layer

	PackageType, Versions string
	Types                 []string
	Searched              bool
	Packages              []store.PackageImages
}

type layer struct {
	Index    int
	Digest   string
	Packages int
}

// token checks the cookie like the API checks a bearer token: known, and
// holding the read scope.
func (u *UI) token(ctx context.Context, r *http.Request) (store.Token, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return store.Token{}, store.ErrNotFound
	}
	secret, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(secret) == 0 {
		return store.Token{}, store.ErrNotFound
	}
	return u.st.TokenBySecret(ctx, string(secret))
}

// authed renders page only for a request carrying a valid read token;
// others go to the login form (a token without the read scope gets 403).
func (u *UI) authed(page func(http.ResponseWriter, *http.Request, *view)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, err := u.token(r.Context(), r)
		switch {
		case errors.Is(err, store.ErrNotFound):
			http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
			return
		case err != nil:
			u.log.Error("ui token", "err", err)
			http.Error(w, "token lookup failed", http.StatusServiceUnavailable)
			return
		case !tok.Allows(store.ScopeRead):
			http.Error(w, "the token lacks the read scope", http.StatusForbidden)
			return
		}
		page(w, r, &view{TokenName: tok.Name})
	})
}

func (u *UI) getLogin(w http.ResponseWriter, r *http.Request) {
	u.renderLogin(w, http.StatusOK, "")
}

// postLogin checks the token and keeps it in the cookie. The form is
// accepted only from this origin (login CSRF).
func (u *UI) postLogin(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if ou, err := url.Parse(o); err != nil || ou.Host != r.Host {
			http.Error(w, "cross-origin login refused", http.StatusForbidden)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		u.renderLogin(w, http.StatusBadRequest, "invalid form")
		return
	}
	secret := strings.TrimSpace(r.PostForm.Get("token"))
	if secret == "" {
		u.renderLogin(w, http.StatusUnauthorized, "Enter a token.")
		return
	}
	tok, err := u.st.TokenBySecret(r.Context(), secret)
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.renderLogin(w, http.StatusUnauthorized, "Unknown token.")
		return
	case err != nil:
		u.log.Error("ui login", "err", err)
		u.renderLogin(w, http.StatusServiceUnavailable, "The token could not be checked; try again.")
		return
	case !tok.Allows(store.ScopeRead):
		u.renderLogin(w, http.StatusForbidden, "This token lacks the read scope.")
		return
	}
	// The secret is encoded: a bootstrap token may hold bytes a cookie
	// value cannot.
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: CookieValue(secret), Path: "/ui/", MaxAge: int(cookieAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/ui/", http.StatusSeeOther)
}

func (u *UI) postLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/ui/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
}

func (u *UI) renderLogin(w http.ResponseWriter, code int, msg string) {
	var b bytes.Buffer
	if err := u.login.ExecuteTemplate(&b, "login", map[string]string{"Error": msg}); err != nil {
		u.log.Error("ui render login", "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

// render executes a page into a buffer first, so that a template error
// never leaves half a page with a 200.
func (u *UI) render(w http.ResponseWriter, code int, page string, v *view) {
	var b bytes.Buffer
	if err := u.pages[page].ExecuteTemplate(&b, "layout", v); err != nil {
		u.log.Error("ui render", "page", page, "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

func (u *UI) fail(w http.ResponseWriter, v *view, err error) {
	u.log.Error("ui query", "err", err)
	v.Title, v.Error = "Error", "The query failed; see the server log."
	u.render(w, http.StatusInternalServerError, "error", v)
}

func (u *UI) dashboard(w http.ResponseWriter, r *http.Request, v *view) {
	ctx := r.Context()
	var err error
	v.Title = "Dashboard"
	if v.Counts, err = u.st.FleetCounts(ctx); err != nil {
		u.fail(w, v, err)
		return
	}
	if v.Top, err = u.st.TopVulnerabilities(ctx, 20); err != nil {
		u.fail(w, v, err)
		return
	}
	if v.Bases, err = u.st.BaseImages(ctx, ""); err != nil {
		u.fail(w, v, err)
		return
	}
	u.render(w, http.StatusOK, "dashboard", v)
}

func (u *UI) cve(w http.ResponseWriter, r *http.Request, v *view) {
	q := r.URL.Query()
	v.Title, v.CVEQuery = "Vulnerability search", strings.TrimSpace(q.Get("id"))
	if v.CVEQuery == "" {
		u.render(w, http.StatusOK, "cve", v)
		return
	}
	if len(v.CVEQuery) > 200 {
		v.Error = "That id is too long."
		u.render(w, http.StatusBadRequest, "cve", v)
		return
	}
	var page store.Page
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			v.Error = "Invalid page cursor."
			u.render(w, http.StatusBadRequest, "cve", v)
			return
		}
		page.After = n
	}
	page.Limit = 200
	a, err := u.st.Affected(r.Context(), v.CVEQuery, page)
	if err != nil {
		u.fail(w, v, err)
		return
	}
	v.Title, v.Affected = v.CVEQuery, a
	u.render(w, http.StatusOK, "cve", v)
}

func (u *UI) image(w http.ResponseWriter, r *http.Request, v *view) {
	ctx := r.Context()
	d := r.PathValue("digest")
	v.Title = "Image"
	if !store.ValidDigest(d) {
		v.Error = fmt.Sprintf("%q is not an image digest (sha256:<64 hex>).", d)
		u.render(w, http.StatusBadRequest, "error", v)
		return
	}
	var err error
	v.Image, err = u.st.ImageByDigest(ctx, d)
	if errors.Is(err, store.ErrNotFound) {
		v.Error = "The fleet has no image " + d + "."
		u.render(w, http.StatusNotFound, "error", v)
		return
	}
	if err != nil {
		u.fail(w, v, err)
		return
	}
	if v.History, err = u.st.History(ctx, d); err != nil {
		u.fail(w, v, err)
		return
	}
	if v.Findings, err = u.st.Findings(ctx, d); err != nil {
		u.fail(w, v, err)
		return
	}
	byIndex := map[int]*layer{}
	for _, p := range v.Image.Packages {
		l := byIndex[p.Layer]
		if l == nil {
			l = &layer{Index: p.Layer, Digest: p.LayerDigest}
			byIndex[p.Layer] = l
		}
		l.Packages++
	}
	for _, l := range byIndex {
		v.Layers = append(v.Layers, *l)
	}
	sort.Slice(v.Layers, func(i, j int) bool { return v.Layers[i].Index < v.Layers[j].Index })
	if len(v.Image.Refs) > 0 {
		v.Title = v.Image.Refs[0]
	}
	u.render(w, http.StatusOK, "image", v)
}

// packageTypes are the ecosystems a package search may name.
var packageTypes = []string{"Alpine", "Debian", "Go", "Maven", "npm", "PyPI", "RPM", "Ubuntu"}

func (u *UI) packages(w http.ResponseWriter, r *http.Request, v *view) {
	q := r.URL.Query()
	v.Title, v.Types = "Package search", packageTypes
	v.PackageQuery, v.PackageType, v.Versions = strings.TrimSpace(q.Get("name")), q.Get("type"), q.Get("versions")
	if v.PackageQuery == "" {
		u.render(w, http.StatusOK, "packages", v)
		return
	}
	if v.PackageType != "" && vuln.ComparerFor(v.PackageType) == nil {
		v.Error = fmt.Sprintf("Unknown package type %q.", v.PackageType)
		u.render(w, http.StatusBadRequest, "packages", v)
		return
	}
	if _, err := store.ParseRange(v.Versions); err != nil {
		v.Error = err.Error()
		u.render(w, http.StatusBadRequest, "packages", v)
		return
	}
	res, err := u.st.ImagesWithPackage(r.Context(), store.PackageQuery{Name: v.PackageQuery, Type: v.PackageType, Versions: v.Versions})
	if err != nil {
		u.fail(w, v, err)
		return
	}
	v.Searched, v.Packages = true, res
	u.render(w, http.StatusOK, "packages", v)
}
