package imagetest

import (
	"archive/tar"
	"bytes"
	"path"
	"strings"
	"time"
)

// Epoch is the time every built image, history entry and layer entry
// carries, so that builds are deterministic.
var Epoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// Entry is one tar entry of a layer, or one file of a tree.
type Entry struct {
	// Path is written as given (slash-separated, normally relative), so
	// that tests of hostile input can use "../x" or "/abs".
	Path string
	// Type is a tar type flag; zero means a regular file.
	Type byte
	// Body is a regular file's content.
	Body string
	// Mode holds the permission bits and the setuid (0o4000), setgid
	// (0o2000) and sticky (0o1000) bits as tar stores them; zero means
	// 0o644 for files, 0o755 for directories and 0o777 for links.
	Mode int64
	// Link is the target of a symbolic or hard link.
	Link string
	// UID and GID are the owner recorded in the layer (not applied on
	// disk by the tree writers).
	UID, GID int
}

// File is a regular file (mode 0o644).
func File(p, body string) Entry { return Entry{Path: p, Type: tar.TypeReg, Body: body} }

// Dir is a directory (mode 0o755); a trailing slash is added as tar
// writers do.
func Dir(p string) Entry {
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return Entry{Path: p, Type: tar.TypeDir}
}

// Symlink is a symbolic link to target.
func Symlink(p, target string) Entry { return Entry{Path: p, Type: tar.TypeSymlink, Link: target} }

// Hardlink is a hard link to target, a path of the same layer.
func Hardlink(p, target string) Entry { return Entry{Path: p, Type: tar.TypeLink, Link: target} }

// Whiteout deletes p from the layers below: an empty file named .wh.<base>
// beside it.
func Whiteout(p string) Entry {
	d, b := path.Split(strings.TrimSuffix(p, "/"))
	return File(d+".wh."+b, "")
}

// Opaque hides everything the layers below hold under directory d: an
// empty file d/.wh..wh..opq.
func Opaque(d string) Entry { return File(path.Join(d, ".wh..wh..opq"), "") }

// WithMode returns e with mode m (permission and special bits, 0o4755).
func (e Entry) WithMode(m int64) Entry { e.Mode = m; return e }

// WithOwner returns e owned by uid and gid.
func (e Entry) WithOwner(uid, gid int) Entry { e.UID, e.GID = uid, gid; return e }

func (e Entry) header() *tar.Header {
	h := &tar.Header{Name: e.Path, Mode: e.Mode, Typeflag: e.Type, Linkname: e.Link,
		Uid: e.UID, Gid: e.GID, ModTime: Epoch, Format: tar.FormatPAX}
	if h.Typeflag == 0 {
		h.Typeflag = tar.TypeReg
	}
	if h.Mode == 0 {
		switch h.Typeflag {
		case tar.TypeDir:
			h.Mode = 0o755
		case tar.TypeSymlink, tar.TypeLink:
			h.Mode = 0o777
		default:
			h.Mode = 0o644
		}
	}
	if h.Typeflag == tar.TypeReg {
		h.Size = int64(len(e.Body))
	}
	return h
}

// TarOf returns the uncompressed tar stream of entries, in order.
func TarOf(entries ...Entry) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := e.header()
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(e.Body)); err != nil {
				return nil, err
			}
		}
	}
	err := tw.Close()
	return buf.Bytes(), err
}

// RSAKey is a PEM RSA private key block for secret scanners to find. It is
// assembled at run time so that the source holds no complete key for other
// scanners to flag; it is no usable key.
var RSAKey = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8+Bg8Nd5XdQ6+7Wl0X3zGqh9K\n", 4) + "-----END RSA PRIVATE KEY-----\n"
