package vuln

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// The database layout. bbolt is a B+tree in one memory-mapped file: a
// lookup touches only the pages on the path to its key, and opening it
// reads two meta pages, so neither scans nor loads the whole database.
//
//	meta                    schema version, built time
//	sources                 source name -> JSON SourceStatus
//	srckeys/<source>        "<ecosystem>\x00<package>" -> "" (what a source wrote)
//	eco/<ecosystem>         normalised package name -> JSON []record
const (
	schemaVersion  = "1"
	bucketMeta     = "meta"
	bucketSources  = "sources"
	prefixSrcKeys  = "srckeys/"
	prefixEco      = "eco/"
	keySchema      = "schema"
	keyBuilt       = "built"
	openTimeout    = 5 * time.Second
	defaultDBName  = "vuln.db"
	defaultDirName = "shipshape"
)

// ErrCorrupt reports a database file that is not a shipshape database or
// is damaged; the CLI exits 2 on it.
var ErrCorrupt = errors.New("vulnerability database is corrupt or not a shipshape database")

// ErrNoDatabase reports a missing database file.
var ErrNoDatabase = errors.New("no vulnerability database, run `shipshape db update` to fetch the default feeds (or `shipshape db import FILE` for local data)")

// DefaultPath is the database in the user cache directory.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("user cache directory: %w", err)
	}
	return filepath.Join(dir, defaultDirName, defaultDBName), nil
}

// NormalizeName is the key a package name is stored under: PyPI names are
// normalised as PEP 503 says (case and runs of -_. do not matter); other
// ecosystems are case-sensitive and kept as they are.
func NormalizeName(ecosystem, name string) string {
	if BaseEcosystem(ecosystem) != "PyPI" {
		return name
	}
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// record is the compact stored form of an advisory restricted to one
// affected package. Details are not stored: the summary and references
// are what a finding shows.
type record struct {
	ID       string        `json:"i"`
	Aliases  []string      `json:"a,omitempty"`
	Summary  string        `json:"s,omitempty"`
	Modified *time.Time    `json:"m,omitempty"`
	Severity []Severity    `json:"v,omitempty"`
	Affected []recAffected `json:"f"`
	Refs     []string      `json:"r,omitempty"`
	Source   string        `json:"o"`
}

type recAffected struct {
	Ranges   []recRange     `json:"r,omitempty"`
	Versions []string       `json:"v,omitempty"`
	Specific map[string]any `json:"e,omitempty"`
}

type recRange struct {
	Type   string     `json:"t"`
	Events [][]string `json:"e"` // [kind, version], kind one of i f l x
}

func toRecord(a Advisory, aff []Affected) record {
	r := record{ID: a.ID, Aliases: a.Aliases, Summary: a.Summary, Severity: a.Severity, Refs: a.References, Source: a.Source}
	if !a.Modified.IsZero() && a.Modified.Year() > 1 {
		m := a.Modified.UTC()
		r.Modified = &m
	}
	for _, af := range aff {
		ra := recAffected{Versions: af.Versions, Specific: af.EcosystemSpecific}
		for _, rg := range af.Ranges {
			rr := recRange{Type: rg.Type}
			for _, e := range rg.Events {
				switch {
				case e.Introduced != "":
					rr.Events = append(rr.Events, []string{"i", e.Introduced})
				case e.Fixed != "":
					rr.Events = append(rr.Events, []string{"f", e.Fixed})
				case e.LastAffected != "":
					rr.Events = append(rr.Events, []string{"l", e.LastAffected})
				case e.Limit != "":
					rr.Events = append(rr.Events, []string{"x", e.Limit})
				}
			}
			ra.Ranges = append(ra.Ranges, rr)
		}
		r.Affected = append(r.Affected, ra)
	}
	return r
}

func (r record) advisory(ecosystem, pkg string) Advisory {
	a := Advisory{ID: r.ID, Aliases: r.Aliases, Summary: r.Summary, Severity: r.Severity, References: r.Refs, Source: r.Source}
	if r.Modified != nil {
		a.Modified = *r.Modified
	}
	for _, ra := range r.Affected {
		af := Affected{Ecosystem: ecosystem, Package: pkg, Versions: ra.Versions, EcosystemSpecific: ra.Specific}
		for _, rr := range ra.Ranges {
			rg := Range{Type: rr.Type}
			for _, e := range rr.Events {
				if len(e) != 2 {
					continue
				}
				switch e[0] {
				case "i":
					rg.Events = append(rg.Events, Event{Introduced: e[1]})
				case "f":
					rg.Events = append(rg.Events, Event{Fixed: e[1]})
				case "l":
					rg.Events = append(rg.Events, Event{LastAffected: e[1]})
				case "x":
					rg.Events = append(rg.Events, Event{Limit: e[1]})
				}
			}
			af.Ranges = append(af.Ranges, rg)
		}
		a.Affected = append(a.Affected, af)
	}
	return a
}

// DB is the bbolt-backed Store.
type DB struct {
	path string
	db   *bolt.DB
}

var _ Store = (*DB)(nil)

// Open opens an existing database read-only. A missing file is
// ErrNoDatabase; a file that is not a shipshape database is ErrCorrupt.
func Open(path string) (*DB, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoDatabase)
		}
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory: %w", path, ErrCorrupt)
	}
	if st.Size() == 0 {
		// bbolt would try to initialise an empty file, which a read-only
		// open cannot ("bad file descriptor").
		return nil, fmt.Errorf("%s: empty file: %w", path, ErrCorrupt)
	}
	db, err := openBolt(path, true)
	if err != nil {
		return nil, err
	}
	return &DB{path: path, db: db}, nil
}

func openBolt(path string, readOnly bool) (db *bolt.DB, err error) {
	// bbolt panics on some damaged files instead of returning an error;
	// a damaged file is an input error, not a crash.
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%s: %v: %w", path, r, ErrCorrupt)
		}
	}()
	db, err = bolt.Open(path, 0o644, &bolt.Options{ReadOnly: readOnly, Timeout: openTimeout})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%s: database is locked by another shipshape process", path)
		}
		return nil, fmt.Errorf("%s: %v: %w", path, err, ErrCorrupt)
	}
	fi, err := os.Stat(path)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := db.View(func(tx *bolt.Tx) error {
		// A truncated file still has intact meta pages; its pages past
		// the end would fault on first access. The meta page's high
		// water mark says how long the file must be.
		if tx.Size() > fi.Size() {
			return fmt.Errorf("%s: truncated (%d of %d bytes): %w", path, fi.Size(), tx.Size(), ErrCorrupt)
		}
		m := tx.Bucket([]byte(bucketMeta))
		if m == nil || string(m.Get([]byte(keySchema))) != schemaVersion {
			return fmt.Errorf("%s: no shipshape schema %s metadata: %w", path, schemaVersion, ErrCorrupt)
		}
		return nil
	}); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Path is the database file.
func (d *DB) Path() string { return d.path }

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Lookup reads one key of one ecosystem bucket.
func (d *DB) Lookup(ecosystem, pkg string) (out []Advisory, err error) {
	// A page damaged in place would fault inside bbolt's memory map;
	// report it as a corrupt database instead of crashing.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%s: %v: %w", d.path, r, ErrCorrupt)
		}
	}()
	err = d.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(prefixEco + ecosystem))
		if b == nil {
			return nil
		}
		v := b.Get([]byte(NormalizeName(ecosystem, pkg)))
		if v == nil {
			return nil
		}
		var recs []record
		if err := json.Unmarshal(v, &recs); err != nil {
			return fmt.Errorf("%s %s: %v: %w", ecosystem, pkg, err, ErrCorrupt)
		}
		for _, r := range recs {
			out = append(out, r.advisory(ecosystem, pkg))
		}
		return nil
	})
	return out, err
}

// Ecosystems lists the ecosystems the database holds advisories for.
func (d *DB) Ecosystems() ([]string, error) {
	var out []string
	err := d.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if s := string(name); strings.HasPrefix(s, prefixEco) {
				out = append(out, strings.TrimPrefix(s, prefixEco))
			}
			return nil
		})
	})
	return out, err
}

// Status reads the metadata bucket and counts keys per ecosystem bucket
// from bbolt's statistics (no value is decoded).
func (d *DB) Status() (Status, error) {
	st := Status{Path: d.path}
	err := d.db.View(func(tx *bolt.Tx) error {
		if m := tx.Bucket([]byte(bucketMeta)); m != nil {
			if t, err := time.Parse(time.RFC3339Nano, string(m.Get([]byte(keyBuilt)))); err == nil {
				st.Built = t
			}
		}
		if s := tx.Bucket([]byte(bucketSources)); s != nil {
			if err := s.ForEach(func(_, v []byte) error {
				var ss SourceStatus
				if err := json.Unmarshal(v, &ss); err != nil {
					return fmt.Errorf("source metadata: %v: %w", err, ErrCorrupt)
				}
				st.Sources = append(st.Sources, ss)
				st.Advisory += ss.Records
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	sort.Slice(st.Sources, func(i, j int) bool { return st.Sources[i].Name < st.Sources[j].Name })
	return st, err
}

// Writer imports advisories into a temporary copy of the database; Commit
// renames it over the original, Abort removes it, so a failed or
// interrupted import leaves the previous database intact.
type Writer struct {
	path    string
	tmpPath string
	lock    *importLock
	db      *bolt.DB
	tx      *bolt.Tx
	source  string
	srcKeys *bolt.Bucket
	count   int
	seen    map[string]bool
	buf     map[bufKey][]record
	index   map[bufKey]map[string]int
	keys    []bufKey
}

// Create starts an import into the database at path (created when
// missing). The caller must Commit or Abort.
//
// Create waits for any other import of the same database to finish (an
// exclusive lock held until Commit or Abort), so that concurrent imports
// apply one after the other and none is lost.
func Create(path string) (w *Writer, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	lock, err := lockImports(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.unlock()
		}
	}()
	// Holding the lock, every temporary copy of this database is left
	// over from an import that was killed: no live import can own one.
	removeStaleTemps(path)
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return nil, err
	}
	tmpPath := tmp.Name()
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		tmp.Close()
		os.Remove(tmpPath)
		return nil, fmt.Errorf("%s: empty file (delete it to start a new database): %w", path, ErrCorrupt)
	}
	if src, err := os.Open(path); err == nil {
		// Validate the old database before copying it: importing on top
		// of a corrupt file must fail, not silently keep garbage.
		old, oerr := openBolt(path, true)
		if oerr != nil {
			src.Close()
			tmp.Close()
			os.Remove(tmpPath)
			return nil, oerr
		}
		old.Close()
		_, err = io.Copy(tmp, src)
		src.Close()
		if err != nil {
			tmp.Close()
			os.Remove(tmpPath)
			return nil, fmt.Errorf("copy database: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		tmp.Close()
		os.Remove(tmpPath)
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmpPath)
		return nil, err
	}
	db, err := bolt.Open(tmpPath, 0o644, &bolt.Options{Timeout: openTimeout, NoSync: true})
	if err != nil {
		os.Remove(tmpPath)
		return nil, fmt.Errorf("open temporary database: %w", err)
	}
	w = &Writer{path: path, tmpPath: tmpPath, db: db, lock: lock}
	if err := db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists([]byte(bucketMeta))
		if err != nil {
			return err
		}
		if err := m.Put([]byte(keySchema), []byte(schemaVersion)); err != nil {
			return err
		}
		_, err = tx.CreateBucketIfNotExists([]byte(bucketSources))
		return err
	}); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// tempPattern names the temporary copies of one database, so that an
// import removes only its own database's leftovers.
func tempPattern(db string) string { return "." + filepath.Base(db) + "-*.tmp" }

// removeStaleTemps removes temporary copies of db (and, for databases
// written before copies were named per database, the old ".vuln-*.db.tmp"
// ones older than a day) left by imports that were killed; the caller
// holds the import lock. Downloads left beside the database go too.
func removeStaleTemps(db string) {
	dir := filepath.Dir(db)
	own, _ := filepath.Glob(filepath.Join(dir, tempPattern(db)))
	dl, _ := filepath.Glob(filepath.Join(dir, "."+filepath.Base(db)+"-download-*"))
	for _, p := range append(own, dl...) {
		os.Remove(p)
	}
	legacy, _ := filepath.Glob(filepath.Join(dir, ".vuln-*.db.tmp"))
	for _, p := range legacy {
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(p)
		}
	}
}

// BeginSource starts (or replaces) one source: everything an earlier
// import of the same source wrote is removed first, in the same
// transaction as the new records.
func (w *Writer) BeginSource(name string) error {
	if w.tx != nil {
		return errors.New("vuln: BeginSource inside an open source")
	}
	tx, err := w.db.Begin(true)
	if err != nil {
		return err
	}
	w.tx, w.source, w.count, w.seen = tx, name, 0, map[string]bool{}
	w.buf, w.index, w.keys = map[bufKey][]record{}, map[bufKey]map[string]int{}, nil
	if err := w.removeSource(name); err != nil {
		w.rollback()
		return err
	}
	w.srcKeys, err = tx.CreateBucket([]byte(prefixSrcKeys + name))
	if err != nil {
		w.rollback()
		return err
	}
	return nil
}

func (w *Writer) rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
}

func (w *Writer) removeSource(name string) error {
	keys := w.tx.Bucket([]byte(prefixSrcKeys + name))
	if keys == nil {
		return nil
	}
	if err := keys.ForEach(func(k, _ []byte) error {
		eco, pkg, ok := strings.Cut(string(k), "\x00")
		if !ok {
			return nil
		}
		if eco == srcKeySeverity {
			return w.removeSeverity(pkg)
		}
		b := w.tx.Bucket([]byte(prefixEco + eco))
		if b == nil {
			return nil
		}
		v := b.Get([]byte(pkg))
		if v == nil {
			return nil
		}
		var recs []record
		if err := json.Unmarshal(v, &recs); err != nil {
			return fmt.Errorf("%s %s: %v: %w", eco, pkg, err, ErrCorrupt)
		}
		kept := recs[:0]
		for _, r := range recs {
			if r.Source != name {
				kept = append(kept, r)
			}
		}
		if len(kept) == 0 {
			return b.Delete([]byte(pkg))
		}
		nv, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		return b.Put([]byte(pkg), nv)
	}); err != nil {
		return err
	}
	if err := w.tx.DeleteBucket([]byte(prefixSrcKeys + name)); err != nil {
		return err
	}
	return w.tx.Bucket([]byte(bucketSources)).Delete([]byte(name))
}

// Add stores one advisory under every (ecosystem, package) it affects.
// The advisory's Source is set to the current source. Records are
// buffered per key and written once by EndSource, so a package with
// thousands of advisories (chromium, linux) is encoded once.
func (w *Writer) Add(a Advisory) error {
	if w.tx == nil {
		return errors.New("vuln: Add outside BeginSource")
	}
	if a.ID == "" {
		return errors.New("advisory without id")
	}
	a.Source = w.source
	groups := map[bufKey][]Affected{}
	var order []bufKey
	for _, af := range a.Affected {
		if af.Ecosystem == "" || af.Package == "" {
			continue
		}
		k := bufKey{af.Ecosystem, NormalizeName(af.Ecosystem, af.Package)}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], af)
	}
	for _, k := range order {
		nr := toRecord(a, groups[k])
		if i, ok := w.index[k][a.ID]; ok {
			w.buf[k][i] = nr
			continue
		}
		if w.index[k] == nil {
			w.index[k] = map[string]int{}
			w.keys = append(w.keys, k)
		}
		w.index[k][a.ID] = len(w.buf[k])
		w.buf[k] = append(w.buf[k], nr)
	}
	if !w.seen[a.ID] {
		w.seen[a.ID] = true
		w.count++
	}
	return w.indexSeverity(a)
}

type bufKey struct{ eco, pkg string }

func (w *Writer) flush() error {
	// Sorted keys and a high fill percent pack pages densely: the
	// database is written in bulk and read many times.
	sort.Slice(w.keys, func(i, j int) bool {
		if w.keys[i].eco != w.keys[j].eco {
			return w.keys[i].eco < w.keys[j].eco
		}
		return w.keys[i].pkg < w.keys[j].pkg
	})
	for _, k := range w.keys {
		b, err := w.tx.CreateBucketIfNotExists([]byte(prefixEco + k.eco))
		if err != nil {
			return err
		}
		b.FillPercent = 0.95
		var recs []record
		if v := b.Get([]byte(k.pkg)); v != nil {
			if err := json.Unmarshal(v, &recs); err != nil {
				return fmt.Errorf("%s %s: %v: %w", k.eco, k.pkg, err, ErrCorrupt)
			}
		}
		recs = append(recs, w.buf[k]...)
		v, err := json.Marshal(recs)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(k.pkg), v); err != nil {
			return err
		}
		if err := w.srcKeys.Put([]byte(k.eco+"\x00"+k.pkg), nil); err != nil {
			return err
		}
	}
	return nil
}

// EndSource writes the source's records and metadata and commits its
// transaction (to the temporary file; the database itself changes only on
// Commit).
func (w *Writer) EndSource(origin string, imported time.Time) (int, error) {
	if w.tx == nil {
		return 0, errors.New("vuln: EndSource outside BeginSource")
	}
	if err := w.flush(); err != nil {
		w.rollback()
		return 0, err
	}
	ss := SourceStatus{Name: w.source, Imported: imported.UTC(), Records: w.count, Origin: origin}
	v, err := json.Marshal(ss)
	if err != nil {
		w.rollback()
		return 0, err
	}
	if err := w.tx.Bucket([]byte(bucketSources)).Put([]byte(w.source), v); err != nil {
		w.rollback()
		return 0, err
	}
	err = w.tx.Commit()
	w.tx = nil
	return w.count, err
}

// AbortSource drops the records of the source being imported.
func (w *Writer) AbortSource() { w.rollback() }

// Commit stamps the build time, syncs the temporary file and renames it
// over the database.
func (w *Writer) Commit(now time.Time) error {
	defer w.lock.unlock()
	if w.tx != nil {
		w.rollback()
		w.Abort()
		return errors.New("vuln: Commit with an open source")
	}
	err := w.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyBuilt), []byte(now.UTC().Format(time.RFC3339Nano)))
	})
	if err == nil {
		err = w.db.Sync()
	}
	if cerr := w.db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(w.tmpPath)
		return err
	}
	if err := os.Chmod(w.tmpPath, 0o644); err != nil {
		os.Remove(w.tmpPath)
		return err
	}
	if err := os.Rename(w.tmpPath, w.path); err != nil {
		os.Remove(w.tmpPath)
		return err
	}
	return nil
}

// Abort discards the temporary copy; the database is untouched.
func (w *Writer) Abort() {
	w.rollback()
	w.db.Close()
	os.Remove(w.tmpPath)
	w.lock.unlock()
}
