package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// MatchBatch bounds the packages MatchPending matches in one transaction.
const MatchBatch = 2000

// MatchStats says what a matching pass did.
type MatchStats struct {
	Packages int // package versions matched
	Hits     int // (package, advisory) pairs stored
}

// MatchPending matches package versions that are not matched yet (new
// ones, or all of them after Invalidate) against the vulnerability
// database db, in batches, each batch in one transaction with its
// package_match rows: a pass that is killed leaves the rest pending and
// the next pass takes them up. built is the database's build time,
// recorded with each match.
func (s *Store) MatchPending(ctx context.Context, db vuln.Store, built time.Time) (MatchStats, error) {
	var total MatchStats
	for {
		st, err := s.matchBatch(ctx, db, built)
		total.Packages += st.Packages
		total.Hits += st.Hits
		// A batch short of MatchBatch took every package pending when it
		// looked; one stored later is the next pass's (each ingest asks
		// for one).
		if err != nil || st.Packages < MatchBatch {
			return total, err
		}
	}
}

// Pending returns the number of package versions not matched yet.
func (s *Store) Pending(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM packages p
	WHERE NOT EXISTS (SELECT 1 FROM package_match m WHERE m.package_id = p.id)`).Scan(&n)
	return n, err
}

// InvalidateOlder marks the package versions matched against another
// build of the vulnerability database than built as needing a new match:
// after `shipshape db update` every package is matched again. Stored
// matches stay answerable until each package is matched again.
func (s *Store) InvalidateOlder(ctx context.Context, built time.Time) error {
	if _, err := s.db.ExecContext(ctx, s.rebind("DELETE FROM package_match WHERE db_built <> ?"), built.Unix()); err != nil {
		return fmt.Errorf("invalidate matches: %w", err)
	}
	return nil
}

type pendingPkg struct {
	id  int64
	pkg sbom.Package
}

func (s *Store) matchBatch(ctx context.Context, db vuln.Store, built time.Time) (MatchStats, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT p.id, p.type, p.name, p.version, p.purl, p.source_name, p.source_version,
	p.distro_id, p.distro_version FROM packages p
	WHERE NOT EXISTS (SELECT 1 FROM package_match m WHERE m.package_id = p.id) ORDER BY p.id LIMIT ?`), MatchBatch)
	if err != nil {
		return MatchStats{}, fmt.Errorf("pending packages: %w", err)
	}
	groups := map[[2]string][]pendingPkg{}
	var order [][2]string
	var ids []int64
	for rows.Next() {
		var pp pendingPkg
		var dID, dVer string
		p := &pp.pkg
		if err := rows.Scan(&pp.id, &p.Ecosystem, &p.Name, &p.Version, &p.PURL, &p.SourceName, &p.SourceVersion, &dID, &dVer); err != nil {
			rows.Close()
			return MatchStats{}, fmt.Errorf("pending packages: %w", err)
		}
		// The package id travels as the location, so that a result (whose
		// Locations list every package of one name and version) maps back
		// to the rows it came from.
		p.Location = strconv.FormatInt(pp.id, 10)
		g := [2]string{dID, dVer}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], pp)
		ids = append(ids, pp.id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return MatchStats{}, fmt.Errorf("pending packages: %w", err)
	}
	if len(ids) == 0 {
		return MatchStats{}, nil
	}
	var results []vuln.Result
	keys := keySet{byPkg: map[int64][]lookupKey{}, hashes: map[lookupKey]string{}}
	for _, g := range order {
		var distro *sbom.Distro
		if g[0] != "" {
			distro = &sbom.Distro{ID: g[0], VersionID: g[1]}
		}
		pkgs := make([]sbom.Package, len(groups[g]))
		for i, pp := range groups[g] {
			pkgs[i] = pp.pkg
			if err := keys.add(db, pp.id, pp.pkg, distro); err != nil {
				return MatchStats{}, err
			}
		}
		res, err := vuln.Match(pkgs, distro, db, vuln.Options{})
		if err != nil {
			return MatchStats{}, fmt.Errorf("match: %w", err)
		}
		results = append(results, res...)
	}
	hits, err := s.storeMatches(ctx, ids, results, built, keys)
	return MatchStats{Packages: len(ids), Hits: hits}, err
}

// storeMatches replaces the matches of the packages ids with results and
// marks them matched, in one transaction.
func (s *Store) storeMatches(ctx context.Context, ids []int64, results []vuln.Result, built time.Time, keys keySet) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin match: %w", err)
	}
	defer tx.Rollback()
	now := s.now().Unix()
	for start := 0; start < len(ids); start += linkBatch {
		chunk := ids[start:min(start+linkBatch, len(ids))]
		args := make([]any, 0, len(chunk)*3)
		for _, id := range chunk {
			args = append(args, id)
		}
		in := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		if _, err := tx.ExecContext(ctx, s.rebind("DELETE FROM package_advisories WHERE package_id IN ("+in+")"), args...); err != nil {
			return 0, fmt.Errorf("clear matches: %w", err)
		}
		args = args[:0]
		for _, id := range chunk {
			args = append(args, id, now, built.Unix())
		}
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO package_match (package_id, matched_at, db_built) VALUES `+
			placeholders(len(chunk), 3)+` ON CONFLICT (package_id) DO UPDATE SET matched_at = excluded.matched_at, db_built = excluded.db_built`), args...); err != nil {
			return 0, fmt.Errorf("mark matched: %w", err)
		}
	}
	if err := s.storeKeys(ctx, tx, keys); err != nil {
		return 0, err
	}
	hits := 0
	for _, r := range results {
		if err := s.storeAdvisory(ctx, tx, r); err != nil {
			return 0, err
		}
		for _, loc := range r.Locations {
			id, err := strconv.ParseInt(loc, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("match result location %q: %w", loc, err)
			}
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO package_advisories
			(package_id, advisory_id, ecosystem, fixed_version, fix_state, severity) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (package_id, advisory_id) DO NOTHING`),
				id, r.ID, r.Ecosystem, r.FixedVersion, string(r.FixState), r.Severity.String()); err != nil {
				return 0, fmt.Errorf("store match: %w", err)
			}
			hits++
		}
	}
	if err := s.bump(ctx, tx); err != nil {
		return 0, err
	}
	return hits, tx.Commit()
}

// storeAdvisory records an advisory and every alias of it (its own id
// among them), upper-cased, so that a query by CVE, GHSA, GO- or PYSEC-
// id in any case finds it.
func (s *Store) storeAdvisory(ctx context.Context, tx *sql.Tx, r vuln.Result) error {
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO advisories (id, summary, severity, score, source) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET summary = excluded.summary, severity = excluded.severity, score = excluded.score, source = excluded.source`),
		r.ID, r.Summary, r.Severity.String(), r.Score, r.Source); err != nil {
		return fmt.Errorf("store advisory %s: %w", r.ID, err)
	}
	for _, a := range append([]string{r.ID}, r.Aliases...) {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO advisory_aliases (alias, advisory_id) VALUES (?, ?)
		ON CONFLICT (alias, advisory_id) DO NOTHING`), strings.ToUpper(a), r.ID); err != nil {
			return fmt.Errorf("store alias %s: %w", a, err)
		}
	}
	return nil
}
