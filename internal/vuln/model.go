package vuln

import "time"

// Advisory is one vulnerability record in OSV's shape (the importers
// convert Alpine secdb and Debian OVAL into it).
type Advisory struct {
	ID       string
	Aliases  []string
	Summary  string
	Details  string
	Modified time.Time
	// Severity holds the record's CVSS vectors ({Type: "CVSS_V3", Score:
	// vector}) or an ecosystem severity word.
	Severity []Severity
	Affected []Affected
	// References are advisory URLs.
	References []string
	// Source names the feed (osv:Go, alpine-secdb, debian-oval, ...).
	Source string
}

// Severity is one severity statement of an advisory.
type Severity struct {
	Type  string // CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu, ...
	Score string // a vector, or a word
}

// Affected is one affected package of an advisory.
type Affected struct {
	// Ecosystem is OSV's, with distro scoping ("Debian:12", "Alpine:v3.19",
	// "Go", "PyPI").
	Ecosystem string
	Package   string
	Ranges    []Range
	// Versions lists affected versions explicitly.
	Versions []string
	// EcosystemSpecific carries extra data (Go imports/symbols, Debian urgency).
	EcosystemSpecific map[string]any
}

// Range is an OSV range: ordered events of one type (ECOSYSTEM, SEMVER, GIT).
type Range struct {
	Type   string
	Events []Event
}

// Event is one range event; exactly one field is set.
type Event struct {
	Introduced   string
	Fixed        string
	LastAffected string
	Limit        string
}

// Store is the local advisory database. Lookups never scan the whole
// database.
type Store interface {
	// Lookup returns the advisories affecting a package name in an
	// ecosystem (ecosystem as OSV names it, including distro scoping).
	Lookup(ecosystem, pkg string) ([]Advisory, error)
	// Status describes the database: sources, counts, age.
	Status() (Status, error)
	Close() error
}

// Status describes a store.
type Status struct {
	Path     string
	Built    time.Time
	Sources  []SourceStatus
	Advisory int
}

// SourceStatus is one imported source.
type SourceStatus struct {
	Name     string
	Imported time.Time
	Records  int
	Origin   string // file, directory or URL it came from
}
