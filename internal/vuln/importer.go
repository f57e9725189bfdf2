package vuln

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// maxRecordSize caps one OSV record read from an archive.
const maxRecordSize = 32 << 20

// Imported is one source written by an import.
type Imported struct {
	Name    string
	Origin  string
	Records int
	// Skipped counts entries deliberately not stored (withdrawn OSV
	// records and secdb "0" keys, which mean not affected). Debian OVAL
	// "less than 0" tests are not skipped: they are the open issues.
	Skipped int
}

// Import reads a file or directory and writes every source it holds into
// w. origin is what the user named (a path or URL) and is recorded in the
// source metadata. Any malformed input fails the whole import; the caller
// then aborts the Writer and the database is untouched.
func Import(w *Writer, path, origin string, now time.Time) ([]Imported, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return importDir(w, path, origin, now)
	}
	kind, err := sniff(path)
	if err != nil {
		return nil, err
	}
	switch kind {
	case kindZip:
		return one(importOSVZip(w, path, origin, now))
	case kindOVAL:
		return one(importOVAL(w, path, origin, now))
	case kindSecdb:
		return one(importSecdb(w, path, origin, now))
	case kindOSV:
		abs, _ := filepath.Abs(path)
		return one(importOSVFiles(w, "osv-file:"+abs, []string{path}, origin, now))
	}
	return nil, fmt.Errorf("%s: not an OSV record, OSV zip, Alpine secdb or Debian OVAL file", path)
}

func one(im Imported, err error) ([]Imported, error) {
	if err != nil {
		return nil, err
	}
	return []Imported{im}, nil
}

type fileKind int

const (
	kindUnknown fileKind = iota
	kindZip
	kindOVAL
	kindSecdb
	kindOSV
)

var bz2Magic = []byte("BZh")

// sniff decides what a file is by its content, not its name: downloaded
// URLs land in temporary files.
func sniff(path string) (fileKind, error) {
	f, err := os.Open(path)
	if err != nil {
		return kindUnknown, err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return kindZip, nil
	case bytes.HasPrefix(head, bz2Magic), bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return kindOVAL, nil // compressed XML is the only compressed single file we take
	}
	t := bytes.TrimSpace(head)
	switch {
	case bytes.HasPrefix(t, []byte("<")):
		return kindOVAL, nil
	case bytes.HasPrefix(t, []byte("{")):
		if bytes.Contains(head, []byte(`"distroversion"`)) || bytes.Contains(head, []byte(`"secfixes"`)) {
			return kindSecdb, nil
		}
		return kindOSV, nil
	case bytes.HasPrefix(t, []byte("[")):
		return kindOSV, nil
	}
	return kindUnknown, nil
}

func importDir(w *Writer, dir, origin string, now time.Time) ([]Imported, error) {
	var out []Imported
	var osvFiles []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		name := strings.ToLower(d.Name())
		if !strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".zip") &&
			!strings.Contains(name, ".xml") {
			return nil
		}
		kind, err := sniff(p)
		if err != nil {
			return err
		}
		var im Imported
		switch kind {
		case kindOSV:
			osvFiles = append(osvFiles, p)
			return nil
		case kindZip:
			im, err = importOSVZip(w, p, p, now)
		case kindOVAL:
			im, err = importOVAL(w, p, p, now)
		case kindSecdb:
			im, err = importSecdb(w, p, p, now)
		default:
			return nil
		}
		if err != nil {
			return err
		}
		out = append(out, im)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(osvFiles) > 0 {
		abs, _ := filepath.Abs(dir)
		im, err := importOSVFiles(w, "osv-dir:"+abs, osvFiles, origin, now)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no advisory files found", dir)
	}
	return out, nil
}

// osvRecord is the subset of the OSV schema shipshape reads.
type osvRecord struct {
	ID        string   `json:"id"`
	Modified  string   `json:"modified"`
	Withdrawn string   `json:"withdrawn"`
	Aliases   []string `json:"aliases"`
	Summary   string   `json:"summary"`
	Details   string   `json:"details"`
	Severity  []struct {
		Type  string `json:"type"`
		Score string `json:"score"`
	} `json:"severity"`
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Severity []struct {
			Type  string `json:"type"`
			Score string `json:"score"`
		} `json:"severity"`
		Ranges []struct {
			Type   string              `json:"type"`
			Events []map[string]string `json:"events"`
		} `json:"ranges"`
		Versions          []string       `json:"versions"`
		EcosystemSpecific map[string]any `json:"ecosystem_specific"`
		DatabaseSpecific  map[string]any `json:"database_specific"`
	} `json:"affected"`
	References []struct {
		URL string `json:"url"`
	} `json:"references"`
	DatabaseSpecific map[string]any `json:"database_specific"`
}

// keptSpecific are the ecosystem_specific keys worth storing; Go's
// imports/symbols lists are large and not used by the matcher.
var keptSpecific = []string{"severity", "urgency", "fix_state"}

func severityWord(m map[string]any) string {
	if s, ok := m["severity"].(string); ok {
		return s
	}
	return ""
}

// ParseOSV converts one OSV JSON record. Zero or missing timestamps are
// accepted. ok is false for a withdrawn record.
func ParseOSV(data []byte) (a Advisory, ok bool, err error) {
	var r osvRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return a, false, err
	}
	if r.ID == "" {
		return a, false, fmt.Errorf("OSV record without id")
	}
	if r.Withdrawn != "" {
		return a, false, nil
	}
	a = Advisory{ID: r.ID, Aliases: r.Aliases, Summary: r.Summary, Details: r.Details}
	if r.Summary == "" {
		a.Summary = firstLine(r.Details, 200)
	}
	if r.Modified != "" {
		if t, err := time.Parse(time.RFC3339Nano, r.Modified); err == nil {
			a.Modified = t
		}
	}
	for _, s := range r.Severity {
		a.Severity = append(a.Severity, Severity{Type: s.Type, Score: s.Score})
	}
	if w := severityWord(r.DatabaseSpecific); w != "" {
		a.Severity = append(a.Severity, Severity{Type: "database_specific", Score: w})
	}
	for _, ref := range r.References {
		if ref.URL != "" {
			a.References = append(a.References, ref.URL)
		}
	}
	for _, af := range r.Affected {
		out := Affected{Ecosystem: af.Package.Ecosystem, Package: af.Package.Name, Versions: af.Versions}
		for _, s := range af.Severity {
			a.Severity = appendSeverity(a.Severity, Severity{Type: s.Type, Score: s.Score})
		}
		for _, m := range []map[string]any{af.EcosystemSpecific, af.DatabaseSpecific} {
			for _, k := range keptSpecific {
				if v, ok := m[k]; ok {
					if out.EcosystemSpecific == nil {
						out.EcosystemSpecific = map[string]any{}
					}
					out.EcosystemSpecific[k] = v
				}
			}
		}
		for _, rg := range af.Ranges {
			nr := Range{Type: rg.Type}
			for _, e := range rg.Events {
				switch {
				case e["introduced"] != "":
					nr.Events = append(nr.Events, Event{Introduced: e["introduced"]})
				case e["fixed"] != "":
					nr.Events = append(nr.Events, Event{Fixed: e["fixed"]})
				case e["last_affected"] != "":
					nr.Events = append(nr.Events, Event{LastAffected: e["last_affected"]})
				case e["limit"] != "":
					nr.Events = append(nr.Events, Event{Limit: e["limit"]})
				}
			}
			out.Ranges = append(out.Ranges, nr)
		}
		a.Affected = append(a.Affected, out)
	}
	return a, true, nil
}

func appendSeverity(list []Severity, s Severity) []Severity {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func firstLine(s string, max int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

// osvSourceName names an osv.dev per-ecosystem archive by the ecosystems
// its records affect ("osv:Go"), so that importing a newer archive of the
// same ecosystem replaces the older one.
func osvSourceName(advs []Advisory) string {
	set := map[string]bool{}
	for _, a := range advs {
		for _, af := range a.Affected {
			set[BaseEcosystem(af.Ecosystem)] = true
		}
	}
	var ecos []string
	for e := range set {
		ecos = append(ecos, e)
	}
	sort.Strings(ecos)
	return "osv:" + strings.Join(ecos, ",")
}

func importOSVZip(w *Writer, path, origin string, now time.Time) (Imported, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return Imported{}, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	var advs []Advisory
	skipped := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			continue
		}
		if f.UncompressedSize64 > maxRecordSize {
			return Imported{}, fmt.Errorf("%s: %s: record larger than %d bytes", path, f.Name, maxRecordSize)
		}
		rc, err := f.Open()
		if err != nil {
			return Imported{}, fmt.Errorf("%s: %s: %w", path, f.Name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxRecordSize+1))
		rc.Close()
		if err != nil {
			return Imported{}, fmt.Errorf("%s: %s: %w", path, f.Name, err)
		}
		a, ok, err := ParseOSV(data)
		if err != nil {
			return Imported{}, fmt.Errorf("%s: %s: %w", path, f.Name, err)
		}
		if !ok {
			skipped++
			continue
		}
		advs = append(advs, a)
	}
	if len(advs) == 0 {
		return Imported{}, fmt.Errorf("%s: no OSV records in archive", path)
	}
	im, err := writeSource(w, osvSourceName(advs), origin, advs, now)
	im.Skipped = skipped
	return im, err
}

func importOSVFiles(w *Writer, name string, files []string, origin string, now time.Time) (Imported, error) {
	var advs []Advisory
	skipped := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return Imported{}, err
		}
		// A file may hold one record or an array of records.
		var raws []json.RawMessage
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
			if err := json.Unmarshal(t, &raws); err != nil {
				return Imported{}, fmt.Errorf("%s: %w", p, err)
			}
		} else {
			raws = []json.RawMessage{data}
		}
		for _, raw := range raws {
			a, ok, err := ParseOSV(raw)
			if err != nil {
				return Imported{}, fmt.Errorf("%s: %w", p, err)
			}
			if !ok {
				skipped++
				continue
			}
			advs = append(advs, a)
		}
	}
	im, err := writeSource(w, name, origin, advs, now)
	im.Skipped = skipped
	return im, err
}

func writeSource(w *Writer, name, origin string, advs []Advisory, now time.Time) (Imported, error) {
	if err := w.BeginSource(name); err != nil {
		return Imported{}, err
	}
	for _, a := range advs {
		if err := w.Add(a); err != nil {
			w.AbortSource()
			return Imported{}, fmt.Errorf("%s: %s: %w", name, a.ID, err)
		}
	}
	n, err := w.EndSource(origin, now)
	if err != nil {
		return Imported{}, err
	}
	return Imported{Name: name, Origin: origin, Records: n}, nil
}

// secdbFile is Alpine's secdb JSON.
type secdbFile struct {
	DistroVersion string `json:"distroversion"`
	RepoName      string `json:"reponame"`
	Packages      []struct {
		Pkg struct {
			Name     string              `json:"name"`
			Secfixes map[string][]string `json:"secfixes"`
		} `json:"pkg"`
	} `json:"packages"`
}

var cveLike = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9A-Za-z-]+`)

// importSecdb converts Alpine secdb: a secfixes key is the version that
// fixes the listed ids (range introduced 0, fixed V); the key "0" means
// the package was never affected, which needs no record.
func importSecdb(w *Writer, path, origin string, now time.Time) (Imported, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Imported{}, err
	}
	var f secdbFile
	if err := json.Unmarshal(data, &f); err != nil {
		return Imported{}, fmt.Errorf("%s: Alpine secdb: %w", path, err)
	}
	if f.DistroVersion == "" {
		return Imported{}, fmt.Errorf("%s: Alpine secdb without distroversion", path)
	}
	eco := "Alpine:" + f.DistroVersion
	repo := f.RepoName
	if repo == "" {
		repo = strings.TrimSuffix(filepath.Base(path), ".json")
	}
	cmp := ComparerFor(eco)
	type key struct{ pkg, id string }
	fixed := map[key]string{}
	var order []key
	skipped := 0
	for _, p := range f.Packages {
		for ver, ids := range p.Pkg.Secfixes {
			for _, entry := range ids {
				for _, id := range strings.Fields(entry) {
					id = cveLike.FindString(id)
					if id == "" {
						continue
					}
					if ver == "0" {
						skipped++
						continue
					}
					k := key{p.Pkg.Name, id}
					old, ok := fixed[k]
					if !ok {
						order = append(order, k)
						fixed[k] = ver
						continue
					}
					// An id listed under two versions is fixed by the first.
					if c, err := cmp.Compare(ver, old); err == nil && c < 0 {
						fixed[k] = ver
					}
				}
			}
		}
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].pkg != order[j].pkg {
			return order[i].pkg < order[j].pkg
		}
		return order[i].id < order[j].id
	})
	advs := make([]Advisory, 0, len(order))
	for _, k := range order {
		advs = append(advs, Advisory{
			ID: k.id,
			Affected: []Affected{{Ecosystem: eco, Package: k.pkg, Ranges: []Range{{
				Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}, {Fixed: fixed[k]}},
			}}}},
		})
	}
	im, err := writeSource(w, "alpine-secdb:"+f.DistroVersion+"/"+repo, origin, advs, now)
	im.Skipped = skipped
	return im, err
}

// OVAL elements shipshape reads; struct tags use local names so the
// namespaces of the linux and unix schemas need not be spelled out.
type ovalDefinition struct {
	ID       string `xml:"id,attr"`
	Class    string `xml:"class,attr"`
	Metadata struct {
		Title    string `xml:"title"`
		Affected struct {
			Platform []string `xml:"platform"`
			Product  []string `xml:"product"`
		} `xml:"affected"`
		References []struct {
			Source string `xml:"source,attr"`
			RefID  string `xml:"ref_id,attr"`
			URL    string `xml:"ref_url,attr"`
		} `xml:"reference"`
		Description string `xml:"description"`
	} `xml:"metadata"`
	Criteria ovalCriteria `xml:"criteria"`
}

type ovalCriteria struct {
	Criteria  []ovalCriteria `xml:"criteria"`
	Criterion []struct {
		TestRef string `xml:"test_ref,attr"`
	} `xml:"criterion"`
}

func (c ovalCriteria) tests(out []string) []string {
	for _, x := range c.Criterion {
		out = append(out, x.TestRef)
	}
	for _, sub := range c.Criteria {
		out = sub.tests(out)
	}
	return out
}

type ovalTest struct {
	ID     string `xml:"id,attr"`
	Object struct {
		Ref string `xml:"object_ref,attr"`
	} `xml:"object"`
	State struct {
		Ref string `xml:"state_ref,attr"`
	} `xml:"state"`
}

type ovalObject struct {
	ID   string `xml:"id,attr"`
	Name string `xml:"name"`
}

type ovalState struct {
	ID  string `xml:"id,attr"`
	EVR struct {
		Operation string `xml:"operation,attr"`
		Value     string `xml:",chardata"`
	} `xml:"evr"`
}

var debianPlatform = regexp.MustCompile(`Debian GNU/Linux (\d+)`)

func openMaybeCompressed(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(3)
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(head, bz2Magic):
		r = bzip2.NewReader(br)
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r = gz
	}
	return struct {
		io.Reader
		io.Closer
	}{r, f}, nil
}

// ovalDoc is what importOVAL reads of an OVAL file: the definitions, and
// the tests, objects and states they refer to, by id.
type ovalDoc struct {
	defs    []ovalDefinition
	tests   map[string]ovalTest
	objects map[string]string
	states  map[string]ovalState
}

// readOVAL streams an OVAL file (plain, gzip or bzip2) and keeps the
// elements importOVAL uses.
func readOVAL(path string) (*ovalDoc, error) {
	rc, err := openMaybeCompressed(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	doc := &ovalDoc{tests: map[string]ovalTest{}, objects: map[string]string{}, states: map[string]ovalState{}}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return doc, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: OVAL XML: %w", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "definition":
			var d ovalDefinition
			if err := dec.DecodeElement(&d, &se); err != nil {
				return nil, fmt.Errorf("%s: OVAL definition: %w", path, err)
			}
			doc.defs = append(doc.defs, d)
		case "dpkginfo_test":
			var t ovalTest
			if err := dec.DecodeElement(&t, &se); err != nil {
				return nil, fmt.Errorf("%s: OVAL test: %w", path, err)
			}
			doc.tests[t.ID] = t
		case "dpkginfo_object":
			var o ovalObject
			if err := dec.DecodeElement(&o, &se); err != nil {
				return nil, fmt.Errorf("%s: OVAL object: %w", path, err)
			}
			doc.objects[o.ID] = o.Name
		case "dpkginfo_state":
			var s ovalState
			if err := dec.DecodeElement(&s, &se); err != nil {
				return nil, fmt.Errorf("%s: OVAL state: %w", path, err)
			}
			doc.states[s.ID] = s
		}
	}
}

// importOVAL streams Debian OVAL definitions. Each definition names one
// CVE and one source package; its dpkginfo test says "installed version
// less than V". V is the fixed version. V = 0 is how Debian's generator
// writes an issue that is still open in the release (no fixed version
// yet, including those Debian rates unimportant or no-dsa: glibc
// CVE-2019-9192, requests CVE-2023-32681 in bookworm), so it becomes a
// range affecting every version with no fix, which the matcher reports
// as not fixed and --ignore-unfixed drops. Versions the tracker marks not
// affected have no definition at all.
func importOVAL(w *Writer, path, origin string, now time.Time) (Imported, error) {
	doc, err := readOVAL(path)
	if err != nil {
		return Imported{}, err
	}
	defs, tests, objects, states := doc.defs, doc.tests, doc.objects, doc.states
	if len(defs) == 0 {
		return Imported{}, fmt.Errorf("%s: no OVAL definitions", path)
	}
	release := ""
	var advs []Advisory
	for _, d := range defs {
		rel := ""
		for _, p := range d.Metadata.Affected.Platform {
			if m := debianPlatform.FindStringSubmatch(p); m != nil {
				rel = m[1]
			}
		}
		if rel == "" {
			return Imported{}, fmt.Errorf("%s: definition %s: no Debian release platform", path, d.ID)
		}
		if release == "" {
			release = rel
		}
		id := ""
		var refs []string
		for _, r := range d.Metadata.References {
			if id == "" && (r.Source == "CVE" || r.Source == "DSA") {
				id = r.RefID
			}
			if r.URL != "" {
				refs = append(refs, r.URL)
			}
		}
		if id == "" {
			id = strings.Fields(d.Metadata.Title + " ?")[0]
		}
		var affected []Affected
		for _, tr := range d.Criteria.tests(nil) {
			t, ok := tests[tr]
			if !ok {
				continue
			}
			name := objects[t.Object.Ref]
			if name == "" && len(d.Metadata.Affected.Product) == 1 {
				// Debian's generator sometimes leaves the object's name
				// empty (its comment then says "None is earlier than");
				// the definition's product names the package.
				name = d.Metadata.Affected.Product[0]
			}
			st, ok := states[t.State.Ref]
			if name == "" || !ok {
				return Imported{}, fmt.Errorf("%s: definition %s: dangling test %s", path, d.ID, tr)
			}
			if st.EVR.Operation != "less than" {
				return Imported{}, fmt.Errorf("%s: definition %s: unsupported evr operation %q", path, d.ID, st.EVR.Operation)
			}
			fixed := strings.TrimPrefix(strings.TrimSpace(st.EVR.Value), "0:")
			events := []Event{{Introduced: "0"}}
			if fixed != "0" && fixed != "" {
				events = append(events, Event{Fixed: fixed})
			}
			affected = append(affected, Affected{
				Ecosystem: "Debian:" + rel, Package: name,
				Ranges: []Range{{Type: "ECOSYSTEM", Events: events}},
			})
		}
		if len(affected) == 0 {
			continue
		}
		advs = append(advs, Advisory{ID: id, Summary: firstLine(d.Metadata.Description, 200), References: refs, Affected: affected})
	}
	im, err := writeSource(w, "debian-oval:"+release, origin, advs, now)
	return im, err
}
