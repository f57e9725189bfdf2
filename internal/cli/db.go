package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func newDBCmd(e *env) *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Manage the offline vulnerability database (import, update, status)",
		Long: `The vulnerability database is one local file (by default in the user cache
directory, --db PATH to choose) holding OSV records, Alpine secdb and Debian
OVAL data. Imports and updates write a temporary copy and rename it over the
database, so a failed or interrupted import leaves the previous one intact.`,
	}
	cmd.PersistentFlags().StringVar(&dbPath, "db", "", "vulnerability database file (default: <user cache dir>/shipshape/vuln.db)")
	cmd.AddCommand(newDBImportCmd(e, &dbPath), newDBUpdateCmd(e, &dbPath), newDBStatusCmd(e, &dbPath))
	return cmd
}

// resolveDBPath returns --db or the default location.
func resolveDBPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	p, err := vuln.DefaultPath()
	if err != nil {
		return "", &exitError{code: ExitError, err: err}
	}
	return p, nil
}

func dbErr(err error) error {
	return &exitError{code: ExitError, err: err}
}

func newDBImportCmd(e *env, dbPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|DIR|URL...",
		Short: "Import OSV records (JSON, directories, osv.dev all.zip), Alpine secdb JSON or Debian OVAL XML",
		Example: `  shipshape db import Go.zip PyPI.zip
  shipshape db import alpine/secdb/                 # every v3.x/{main,community}.json
  shipshape db import oval-definitions-bookworm.xml.bz2
  shipshape db import https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := resolveDBPath(*dbPath)
			if err != nil {
				return err
			}
			return runImport(e, path, args, nil, false)
		},
	}
}

// runImport imports every source into one temporary copy of the database
// and commits it only when all of them succeeded. keep lists sources to
// report as kept.
//
// skipMissing skips feeds the server does not publish (404) with a warning.
func runImport(e *env, path string, srcs []string, keep []string, skipMissing bool) error {
	res, err := vuln.ImportSources(e.ctx, path, srcs, vuln.FetchOptions{UserAgent: "shipshape/" + e.build.Version, Progress: progressBar(e.stderr), SkipMissing: skipMissing}, time.Now())
	if err != nil {
		return dbErr(err)
	}
	for _, u := range res.Skipped {
		fmt.Fprintf(e.stderr, "shipshape: skipped %s: not published (HTTP 404)\n", u)
	}
	for _, im := range res.Imported {
		extra := ""
		if im.Skipped > 0 {
			extra = fmt.Sprintf(" (%d not-affected or withdrawn entries skipped)", im.Skipped)
		}
		fmt.Fprintf(e.stdout, "imported %s: %d advisories from %s%s\n", im.Name, im.Records, im.Origin, extra)
	}
	for _, k := range keep {
		fmt.Fprintf(e.stdout, "kept %s\n", k)
	}
	fmt.Fprintf(e.stdout, "database %s\n", path)
	return nil
}

// progressBar draws download progress when stderr is a terminal; nil
// otherwise, so that logs stay clean.
func progressBar(stderr io.Writer) func(string, int64) (io.Writer, func()) {
	f, ok := stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return func(name string, total int64) (io.Writer, func()) {
		p := &progress{w: stderr, name: name, total: total}
		return p, p.done
	}
}

// progress draws a one-line progress bar on a terminal.
type progress struct {
	w     io.Writer
	name  string
	total int64
	n     int64
	last  time.Time
}

func (p *progress) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if time.Since(p.last) > 100*time.Millisecond {
		p.last = time.Now()
		p.draw()
	}
	return len(b), nil
}

func (p *progress) draw() {
	const width = 30
	mib := float64(p.n) / (1 << 20)
	if p.total > 0 {
		frac := float64(p.n) / float64(p.total)
		fill := int(frac * width)
		if fill > width {
			fill = width
		}
		fmt.Fprintf(p.w, "\r%s [%s%s] %.1f/%.1f MiB", p.name, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), mib, float64(p.total)/(1<<20))
		return
	}
	fmt.Fprintf(p.w, "\r%s %.1f MiB", p.name, mib)
}

func (p *progress) done() {
	p.draw()
	fmt.Fprintln(p.w)
}

func newDBUpdateCmd(e *env, dbPath *string) *cobra.Command {
	var bases vuln.FeedBases
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Fetch the vulnerability feeds: the default set for a new database, or again every source imported from a URL",
		Long: `On a new (missing) database, update fetches the default feeds: osv.dev's
archive for Go, PyPI, npm and Maven, Alpine's secdb (main and community) for
every release from v3.12 on, and Debian's OVAL definitions for buster,
bullseye, bookworm and trixie. A feed the server does not publish (HTTP 404,
a release too new or too old) is skipped with a warning; any other failure
(an unreachable host, a bad archive) exits 2 and leaves the database as it
was.

On an existing database, update re-downloads osv.dev's archive for every
OSV ecosystem in it and every other source that was imported from a URL;
sources imported from local files are kept as they are.

Everything is downloaded and imported into a temporary copy first and
renamed over the database only when all of it succeeded. --osv-url,
--alpine-secdb-url and --debian-oval-url (or $SHIPSHAPE_OSV_URL,
$SHIPSHAPE_ALPINE_SECDB_URL, $SHIPSHAPE_DEBIAN_OVAL_URL) point at a mirror.`,
		Example: `  shipshape db update
  shipshape db update --db ./vuln.db --osv-url https://mirror.example.com/osv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := resolveDBPath(*dbPath)
			if err != nil {
				return err
			}
			db, err := vuln.Open(path)
			if errors.Is(err, vuln.ErrNoDatabase) {
				fmt.Fprintf(e.stderr, "shipshape: %s does not exist yet: fetching the default feeds\n", path)
				return runImport(e, path, vuln.DefaultFeeds(bases), nil, true)
			}
			if err != nil {
				return dbErr(err)
			}
			st, err := db.Status()
			db.Close()
			if err != nil {
				return dbErr(err)
			}
			urls, keep := vuln.UpdateSources(st, bases)
			if len(urls) == 0 {
				return dbErr(fmt.Errorf("database %s has no downloadable sources (import an osv.dev archive or a URL first)", path))
			}
			return runImport(e, path, urls, keep, false)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&bases.OSV, "osv-url", "", "base URL of the OSV per-ecosystem archives (default "+vuln.DefaultOSVBase+")")
	fl.StringVar(&bases.AlpineSecdb, "alpine-secdb-url", "", "base URL of Alpine's secdb (default "+vuln.DefaultAlpineSecdbBase+")")
	fl.StringVar(&bases.DebianOVAL, "debian-oval-url", "", "base URL of Debian's OVAL definitions (default "+vuln.DefaultDebianOVALBase+")")
	return cmd
}

func newDBStatusCmd(e *env, dbPath *string) *cobra.Command {
	var format string
	var quick bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the database's sources, record counts and age, after reading all of it to check it",
		Long: `Status reads the whole database (every page through bbolt's consistency
check, then every advisory record) before it reports, so that a damaged
database exits 2 here rather than in the middle of a scan. --quick reads
only the metadata. Exit codes: 0 healthy, 2 missing, corrupt or unreadable.`,
		Example: `  shipshape db status
  shipshape db status --format json --db ./vuln.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format: want text or json, got %q", format)
			}
			path, err := resolveDBPath(*dbPath)
			if err != nil {
				return err
			}
			db, err := vuln.Open(path)
			if err != nil {
				return dbErr(err)
			}
			defer db.Close()
			st, err := db.Status()
			if err != nil {
				return dbErr(err)
			}
			// Read every page and record: a database whose meta pages are
			// intact can still be damaged where only some lookups go.
			if !quick {
				if _, err := db.Verify(); err != nil {
					return dbErr(err)
				}
			}
			now := time.Now()
			if format == "json" {
				type src struct {
					Name     string    `json:"name"`
					Origin   string    `json:"origin"`
					Imported time.Time `json:"imported"`
					Records  int       `json:"records"`
				}
				out := struct {
					SchemaVersion string `json:"schemaVersion"`
					Path          string `json:"path"`
					Built         string `json:"built"`
					AgeSeconds    int64  `json:"ageSeconds"`
					Advisories    int    `json:"advisories"`
					Sources       []src  `json:"sources"`
					SizeBytes     int64  `json:"sizeBytes"`
				}{SchemaVersion: "1", Path: st.Path, Built: st.Built.UTC().Format(time.RFC3339), AgeSeconds: int64(now.Sub(st.Built).Seconds()), Advisories: st.Advisory, Sources: []src{}}
				if fi, err := os.Stat(path); err == nil {
					out.SizeBytes = fi.Size()
				}
				for _, s := range st.Sources {
					out.Sources = append(out.Sources, src{s.Name, s.Origin, s.Imported.UTC(), s.Records})
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			fmt.Fprintf(e.stdout, "database  %s\n", st.Path)
			fmt.Fprintf(e.stdout, "built     %s (%s ago)\n", st.Built.UTC().Format(time.RFC3339), age(now.Sub(st.Built)))
			fmt.Fprintf(e.stdout, "records   %d advisories in %d sources\n\n", st.Advisory, len(st.Sources))
			for _, s := range st.Sources {
				fmt.Fprintf(e.stdout, "%-32s %7d  %s ago  %s\n", s.Name, s.Records, age(now.Sub(s.Imported)), s.Origin)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&quick, "quick", false, "read only the metadata, not every page and record")
	return cmd
}

func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
