package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// lookupKey is one key of the vulnerability database a package is
// matched through: an advisory ecosystem ("Debian:12", "PyPI") and a
// normalised package name. What a package matches depends only on the
// advisories under its keys, so a package whose keys' advisories did not
// change between two database builds need not be matched again.
type lookupKey struct{ eco, name string }

// noKey is the key recorded for a package that is looked up under none
// (an ecosystem no feed covers): it tells "matched, nothing to look up"
// apart from "matched before keys were recorded".
var noKey = lookupKey{}

// keySet collects, during a matching batch, the keys of each package and
// the content hash of each key's advisories in the database matched
// against.
type keySet struct {
	byPkg  map[int64][]lookupKey
	hashes map[lookupKey]string
}

func (k *keySet) add(db vuln.Store, id int64, p sbom.Package, distro *sbom.Distro) error {
	qs := vuln.Targets(p, distro)
	if len(qs) == 0 {
		k.byPkg[id] = []lookupKey{noKey}
		return nil
	}
	for _, q := range qs {
		key := lookupKey{q.Ecosystem, vuln.NormalizeName(q.Ecosystem, q.Name)}
		k.byPkg[id] = append(k.byPkg[id], key)
		if _, ok := k.hashes[key]; ok {
			continue
		}
		h, err := advisoryHash(db, key)
		if err != nil {
			return err
		}
		k.hashes[key] = h
	}
	return nil
}

// advisoryHash is the SHA-256 of the advisories the database holds under
// key, as Lookup returns them (an empty list hashes too, so that a first
// advisory for a package is a change).
func advisoryHash(db vuln.Store, key lookupKey) (string, error) {
	advs, err := db.Lookup(key.eco, key.name)
	if err != nil {
		return "", fmt.Errorf("look up %s %s: %w", key.eco, key.name, err)
	}
	b, err := json.Marshal(advs)
	if err != nil {
		return "", fmt.Errorf("hash %s %s: %w", key.eco, key.name, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// storeKeys records the keys of the packages of a batch and the hash of
// keys not seen before. A known key keeps its hash: the hash is the one
// every package matched through it was matched against, and only
// InvalidateChanged moves it forward, together with invalidating those
// packages.
func (s *Store) storeKeys(ctx context.Context, tx *sql.Tx, k keySet) error {
	for id, keys := range k.byPkg {
		for _, key := range keys {
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO package_keys (package_id, ecosystem, name) VALUES (?, ?, ?)
			ON CONFLICT (package_id, ecosystem, name) DO NOTHING`), id, key.eco, key.name); err != nil {
				return fmt.Errorf("store package keys: %w", err)
			}
		}
	}
	for key, h := range k.hashes {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO advisory_keys (ecosystem, name, hash) VALUES (?, ?, ?)
		ON CONFLICT (ecosystem, name) DO NOTHING`), key.eco, key.name, h); err != nil {
			return fmt.Errorf("store advisory keys: %w", err)
		}
	}
	return nil
}

// InvalidateStats says what InvalidateChanged found.
type InvalidateStats struct {
	Keys        int // lookup keys compared
	ChangedKeys int // keys whose advisories differ in the new build
	Packages    int // package versions marked for matching again
}

// InvalidateChanged brings the matches forward to the database build
// built: packages matched against another build are marked for matching
// again only when the advisories under one of their keys changed (or
// when they were matched before keys were recorded); the others are
// recorded as matched against built as they are. It does nothing while
// every match is of build built, so it is cheap to call before each pass.
func (s *Store) InvalidateChanged(ctx context.Context, db vuln.Store, built time.Time) (InvalidateStats, error) {
	var st InvalidateStats
	var stale int
	if err := s.db.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM package_match WHERE db_built <> ?"), built.Unix()).Scan(&stale); err != nil {
		return st, fmt.Errorf("stale matches: %w", err)
	}
	if stale == 0 {
		return st, nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT ecosystem, name, hash FROM advisory_keys")
	if err != nil {
		return st, fmt.Errorf("advisory keys: %w", err)
	}
	changed := map[lookupKey]string{}
	for rows.Next() {
		var key lookupKey
		var old string
		if err := rows.Scan(&key.eco, &key.name, &old); err != nil {
			rows.Close()
			return st, fmt.Errorf("advisory keys: %w", err)
		}
		st.Keys++
		h, err := advisoryHash(db, key)
		if err != nil {
			rows.Close()
			return st, err
		}
		if h != old {
			changed[key] = h
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("advisory keys: %w", err)
	}
	st.ChangedKeys = len(changed)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("begin invalidate: %w", err)
	}
	defer tx.Rollback()
	for key, h := range changed {
		res, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM package_match WHERE package_id IN
		(SELECT package_id FROM package_keys WHERE ecosystem = ? AND name = ?)`), key.eco, key.name)
		if err != nil {
			return st, fmt.Errorf("invalidate %s %s: %w", key.eco, key.name, err)
		}
		n, _ := res.RowsAffected()
		st.Packages += int(n)
		if _, err := tx.ExecContext(ctx, s.rebind("UPDATE advisory_keys SET hash = ? WHERE ecosystem = ? AND name = ?"), h, key.eco, key.name); err != nil {
			return st, fmt.Errorf("advisory key %s %s: %w", key.eco, key.name, err)
		}
	}
	// Matched before keys were recorded: nothing says what they depend
	// on, so they are matched again.
	res, err := tx.ExecContext(ctx, s.rebind(`DELETE FROM package_match WHERE db_built <> ?
	AND NOT EXISTS (SELECT 1 FROM package_keys k WHERE k.package_id = package_match.package_id)`), built.Unix())
	if err != nil {
		return st, fmt.Errorf("invalidate unkeyed: %w", err)
	}
	n, _ := res.RowsAffected()
	st.Packages += int(n)
	if _, err := tx.ExecContext(ctx, s.rebind("UPDATE package_match SET db_built = ? WHERE db_built <> ?"), built.Unix(), built.Unix()); err != nil {
		return st, fmt.Errorf("carry matches forward: %w", err)
	}
	return st, tx.Commit()
}

// matchLockKey is the PostgreSQL advisory lock that serialises matching
// passes of every process sharing the database.
const matchLockKey = 7340512

// LockMatching serialises matching passes: two passes at once would
// match the same pending packages twice (and could deadlock replacing
// their matches). In one process a mutex does; on PostgreSQL a session
// advisory lock also serialises the passes of other workers. The
// returned function releases the lock.
func (s *Store) LockMatching(ctx context.Context) (func(), error) {
	s.matchMu.Lock()
	if s.dialect != postgres {
		return s.matchMu.Unlock, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		s.matchMu.Unlock()
		return nil, fmt.Errorf("matching lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", matchLockKey); err != nil {
		conn.Close()
		s.matchMu.Unlock()
		return nil, fmt.Errorf("matching lock: %w", err)
	}
	return func() {
		// Closing the connection would also release the lock, but the
		// pool keeps connections open: unlock explicitly.
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", matchLockKey)
		conn.Close()
		s.matchMu.Unlock()
	}, nil
}
