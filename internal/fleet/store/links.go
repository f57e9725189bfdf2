package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// Where an image holds its packages is kept in two forms (migration 5):
//
//   - image_links: one row per image, its links (package, path, layer)
//     encoded in one value. Everything asked about one image (detail,
//     diff, exposure, the packages an advisory hits in it) reads it.
//   - package_images: per package and block of blockImages image ids, a
//     bitmap of the images holding the package. "Which images hold these
//     packages" (the affected query, package search) reads a few of them
//     through the (package, block) index. The table is clustered by
//     block: a group commit (consecutive new image ids, one block) reads
//     and rewrites rows that sit together, a few hundred pages, instead
//     of one page per package across the table.
//
// A row per (image, package) link, as schema 1 had, costs ~300 index
// entries in two B-trees per image: ingest ran at ~100 SBOMs/s per core.
// Here an image costs one row plus a share of the bitmaps its batch
// touches (fleets share packages, so a batch of images touches each
// package's bitmap once).

// blockImages is the number of image ids one bitmap row covers.
const blockImages = 1024

const blockBytes = blockImages / 8

// storedLink is one place an image holds a package.
type storedLink struct {
	pkg         int64
	path        string
	layer       int
	layerDigest string
}

const linksVersion = 1

// encodeLinks encodes an image's links: version, the distinct layer
// digests, the distinct paths (sorted, front-coded), then each link
// (package id as a delta from the previous one, sorted) by index into
// those tables.
func encodeLinks(ls []storedLink) []byte {
	slices.SortFunc(ls, func(a, b storedLink) int {
		if a.pkg != b.pkg {
			if a.pkg < b.pkg {
				return -1
			}
			return 1
		}
		return strings.Compare(a.path, b.path)
	})
	digests, paths := map[string]int{}, map[string]int{}
	var dList, pList []string
	for _, l := range ls {
		if _, ok := digests[l.layerDigest]; !ok {
			digests[l.layerDigest] = len(dList)
			dList = append(dList, l.layerDigest)
		}
		if _, ok := paths[l.path]; !ok {
			paths[l.path] = 0
			pList = append(pList, l.path)
		}
	}
	// Paths are sorted and front-coded: most share a long directory
	// prefix, so a row of links stays within one database page.
	slices.Sort(pList)
	for i, p := range pList {
		paths[p] = i
	}
	b := make([]byte, 0, 16+len(ls)*5)
	b = append(b, linksVersion)
	b = binary.AppendUvarint(b, uint64(len(dList)))
	for _, s := range dList {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(pList)))
	prevPath := ""
	for _, p := range pList {
		shared := 0
		for shared < len(p) && shared < len(prevPath) && p[shared] == prevPath[shared] {
			shared++
		}
		b = binary.AppendUvarint(b, uint64(shared))
		b = binary.AppendUvarint(b, uint64(len(p)-shared))
		b = append(b, p[shared:]...)
		prevPath = p
	}
	b = binary.AppendUvarint(b, uint64(len(ls)))
	var prev int64
	for _, l := range ls {
		b = binary.AppendUvarint(b, uint64(l.pkg-prev))
		prev = l.pkg
		b = binary.AppendUvarint(b, uint64(paths[l.path]))
		b = binary.AppendVarint(b, int64(l.layer))
		b = binary.AppendUvarint(b, uint64(digests[l.layerDigest]))
	}
	return b
}

var errLinks = errors.New("malformed image links")

// decodeLinks is the inverse of encodeLinks; the links come sorted by
// package id, then path.
func decodeLinks(b []byte) ([]storedLink, error) { return decodeLinksOf(b, nil) }

// decodeLinksOf decodes the links of the packages want holds (all when
// want is nil; else sorted ascending, without repeats). With want, the
// tables are skipped on a first walk and only the paths and digests the
// kept links name are made into strings: the affected query keeps one or
// two links of ~300 per image. The links are stored in package order, so
// want is walked beside them, not looked up per link.
func decodeLinksOf(b []byte, want []int64) ([]storedLink, error) {
	if len(b) == 0 || b[0] != linksVersion {
		return nil, errLinks
	}
	p := 1
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(b[p:])
		if n <= 0 {
			return 0, false
		}
		p += n
		return v, true
	}
	// Digests: offsets of each.
	nd, ok := uv()
	if !ok || nd > uint64(len(b)) {
		return nil, errLinks
	}
	digests := make([][2]int, nd)
	for i := range digests {
		l, ok := uv()
		if !ok || l > uint64(len(b)-p) {
			return nil, errLinks
		}
		digests[i] = [2]int{p, p + int(l)}
		p += int(l)
	}
	// Paths: walked once to find where the table ends; made later.
	np, ok := uv()
	if !ok || np > uint64(len(b)) {
		return nil, errLinks
	}
	pathsAt := p
	prevLen := uint64(0)
	for i := uint64(0); i < np; i++ {
		shared, ok1 := uv()
		l, ok2 := uv()
		if !ok1 || !ok2 || shared > prevLen || l > uint64(len(b)-p) {
			return nil, errLinks
		}
		p += int(l)
		prevLen = shared + l
	}
	n, ok := uv()
	if !ok || n > uint64(len(b)) {
		return nil, errLinks
	}
	type raw struct {
		pkg          int64
		path, digest uint64
		layer        int
	}
	var kept []raw
	if want == nil {
		kept = make([]raw, 0, n)
	}
	var prev int64
	for i := uint64(0); i < n; i++ {
		d, ok1 := uv()
		pi, ok2 := uv()
		layer, m := binary.Varint(b[p:])
		if !ok1 || !ok2 || m <= 0 {
			return nil, errLinks
		}
		p += m
		dg, ok3 := uv()
		if !ok3 || pi >= np || dg >= nd {
			return nil, errLinks
		}
		prev += int64(d)
		if want == nil {
			kept = append(kept, raw{prev, pi, dg, int(layer)})
			continue
		}
		for len(want) > 0 && want[0] < prev {
			want = want[1:]
		}
		if len(want) > 0 && want[0] == prev {
			kept = append(kept, raw{prev, pi, dg, int(layer)})
		}
	}
	if p != len(b) {
		return nil, errLinks
	}
	if len(kept) == 0 {
		return nil, nil
	}
	// The paths the kept links name, rebuilt front to back in one buffer.
	need := map[uint64]string{}
	var maxNeed uint64
	for _, k := range kept {
		need[k.path] = ""
		maxNeed = max(maxNeed, k.path)
	}
	p = pathsAt
	var buf []byte
	for i := uint64(0); i <= maxNeed; i++ {
		shared, _ := uv()
		l, _ := uv()
		buf = append(buf[:shared], b[p:p+int(l)]...)
		p += int(l)
		if _, ok := need[i]; ok {
			need[i] = string(buf)
		}
	}
	digestStr := make([]string, nd)
	out := make([]storedLink, len(kept))
	for i, k := range kept {
		if digestStr[k.digest] == "" {
			r := digests[k.digest]
			digestStr[k.digest] = string(b[r[0]:r[1]])
		}
		out[i] = storedLink{pkg: k.pkg, path: need[k.path], layer: k.layer, layerDigest: digestStr[k.digest]}
	}
	return out, nil
}

// linksOf returns the links of the images ids, by image id.
func (s *Store) linksOf(ctx context.Context, ids []int64) (map[int64][]storedLink, error) {
	return s.linksOfPackages(ctx, ids, nil)
}

// linksOfPackages returns the links of the images ids to the packages want
// holds (sorted ascending, without repeats; every link when want is nil),
// by image id.
func (s *Store) linksOfPackages(ctx context.Context, ids []int64, want []int64) (map[int64][]storedLink, error) {
	out := make(map[int64][]storedLink, len(ids))
	if s.dialect == postgres {
		return out, s.linksOfPackagesPG(ctx, ids, want, out)
	}
	for start := 0; start < len(ids); start += 512 {
		in, args := padIn(anySlice(ids[start:min(start+512, len(ids))]))
		rows, err := s.queryPrepared(ctx, `SELECT image_id, data FROM image_links WHERE image_id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("image links: %w", err)
		}
		for rows.Next() {
			var id int64
			var data sql.RawBytes
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return nil, fmt.Errorf("image links: %w", err)
			}
			ls, err := decodeLinksOf(data, want)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("image %d: %w", id, err)
			}
			out[id] = ls
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("image links: %w", err)
		}
	}
	return out, nil
}

// linksOfPackagesPG is linksOfPackages on PostgreSQL, through pgx itself:
// database/sql's driver interface copies every value a row returns, and
// the link rows of a page (~3 KB an image, ~300 KB a page of 100) were
// half of what an affected query allocated. pgx scans them into bytes it
// owns until the next row, which the decoder copies only the kept links
// out of. The ids go as one array parameter, so the statement has one
// shape.
func (s *Store) linksOfPackagesPG(ctx context.Context, ids, want []int64, out map[int64][]storedLink) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("image links: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("image links: the postgres connection is a %T", dc)
		}
		rows, err := pc.Conn().Query(ctx, `SELECT image_id, data FROM image_links WHERE image_id = ANY($1)`, ids)
		if err != nil {
			return fmt.Errorf("image links: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var data pgtype.DriverBytes
			if err := rows.Scan(&id, &data); err != nil {
				return fmt.Errorf("image links: %w", err)
			}
			ls, err := decodeLinksOf(data, want)
			if err != nil {
				return fmt.Errorf("image %d: %w", id, err)
			}
			out[id] = ls
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("image links: %w", err)
		}
		return nil
	})
}

// blockChunkArgs returns the IN list placeholders and the arguments
// (the block, then each package) of a chunk of bitmap rows of one block.
func blockChunkArgs(chunk []blockKey) (string, []any) {
	args := make([]any, 0, len(chunk)+1)
	args = append(args, chunk[0].block)
	for _, k := range chunk {
		args = append(args, k.pkg)
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", "), args
}

// blockKey names one bitmap row.
type blockKey struct{ pkg, block int64 }

// bitDelta is what a batch changes in one bitmap: bits to set and bits
// to clear, the later operation on a bit winning.
type bitDelta struct{ set, clr [blockBytes / 8]uint64 }

func (d *bitDelta) add(image int64, on bool) {
	off := image % blockImages
	w, m := off/64, uint64(1)<<(off%64)
	if on {
		d.set[w] |= m
		d.clr[w] &^= m
	} else {
		d.clr[w] |= m
		d.set[w] &^= m
	}
}

// bitmaps gathers the bitmap changes of one ingest transaction.
type bitmaps map[blockKey]*bitDelta

func (bm bitmaps) mark(pkg, image int64, on bool) {
	k := blockKey{pkg, image / blockImages}
	d := bm[k]
	if d == nil {
		d = &bitDelta{}
		bm[k] = d
	}
	d.add(image, on)
}

func bitsToWords(b []byte) ([blockBytes / 8]uint64, bool) {
	var w [blockBytes / 8]uint64
	if len(b) != blockBytes {
		return w, false
	}
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[i*8:])
	}
	return w, true
}

func wordsToBits(w *[blockBytes / 8]uint64) []byte {
	b := make([]byte, blockBytes)
	for i, x := range w {
		binary.LittleEndian.PutUint64(b[i*8:], x)
	}
	return b
}

// flush applies the gathered changes in tx: it reads the rows the batch
// touches, merges, and writes back changed rows (an emptied row is
// deleted). Ingest transactions are serialised (SQLite has one writer;
// PostgreSQL takes an advisory lock, see lockIngest), so the read and
// the write see no other writer in between.
//
// Statements are prepared once on the database, except with unprepared
// (a migration, whose tables do not exist outside its transaction).
func (s *Store) flushBitmaps(ctx context.Context, tx *sql.Tx, bm bitmaps, unprepared bool) error {
	if len(bm) == 0 {
		return nil
	}
	exec := func(q string, args ...any) error {
		q = s.rebind(q)
		if unprepared {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		st, err := s.stmt(ctx, q)
		if err != nil {
			return err
		}
		_, err = tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		return err
	}
	keys := make([]blockKey, 0, len(bm))
	for k := range bm {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].block != keys[j].block {
			return keys[i].block < keys[j].block
		}
		return keys[i].pkg < keys[j].pkg
	})
	query := func(q string, args ...any) (*sql.Rows, error) {
		q = s.rebind(q)
		if unprepared {
			return tx.QueryContext(ctx, q, args...)
		}
		st, err := s.stmt(ctx, q)
		if err != nil {
			return nil, err
		}
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	old := make(map[blockKey][blockBytes / 8]uint64, len(keys))
	// One query per block and chunk of packages, the chunks of a few
	// fixed sizes so that each shape is prepared once.
	for _, c := range blockChunks(keys) {
		chunk := keys[c[0]:c[1]]
		in, args := blockChunkArgs(chunk)
		rows, err := query(`SELECT package_id, bits FROM package_images WHERE block = ? AND package_id IN (`+in+`)`, args...)
		if err != nil {
			return fmt.Errorf("package bitmaps: %w", err)
		}
		for rows.Next() {
			var pkg int64
			var b []byte
			if err := rows.Scan(&pkg, &b); err != nil {
				rows.Close()
				return fmt.Errorf("package bitmaps: %w", err)
			}
			w, ok := bitsToWords(b)
			if !ok {
				rows.Close()
				return fmt.Errorf("package %d block %d: bitmap of %d bytes", pkg, chunk[0].block, len(b))
			}
			old[blockKey{pkg, chunk[0].block}] = w
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("package bitmaps: %w", err)
		}
	}
	// Changed rows are deleted and written again with the new rows, in
	// multi-row statements: a round trip per row would dominate on
	// PostgreSQL. Rows that stay are updated in place (one statement per
	// chunk): on PostgreSQL an update that changes no key column is a
	// heap-only tuple, with no index entry to write; on SQLite the row is
	// rewritten where it is.
	var inserts, updates []any
	var gone []blockKey
	for _, k := range keys {
		d := bm[k]
		w, existed := old[k]
		before := w
		empty := true
		for i := range w {
			w[i] = (w[i] &^ d.clr[i]) | d.set[i]
			if w[i] != 0 {
				empty = false
			}
		}
		if existed && w == before {
			continue
		}
		if existed && !empty {
			updates = append(updates, k.pkg, k.block, wordsToBits(&w))
			continue
		}
		if existed {
			gone = append(gone, k)
		}
		if !empty {
			inserts = append(inserts, k.pkg, k.block, wordsToBits(&w))
		}
	}
	for _, c := range blockChunks(gone) {
		in, args := blockChunkArgs(gone[c[0]:c[1]])
		if err := exec(`DELETE FROM package_images WHERE block = ? AND package_id IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("package bitmaps: %w", err)
		}
	}
	start := 0
	for _, size := range sizes(len(updates)/3, pkgBatch) {
		q := `UPDATE OR IGNORE package_images SET bits = v.column3 FROM (VALUES ` + placeholders(size, 3) + `) AS v
		WHERE package_images.package_id = v.column1 AND package_images.block = v.column2`
		if s.dialect == postgres {
			q = `UPDATE package_images AS p SET bits = v.bits FROM (VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?::bigint, ?::bigint, ?::bytea), ", size), ", ") + `) AS v(package_id, block, bits)
			WHERE p.package_id = v.package_id AND p.block = v.block`
		}
		// "or ignore": no constraint can fail here, and it spares SQLite
		// the statement journal.
		if err := exec(q, updates[start*3:(start+size)*3]...); err != nil {
			return fmt.Errorf("package bitmaps: %w", err)
		}
		start += size
	}
	start = 0
	for _, size := range sizes(len(inserts)/3, pkgBatch) {
		// The rows are absent (deleted above, or read as absent with no
		// other writer), so "or ignore" never drops one; it spares SQLite
		// the statement journal that an aborting multi-row insert needs.
		q := s.insertIgnore("package_images (package_id, block, bits)", placeholders(size, 3))
		if err := exec(q, inserts[start*3:(start+size)*3]...); err != nil {
			return fmt.Errorf("package bitmaps: %w", err)
		}
		start += size
	}
	return nil
}

// blockChunks splits keys (sorted by block) into [start, end) runs of one
// block each, of the sizes sizes gives (at most 256).
func blockChunks(keys []blockKey) [][2]int {
	var out [][2]int
	for start := 0; start < len(keys); {
		end := start
		for end < len(keys) && keys[end].block == keys[start].block {
			end++
		}
		for _, size := range sizes(end-start, 256) {
			out = append(out, [2]int{start, start + size})
			start += size
		}
	}
	return out
}

// insertIgnore spells a multi-row insert that skips conflicting rows.
func (s *Store) insertIgnore(table, values string) string {
	if s.dialect == postgres {
		return "INSERT INTO " + table + " VALUES " + values + " ON CONFLICT DO NOTHING"
	}
	return "INSERT OR IGNORE INTO " + table + " VALUES " + values
}

// windowRows is about how many bitmap rows (128 bytes each) one window
// of imagesHolding reads.
const windowRows = 1024

// imagesHolding returns, in id order, up to limit ids above after of the
// images holding any of the packages pkgs.
func (s *Store) imagesHolding(ctx context.Context, pkgs []int64, after int64, limit int) ([]int64, error) {
	if len(pkgs) == 0 || limit <= 0 {
		return nil, nil
	}
	// The blocks are read in windows that double, from the cursor on: a
	// page of an advisory that hits many images needs the first blocks
	// only; one that hits few reads on to the last image. The first
	// window is as wide as windowRows allows for this many packages, so
	// that an advisory of a few package versions (the common case) is
	// answered by one query, which also returns the highest image id
	// (where the windows end) instead of asking for it apart.
	last := int64(-1)
	width := max(4, int64(windowRows/len(pkgs)))
	var out []int64
	for lo := (after + 1) / blockImages; last < 0 || lo <= last/blockImages; lo, width = lo+width, width*2 {
		merged := map[int64]*[blockBytes / 8]uint64{}
		for start := 0; start < len(pkgs); start += 512 {
			in, args := padIn(anySlice(pkgs[start:min(start+512, len(pkgs))]))
			q := `SELECT block, bits, 0 FROM package_images WHERE package_id IN (` + in + `) AND block >= ? AND block < ?`
			if last < 0 {
				q += ` UNION ALL SELECT -1, NULL, COALESCE(MAX(id), 0) FROM images`
			}
			rows, err := s.queryPrepared(ctx, q, append(args, lo, lo+width)...)
			if err != nil {
				return nil, fmt.Errorf("images of packages: %w", err)
			}
			for rows.Next() {
				var block, maxID int64
				var b sql.RawBytes
				if err := rows.Scan(&block, &b, &maxID); err != nil {
					rows.Close()
					return nil, fmt.Errorf("images of packages: %w", err)
				}
				if block < 0 {
					last = maxID
					continue
				}
				w, ok := bitsToWords(b)
				if !ok {
					rows.Close()
					return nil, fmt.Errorf("block %d: bitmap of %d bytes", block, len(b))
				}
				m := merged[block]
				if m == nil {
					m = &[blockBytes / 8]uint64{}
					merged[block] = m
				}
				for i := range m {
					m[i] |= w[i]
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("images of packages: %w", err)
			}
			if last < 0 {
				return nil, fmt.Errorf("images of packages: no highest image id")
			}
		}
		blocks := make([]int64, 0, len(merged))
		for b := range merged {
			blocks = append(blocks, b)
		}
		slices.Sort(blocks)
		for _, b := range blocks {
			for i, w := range merged[b] {
				for w != 0 {
					bit := bits.TrailingZeros64(w)
					w &= w - 1
					id := b*blockImages + int64(i*64+bit)
					if id <= after {
						continue
					}
					out = append(out, id)
					if len(out) == limit {
						return out, nil
					}
				}
			}
		}
	}
	return out, nil
}

// pkgInfo is a stored package version's identity.
type pkgInfo struct {
	typ, name, version, purl string
}

// packagesByID reads the packages ids.
func (s *Store) packagesByID(ctx context.Context, ids []int64) (map[int64]pkgInfo, error) {
	out := make(map[int64]pkgInfo, len(ids))
	for start := 0; start < len(ids); start += 500 {
		in, args := inList(ids[start:min(start+500, len(ids))])
		rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT id, type, name, version, purl FROM packages WHERE id IN (`+in+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("packages: %w", err)
		}
		for rows.Next() {
			var id int64
			var p pkgInfo
			if err := rows.Scan(&id, &p.typ, &p.name, &p.version, &p.purl); err != nil {
				rows.Close()
				return nil, fmt.Errorf("packages: %w", err)
			}
			out[id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("packages: %w", err)
		}
	}
	return out, nil
}

// linkPackages returns the distinct package ids of links.
func linkPackages(ls []storedLink) []int64 {
	var out []int64
	for i, l := range ls {
		if i == 0 || l.pkg != ls[i-1].pkg {
			out = append(out, l.pkg)
		}
	}
	return out
}

// convertLinks is migration 5's data step: it moves the links of schema 1
// (image_packages, a row per link) into image_links and package_images,
// one block of image ids at a time (so that a large fleet is not held in
// memory), then drops the old table.
func convertLinks(ctx context.Context, s *Store, tx *sql.Tx) error {
	if s.dialect == postgres {
		// A row of links is a few kilobytes, above PostgreSQL's TOAST
		// threshold: compressed with lz4 instead of pglz, it decompresses
		// at memory speed when the affected query reads a page of
		// images. A server built without lz4 keeps pglz (a savepoint
		// keeps the refusal from failing the migration).
		if _, err := tx.ExecContext(ctx, `SAVEPOINT lz4`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `ALTER TABLE image_links ALTER COLUMN data SET COMPRESSION lz4`); err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT lz4`); err != nil {
				return err
			}
		}
	}
	var maxID sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(image_id) FROM image_packages`).Scan(&maxID); err != nil {
		return fmt.Errorf("read links: %w", err)
	}
	for lo := int64(0); lo <= maxID.Int64; lo += blockImages {
		rows, err := tx.QueryContext(ctx, s.rebind(`SELECT image_id, package_id, path, layer_index, layer_digest FROM image_packages
		WHERE image_id >= ? AND image_id < ? ORDER BY image_id, package_id, path`), lo, lo+blockImages)
		if err != nil {
			return fmt.Errorf("read links: %w", err)
		}
		byImage := map[int64][]storedLink{}
		var order []int64
		for rows.Next() {
			var id int64
			var l storedLink
			if err := rows.Scan(&id, &l.pkg, &l.path, &l.layer, &l.layerDigest); err != nil {
				rows.Close()
				return fmt.Errorf("read links: %w", err)
			}
			if _, ok := byImage[id]; !ok {
				order = append(order, id)
			}
			byImage[id] = append(byImage[id], l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read links: %w", err)
		}
		bm := bitmaps{}
		for _, id := range order {
			ls := byImage[id]
			if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO image_links (image_id, data) VALUES (?, ?)`), id, encodeLinks(ls)); err != nil {
				return fmt.Errorf("write links: %w", err)
			}
			for _, p := range linkPackages(ls) {
				bm.mark(p, id, true)
			}
		}
		if err := s.flushBitmaps(ctx, tx, bm, true); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE image_packages`); err != nil {
		return fmt.Errorf("drop old links: %w", err)
	}
	return nil
}

// holdingPairs returns up to limit (package, image) pairs of the packages
// pkgs and the images holding them, in image id order.
func (s *Store) holdingPairs(ctx context.Context, pkgs []int64, limit int) ([][2]int64, error) {
	type row struct {
		pkg int64
		w   [blockBytes / 8]uint64
	}
	byBlock := map[int64][]row{}
	for start := 0; start < len(pkgs); start += 500 {
		in, args := inList(pkgs[start:min(start+500, len(pkgs))])
		rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT package_id, block, bits FROM package_images WHERE package_id IN (`+in+`)`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r row
			var block int64
			var b []byte
			if err := rows.Scan(&r.pkg, &block, &b); err != nil {
				rows.Close()
				return nil, err
			}
			var ok bool
			if r.w, ok = bitsToWords(b); !ok {
				rows.Close()
				return nil, fmt.Errorf("block %d: bitmap of %d bytes", block, len(b))
			}
			byBlock[block] = append(byBlock[block], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	blocks := make([]int64, 0, len(byBlock))
	for b := range byBlock {
		blocks = append(blocks, b)
	}
	slices.Sort(blocks)
	var out [][2]int64
	for _, b := range blocks {
		rs := byBlock[b]
		sort.Slice(rs, func(i, j int) bool { return rs[i].pkg < rs[j].pkg })
		for bit := 0; bit < blockImages; bit++ {
			for _, r := range rs {
				if r.w[bit/64]&(1<<(bit%64)) == 0 {
					continue
				}
				out = append(out, [2]int64{r.pkg, b*blockImages + int64(bit)})
				if len(out) == limit {
					return out, nil
				}
			}
		}
	}
	return out, nil
}
