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
	// Audit, when set, is the audit-log entry of the upload that brought
	// the image. It is written in the transaction that stores the image,
	// so that the log holds every stored upload and nothing that was not
	// stored, and an upload costs no transaction of its own for it. Its
	// Detail is filled in: the digest and the number of package links.
	Audit *AuditEntry
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
	row         int // index of the package in the SBOM's rows
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
		if im.BaseDigest != "" && !ValidDigest(im.BaseDigest) {
			return nil, fmt.Errorf("base image digest %q is not sha256:<64 lower-case hex>", im.BaseDigest)
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
	var sc scratch
	// The batch is written in segments of distinct digests: a digest
	// repeated in the batch is a re-ingest of the earlier copy, written
	// after it.
	for start := 0; start < len(ims); {
		end, seen := start, map[string]bool{}
		for end < len(ims) && !seen[ims[end].Digest] {
			seen[ims[end].Digest] = true
			end++
		}
		if err := s.ingestSegment(ctx, tx, ims[start:end], out[start:end], fresh, bm, &sc); err != nil {
			return nil, err
		}
		start = end
	}
	if err := s.flushBitmaps(ctx, tx, bm, false); err != nil {
		return nil, err
	}
	if err := s.auditIngest(ctx, tx, ims, out); err != nil {
		return nil, err
	}
	if err := s.bump(ctx, tx); err != nil {
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

// auditIngest writes the audit entries the images carry, in multi-row
// statements of prepared shapes.
func (s *Store) auditIngest(ctx context.Context, tx *sql.Tx, ims []Image, out []IngestResult) error {
	var args []any
	for i, im := range ims {
		if e := im.Audit; e != nil {
			e.Detail = fmt.Sprintf("%s %d packages", im.Digest, out[i].Packages)
			args = append(args, e.At.Unix(), e.Token, e.Method, e.Path, e.Status, e.Detail)
		}
	}
	const cols = 6
	start := 0
	for _, size := range sizes(len(args)/cols, 64) {
		q := `INSERT INTO audit (at, token_name, method, path, status, detail) VALUES ` + placeholders(size, cols)
		if err := s.execPrepared(ctx, tx, q, args[start*cols:(start+size)*cols]...); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		start += size
	}
	return nil
}

// ingestSegment writes images of distinct digests in tx: the images the
// fleet does not have yet, their references and links in multi-row
// statements (one round trip per few dozen images instead of three per
// image), re-ingested ones one by one. fresh collects the package ids
// first seen in the transaction (they enter the cache after commit).
func (s *Store) ingestSegment(ctx context.Context, tx *sql.Tx, ims []Image, out []IngestResult, fresh map[pkgKey]int64, bm bitmaps, sc *scratch) error {
	old, err := s.storedLinks(ctx, tx, ims)
	if err != nil {
		return err
	}
	now := s.now().Unix()
	lss := make([][]storedLink, len(ims))
	var added []int
	for i, im := range ims {
		rows, links := rowsOf(im.SBOM, sc)
		before := len(fresh)
		ids, err := s.packageIDs(ctx, tx, rows, fresh)
		if err != nil {
			return err
		}
		out[i].NewPackages = len(fresh) - before
		out[i].Packages = len(links)
		ls := make([]storedLink, len(links))
		for j, l := range links {
			ls[j] = storedLink{pkg: ids[l.row], path: l.path, layer: l.layer, layerDigest: l.layerDigest}
		}
		lss[i] = ls
		if old[im.Digest] == nil {
			added = append(added, i)
		}
	}
	if err := s.insertImages(ctx, tx, ims, added, lss, old, now); err != nil {
		return err
	}
	var refs []any
	nRefs := 0
	var newLinks []any
	for i, im := range ims {
		prev := old[im.Digest]
		out[i].ImageID = prev.id
		if !prev.added {
			if err := s.updateImage(ctx, tx, im, prev.id, len(lss[i]), now); err != nil {
				return err
			}
		}
		if im.Ref != "" {
			if prev.added {
				refs = append(refs, prev.id, im.Ref, now, now)
				nRefs++
			} else if err := s.execPrepared(ctx, tx, `INSERT INTO image_refs (image_id, ref, first_seen, last_seen) VALUES (?, ?, ?, ?)
			ON CONFLICT (image_id, ref) DO UPDATE SET last_seen = excluded.last_seen`, prev.id, im.Ref, now, now); err != nil {
				return fmt.Errorf("store ref: %w", err)
			}
		}
		for _, p := range linkPackages(prev.links) {
			bm.mark(p, prev.id, false)
		}
		data := encodeLinks(lss[i])
		for _, p := range linkPackages(lss[i]) {
			bm.mark(p, prev.id, true)
		}
		if prev.linked {
			if err := s.execPrepared(ctx, tx, `UPDATE image_links SET data = ? WHERE image_id = ?`, data, prev.id); err != nil {
				return fmt.Errorf("store package links: %w", err)
			}
		} else {
			newLinks = append(newLinks, prev.id, data)
		}
	}
	if err := s.insertRows(ctx, tx, "image_refs (image_id, ref, first_seen, last_seen)", 4, refs); err != nil {
		return fmt.Errorf("store refs: %w", err)
	}
	if err := s.insertRows(ctx, tx, "image_links (image_id, data)", 2, newLinks); err != nil {
		return fmt.Errorf("store package links: %w", err)
	}
	return nil
}

// insertImages stores the images ims[i] for i in added (new to the fleet)
// in multi-row inserts and records their ids in old.
func (s *Store) insertImages(ctx context.Context, tx *sql.Tx, ims []Image, added []int, lss [][]storedLink, old map[string]*stored, now int64) error {
	start := 0
	for _, size := range sizes(len(added), 64) {
		args := make([]any, 0, size*10)
		for _, i := range added[start : start+size] {
			im := ims[i]
			dID, dVer, created := imageMeta(im)
			args = append(args, im.Digest, dID, dVer, im.SBOM.Source, created, now, now, len(lss[i]), im.BaseName, im.BaseDigest)
		}
		start += size
		// The digests are absent (read above, no other writer): "or
		// ignore" never drops one, and spares SQLite's statement journal.
		q := s.insertIgnore(`images (digest, distro_id, distro_version, source, created, first_seen, last_seen, package_count, base_name, base_digest)`,
			placeholders(size, 10)) + ` RETURNING id, digest`
		st, err := s.stmt(ctx, s.rebind(q))
		if err != nil {
			return fmt.Errorf("store images: %w", err)
		}
		rows, err := tx.StmtContext(ctx, st).QueryContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("store images: %w", err)
		}
		n := 0
		for rows.Next() {
			var id int64
			var digest string
			if err := rows.Scan(&id, &digest); err != nil {
				rows.Close()
				return fmt.Errorf("store images: %w", err)
			}
			old[digest] = &stored{id: id, added: true}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store images: %w", err)
		}
		if n != size {
			return fmt.Errorf("store images: %d of %d stored", n, size)
		}
	}
	return nil
}

// updateImage rewrites a re-ingested image's row (not first_seen).
func (s *Store) updateImage(ctx context.Context, tx *sql.Tx, im Image, id int64, links int, now int64) error {
	dID, dVer, created := imageMeta(im)
	if err := s.execPrepared(ctx, tx, `UPDATE images SET distro_id = ?, distro_version = ?, source = ?, created = ?,
	last_seen = ?, package_count = ? WHERE id = ?`, dID, dVer, im.SBOM.Source, created, now, links, id); err != nil {
		return fmt.Errorf("store image: %w", err)
	}
	return s.setBase(ctx, tx, id, im)
}

func imageMeta(im Image) (distroID, distroVersion string, created int64) {
	if d := im.SBOM.Distro; d != nil {
		distroID, distroVersion = d.ID, d.VersionID
	}
	if !im.SBOM.Created.IsZero() {
		created = im.SBOM.Created.Unix()
	}
	return distroID, distroVersion, created
}

// insertRows writes args (cols values per row) into table in multi-row
// inserts of a few fixed sizes; the rows are known new.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table string, cols int, args []any) error {
	start := 0
	for _, size := range sizes(len(args)/cols, 64) {
		if err := s.execPrepared(ctx, tx, s.insertIgnore(table, placeholders(size, cols)), args[start*cols:(start+size)*cols]...); err != nil {
			return err
		}
		start += size
	}
	return nil
}

// linkID identifies a link while an SBOM is read: its row and path.
type linkID struct {
	row  int
	path string
}

// scratch holds what rowsOf needs per SBOM, kept across the SBOMs of a
// batch: allocating maps and slices of ~300 entries per SBOM cost as
// much as filling them.
type scratch struct {
	seen     map[pkgKey]int
	seenLink map[linkID]bool
	rows     []pkgRow
	links    []link
}

// rowsOf turns an SBOM into distinct package rows and distinct links,
// valid until the next call with the same scratch.
func rowsOf(s *sbom.SBOM, sc *scratch) ([]pkgRow, []link) {
	var dID, dVer string
	if s.Distro != nil {
		dID, dVer = s.Distro.ID, release(s.Distro.ID, s.Distro.VersionID)
	}
	if sc.seen == nil {
		sc.seen, sc.seenLink = make(map[pkgKey]int, len(s.Packages)), make(map[linkID]bool, len(s.Packages))
	}
	clear(sc.seen)
	clear(sc.seenLink)
	rows, links := sc.rows[:0], sc.links[:0]
	for _, p := range s.Packages {
		if p.Name == "" || p.Ecosystem == "" {
			continue
		}
		k := pkgKey{typ: p.Ecosystem, namespace: purlNamespace(p.PURL), name: p.Name, version: p.Version}
		if osEcosystem(p.Ecosystem) {
			k.distroID, k.distroVersion = dID, dVer
		}
		row, ok := sc.seen[k]
		if !ok {
			row = len(rows)
			sc.seen[k] = row
			rows = append(rows, pkgRow{key: k, purl: p.PURL, srcName: p.SourceName, srcVersion: p.SourceVersion})
		}
		if id := (linkID{row, p.Location}); !sc.seenLink[id] {
			sc.seenLink[id] = true
			links = append(links, link{row: row, path: p.Location, layer: p.Layer, layerDigest: p.LayerDigest})
		}
	}
	sc.rows, sc.links = rows, links
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
func (s *Store) packageIDs(ctx context.Context, tx *sql.Tx, rows []pkgRow, fresh map[pkgKey]int64) ([]int64, error) {
	ids := make([]int64, len(rows))
	var missing []int
	s.pkgMu.RLock()
	for i, r := range rows {
		if id, ok := s.pkgIDs[r.key]; ok {
			ids[i] = id
		} else if id, ok := fresh[r.key]; ok {
			ids[i] = id
		} else {
			missing = append(missing, i)
		}
	}
	s.pkgMu.RUnlock()
	if len(missing) == 0 {
		return ids, nil
	}
	// Sorted by identity, so that the rows are always written in one
	// order.
	sort.Slice(missing, func(i, j int) bool { return rows[missing[i]].key.less(rows[missing[j]].key) })
	index := make(map[pkgKey]int, len(missing))
	for _, i := range missing {
		index[rows[i].key] = i
	}
	start := 0
	for _, size := range sizes(len(missing), pkgBatch) {
		chunk := missing[start : start+size]
		start += size
		args := make([]any, 0, len(chunk)*9)
		for _, i := range chunk {
			r := rows[i]
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
			if i, ok := index[k]; ok {
				ids[i] = id
			}
			fresh[k] = id
		}
		if err := res.Close(); err != nil {
			return nil, fmt.Errorf("store packages: %w", err)
		}
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("store packages: %w", err)
		}
	}
	for _, i := range missing {
		if ids[i] == 0 {
			r := rows[i]
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

// stored is what the fleet already has of an image being ingested.
type stored struct {
	id    int64
	links []storedLink
	// linked tells whether the image has a row of links; added that it
	// is new, inserted by this segment.
	linked, added bool
}

// storedLinks returns, by digest, the images of ims that the fleet already
// has (re-ingests) with their links, read in one query.
func (s *Store) storedLinks(ctx context.Context, tx *sql.Tx, ims []Image) (map[string]*stored, error) {
	out := map[string]*stored{}
	for start := 0; start < len(ims); start += 500 {
		chunk := ims[start:min(start+500, len(ims))]
		args := make([]any, len(chunk))
		for i, im := range chunk {
			args[i] = im.Digest
		}
		rows, err := tx.QueryContext(ctx, s.rebind(`SELECT i.id, i.digest, l.data FROM images i LEFT JOIN image_links l ON l.image_id = i.id
		WHERE i.digest IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("stored links: %w", err)
		}
		for rows.Next() {
			var st stored
			var digest string
			var data []byte
			if err := rows.Scan(&st.id, &digest, &data); err != nil {
				rows.Close()
				return nil, fmt.Errorf("stored links: %w", err)
			}
			if data != nil {
				st.linked = true
				if st.links, err = decodeLinks(data); err != nil {
					rows.Close()
					return nil, fmt.Errorf("image %s: %w", digest, err)
				}
			}
			out[digest] = &st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("stored links: %w", err)
		}
	}
	return out, nil
}

// execPrepared runs q (with ? placeholders) in tx as a statement prepared
// once on the database.
func (s *Store) execPrepared(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	st, err := s.stmt(ctx, s.rebind(q))
	if err != nil {
		return err
	}
	_, err = tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	return err
}

// linkBatch bounds the rows of one multi-row statement over package ids.
const linkBatch = 256
