package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Finding is a rule finding of an image, as `shipshape push` uploads it
// from its local scan: the fleet keeps the findings of each image's
// latest push, so that the image page and the image diff show them
// beside packages and vulnerabilities.
type Finding struct {
	// Fingerprint identifies the finding across runs (the engine's
	// fingerprint); it is the finding's key within its image.
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"ruleId"`
	Severity    string `json:"severity"`
	Title       string `json:"title,omitempty"`
	Message     string `json:"message"`
	// Path is the file inside the image the finding is about, "" for the
	// image configuration; Line its line, 0 for the whole file.
	Path string `json:"path,omitempty"`
	Line int    `json:"line,omitempty"`
}

// MaxFindings bounds the findings stored per image.
const MaxFindings = 50000

// Validate says what is wrong with a finding record.
func (f Finding) Validate() error {
	switch {
	case strings.TrimSpace(f.Fingerprint) == "" || len(f.Fingerprint) > 200:
		return fmt.Errorf("finding %s: fingerprint must be 1 to 200 characters", f.RuleID)
	case strings.TrimSpace(f.RuleID) == "" || len(f.RuleID) > 50:
		return fmt.Errorf("finding %s: ruleId must be 1 to 50 characters", f.Fingerprint)
	case f.Severity == "" || len(f.Severity) > 20:
		return fmt.Errorf("finding %s: severity must be 1 to 20 characters", f.Fingerprint)
	case f.Line < 0:
		return fmt.Errorf("finding %s: negative line", f.Fingerprint)
	case len(f.Message) > 8192 || len(f.Title) > 1024 || len(f.Path) > 4096:
		return fmt.Errorf("finding %s: message, title or path too long", f.Fingerprint)
	}
	return nil
}

// PutFindings replaces the findings of the image digest (one
// transaction: a push's findings are whole or absent). The image must be
// stored already (ErrNotFound otherwise): findings describe an SBOM'd
// image, they do not create one.
func (s *Store) PutFindings(ctx context.Context, digest string, fs []Finding) error {
	if len(fs) > MaxFindings {
		return fmt.Errorf("%d findings: at most %d per image", len(fs), MaxFindings)
	}
	for _, f := range fs {
		if err := f.Validate(); err != nil {
			return err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin findings: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, s.rebind("SELECT id FROM images WHERE digest = ?"), digest).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("findings of %s: %w", digest, err)
	}
	if _, err := tx.ExecContext(ctx, s.rebind("DELETE FROM findings WHERE image_id = ?"), id); err != nil {
		return fmt.Errorf("replace findings: %w", err)
	}
	seen := map[string]bool{}
	var uniq []Finding
	for _, f := range fs {
		if !seen[f.Fingerprint] {
			seen[f.Fingerprint] = true
			uniq = append(uniq, f)
		}
	}
	const batch = 128
	start := 0
	for _, size := range sizes(len(uniq), batch) {
		chunk := uniq[start : start+size]
		start += size
		args := make([]any, 0, len(chunk)*8)
		for _, f := range chunk {
			args = append(args, id, f.Fingerprint, f.RuleID, f.Severity, f.Title, f.Message, f.Path, f.Line)
		}
		q := `INSERT INTO findings (image_id, fingerprint, rule_id, severity, title, message, path, line) VALUES ` + placeholders(len(chunk), 8)
		if _, err := tx.ExecContext(ctx, s.rebind(q), args...); err != nil {
			return fmt.Errorf("store findings: %w", err)
		}
	}
	return tx.Commit()
}

// Findings returns the findings of the image digest, most severe first
// (ErrNotFound when the fleet has no such image).
func (s *Store) Findings(ctx context.Context, digest string) ([]Finding, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT id FROM images WHERE digest = ?"), digest).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", digest, err)
	}
	return s.findingsOf(ctx, id)
}

func (s *Store) findingsOf(ctx context.Context, imageID int64) ([]Finding, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT fingerprint, rule_id, severity, title, message, path, line
	FROM findings WHERE image_id = ? ORDER BY rule_id, path, line, fingerprint`), imageID)
	if err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.Fingerprint, &f.RuleID, &f.Severity, &f.Title, &f.Message, &f.Path, &f.Line); err != nil {
			return nil, fmt.Errorf("findings: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	sortFindings(out)
	return out, nil
}

// severityRank orders severities most severe first; unknown names last.
func severityRank(s string) int {
	switch strings.ToLower(s) {
	case "critical":
		return 0
	case "high":
		return 1
	case "medium":
		return 2
	case "low":
		return 3
	case "info":
		return 4
	}
	return 5
}

func sortFindings(fs []Finding) {
	// Stable, so that the SQL order holds within a severity.
	sort.SliceStable(fs, func(i, j int) bool { return severityRank(fs[i].Severity) < severityRank(fs[j].Severity) })
}
