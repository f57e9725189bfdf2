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

// setBase records the base image an upload names, in the ingest
// transaction; an upload naming none leaves what an earlier one recorded.
func (s *Store) setBase(ctx context.Context, tx *sql.Tx, id int64, im Image) error {
	if im.BaseName == "" && im.BaseDigest == "" {
		return nil
	}
	if im.BaseDigest != "" && !ValidDigest(im.BaseDigest) {
		return fmt.Errorf("base image digest %q is not sha256:<64 lower-case hex>", im.BaseDigest)
	}
	if _, err := tx.ExecContext(ctx, s.rebind("UPDATE images SET base_name = ?, base_digest = ? WHERE id = ?"),
		im.BaseName, im.BaseDigest, id); err != nil {
		return fmt.Errorf("store base image: %w", err)
	}
	return nil
}

// PackageChange is a package whose versions differ between two images.
type PackageChange struct {
	Type string `json:"type"`
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// ImageDiff is what changed from one image to another: packages by type
// and name (versions compared as a set, so that a package installed twice
// counts once), vulnerabilities by advisory and package, findings by
// fingerprint (which does not depend on the image's name).
type ImageDiff struct {
	From     ImageSummary `json:"from"`
	To       ImageSummary `json:"to"`
	Packages struct {
		Added   []PackageRef    `json:"added"`
		Removed []PackageRef    `json:"removed"`
		Changed []PackageChange `json:"changed"`
	} `json:"packages"`
	Vulnerabilities struct {
		Added   []AffectedPackage `json:"added"`
		Removed []AffectedPackage `json:"removed"`
	} `json:"vulnerabilities"`
	Findings struct {
		Added   []Finding `json:"added"`
		Removed []Finding `json:"removed"`
	} `json:"findings"`
}

// Diff compares the image from with the image to (ErrNotFound when the
// fleet lacks either).
func (s *Store) Diff(ctx context.Context, from, to string) (*ImageDiff, error) {
	a, err := s.ImageByDigest(ctx, from)
	if err != nil {
		return nil, err
	}
	b, err := s.ImageByDigest(ctx, to)
	if err != nil {
		return nil, err
	}
	d := &ImageDiff{From: a.ImageSummary, To: b.ImageSummary}
	d.Packages.Added, d.Packages.Removed, d.Packages.Changed = []PackageRef{}, []PackageRef{}, []PackageChange{}
	d.Vulnerabilities.Added, d.Vulnerabilities.Removed = []AffectedPackage{}, []AffectedPackage{}
	d.Findings.Added, d.Findings.Removed = []Finding{}, []Finding{}

	type pkey struct{ typ, name string }
	versions := func(ps []PackageRef) (map[pkey][]string, map[pkey]PackageRef) {
		vs, first := map[pkey][]string{}, map[pkey]PackageRef{}
		for _, p := range ps {
			k := pkey{p.Type, p.Name}
			if _, ok := first[k]; !ok {
				first[k] = p
			}
			if !contains(vs[k], p.Version) {
				vs[k] = append(vs[k], p.Version)
			}
		}
		for k := range vs {
			sort.Strings(vs[k])
		}
		return vs, first
	}
	av, afirst := versions(a.Packages)
	bv, bfirst := versions(b.Packages)
	for k, v := range bv {
		old, ok := av[k]
		switch {
		case !ok:
			d.Packages.Added = append(d.Packages.Added, bfirst[k])
		case strings.Join(old, ", ") != strings.Join(v, ", "):
			d.Packages.Changed = append(d.Packages.Changed, PackageChange{Type: k.typ, Name: k.name, From: strings.Join(old, ", "), To: strings.Join(v, ", ")})
		}
	}
	for k := range av {
		if _, ok := bv[k]; !ok {
			d.Packages.Removed = append(d.Packages.Removed, afirst[k])
		}
	}
	sortRefs := func(ps []PackageRef) {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Type+"\x00"+ps[i].Name < ps[j].Type+"\x00"+ps[j].Name })
	}
	sortRefs(d.Packages.Added)
	sortRefs(d.Packages.Removed)
	sort.Slice(d.Packages.Changed, func(i, j int) bool {
		return d.Packages.Changed[i].Type+"\x00"+d.Packages.Changed[i].Name < d.Packages.Changed[j].Type+"\x00"+d.Packages.Changed[j].Name
	})

	vkey := func(v AffectedPackage) string { return v.Advisory + "\x00" + v.Type + "\x00" + v.Name }
	vset := func(vs []AffectedPackage) map[string]bool {
		m := map[string]bool{}
		for _, v := range vs {
			m[vkey(v)] = true
		}
		return m
	}
	avs, bvs := vset(a.Vulnerabilities), vset(b.Vulnerabilities)
	seen := map[string]bool{}
	for _, v := range b.Vulnerabilities {
		if k := vkey(v); !avs[k] && !seen[k] {
			seen[k] = true
			d.Vulnerabilities.Added = append(d.Vulnerabilities.Added, v)
		}
	}
	for _, v := range a.Vulnerabilities {
		if k := vkey(v); !bvs[k] && !seen[k] {
			seen[k] = true
			d.Vulnerabilities.Removed = append(d.Vulnerabilities.Removed, v)
		}
	}

	af, err := s.findingsOf(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	bf, err := s.findingsOf(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	fset := func(fs []Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			m[f.Fingerprint] = true
		}
		return m
	}
	afs, bfs := fset(af), fset(bf)
	for _, f := range bf {
		if !afs[f.Fingerprint] {
			d.Findings.Added = append(d.Findings.Added, f)
		}
	}
	for _, f := range af {
		if !bfs[f.Fingerprint] {
			d.Findings.Removed = append(d.Findings.Removed, f)
		}
	}
	return d, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// BaseDigest is one digest of a base image the fleet knows, with the
// images built on it and how far behind the newest digest it is.
type BaseDigest struct {
	Digest string `json:"digest"`
	// FirstSeen is when the fleet first saw this digest: pushed under the
	// base image's name, else as the base of an image.
	FirstSeen int64 `json:"firstSeen"`
	Current   bool  `json:"current,omitempty"`
	// Behind counts the newer digests of the base image the fleet has
	// seen; DaysBehind is the time from this digest to the current one.
	Behind     int            `json:"behind"`
	DaysBehind int            `json:"daysBehind"`
	Images     []ImageSummary `json:"images"`
}

// BaseImage is a base image name and the digests of it the fleet's
// images are built on.
type BaseImage struct {
	Name    string `json:"name"`
	Current string `json:"current"`
	// CurrentFrom says how the current digest was chosen: "pushed" when
	// the base image itself was pushed under its name (the newest such
	// push), "newest-used" when only the images built on it name it.
	CurrentFrom string       `json:"currentFrom"`
	Digests     []BaseDigest `json:"digests"`
	// Images counts the images built on this base; ImagesBehind those on
	// an older digest than the current one.
	Images       int `json:"images"`
	ImagesBehind int `json:"imagesBehind"`
}

// BaseImages groups the images that name their base image by base name
// (name "" for every base), newest digest first, each digest with how far
// behind the current one it is.
func (s *Store) BaseImages(ctx context.Context, name string) ([]BaseImage, error) {
	where, args := "base_name <> ''", []any{}
	if name != "" {
		where, args = "base_name = ?", append(args, name)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT base_name, base_digest, id, first_seen FROM images WHERE `+where+`
	ORDER BY base_name, first_seen, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("base images: %w", err)
	}
	type use struct {
		digest  string
		image   int64
		firstAt int64
	}
	byName := map[string][]use{}
	var names []string
	var ids []int64
	for rows.Next() {
		var n string
		var u use
		if err := rows.Scan(&n, &u.digest, &u.image, &u.firstAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("base images: %w", err)
		}
		if _, ok := byName[n]; !ok {
			names = append(names, n)
		}
		byName[n] = append(byName[n], u)
		ids = append(ids, u.image)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("base images: %w", err)
	}
	out := []BaseImage{}
	if len(names) == 0 {
		return out, nil
	}
	sums, err := s.summaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	summary := map[int64]ImageSummary{}
	for _, sm := range sums {
		summary[sm.ID] = sm.ImageSummary
	}
	// The digests each base name was pushed under, oldest push first.
	type push struct {
		digest string
		at     int64
	}
	pushed := map[string][]push{}
	for start := 0; start < len(names); start += 500 {
		chunk := names[start:min(start+500, len(names))]
		a := make([]any, len(chunk))
		for i, n := range chunk {
			a[i] = n
		}
		rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT r.ref, i.digest, r.first_seen FROM image_refs r JOIN images i ON i.id = r.image_id
		WHERE r.ref IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`) ORDER BY r.first_seen, i.id`), a...)
		if err != nil {
			return nil, fmt.Errorf("base image pushes: %w", err)
		}
		for rows.Next() {
			var ref string
			var p push
			if err := rows.Scan(&ref, &p.digest, &p.at); err != nil {
				rows.Close()
				return nil, fmt.Errorf("base image pushes: %w", err)
			}
			pushed[ref] = append(pushed[ref], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("base image pushes: %w", err)
		}
	}
	for _, n := range names {
		b := BaseImage{Name: n, CurrentFrom: "newest-used"}
		first := map[string]int64{}
		order := map[string]int{}
		note := func(dg string, at int64) {
			if dg == "" {
				return
			}
			if old, ok := first[dg]; !ok || at < old {
				first[dg] = at
			}
			if _, ok := order[dg]; !ok {
				order[dg] = len(order)
			}
		}
		for _, u := range byName[n] {
			note(u.digest, u.firstAt)
		}
		for _, p := range pushed[n] {
			note(p.digest, p.at)
		}
		known := make([]string, 0, len(first))
		for dg := range first {
			known = append(known, dg)
		}
		// Oldest first; ties by the order the fleet met them.
		sort.Slice(known, func(i, j int) bool {
			if first[known[i]] != first[known[j]] {
				return first[known[i]] < first[known[j]]
			}
			return order[known[i]] < order[known[j]]
		})
		pos := map[string]int{}
		for i, dg := range known {
			pos[dg] = i
		}
		if len(pushed[n]) > 0 {
			b.CurrentFrom = "pushed"
			for _, p := range pushed[n] {
				if b.Current == "" || pos[p.digest] > pos[b.Current] {
					b.Current = p.digest
				}
			}
		} else if len(known) > 0 {
			b.Current = known[len(known)-1]
		}
		images := map[string][]ImageSummary{}
		for _, u := range byName[n] {
			images[u.digest] = append(images[u.digest], summary[u.image])
		}
		for i := len(known) - 1; i >= 0; i-- {
			dg := known[i]
			bd := BaseDigest{Digest: dg, FirstSeen: first[dg], Current: dg == b.Current, Images: images[dg]}
			if bd.Images == nil {
				bd.Images = []ImageSummary{}
			}
			if cur, ok := pos[b.Current]; ok && i < cur {
				bd.Behind = cur - i
				bd.DaysBehind = int((first[b.Current] - first[dg]) / 86400)
				b.ImagesBehind += len(bd.Images)
			}
			b.Images += len(bd.Images)
			b.Digests = append(b.Digests, bd)
		}
		if unknown := images[""]; len(unknown) > 0 {
			b.Digests = append(b.Digests, BaseDigest{Images: unknown, Behind: -1, DaysBehind: -1})
			b.Images += len(unknown)
		}
		out = append(out, b)
	}
	return out, nil
}

// RankedAdvisory is an advisory ranked by how much of the running fleet it
// hits.
type RankedAdvisory struct {
	Advisory
	// RunningContainers counts the running containers whose image holds
	// an affected package not triaged not_affected; RunningImages counts
	// those images.
	RunningContainers int `json:"runningContainers"`
	RunningImages     int `json:"runningImages"`
}

// TopVulnerabilities ranks the advisories by running exposure: the
// running containers whose image holds an affected package (matches that
// OpenVEX triages not_affected do not count), then the running images,
// then the score. The counting is one aggregate query over the images
// with a running container, so its cost follows the running fleet, not
// every image ever pushed; only the advisories that VEX statements name
// are counted again match by match, to apply the triage.
func (s *Store) TopVulnerabilities(ctx context.Context, limit int) ([]RankedAdvisory, error) {
	if limit <= 0 || limit > MaxPage {
		limit = 20
	}
	out, err := s.ranking(ctx)
	if err != nil {
		return nil, err
	}
	return s.topOf(ctx, out, limit)
}

// computeRanking counts, for every advisory, the running images and
// containers it hits (see TopVulnerabilities), in no order.
func (s *Store) computeRanking(ctx context.Context) ([]RankedAdvisory, error) {
	const runningImages = `SELECT i.id, i.digest, COUNT(*) AS n FROM containers c JOIN images i ON i.digest = c.image_digest
	WHERE c.stopped = 0 GROUP BY i.id, i.digest`
	running := map[int64]int{}
	digestOf := map[int64]string{}
	var runningIDs []int64
	rows, err := s.db.QueryContext(ctx, runningImages)
	if err != nil {
		return nil, fmt.Errorf("running images: %w", err)
	}
	for rows.Next() {
		var id int64
		var digest string
		var n int
		if err := rows.Scan(&id, &digest, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("running images: %w", err)
		}
		running[id] = n
		digestOf[id] = digest
		runningIDs = append(runningIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("running images: %w", err)
	}
	slices.Sort(runningIDs)
	byID := map[string]*RankedAdvisory{}
	var ids []string
	err = s.imageAdvisories(ctx, runningIDs, true, func(image int64, advisories []string) {
		for _, id := range advisories {
			e := byID[id]
			if e == nil {
				e = &RankedAdvisory{Advisory: Advisory{ID: id}}
				byID[id] = e
				ids = append(ids, id)
			}
			e.RunningImages++
			e.RunningContainers += running[image]
		}
	})
	if err != nil {
		return nil, fmt.Errorf("running exposure: %w", err)
	}
	out := []RankedAdvisory{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.triageExposure(ctx, byID, runningIDs, running, digestOf); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if e := byID[id]; e.RunningImages > 0 {
			out = append(out, *e)
		}
	}
	return out, nil
}

// topOf ranks the counted advisories and returns the first limit with
// their details.
func (s *Store) topOf(ctx context.Context, out []RankedAdvisory, limit int) ([]RankedAdvisory, error) {
	if len(out) == 0 {
		return []RankedAdvisory{}, nil
	}
	// Rank by exposure first, so that only the advisories shown need
	// their details; ties need the score and severity, so every advisory
	// tied with the last one shown is read too.
	sort.Slice(out, func(i, j int) bool {
		if out[i].RunningContainers != out[j].RunningContainers {
			return out[i].RunningContainers > out[j].RunningContainers
		}
		return out[i].RunningImages > out[j].RunningImages
	})
	cut := len(out)
	if cut > limit {
		cut = limit
		last := out[limit-1]
		for cut < len(out) && out[cut].RunningContainers == last.RunningContainers && out[cut].RunningImages == last.RunningImages {
			cut++
		}
	}
	out = out[:cut]
	shown := make([]string, len(out))
	for i := range out {
		shown[i] = out[i].ID
	}
	details, err := s.advisoryDetails(ctx, shown)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if a, ok := details[out[i].ID]; ok {
			out[i].Advisory = a
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.RunningContainers != b.RunningContainers:
			return a.RunningContainers > b.RunningContainers
		case a.RunningImages != b.RunningImages:
			return a.RunningImages > b.RunningImages
		case a.Score != b.Score:
			return a.Score > b.Score
		case severityRank(a.Severity) != severityRank(b.Severity):
			return severityRank(a.Severity) < severityRank(b.Severity)
		}
		return a.ID < b.ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// triageExposure recounts, match by match, the exposure of the advisories
// in byID that a VEX statement names (under any of their names), leaving
// out the matches triaged not_affected.
func (s *Store) triageExposure(ctx context.Context, byID map[string]*RankedAdvisory, runningIDs []int64, running map[int64]int, digestOf map[int64]string) error {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT aa.advisory_id FROM vex v JOIN advisory_aliases aa ON aa.alias = v.advisory`)
	if err != nil {
		return fmt.Errorf("VEX advisories: %w", err)
	}
	var named []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("VEX advisories: %w", err)
		}
		if byID[id] != nil {
			named = append(named, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("VEX advisories: %w", err)
	}
	if len(named) == 0 {
		return nil
	}
	t, err := s.newTriager(ctx, named)
	if err != nil {
		return err
	}
	byPkg := map[int64][]AffectedPackage{}
	for start := 0; start < len(named); start += 512 {
		chunk := named[start:min(start+512, len(named))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in, args := padIn(args)
		m, err := s.matchesWhere(ctx, `pa.advisory_id IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("triaged exposure: %w", err)
		}
		for k, v := range m {
			byPkg[k] = append(byPkg[k], v...)
		}
	}
	images := map[string]map[string]int{}
	for start := 0; start < len(runningIDs); start += 500 {
		chunk := runningIDs[start:min(start+500, len(runningIDs))]
		links, err := s.linksOf(ctx, chunk)
		if err != nil {
			return fmt.Errorf("triaged exposure: %w", err)
		}
		for _, image := range chunk {
			digest := digestOf[image]
			for _, p := range linkPackages(links[image]) {
				for _, m := range byPkg[p] {
					if t.decide(m.Advisory, digest, m.PURL).Suppresses() {
						continue
					}
					if images[m.Advisory] == nil {
						images[m.Advisory] = map[string]int{}
					}
					images[m.Advisory][digest] = running[image]
				}
			}
		}
	}
	for _, id := range named {
		e := byID[id]
		e.RunningImages, e.RunningContainers = len(images[id]), 0
		for _, n := range images[id] {
			e.RunningContainers += n
		}
	}
	return nil
}

// advisoryDetails returns the stored advisories ids, by id.
func (s *Store) advisoryDetails(ctx context.Context, ids []string) (map[string]Advisory, error) {
	out := map[string]Advisory{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT id, summary, severity, score, source FROM advisories WHERE id IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("advisories: %w", err)
		}
		for rows.Next() {
			var a Advisory
			if err := rows.Scan(&a.ID, &a.Summary, &a.Severity, &a.Score, &a.Source); err != nil {
				rows.Close()
				return nil, fmt.Errorf("advisories: %w", err)
			}
			out[a.ID] = a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("advisories: %w", err)
		}
	}
	return out, nil
}

// RefSeen is a name an image was pushed or seen under, and when.
type RefSeen struct {
	Ref       string `json:"ref"`
	FirstSeen int64  `json:"firstSeen"`
	LastSeen  int64  `json:"lastSeen"`
}

// ImageHistory is when the fleet saw an image: under which names, and
// every container that ran it (stopped ones too).
type ImageHistory struct {
	ImageSummary
	FirstSeen  int64       `json:"firstSeen"`
	LastSeen   int64       `json:"lastSeen"`
	BaseName   string      `json:"baseName,omitempty"`
	BaseDigest string      `json:"baseDigest,omitempty"`
	Refs       []RefSeen   `json:"refs"`
	Containers []Container `json:"containers"`
}

// History returns the history of the image digest (ErrNotFound when the
// fleet has no such image).
func (s *Store) History(ctx context.Context, digest string) (*ImageHistory, error) {
	h := &ImageHistory{Refs: []RefSeen{}, Containers: []Container{}}
	var dID, dVer string
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT id, digest, distro_id, distro_version, first_seen, last_seen, base_name, base_digest
	FROM images WHERE digest = ?`), digest).Scan(&h.ID, &h.Digest, &dID, &dVer, &h.FirstSeen, &h.LastSeen, &h.BaseName, &h.BaseDigest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", digest, err)
	}
	h.Distro = strings.TrimSuffix(dID+"-"+dVer, "-")
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT ref, first_seen, last_seen FROM image_refs WHERE image_id = ? ORDER BY first_seen, ref`), h.ID)
	if err != nil {
		return nil, fmt.Errorf("image refs: %w", err)
	}
	for rows.Next() {
		var r RefSeen
		if err := rows.Scan(&r.Ref, &r.FirstSeen, &r.LastSeen); err != nil {
			rows.Close()
			return nil, fmt.Errorf("image refs: %w", err)
		}
		h.Refs = append(h.Refs, r)
		h.ImageSummary.Refs = append(h.ImageSummary.Refs, r.Ref)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("image refs: %w", err)
	}
	cs, err := s.containersWhere(ctx, "image_digest = ?", digest)
	if err != nil {
		return nil, err
	}
	if cs != nil {
		h.Containers = cs
	}
	return h, nil
}

// RefHistory returns the digests a reference (a tag) named over time,
// oldest first: the history of a tag rather than of an image.
func (s *Store) RefHistory(ctx context.Context, ref string) ([]ImageSummaryAt, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT i.digest, r.first_seen, r.last_seen FROM image_refs r JOIN images i ON i.id = r.image_id
	WHERE r.ref = ? ORDER BY r.first_seen, i.id`), ref)
	if err != nil {
		return nil, fmt.Errorf("ref history: %w", err)
	}
	defer rows.Close()
	out := []ImageSummaryAt{}
	for rows.Next() {
		var a ImageSummaryAt
		if err := rows.Scan(&a.Digest, &a.FirstSeen, &a.LastSeen); err != nil {
			return nil, fmt.Errorf("ref history: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ImageSummaryAt is a digest a reference named, and when.
type ImageSummaryAt struct {
	Digest    string `json:"digest"`
	FirstSeen int64  `json:"firstSeen"`
	LastSeen  int64  `json:"lastSeen"`
}

// Counts sums up the fleet for the dashboard.
type Counts struct {
	Images            int `json:"images"`
	Packages          int `json:"packages"`
	RunningContainers int `json:"runningContainers"`
	Advisories        int `json:"advisories"`
	VEXStatements     int `json:"vexStatements"`
	Findings          int `json:"findings"`
	PendingPackages   int `json:"pendingPackages"`
}

// FleetCounts counts images, package versions, running containers,
// advisories matching a stored package, VEX statements, findings and
// package versions not yet matched.
func (s *Store) FleetCounts(ctx context.Context) (Counts, error) {
	var c Counts
	for _, q := range []struct {
		dst *int
		sql string
	}{
		{&c.Images, "SELECT COUNT(*) FROM images"},
		{&c.Packages, "SELECT COUNT(*) FROM packages"},
		{&c.RunningContainers, "SELECT COUNT(*) FROM containers WHERE stopped = 0"},
		{&c.Advisories, "SELECT COUNT(DISTINCT advisory_id) FROM package_advisories"},
		{&c.VEXStatements, "SELECT COUNT(*) FROM vex"},
		{&c.Findings, "SELECT COUNT(*) FROM findings"},
	} {
		if err := s.db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return c, fmt.Errorf("counts: %w", err)
		}
	}
	n, err := s.Pending(ctx)
	if err != nil {
		return c, fmt.Errorf("counts: %w", err)
	}
	c.PendingPackages = n
	return c, nil
}
