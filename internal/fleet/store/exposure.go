package store

import (
	"context"
	"fmt"
	"strings"
)

// Exposure is an advisory that newly affects running containers of one
// image: what a webhook notification says.
type Exposure struct {
	Advisory   Advisory          `json:"advisory"`
	Image      ImageSummary      `json:"image"`
	Packages   []AffectedPackage `json:"packages"`
	Containers []Container       `json:"containers"`
	// ContainerRows are the containers' row ids, by which RecordExposures
	// remembers that they were told.
	ContainerRows []int64 `json:"-"`
	// Triaged is set when OpenVEX triage says every affected package of
	// the image is not affected: nobody is to be told, and recording it
	// keeps it from coming back.
	Triaged bool `json:"-"`
}

// MaxExposures bounds the exposures one NewExposures call returns; the
// rest are found by the next call.
const MaxExposures = 1000

// NewExposures returns, grouped by advisory and image, the running
// containers that an advisory affects (other than as not affected) and
// that were not recorded as told of it (RecordExposures): a container
// is newly exposed once per advisory, however often the fleet is
// matched again.
func (s *Store) NewExposures(ctx context.Context) ([]Exposure, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT pa.advisory_id, i.id, c.id FROM containers c
	JOIN images i ON i.digest = c.image_digest
	JOIN image_packages ip ON ip.image_id = i.id
	JOIN package_advisories pa ON pa.package_id = ip.package_id
	WHERE c.stopped = 0 AND pa.fix_state <> 'not-affected'
	AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.advisory_id = pa.advisory_id AND n.container_id = c.id)
	ORDER BY pa.advisory_id, i.id, c.id`)
	if err != nil {
		return nil, fmt.Errorf("new exposures: %w", err)
	}
	var out []Exposure
	for rows.Next() {
		var adv string
		var imageID, cID int64
		if err := rows.Scan(&adv, &imageID, &cID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("new exposures: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].Advisory.ID == adv && out[n-1].Image.ID == imageID {
			out[n-1].ContainerRows = append(out[n-1].ContainerRows, cID)
			continue
		}
		if len(out) == MaxExposures {
			break
		}
		out = append(out, Exposure{Advisory: Advisory{ID: adv}, Image: ImageSummary{ID: imageID}, ContainerRows: []int64{cID}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("new exposures: %w", err)
	}
	for i := range out {
		e := &out[i]
		if err := s.describe(ctx, e); err != nil {
			return nil, err
		}
		if err := s.markVEX(ctx, e.Image.Digest, e.Packages); err != nil {
			return nil, err
		}
		e.Triaged = len(e.Packages) > 0
		for _, p := range e.Packages {
			if !p.Suppressed {
				e.Triaged = false
			}
		}
	}
	return out, nil
}

// describe fills in an exposure's advisory, image, packages and
// containers.
func (s *Store) describe(ctx context.Context, e *Exposure) error {
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT summary, severity, score, source FROM advisories WHERE id = ?"), e.Advisory.ID).
		Scan(&e.Advisory.Summary, &e.Advisory.Severity, &e.Advisory.Score, &e.Advisory.Source)
	if err != nil {
		return fmt.Errorf("advisory %s: %w", e.Advisory.ID, err)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT alias FROM advisory_aliases WHERE advisory_id = ? ORDER BY alias"), e.Advisory.ID)
	if err != nil {
		return fmt.Errorf("aliases of %s: %w", e.Advisory.ID, err)
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return fmt.Errorf("aliases of %s: %w", e.Advisory.ID, err)
		}
		if a != strings.ToUpper(e.Advisory.ID) {
			e.Advisory.Aliases = append(e.Advisory.Aliases, a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("aliases of %s: %w", e.Advisory.ID, err)
	}
	sums, err := s.summaries(ctx, []int64{e.Image.ID})
	if err != nil {
		return err
	}
	if len(sums) == 1 {
		e.Image = sums[0].ImageSummary
	}
	rows, err = s.db.QueryContext(ctx, s.rebind(`SELECT p.type, p.name, p.version, p.purl, ip.path, ip.layer_index,
	ip.layer_digest, pa.advisory_id, pa.fixed_version, pa.fix_state, pa.severity
	FROM package_advisories pa
	JOIN image_packages ip ON ip.package_id = pa.package_id
	JOIN packages p ON p.id = pa.package_id
	WHERE pa.advisory_id = ? AND ip.image_id = ?
	ORDER BY p.name, p.version, ip.path`), e.Advisory.ID, e.Image.ID)
	if err != nil {
		return fmt.Errorf("exposed packages: %w", err)
	}
	for rows.Next() {
		var a AffectedPackage
		if err := rows.Scan(&a.Type, &a.Name, &a.Version, &a.PURL, &a.Path, &a.Layer, &a.LayerDigest,
			&a.Advisory, &a.FixedVersion, &a.FixState, &a.Severity); err != nil {
			rows.Close()
			return fmt.Errorf("exposed packages: %w", err)
		}
		e.Packages = append(e.Packages, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("exposed packages: %w", err)
	}
	in, args := inList(e.ContainerRows)
	e.Containers, err = s.containersWhere(ctx, "id IN ("+in+")", args...)
	return err
}

// RecordExposures remembers that the containers of es were told of their
// advisories, so that NewExposures does not return them again.
func (s *Store) RecordExposures(ctx context.Context, es []Exposure) error {
	if len(es) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin exposures: %w", err)
	}
	defer tx.Rollback()
	now := s.now().Unix()
	for _, e := range es {
		for _, c := range e.ContainerRows {
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO notifications (advisory_id, container_id, created) VALUES (?, ?, ?)
			ON CONFLICT (advisory_id, container_id) DO NOTHING`), e.Advisory.ID, c, now); err != nil {
				return fmt.Errorf("record exposure: %w", err)
			}
		}
	}
	return tx.Commit()
}
