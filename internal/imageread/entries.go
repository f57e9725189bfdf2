package imageread

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"unsafe"
)

// entryList is one layer's entries encoded back to back: each path is
// stored as the length of the prefix it shares with the previous path and
// the rest (tar lists a directory's files together, so the rest is short),
// the numbers as varints. A layer of 200,000 files takes a few MB this
// way, where a slice of structs with a string per path takes tens; it is
// also the layer cache's form.
type entryList struct {
	Data []byte
	N    int
}

const (
	elWhiteout = 1 << iota
	elOpaque
)

// entryWriter appends to an entryList.
type entryWriter struct {
	l    *entryList
	prev string
}

func (w *entryWriter) add(e layerEntry) {
	common := 0
	for common < len(e.Path) && common < len(w.prev) && e.Path[common] == w.prev[common] {
		common++
	}
	var flags byte
	if e.Whiteout {
		flags |= elWhiteout
	}
	if e.Opaque {
		flags |= elOpaque
	}
	d := w.l.Data
	d = append(d, flags, e.Typeflag)
	d = binary.AppendUvarint(d, uint64(common))
	d = binary.AppendUvarint(d, uint64(len(e.Path)-common))
	d = append(d, e.Path[common:]...)
	d = binary.AppendVarint(d, e.Size)
	d = binary.AppendUvarint(d, uint64(e.Mode))
	d = binary.AppendVarint(d, int64(e.UID))
	d = binary.AppendVarint(d, int64(e.GID))
	d = binary.AppendUvarint(d, uint64(len(e.Linkname)))
	d = append(d, e.Linkname...)
	w.l.Data = d
	w.l.N++
	w.prev = e.Path
}

var errEntryList = errors.New("corrupt entry list")

// each decodes the entries in order; an error means the list is corrupt
// (a damaged cache file). An entry's Path is valid only until fn returns:
// it is the decoding buffer, not a string of its own (a string per entry
// and per pass was most of what merging a layer allocated), so fn clones
// it to keep it.
func (l *entryList) each(fn func(e layerEntry)) error {
	d := l.Data
	var path []byte
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(d)
		if n <= 0 {
			return 0, false
		}
		d = d[n:]
		return v, true
	}
	sv := func() (int64, bool) {
		v, n := binary.Varint(d)
		if n <= 0 {
			return 0, false
		}
		d = d[n:]
		return v, true
	}
	bytesOf := func(n uint64) ([]byte, bool) {
		if n > uint64(len(d)) {
			return nil, false
		}
		b := d[:n]
		d = d[n:]
		return b, true
	}
	for range l.N {
		if len(d) < 2 {
			return errEntryList
		}
		flags, typeflag := d[0], d[1]
		d = d[2:]
		common, ok1 := uv()
		rest, ok2 := uv()
		if !ok1 || !ok2 || common > uint64(len(path)) {
			return errEntryList
		}
		suffix, ok := bytesOf(rest)
		if !ok {
			return errEntryList
		}
		path = append(path[:common], suffix...)
		size, ok3 := sv()
		mode, ok4 := uv()
		uid, ok5 := sv()
		gid, ok6 := sv()
		ln, ok7 := uv()
		if !ok3 || !ok4 || !ok5 || !ok6 || !ok7 {
			return errEntryList
		}
		link, ok := bytesOf(ln)
		if !ok {
			return errEntryList
		}
		fn(layerEntry{Path: unsafe.String(unsafe.SliceData(path), len(path)), Linkname: string(link), Size: size, Mode: fs.FileMode(mode),
			UID: int(uid), GID: int(gid), Typeflag: typeflag, Whiteout: flags&elWhiteout != 0, Opaque: flags&elOpaque != 0})
	}
	if len(d) != 0 {
		return errEntryList
	}
	return nil
}
