package eol

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed data.json
var embedded []byte

// Cycle is one release line of a product: Debian 12, Node.js 20, Go 1.22.
type Cycle struct {
	// Product is the endoflife.date product name: debian, ubuntu, alpine,
	// nodejs, python, go.
	Product string
	// Cycle is the release line as endoflife.date writes it: "12", "20.04",
	// "3.19", "1.22".
	Cycle string
	// Codename is the lower-case release name (bookworm, focal, hydrogen),
	// or "".
	Codename string
	// EOL is the first day the release no longer gets security fixes; zero
	// when no date has been announced.
	EOL time.Time
	// Ended is set when the source says the release is out of support
	// without giving a date.
	Ended bool
}

// PastEOL reports whether the release is out of support at now: on its
// end-of-life date or later.
func (c Cycle) PastEOL(now time.Time) bool {
	if c.Ended {
		return true
	}
	return !c.EOL.IsZero() && !now.Before(c.EOL)
}

var displayNames = map[string]string{
	"debian": "Debian", "ubuntu": "Ubuntu", "alpine": "Alpine", "nodejs": "Node.js", "python": "Python", "go": "Go",
	"centos": "CentOS", "ruby": "Ruby", "php": "PHP", "postgresql": "PostgreSQL", "mysql": "MySQL",
	"openjdk": "the openjdk image's",
}

// String names the release for people: "Debian 10 (buster)", "Node.js 18".
func (c Cycle) String() string {
	name := displayNames[c.Product]
	if name == "" {
		name = c.Product
	}
	s := name + " " + c.Cycle
	if c.Codename != "" && (c.Product == "debian" || c.Product == "ubuntu") {
		s += " (" + c.Codename + ")"
	}
	if c.Product == "openjdk" {
		// The image stopped, not Java: OpenJDK 8 lives on in other images.
		s += " tags"
	}
	return s
}

// Table holds release cycles by product. It is immutable once built.
type Table struct {
	// AsOf is the date the data was last checked against its sources.
	AsOf     time.Time
	products map[string][]Cycle
}

var defaultTable = sync.OnceValue(func() *Table {
	t, err := Parse(embedded, "")
	if err != nil {
		panic("eol: embedded data.json: " + err.Error())
	}
	return t
})

// Default returns the table embedded in the binary.
func Default() *Table { return defaultTable() }

// productAliases maps other spellings, including image repository names,
// to endoflife.date product names.
var productAliases = map[string]string{
	"node": "nodejs", "golang": "go", "alpine-linux": "alpine", "alpinelinux": "alpine", "postgres": "postgresql",
}

func normProduct(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if a, ok := productAliases[p]; ok {
		return a
	}
	return p
}

// rawCycle is one entry of the endoflife.date API. Cycle may be a number
// and eol a date or a boolean there.
type rawCycle struct {
	Cycle    json.RawMessage `json:"cycle"`
	EOL      json.RawMessage `json:"eol"`
	Codename string          `json:"codename"`
}

// Parse reads release data in the shape of the endoflife.date API: either
// an object mapping product names to arrays of cycles (the embedded form,
// which may also carry "asOf"), or a bare array of cycles as returned by
// https://endoflife.date/api/<product>.json, in which case product names
// the product (it defaults to the file's base name in Load).
func Parse(data []byte, product string) (*Table, error) {
	t := &Table{products: map[string][]Cycle{}}
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "[") {
		if product == "" {
			return nil, fmt.Errorf("an array of cycles needs a product name")
		}
		var arr []rawCycle
		if err := json.Unmarshal(data, &arr); err != nil {
			return nil, err
		}
		return t, t.add(normProduct(product), arr)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	for k, v := range obj {
		if k == "asOf" {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fmt.Errorf("asOf: %w", err)
			}
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return nil, fmt.Errorf("asOf: %w", err)
			}
			t.AsOf = d
			continue
		}
		var arr []rawCycle
		if err := json.Unmarshal(v, &arr); err != nil {
			// Other top-level keys (comments, metadata) are not products.
			continue
		}
		if err := t.add(normProduct(k), arr); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *Table) add(product string, arr []rawCycle) error {
	for i, r := range arr {
		c := Cycle{Product: product}
		var s string
		if err := json.Unmarshal(r.Cycle, &s); err != nil {
			var n json.Number
			if err := json.Unmarshal(r.Cycle, &n); err != nil {
				return fmt.Errorf("%s[%d]: cycle must be a string or number", product, i)
			}
			s = n.String()
		}
		c.Cycle = strings.TrimSpace(s)
		if c.Cycle == "" {
			return fmt.Errorf("%s[%d]: empty cycle", product, i)
		}
		if f := strings.Fields(r.Codename); len(f) > 0 {
			c.Codename = strings.ToLower(f[0])
		}
		var b bool
		if len(r.EOL) == 0 || string(r.EOL) == "null" {
			// No end of life known.
		} else if err := json.Unmarshal(r.EOL, &b); err == nil {
			c.Ended = b
		} else if err := json.Unmarshal(r.EOL, &s); err == nil {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return fmt.Errorf("%s %s: eol: %w", product, c.Cycle, err)
			}
			c.EOL = d
		} else {
			return fmt.Errorf("%s %s: eol must be a date or a boolean", product, c.Cycle)
		}
		t.products[product] = append(t.products[product], c)
	}
	return nil
}

var loaded sync.Map // path -> *Table

// Load reads a release file (see Parse); a bare array takes its product
// from the file name (debian.json). Files are cached by path for the life
// of the process, since rules load them once per Dockerfile.
func Load(path string) (*Table, error) {
	if t, ok := loaded.Load(path); ok {
		return t.(*Table), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	product := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	t, err := Parse(data, product)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	loaded.Store(path, t)
	return t, nil
}

// Merge returns a table holding t's cycles overridden and extended by o's:
// a cycle present in both takes o's values.
func (t *Table) Merge(o *Table) *Table {
	n := &Table{AsOf: t.AsOf, products: map[string][]Cycle{}}
	if o.AsOf.After(n.AsOf) {
		n.AsOf = o.AsOf
	}
	for p, cs := range t.products {
		n.products[p] = append([]Cycle(nil), cs...)
	}
	for p, cs := range o.products {
		for _, c := range cs {
			replaced := false
			for i, old := range n.products[p] {
				if old.Cycle == c.Cycle {
					if c.Codename == "" {
						c.Codename = old.Codename
					}
					n.products[p][i], replaced = c, true
				}
			}
			if !replaced {
				n.products[p] = append(n.products[p], c)
			}
		}
	}
	return n
}

// Products lists the product names the table knows, sorted.
func (t *Table) Products() []string {
	out := make([]string, 0, len(t.products))
	for p := range t.products {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Lookup returns a product's release line by cycle or codename.
func (t *Table) Lookup(product, cycle string) (Cycle, bool) {
	product = normProduct(product)
	cycle = strings.ToLower(cycle)
	for _, c := range t.products[product] {
		if c.Cycle == cycle || (c.Codename != "" && c.Codename == cycle) {
			return c, true
		}
	}
	return Cycle{}, false
}

// imageProducts maps official image repositories to the product their
// tag's leading version names.
var imageProducts = map[string]string{
	"debian": "debian", "ubuntu": "ubuntu", "alpine": "alpine",
	"node": "nodejs", "python": "python", "golang": "go",
	"centos": "centos", "openjdk": "openjdk", "ruby": "ruby", "php": "php", "postgres": "postgresql", "mysql": "mysql",
}

// tagPrefixes are words some repositories put before the version in a tag
// (centos:centos7).
var tagPrefixes = map[string]string{"centos": "centos"}

// cycleParts is how many dotted components of a version make a release
// line; products not listed use major.minor. PostgreSQL counts major.minor
// before 10 and the major from 10 on (see versionCycle).
var cycleParts = map[string]int{"debian": 1, "nodejs": 1, "centos": 1, "openjdk": 1, "postgresql": 1}

// Image returns the releases an official image's tag names: its own
// version (node:18 is Node.js 18) and the distribution it is built on
// (node:18-bullseye is also Debian 11, golang:1.21-alpine3.18 Alpine
// 3.18). repo is the repository name without registry or library/
// prefix. Moving tags (latest, stable, lts, node:20 is fine but python:3
// is not a release line) and releases the table does not know yield
// nothing.
func (t *Table) Image(repo, tag string) []Cycle {
	tag = strings.ToLower(tag)
	if tag == "" || tag == "latest" {
		return nil
	}
	toks := strings.Split(tag, "-")
	var out []Cycle
	add := func(c Cycle, ok bool) {
		if !ok {
			return
		}
		for _, o := range out {
			if o.Product == c.Product && o.Cycle == c.Cycle {
				return
			}
		}
		out = append(out, c)
	}
	rest := toks
	if product, ok := imageProducts[strings.ToLower(repo)]; ok {
		rest = toks[1:]
		v := strings.TrimPrefix(toks[0], tagPrefixes[product])
		if c, ok := t.Lookup(product, v); ok && v == c.Codename {
			add(c, true)
		} else if cyc := versionCycle(product, v); cyc != "" {
			add(t.Lookup(product, cyc))
		} else {
			add(t.closedMajor(product, v))
		}
	}
	for _, tok := range rest {
		if v, ok := strings.CutPrefix(tok, "alpine"); ok {
			if cyc := versionCycle("alpine", v); cyc != "" {
				add(t.Lookup("alpine", cyc))
			}
			continue
		}
		for _, p := range []string{"debian", "ubuntu"} {
			if c, ok := t.Lookup(p, tok); ok && c.Codename == tok {
				add(c, true)
			}
		}
	}
	return out
}

// closedMajor resolves a tag that names only a major version (python:2,
// php:7, postgres:9) to the newest release line of that major, which is
// what the moving tag points at, when the major is closed: the table knows
// a later major, so no newer line of this one will come. An open major
// (python:3) may have lines the table does not know yet and yields
// nothing.
func (t *Table) closedMajor(product, v string) (Cycle, bool) {
	major, err := strconv.Atoi(v)
	if err != nil || v == "" || v[0] < '0' || v[0] > '9' {
		return Cycle{}, false
	}
	var best Cycle
	found, closed := false, false
	for _, c := range t.products[product] {
		m, rest, _ := strings.Cut(c.Cycle, ".")
		n, err := strconv.Atoi(m)
		switch {
		case err != nil:
		case n > major:
			closed = true
		case n == major && rest != "" && (!found || minorOf(c.Cycle) > minorOf(best.Cycle)):
			best, found = c, true
		}
	}
	return best, found && closed
}

// minorOf returns the minor number of a major.minor cycle, -1 without one.
func minorOf(cycle string) int {
	_, rest, ok := strings.Cut(cycle, ".")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return -1
	}
	return n
}

// versionCycle cuts a version such as 3.11.4, 1.21rc2 or 10.13 to the
// release line the product counts support by, or returns "" when the
// version is too short to name one (python:3) or is not a version.
func versionCycle(product, v string) string {
	if v == "" || v[0] < '0' || v[0] > '9' {
		return ""
	}
	parts := strings.Split(v, ".")
	want := 2
	if n, ok := cycleParts[product]; ok {
		want = n
	}
	if product == "nodejs" && parts[0] == "0" {
		want = 2
	}
	if product == "postgresql" {
		if n, err := strconv.Atoi(parts[0]); err == nil && n < 10 {
			want = 2
		}
	}
	if len(parts) < want {
		return ""
	}
	out := make([]string, 0, want)
	for i := 0; i < want; i++ {
		p := parts[i]
		j := 0
		for j < len(p) && p[j] >= '0' && p[j] <= '9' {
			j++
		}
		// Only the last component may carry a pre-release suffix (1.21rc2).
		if j == 0 || (j < len(p) && i < want-1) {
			return ""
		}
		if _, err := strconv.Atoi(p[:j]); err != nil {
			return ""
		}
		out = append(out, p[:j])
	}
	return strings.Join(out, ".")
}
