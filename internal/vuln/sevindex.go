package vuln

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// The severity index lets an advisory that carries no severity of its own
// (every Debian OVAL definition, every Alpine secdb entry, all Go vulndb
// records) take the CVSS score another feed gives the same vulnerability
// under an alias: Debian's CVE-2023-32681 is PYSEC-2023-74's alias, and the
// PyPI record carries its CVSS vector. Entries are keyed by id (the record's
// own and every alias) and source, so that re-importing a source replaces
// exactly what it wrote.
//
//	severity        "<ID>\x00<source>" -> JSON sevEntry
//	srckeys/<src>   "\x01sev\x00<ID>\x00<source>" marks an entry as the source's
const (
	bucketSeverity = "severity"
	srcKeySeverity = "\x01sev"
)

// sevEntry is one feed's CVSS severity for a vulnerability id.
type sevEntry struct {
	Score   float64 `json:"score"`
	Version string  `json:"version"`
	// From is the advisory that carries the vector (the id itself, or the
	// record whose alias it is).
	From string `json:"from"`
}

// SeverityFrom is a severity found through the index: the CVSS score, the
// advisory that gave it, and the source it was imported from.
type SeverityFrom struct {
	Severity rule.Severity
	Score    float64
	Version  string
	From     string
	Source   string
}

// String says where a severity came from, for reports: "CVSS 3.1 of
// PYSEC-2023-74 (osv:PyPI)".
func (s SeverityFrom) String() string {
	return fmt.Sprintf("CVSS %s of %s (%s)", s.Version, s.From, s.Source)
}

// SeverityIndex is implemented by a Store that can give the CVSS severity
// any imported feed knows for a vulnerability id.
type SeverityIndex interface {
	SeverityOf(ids []string) (SeverityFrom, bool, error)
}

// indexSeverity records a's CVSS score under its id and every alias.
func (w *Writer) indexSeverity(a Advisory) error {
	score, version, ok := bestCVSS(a)
	if !ok {
		return nil
	}
	b, err := w.tx.CreateBucketIfNotExists([]byte(bucketSeverity))
	if err != nil {
		return err
	}
	v, err := json.Marshal(sevEntry{Score: score, Version: version, From: a.ID})
	if err != nil {
		return err
	}
	for _, id := range append([]string{a.ID}, a.Aliases...) {
		k := strings.ToUpper(id) + "\x00" + w.source
		if err := b.Put([]byte(k), v); err != nil {
			return err
		}
		if err := w.srcKeys.Put([]byte(srcKeySeverity+"\x00"+k), nil); err != nil {
			return err
		}
	}
	return nil
}

// removeSeverity deletes one index entry a source wrote.
func (w *Writer) removeSeverity(key string) error {
	b := w.tx.Bucket([]byte(bucketSeverity))
	if b == nil {
		return nil
	}
	return b.Delete([]byte(key))
}

// bestCVSS is the highest-version CVSS vector an advisory carries, scored.
func bestCVSS(a Advisory) (score float64, version string, ok bool) {
	for _, s := range a.Severity {
		if !strings.HasPrefix(s.Type, "CVSS") {
			continue
		}
		sc, ver, good := CVSSScore(s.Score)
		if good && (!ok || ver > version) {
			score, version, ok = sc, ver, true
		}
	}
	return score, version, ok
}

// SeverityOf returns the best CVSS severity any source gives one of ids:
// the highest CVSS version, then the highest score.
func (d *DB) SeverityOf(ids []string) (best SeverityFrom, found bool, err error) {
	err = d.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketSeverity))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for _, id := range ids {
			prefix := []byte(strings.ToUpper(id) + "\x00")
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				var e sevEntry
				if err := json.Unmarshal(v, &e); err != nil {
					return fmt.Errorf("severity %q: %v: %w", k, err, ErrCorrupt)
				}
				if found && (e.Version < best.Version || e.Version == best.Version && e.Score <= best.Score) {
					continue
				}
				best = SeverityFrom{Severity: RatingOf(e.Score), Score: e.Score, Version: e.Version, From: e.From, Source: string(k[len(prefix):])}
				found = true
			}
		}
		return nil
	})
	return best, found, err
}
