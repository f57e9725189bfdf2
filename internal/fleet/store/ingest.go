package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// Image is one SBOM to store: the image digest it describes, the
// reference it was pushed or seen under, and its packages.
type Image struct {
	// Digest is the image's manifest digest (sha256:<64 hex>); it is the
	// image's identity.
	Digest string
	// Ref is the name the image was pushed under; optional.
	Ref  string
	SBOM *sbom.SBOM
	// BaseName and BaseDigest name the image this one was built from
	// (the org.opencontainers.image.base.* annotations), when known.
	BaseName, BaseDigest string
}

// IngestResult says what Ingest stored.
type IngestResult struct {
	ImageID int64 `json:"imageId"`
	// Packages is the number of package links of the image;
	// NewPackages the package versions the fleet had not seen before.
	Packages    int `json:"packages"`
	NewPackages int `json:"newPackages"`
}

var digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// ValidDigest tells whether d is a sha256 digest in canonical form.
func ValidDigest(d string) bool { return digestRE.MatchString(d) }

// pkgKey is a package's identity: the same version of the same package of
// the same distribution release is stored once, whatever image holds it.
type pkgKey struct {
	typ, namespace, name, version, distroID, distroVersion string
}

// osEcosystem tells distribution packages, whose identity includes the
// release (the same version string is judged by each release's
// advisories), from language packages, which are the same everywhere.
func osEcosystem(eco string) bool {
	switch eco {
	case sbom.EcoDebian, sbom.EcoUbuntu, sbom.EcoAlpine, sbom.EcoRPM:
		return true
	}
	return false
}

// pkgRow is a package of an SBOM ready to store.
type pkgRow struct {
	key                       pkgKey
	purl, srcName, srcVersion string
}

// link is one place an image holds a package.
type link struct {
	key         pkgKey
	path        string
	layer       int
	layerDigest string
}

// Ingest stores an image and its package links in one transaction: a
// killed process leaves either the whole image or none of it. Ingesting a
// digest again replaces its package links and adds the reference.
// Matching is not done here (see MatchPending): new package versions are
// left pending, so that the response does not wait for it.
func (s *Store) Ingest(ctx context.Context, im Image) (IngestResult, error) {
	res, err := s.IngestBatch(ctx, []Image{im})
	if err != nil {
		return IngestResult{}, err
	}
	return res[0], nil
}

// IngestBatch stores several images in one transaction (group commit):
// each image is whole or absent, and the pages the images share (package
// rows, the package-to-image index) are written once for the batch
// instead of once per image. An invalid image fails the whole batch
// before anything is written.
func (s *Store) IngestBatch(ctx context.Context, ims []Image) ([]IngestResult, error) {
	for _, im := range ims {
		if !ValidDigest(im.Digest) {
			return nil, fmt.Errorf("image digest %q is not sha256:<64 lower-case hex>", im.Digest)
		}
		if im.SBOM == nil {
			return nil, fmt.Errorf("image %s: no SBOM", im.Digest)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin ingest: %w", err)
	}
	defer tx.Rollback()
	if err := s.lockIngest(ctx, tx); err != nil {
		return nil, err
	}
	fresh := map[pkgKey]int64{}
	bm := bitmaps{}
	out := make([]IngestResult, len(ims))
	for i, im := range ims {
		if out[i], err = s.ingestTx(ctx, tx, im, fresh, bm); err != nil {
			return nil, err
		}
	}
	if err := s.flushBitmaps(ctx, tx, bm, false); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit ingest: %w", err)
	}
	s.pkgMu.Lock()
	for k, id := range fresh {
		s.pkgIDs[k] = id
	}
	s.pkgMu.Unlock()
	return out, nil
}

// ingestTx writes one image in tx; fresh collects the package ids first
// seen in the transaction (they enter the cache after commit).
func (s *Store) ingestTx(ctx context.Context, tx *sql.Tx, im Image, fresh map[pkgKey]int64, bm bitmaps) (IngestResult, error) {
	rows, links := rowsOf(im.SBOM)
	now := s.now().Unix()
	var dID, dVer string
	if d := im.SBOM.Distro; d != nil {
		dID, dVer = d.ID, d.VersionID
	}
	var created int64
	if !im.SBOM.Created.IsZero() {
		created = im.SBOM.Created.Unix()
	}
	var res IngestResult
	err := tx.QueryRowContext(ctx, s.rebind(`INSERT INTO images
	(digest, distro_id, distro_version, source, created, first_seen, last_seen, package_count)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (digest) DO UPDATE SET distro_id = excluded.distro_id, distro_version = excluded.distro_version,
	source = excluded.source, created = excluded.created, last_seen = excluded.last_seen, package_count = excluded.package_count
	RETURNING id`), im.Digest, dID, dVer, im.SBOM.Source, created, now, now, len(links)).Scan(&res.ImageID)
	if err != nil {
		return IngestResult{}, fmt.Errorf("store image: %w", err)
	}
	if err := s.setBase(ctx, tx, res.ImageID, im); err != nil {
		return IngestResult{}, err
	}
	if im.Ref != "" {
		if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO image_refs (image_id, ref, first_seen, last_seen) VALUES (?, ?, ?, ?)
		ON CONFLICT (image_id, ref) DO UPDATE SET last_seen = excluded.last_seen`), res.ImageID, im.Ref, now, now); err != nil {
			return IngestResult{}, fmt.Errorf("store ref: %w", err)
		}
	}
	before := len(fresh)
	ids, err := s.packageIDs(ctx, tx, rows, fresh)
	if err != nil {
		return IngestResult{}, err
	}
	res.NewPackages = len(fresh) - before
	if err := s.writeLinks(ctx, tx, res.ImageID, links, ids, bm); err != nil {
		return IngestResult{}, err
	}
	res.Packages = len(links)
	return res, nil
}

// rowsOf turns an SBOM into distinct package rows (sorted by identity, so
// that concurrent PostgreSQL transactions take row locks in one order and
// cannot deadlock) and distinct links.
func rowsOf(s *sbom.SBOM) ([]pkgRow, []link) {
	var dID, dVer string
	if s.Distro != nil {
		dID, dVer = s.Distro.ID, release(s.Distro.ID, s.Distro.VersionID)
	}
	seen := map[pkgKey]bool{}
	seenLink := map[link]bool{}
	var rows []pkgRow
	var links []link
	for _, p := range s.Packages {
		if p.Name == "" || p.Ecosystem == "" {
			continue
		}
		k := pkgKey{typ: p.Ecosystem, namespace: purlNamespace(p.PURL), name: p.Name, version: p.Version}
		if osEcosystem(p.Ecosystem) {
			k.distroID, k.distroVersion = dID, dVer
		}
		if !seen[k] {
			seen[k] = true
			rows = append(rows, pkgRow{key: k, purl: p.PURL, srcName: p.SourceName, srcVersion: p.SourceVersion})
		}
		l := link{key: k, path: p.Location, layer: p.Layer, layerDigest: p.LayerDigest}
		if !seenLink[link{key: k, path: p.Location}] {
			seenLink[link{key: k, path: p.Location}] = true
			links = append(links, l)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].key.less(rows[j].key) })
	return rows, links
}

// release reduces a distribution version to the release whose advisories
// judge its packages, the way the matcher scopes them: Debian by major
// version ("12.15" from /etc/debian_version, as Syft reports it, is
// release 12), Alpine by major.minor ("3.19.1" is v3.19). Without it the
// same package would be stored once per point release.
func release(id, version string) string {
	switch id {
	case "debian":
		major, _, _ := strings.Cut(version, ".")
		return major
	case "alpine":
		parts := strings.SplitN(version, ".", 3)
		if len(parts) >= 2 {
			return parts[0] + "." + parts[1]
		}
	}
	return version
}

func (a pkgKey) less(b pkgKey) bool {
	for _, c := range [][2]string{{a.typ, b.typ}, {a.namespace, b.namespace}, {a.name, b.name},
		{a.version, b.version}, {a.distroID, b.distroID}, {a.distroVersion, b.distroVersion}} {
		if c[0] != c[1] {
			return c[0] < c[1]
		}
	}
	return false
}

// purlNamespace returns the namespace of a package URL
// ("pkg:deb/debian/openssl@3.0.11" -> "debian"), "" when it has none.
func purlNamespace(purl string) string {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[:i]
	}
	_, path, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return ""
	}
	ns, err := url.PathUnescape(path[:i])
	if err != nil {
		return path[:i]
	}
	return ns
}

// pkgBatch bounds the rows of one multi-row statement (SQLite allows
// 32,766 parameters, PostgreSQL 65,535).
const pkgBatch = 128

// packageIDs returns the id of every row, storing the ones not yet known.
// fresh holds the ids this transaction created or first saw; they enter
// the cache only after commit.
func (s *Store) packageIDs(ctx context.Context, tx *sql.Tx, rows []pkgRow, fresh map[pkgKey]int64) (map[pkgKey]int64, error) {
	ids := make(map[pkgKey]int64, len(rows))
	var missing []pkgRow
	s.pkgMu.RLock()
	for _, r := range rows {
		if id, ok := s.pkgIDs[r.key]; ok {
			ids[r.key] = id
		} else if id, ok := fresh[r.key]; ok {
			ids[r.key] = id
		} else {
			missing = append(missing, r)
		}
	}
	s.pkgMu.RUnlock()
	start := 0
	for _, size := range sizes(len(missing), pkgBatch) {
		chunk := missing[start : start+size]
		start += size
		args := make([]any, 0, len(chunk)*10)
		for _, r := range chunk {
			k := r.key
			args = append(args, k.typ, k.namespace, k.name, k.version, k.distroID, k.distroVersion, r.purl, r.srcName, r.srcVersion)
		}
		// DO UPDATE (not DO NOTHING) so that RETURNING yields the id of
		// rows that already existed too.
		q := `INSERT INTO packages (type, namespace, name, version, distro_id, distro_version, purl, source_name, source_version)
		VALUES ` + placeholders(len(chunk), 9) + `
		ON CONFLICT (type, namespace, name, version, distro_id, distro_version) DO UPDATE SET purl = excluded.purl
		RETURNING id, type, namespace, name, version, distro_id, distro_version`
		st, err := s.stmt(ctx, s.rebind(q))
		if err != nil {
			return nil, fmt.Errorf("store packages: %w", err)
		}
		res, err := tx.StmtContext(ctx, st).QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("store packages: %w", err)
		}
		for res.Next() {
			var id int64
			var k pkgKey
			if err := res.Scan(&id, &k.typ, &k.namespace, &k.name, &k.version, &k.distroID, &k.distroVersion); err != nil {
				res.Close()
				return nil, fmt.Errorf("store packages: %w", err)
			}
			ids[k], fresh[k] = id, id
		}
		if err := res.Close(); err != nil {
			return nil, fmt.Errorf("store packages: %w", err)
		}
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("store packages: %w", err)
		}
	}
	for _, r := range rows {
		if _, ok := ids[r.key]; !ok {
			return nil, fmt.Errorf("store packages: no id returned for %s %s %s", r.key.typ, r.key.name, r.key.version)
		}
	}
	return ids, nil
}

// lockIngest serialises ingest transactions on PostgreSQL (SQLite's
// write transactions are already one at a time): the package bitmaps are
// read, merged and written back within the transaction.
func (s *Store) lockIngest(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7340512)"); err != nil {
		return fmt.Errorf("ingest lock: %w", err)
	}
	return nil
}

// writeLinks stores an image's links (replacing the ones it had) and
// marks the changes of the package bitmaps in bm.
func (s *Store) writeLinks(ctx context.Context, tx *sql.Tx, imageID int64, links []link, ids map[pkgKey]int64, bm bitmaps) error {
	old, err := s.linksOf(ctx, tx, []int64{imageID})
	if err != nil {
		return err
	}
	for _, p := range linkPackages(old[imageID]) {
		bm.mark(p, imageID, false)
	}
	ls := make([]storedLink, len(links))
	for i, l := range links {
		ls[i] = storedLink{pkg: ids[l.key], path: l.path, layer: l.layer, layerDigest: l.layerDigest}
	}
	data := encodeLinks(ls)
	for _, p := range linkPackages(ls) {
		bm.mark(p, imageID, true)
	}
	st, err := s.stmt(ctx, s.rebind(`INSERT INTO image_links (image_id, data) VALUES (?, ?)
	ON CONFLICT (image_id) DO UPDATE SET data = excluded.data`))
	if err != nil {
		return fmt.Errorf("store package links: %w", err)
	}
	if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, imageID, data); err != nil {
		return fmt.Errorf("store package links: %w", err)
	}
	return nil
}

// linkBatch bounds the rows of one multi-row statement over package ids.
const linkBatch = 256
