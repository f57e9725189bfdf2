package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
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
	running, images, err := s.runningContainers(ctx)
	if err != nil {
		return nil, fmt.Errorf("new exposures: %w", err)
	}
	seen := map[told]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT n.advisory_id, n.container_id FROM notifications n
	JOIN containers c ON c.id = n.container_id WHERE c.stopped = 0`)
	if err != nil {
		return nil, fmt.Errorf("new exposures: %w", err)
	}
	for rows.Next() {
		var t told
		if err := rows.Scan(&t.advisory, &t.container); err != nil {
			rows.Close()
			return nil, fmt.Errorf("new exposures: %w", err)
		}
		seen[t] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("new exposures: %w", err)
	}
	type triple struct {
		advisory         string
		image, container int64
	}
	var all []triple
	err = s.imageAdvisories(ctx, images, false, func(image int64, advisories []string) {
		for _, adv := range advisories {
			for _, c := range running[image] {
				if !seen[told{adv, c}] {
					all = append(all, triple{adv, image, c})
				}
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("new exposures: %w", err)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		switch {
		case a.advisory != b.advisory:
			return a.advisory < b.advisory
		case a.image != b.image:
			return a.image < b.image
		}
		return a.container < b.container
	})
	var out []Exposure
	for _, t := range all {
		if n := len(out); n > 0 && out[n-1].Advisory.ID == t.advisory && out[n-1].Image.ID == t.image {
			out[n-1].ContainerRows = append(out[n-1].ContainerRows, t.container)
			continue
		}
		if len(out) == MaxExposures {
			break
		}
		out = append(out, Exposure{Advisory: Advisory{ID: t.advisory}, Image: ImageSummary{ID: t.image}, ContainerRows: []int64{t.container}})
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
	byPkg, err := s.matchesWhere(ctx, `pa.advisory_id = ?`, e.Advisory.ID)
	if err != nil {
		return fmt.Errorf("exposed packages: %w", err)
	}
	links, err := s.linksOf(ctx, []int64{e.Image.ID})
	if err != nil {
		return err
	}
	e.Packages = affectedIn(links[e.Image.ID], byPkg)
	in, args := padIn(anySlice(e.ContainerRows))
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

// told is a (advisory, container) pair a notification was recorded for.
type told struct {
	advisory  string
	container int64
}

// runningContainers returns the row ids of the running containers by
// image id, and those image ids in order.
func (s *Store) runningContainers(ctx context.Context) (map[int64][]int64, []int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, c.id FROM containers c JOIN images i ON i.digest = c.image_digest
	WHERE c.stopped = 0 ORDER BY i.id, c.id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	var ids []int64
	for rows.Next() {
		var image, c int64
		if err := rows.Scan(&image, &c); err != nil {
			return nil, nil, err
		}
		if _, ok := out[image]; !ok {
			ids = append(ids, image)
		}
		out[image] = append(out[image], c)
	}
	return out, ids, rows.Err()
}

// imageAdvisories calls f with each image of ids (in order) and the
// distinct advisories (sorted) matched to a package it holds (with
// notAffected, also the matches whose fix state is not-affected); images
// without one are skipped. The images' links are read a few hundred at a
// time.
func (s *Store) imageAdvisories(ctx context.Context, ids []int64, notAffected bool, f func(image int64, advisories []string)) error {
	filter := `fix_state <> 'not-affected' AND `
	if notAffected {
		filter = ``
	}
	byPkg := map[int64][]string{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		links, err := s.linksOf(ctx, chunk)
		if err != nil {
			return err
		}
		var need []int64
		for _, id := range chunk {
			for _, p := range linkPackages(links[id]) {
				if _, ok := byPkg[p]; !ok {
					byPkg[p] = nil
					need = append(need, p)
				}
			}
		}
		for i := 0; i < len(need); i += 500 {
			in, args := inList(need[i:min(i+500, len(need))])
			rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT package_id, advisory_id FROM package_advisories
			WHERE `+filter+`package_id IN (`+in+`)`), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var p int64
				var adv string
				if err := rows.Scan(&p, &adv); err != nil {
					rows.Close()
					return err
				}
				byPkg[p] = append(byPkg[p], adv)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for _, id := range chunk {
			var advs []string
			for _, p := range linkPackages(links[id]) {
				advs = append(advs, byPkg[p]...)
			}
			if len(advs) == 0 {
				continue
			}
			slices.Sort(advs)
			f(id, slices.Compact(advs))
		}
	}
	return nil
}
