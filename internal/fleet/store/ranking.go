package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The ranking of advisories by running exposure (TopVulnerabilities)
// counts over every running image's links: at 100,000 images it takes
// seconds, too long for a dashboard. It is kept in exposure_ranking,
// computed after each matching pass (RefreshRanking) and valid while
// nothing it depends on changed: every write that can change it (an
// ingest, container records, OpenVEX statements, stored matches) counts
// itself in fleet_state 'changes', and the ranking records the count it
// was computed at ('ranked'). A question asked between a write and the
// next pass computes the ranking itself, so an answer is never stale.

// bump counts a write that can change the ranking, in its transaction.
func (s *Store) bump(ctx context.Context, tx *sql.Tx) error {
	if err := s.execPrepared(ctx, tx, `UPDATE fleet_state SET value = value + 1 WHERE name = 'changes'`); err != nil {
		return fmt.Errorf("count change: %w", err)
	}
	return nil
}

// state reads the write count and the count the stored ranking was
// computed at.
func (s *Store) state(ctx context.Context) (changes, ranked int64, err error) {
	rows, err := s.queryPrepared(ctx, `SELECT name, value FROM fleet_state WHERE name IN ('changes', 'ranked')`)
	if err != nil {
		return 0, 0, fmt.Errorf("fleet state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			return 0, 0, fmt.Errorf("fleet state: %w", err)
		}
		if name == "changes" {
			changes = v
		} else {
			ranked = v
		}
	}
	return changes, ranked, rows.Err()
}

// ranking returns the counted advisories: the stored ranking when it is
// current, else one computed now (and stored, unless a write came in
// meanwhile).
func (s *Store) ranking(ctx context.Context) ([]RankedAdvisory, error) {
	changes, ranked, err := s.state(ctx)
	if err != nil {
		return nil, err
	}
	if changes == ranked {
		return s.storedRanking(ctx)
	}
	out, err := s.computeRanking(ctx)
	if err != nil {
		return nil, err
	}
	return out, s.storeRanking(ctx, changes, out)
}

// RefreshRanking computes and stores the ranking if it is not current;
// the matching pass calls it, so that the dashboard's question is a read.
func (s *Store) RefreshRanking(ctx context.Context) error {
	_, err := s.ranking(ctx)
	return err
}

func (s *Store) storedRanking(ctx context.Context) ([]RankedAdvisory, error) {
	rows, err := s.queryPrepared(ctx, `SELECT advisory_id, running_images, running_containers FROM exposure_ranking`)
	if err != nil {
		return nil, fmt.Errorf("exposure ranking: %w", err)
	}
	defer rows.Close()
	var out []RankedAdvisory
	for rows.Next() {
		var r RankedAdvisory
		if err := rows.Scan(&r.ID, &r.RunningImages, &r.RunningContainers); err != nil {
			return nil, fmt.Errorf("exposure ranking: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// storeRanking replaces the stored ranking with rs, computed when the
// write count was changes; it stores nothing if a write came in since.
func (s *Store) storeRanking(ctx context.Context, changes int64, rs []RankedAdvisory) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store ranking: %w", err)
	}
	defer tx.Rollback()
	// Taking the row (an update) before reading it: no write can count
	// itself between the check and the commit.
	res, err := tx.ExecContext(ctx, s.rebind(`UPDATE fleet_state SET value = ? WHERE name = 'ranked'
	AND (SELECT value FROM fleet_state WHERE name = 'changes') = ?`), changes, changes)
	if err != nil {
		return fmt.Errorf("store ranking: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM exposure_ranking`); err != nil {
		return fmt.Errorf("store ranking: %w", err)
	}
	args := make([]any, 0, 3*len(rs))
	for _, r := range rs {
		args = append(args, r.ID, r.RunningImages, r.RunningContainers)
	}
	if err := s.insertRows(ctx, tx, "exposure_ranking (advisory_id, running_images, running_containers)", 3, args); err != nil {
		return fmt.Errorf("store ranking: %w", err)
	}
	return tx.Commit()
}
