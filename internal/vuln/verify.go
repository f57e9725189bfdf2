package vuln

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Verify reads the whole database: bbolt's own consistency check of every
// page, then every advisory record decoded. A database that opens (its
// meta pages are intact) can still have damaged pages that only a lookup
// of the wrong package would hit; `db status` runs this so that it never
// calls such a database healthy. It returns the number of records read.
func (d *DB) Verify() (n int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("%s: %v: %w", d.path, r, ErrCorrupt)
		}
	}()
	err = d.db.View(func(tx *bolt.Tx) error {
		// Drain the channel: the checker goroutine sends every problem.
		var first error
		for cerr := range tx.Check() {
			if first == nil {
				first = cerr
			}
		}
		if first != nil {
			return fmt.Errorf("%s: %v: %w", d.path, first, ErrCorrupt)
		}
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			eco, ok := strings.CutPrefix(string(name), prefixEco)
			if !ok {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				var recs []record
				if err := json.Unmarshal(v, &recs); err != nil {
					return fmt.Errorf("%s: %s %s: %v: %w", d.path, eco, k, err, ErrCorrupt)
				}
				n += len(recs)
				return nil
			})
		})
	})
	return n, err
}
