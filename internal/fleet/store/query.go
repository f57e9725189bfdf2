package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Advisory is a stored advisory.
type Advisory struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases,omitempty"`
	Summary  string   `json:"summary,omitempty"`
	Severity string   `json:"severity"`
	Score    float64  `json:"score,omitempty"`
	Source   string   `json:"source,omitempty"`
}

// PackageRef is one package an image holds, where it holds it.
type PackageRef struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	Version     string `json:"version"`
	PURL        string `json:"purl,omitempty"`
	Path        string `json:"path,omitempty"`
	Layer       int    `json:"layer"`
	LayerDigest string `json:"layerDigest,omitempty"`
}

// AffectedPackage is a package of an image that an advisory affects.
type AffectedPackage struct {
	PackageRef
	Advisory     string `json:"advisory"`
	FixedVersion string `json:"fixedVersion,omitempty"`
	FixState     string `json:"fixState"`
	Severity     string `json:"severity"`
	// VEX is the OpenVEX statement in force for this match, if any;
	// Suppressed is set when it says not_affected (see vex.go).
	VEX        *Triage `json:"vex,omitempty"`
	Suppressed bool    `json:"suppressed,omitempty"`
}

// ImageSummary names an image.
type ImageSummary struct {
	ID     int64    `json:"id"`
	Digest string   `json:"digest"`
	Refs   []string `json:"refs,omitempty"`
	Distro string   `json:"distro,omitempty"`
}

// AffectedImage is an image an advisory affects, with its affected
// packages and the containers running it.
type AffectedImage struct {
	ImageSummary
	Packages   []AffectedPackage `json:"packages"`
	Containers []Container       `json:"containers"`
}

// Affected answers "which images and containers does this vulnerability
// affect".
type Affected struct {
	Query      string          `json:"query"`
	Advisories []Advisory      `json:"advisories"`
	Images     []AffectedImage `json:"images"`
	// Suppressed are the images of this page whose every affected
	// package is triaged not_affected by OpenVEX.
	Suppressed []AffectedImage `json:"suppressed,omitempty"`
	// Next is the cursor of the following page (pass it as after); 0 when
	// this page is the last.
	Next int64 `json:"next,omitempty"`
}

// Page bounds a listing: at most Limit images with an id above After.
type Page struct {
	After int64
	Limit int
}

// MaxPage is the largest page a listing returns.
const MaxPage = 1000

func (p Page) limit() int {
	if p.Limit <= 0 || p.Limit > MaxPage {
		return MaxPage
	}
	return p.Limit
}

// Affected returns the images holding a package that the advisory id, or
// any advisory having id as an alias, affects: with the installed and
// fixed version, the layer and path of each package, and the containers
// running each image. An id the store has no match for yields no images.
func (s *Store) Affected(ctx context.Context, id string, page Page) (*Affected, error) {
	alias := strings.ToUpper(strings.TrimSpace(id))
	out := &Affected{Query: id, Advisories: []Advisory{}, Images: []AffectedImage{}}
	advs, err := s.advisoriesFor(ctx, alias)
	if err != nil {
		return nil, err
	}
	out.Advisories = advs
	if len(advs) == 0 {
		return out, nil
	}
	limit := page.limit()
	advIDs := make([]string, len(advs))
	for i, a := range advs {
		advIDs[i] = a.ID
	}
	var byPkg map[int64][]AffectedPackage
	var tri *triager
	err = s.together(ctx, func(ctx context.Context) error {
		var err error
		if byPkg, err = s.matchesWhere(ctx, `aa.alias = ?`, alias); err != nil {
			return fmt.Errorf("affected packages: %w", err)
		}
		return nil
	}, func(ctx context.Context) error {
		var err error
		tri, err = s.newTriager(ctx, advIDs)
		return err
	})
	if err != nil {
		return nil, err
	}
	// The matched package versions, sorted: the links are decoded by
	// walking them beside each image's links, which are in package order.
	want := mapKeys(byPkg)
	slices.Sort(want)
	ids, err := s.imagesHolding(ctx, want, page.After, limit+1)
	if err != nil {
		return nil, err
	}
	if len(ids) > limit {
		ids = ids[:limit]
		out.Next = ids[len(ids)-1]
	}
	if len(ids) == 0 {
		return out, nil
	}
	var links map[int64][]storedLink
	var sums []imageSummary
	err = s.together(ctx, func(ctx context.Context) error {
		var err error
		links, err = s.linksOfPackages(ctx, ids, want)
		return err
	}, func(ctx context.Context) error {
		var err error
		sums, err = s.summaries(ctx, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, sum := range sums {
		out.Images = append(out.Images, AffectedImage{ImageSummary: sum.ImageSummary, Packages: affectedIn(links[sum.ID], byPkg), Containers: sum.containers})
	}
	tri.apply(out)
	return out, nil
}

// advisoriesFor returns the stored advisories that alias names, each
// with its other aliases: one round trip, a row per (advisory, alias).
func (s *Store) advisoriesFor(ctx context.Context, alias string) ([]Advisory, error) {
	rows, err := s.queryPrepared(ctx, `SELECT a.id, a.summary, a.severity, a.score, a.source, a2.alias FROM advisory_aliases aa
	JOIN advisories a ON a.id = aa.advisory_id JOIN advisory_aliases a2 ON a2.advisory_id = a.id
	WHERE aa.alias = ? ORDER BY a.id, a2.alias`, alias)
	if err != nil {
		return nil, fmt.Errorf("advisory %s: %w", alias, err)
	}
	defer rows.Close()
	var out []Advisory
	for rows.Next() {
		var a Advisory
		var other string
		if err := rows.Scan(&a.ID, &a.Summary, &a.Severity, &a.Score, &a.Source, &other); err != nil {
			return nil, fmt.Errorf("advisory %s: %w", alias, err)
		}
		if n := len(out); n == 0 || out[n-1].ID != a.ID {
			out = append(out, a)
		}
		if other != strings.ToUpper(a.ID) {
			last := &out[len(out)-1]
			last.Aliases = append(last.Aliases, other)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("advisory %s: %w", alias, err)
	}
	return out, nil
}

type imageSummary struct {
	ImageSummary
	containers []Container
}

// summaries returns the images ids (in id order) with their refs and
// running containers.
func (s *Store) summaries(ctx context.Context, ids []int64) ([]imageSummary, error) {
	in, args := padIn(anySlice(ids))
	var out []imageSummary
	var cs []Container
	err := s.together(ctx, func(ctx context.Context) error {
		// The images with their references, in one round trip.
		rows, err := s.queryPrepared(ctx, `SELECT i.id, i.digest, i.distro_id, i.distro_version, r.ref FROM images i
	LEFT JOIN image_refs r ON r.image_id = i.id WHERE i.id IN (`+in+`) ORDER BY i.id, r.ref`, args...)
		if err != nil {
			return fmt.Errorf("images: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var im imageSummary
			var dID, dVer string
			var ref sql.NullString
			if err := rows.Scan(&im.ID, &im.Digest, &dID, &dVer, &ref); err != nil {
				return fmt.Errorf("images: %w", err)
			}
			if n := len(out); n == 0 || out[n-1].ID != im.ID {
				im.Distro = strings.TrimSuffix(dID+"-"+dVer, "-")
				im.containers = []Container{}
				out = append(out, im)
			}
			if ref.Valid {
				out[len(out)-1].Refs = append(out[len(out)-1].Refs, ref.String)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("images: %w", err)
		}
		return nil
	}, func(ctx context.Context) error {
		// The running containers of those images, by the images' ids, so
		// that this read need not wait for their digests.
		var err error
		cs, err = s.containersWhere(ctx, "stopped = 0 AND image_digest IN (SELECT digest FROM images WHERE id IN ("+in+"))", args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	byDigest := make(map[string]int, len(out))
	for i, im := range out {
		byDigest[im.Digest] = i
	}
	for _, c := range cs {
		if i, ok := byDigest[c.ImageDigest]; ok {
			out[i].containers = append(out[i].containers, c)
		}
	}
	return out, nil
}

// ImageDetail is everything the fleet knows about one image.
type ImageDetail struct {
	ImageSummary
	Source          string            `json:"source,omitempty"`
	Created         int64             `json:"created,omitempty"`
	FirstSeen       int64             `json:"firstSeen"`
	LastSeen        int64             `json:"lastSeen"`
	Packages        []PackageRef      `json:"packages"`
	Vulnerabilities []AffectedPackage `json:"vulnerabilities"`
	Containers      []Container       `json:"containers"`
}

// ImageByDigest returns an image's detail, ErrNotFound when the fleet has
// no image of that digest.
func (s *Store) ImageByDigest(ctx context.Context, digest string) (*ImageDetail, error) {
	d := &ImageDetail{Packages: []PackageRef{}, Vulnerabilities: []AffectedPackage{}, Containers: []Container{}}
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT id, source, created, first_seen, last_seen FROM images WHERE digest = ?`), digest).
		Scan(&d.ID, &d.Source, &d.Created, &d.FirstSeen, &d.LastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", digest, err)
	}
	sums, err := s.summaries(ctx, []int64{d.ID})
	if err != nil || len(sums) != 1 {
		return nil, fmt.Errorf("image %s: %v", digest, err)
	}
	d.ImageSummary, d.Containers = sums[0].ImageSummary, sums[0].containers
	links, err := s.linksOf(ctx, []int64{d.ID})
	if err != nil {
		return nil, err
	}
	ls := links[d.ID]
	pids := linkPackages(ls)
	pkgs, err := s.packagesByID(ctx, pids)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		p := pkgs[l.pkg]
		d.Packages = append(d.Packages, PackageRef{Type: p.typ, Name: p.name, Version: p.version, PURL: p.purl,
			Path: l.path, Layer: l.layer, LayerDigest: l.layerDigest})
	}
	sort.SliceStable(d.Packages, func(i, j int) bool {
		a, b := d.Packages[i], d.Packages[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Path < b.Path
	})
	byPkg := map[int64][]AffectedPackage{}
	for start := 0; start < len(pids); start += 512 {
		in, args := padIn(anySlice(pids[start:min(start+512, len(pids))]))
		m, err := s.matchesWhere(ctx, `pa.package_id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("image vulnerabilities: %w", err)
		}
		for k, v := range m {
			byPkg[k] = v
		}
	}
	if v := affectedIn(ls, byPkg); v != nil {
		d.Vulnerabilities = v
	}
	sort.SliceStable(d.Vulnerabilities, func(i, j int) bool {
		a, b := d.Vulnerabilities[i], d.Vulnerabilities[j]
		if a.Advisory != b.Advisory {
			return a.Advisory < b.Advisory
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Path < b.Path
	})
	return d, s.markVEX(ctx, d.Digest, d.Vulnerabilities)
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func inList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

func sortedKeys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// AdvisoryIDs returns up to limit ids of advisories that affect at least
// one stored package.
func (s *Store) AdvisoryIDs(ctx context.Context, limit int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT DISTINCT advisory_id FROM package_advisories ORDER BY advisory_id LIMIT ?"), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// matchesWhere returns the stored matches (package_advisories joined with
// their packages) that where selects, by package id: each an
// AffectedPackage without its place in an image. where may name
// advisory_aliases aa only when it selects by alias.
func (s *Store) matchesWhere(ctx context.Context, where string, args ...any) (map[int64][]AffectedPackage, error) {
	from := `package_advisories pa`
	if strings.Contains(where, "aa.") {
		from = `advisory_aliases aa JOIN package_advisories pa ON pa.advisory_id = aa.advisory_id`
	}
	rows, err := s.queryPrepared(ctx, `SELECT pa.package_id, p.type, p.name, p.version, p.purl,
	pa.advisory_id, pa.fixed_version, pa.fix_state, pa.severity
	FROM `+from+` JOIN packages p ON p.id = pa.package_id WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]AffectedPackage{}
	for rows.Next() {
		var id int64
		var a AffectedPackage
		if err := rows.Scan(&id, &a.Type, &a.Name, &a.Version, &a.PURL, &a.Advisory, &a.FixedVersion, &a.FixState, &a.Severity); err != nil {
			return nil, err
		}
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// affectedIn places the matches byPkg in an image: one AffectedPackage
// per link of a matched package and advisory, ordered by package name,
// version, path and advisory.
func affectedIn(ls []storedLink, byPkg map[int64][]AffectedPackage) []AffectedPackage {
	var out []AffectedPackage
	for _, l := range ls {
		for _, m := range byPkg[l.pkg] {
			m.Path, m.Layer, m.LayerDigest = l.path, l.layer, l.layerDigest
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Name != b.Name:
			return a.Name < b.Name
		case a.Version != b.Version:
			return a.Version < b.Version
		case a.Path != b.Path:
			return a.Path < b.Path
		}
		return a.Advisory < b.Advisory
	})
	return out
}

func mapKeys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func anySlice(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
