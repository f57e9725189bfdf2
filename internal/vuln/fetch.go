package vuln

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DefaultOSVBase is where osv.dev publishes one all.zip per ecosystem.
const DefaultOSVBase = "https://osv-vulnerabilities.storage.googleapis.com"

// EnvOSVBase names the environment variable that overrides DefaultOSVBase
// (mirrors, tests).
const EnvOSVBase = "SHIPSHAPE_OSV_URL"

// Environment variables that move a default feed's base URL (a mirror, a
// test server).
const (
	EnvAlpineSecdbBase = "SHIPSHAPE_ALPINE_SECDB_URL"
	EnvDebianOVALBase  = "SHIPSHAPE_DEBIAN_OVAL_URL"
)

// Default bases of the distribution feeds.
const (
	DefaultAlpineSecdbBase = "https://secdb.alpinelinux.org"
	DefaultDebianOVALBase  = "https://www.debian.org/security/oval"
)

// ErrFeedNotFound is wrapped by a download that the server answered with
// 404: the feed is not published (a release too new or too old).
var ErrFeedNotFound = errors.New("not published (HTTP 404)")

// FeedBases are the base URLs of the default feeds; empty fields take
// their environment variable, then the default.
type FeedBases struct {
	OSV, AlpineSecdb, DebianOVAL string
}

func (b FeedBases) resolve() FeedBases {
	pick := func(v, env, def string) string {
		if v == "" {
			v = os.Getenv(env)
		}
		if v == "" {
			v = def
		}
		return strings.TrimRight(v, "/")
	}
	return FeedBases{
		OSV:         pick(b.OSV, EnvOSVBase, DefaultOSVBase),
		AlpineSecdb: pick(b.AlpineSecdb, EnvAlpineSecdbBase, DefaultAlpineSecdbBase),
		DebianOVAL:  pick(b.DebianOVAL, EnvDebianOVALBase, DefaultDebianOVALBase),
	}
}

// defaultOSVEcosystems are the OSV ecosystems of the packages the
// catalogers find outside distribution databases.
var defaultOSVEcosystems = []string{"Go", "PyPI", "npm", "Maven"}

// defaultAlpineReleases and defaultDebianReleases are the distribution
// releases whose advisories a new database fetches: every release still
// found in images, old ones included, since an image on an old release is
// exactly what needs its vulnerabilities known. A release a feed does not
// publish is skipped.
var (
	defaultAlpineReleases = []string{"v3.12", "v3.13", "v3.14", "v3.15", "v3.16", "v3.17", "v3.18", "v3.19", "v3.20", "v3.21", "v3.22", "v3.23", "v3.24"}
	defaultDebianReleases = []string{"buster", "bullseye", "bookworm", "trixie"}
)

// DefaultFeeds are the URLs a new database is filled from by `db update`:
// osv.dev's archive of every ecosystem the catalogers produce, Alpine's
// secdb (main and community) and Debian's OVAL definitions per release.
func DefaultFeeds(b FeedBases) []string {
	b = b.resolve()
	var out []string
	for _, eco := range defaultOSVEcosystems {
		out = append(out, b.OSV+"/"+url.PathEscape(eco)+"/all.zip")
	}
	for _, rel := range defaultAlpineReleases {
		out = append(out, b.AlpineSecdb+"/"+rel+"/main.json", b.AlpineSecdb+"/"+rel+"/community.json")
	}
	for _, rel := range defaultDebianReleases {
		out = append(out, b.DebianOVAL+"/oval-definitions-"+rel+".xml.bz2")
	}
	return out
}

// FetchOptions configure how sources given as URLs are downloaded.
type FetchOptions struct {
	// UserAgent identifies the client to the server.
	UserAgent string
	// Progress, when set, is told about each download (its URL and size,
	// -1 when unknown) and returns a writer that sees every byte and a
	// function called when the download ends.
	Progress func(name string, total int64) (w io.Writer, done func())
	// Client is the HTTP client; nil means one with sensible timeouts.
	Client *http.Client
	// SkipMissing skips a URL the server answers with 404 (the feed is not
	// published) instead of failing the whole import.
	SkipMissing bool
}

// ImportResult is what ImportSources did.
type ImportResult struct {
	Imported []Imported
	// Skipped are the URLs skipped as not published (SkipMissing).
	Skipped []string
}

// defaultClient bounds connecting and waiting for headers, not the body:
// an all.zip of a large ecosystem takes a while on a slow link.
var defaultClient = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 15 * time.Second}).DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	},
}

// IsURL reports whether a source is to be downloaded.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// ImportSources imports every source (a file, a directory, or a URL
// downloaded beside the database first) into one temporary copy of the
// database at path, and commits it only when all of them succeeded: a
// failed or interrupted import leaves the previous database intact.
func ImportSources(ctx context.Context, path string, srcs []string, o FetchOptions, now time.Time) (*ImportResult, error) {
	w, err := Create(path)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	committed := false
	defer func() {
		if !committed {
			w.Abort()
		}
	}()
	res := &ImportResult{}
	for _, src := range srcs {
		local, cleanup, err := fetch(ctx, src, path, o)
		if err != nil && o.SkipMissing && errors.Is(err, ErrFeedNotFound) {
			res.Skipped = append(res.Skipped, src)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w (database unchanged)", src, err)
		}
		ims, err := Import(w, local, src, now)
		cleanup()
		if err != nil {
			return nil, fmt.Errorf("import %s: %w (database unchanged)", src, err)
		}
		res.Imported = append(res.Imported, ims...)
	}
	if len(res.Imported) == 0 {
		return nil, fmt.Errorf("none of %d sources could be fetched (database unchanged)", len(srcs))
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("import interrupted: %w (database unchanged)", err)
	}
	if err := w.Commit(now); err != nil {
		return nil, fmt.Errorf("write database %s: %w", path, err)
	}
	committed = true
	return res, nil
}

// UpdateSources plans an update from a database's status: osv.dev's
// all.zip under base for every OSV ecosystem it holds, and every source
// imported from a URL. Sources imported from local files cannot be fetched
// again; they are returned in keep, described for the user.
func UpdateSources(st Status, bases FeedBases) (urls, keep []string) {
	base := bases.resolve().OSV
	seen := map[string]bool{}
	add := func(u string) {
		if !seen[u] {
			seen[u] = true
			urls = append(urls, u)
		}
	}
	for _, s := range st.Sources {
		switch {
		case strings.HasPrefix(s.Name, "osv:"):
			for _, eco := range strings.Split(strings.TrimPrefix(s.Name, "osv:"), ",") {
				add(base + "/" + url.PathEscape(eco) + "/all.zip")
			}
		case IsURL(s.Origin):
			add(s.Origin)
		default:
			keep = append(keep, s.Name+" (from "+s.Origin+")")
		}
	}
	sort.Strings(keep)
	return urls, keep
}

// fetch returns a local path for src: the path itself, or a URL
// downloaded to a temporary file beside the database db (the same disk
// holds both; an import killed mid-download leaves it for the next import
// to remove), with the function that removes it.
func fetch(ctx context.Context, src, db string, o FetchOptions) (string, func(), error) {
	if !IsURL(src) {
		if _, err := os.Stat(src); err != nil {
			return "", func() {}, err
		}
		return src, func() {}, nil
	}
	dir := filepath.Dir(db)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", func() {}, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(db)+"-download-*")
	if err != nil {
		return "", func() {}, err
	}
	cleanup := func() { os.Remove(f.Name()) }
	if err := download(ctx, src, f, o); err != nil {
		f.Close()
		cleanup()
		return "", func() {}, err
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", func() {}, err
	}
	return f.Name(), cleanup, nil
}

func download(ctx context.Context, src string, w io.Writer, o FetchOptions) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return err
	}
	if o.UserAgent != "" {
		req.Header.Set("User-Agent", o.UserAgent)
	}
	client := o.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("download: %w", ErrFeedNotFound)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download: HTTP %s", resp.Status)
	}
	var body io.Reader = resp.Body
	if o.Progress != nil {
		pw, done := o.Progress(src, resp.ContentLength)
		defer done()
		body = io.TeeReader(resp.Body, pw)
	}
	if _, err := io.Copy(w, body); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	return nil
}
