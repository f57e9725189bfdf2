package imageread

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	gzip "github.com/klauspost/compress/gzip"
)

// schemes are the explicit REF prefixes docs/contract.md names.
var schemes = map[string]bool{
	"docker-archive": true, "oci": true, "dir": true, "docker": true,
	"podman": true, "registry": true, "sbom": true,
}

func open(ctx context.Context, ref string, opts OpenOptions) (Source, error) {
	if scheme, rest, ok := strings.Cut(ref, ":"); ok && schemes[scheme] {
		if rest == "" {
			return nil, fmt.Errorf("%s: nothing after %q", ref, scheme+":")
		}
		switch scheme {
		case "docker-archive":
			return openDockerArchive(ref, rest)
		case "oci":
			return openOCI(ref, rest, opts)
		case "dir":
			return openDir(ref, rest)
		case "docker", "podman":
			return openDaemon(ctx, ref, scheme, rest, opts)
		case "registry":
			return openRegistry(ctx, ref, rest, opts)
		case "sbom":
			return nil, notImage(ref, "an SBOM reference")
		}
	}
	if _, err := os.Stat(ref); err == nil {
		return sniffPath(ref, ref, opts)
	}
	if looksLikePath(ref) {
		return nil, fmt.Errorf("%s: %w", ref, fs.ErrNotExist)
	}
	if !opts.NoDaemon {
		if src, err := openDaemonIfPresent(ctx, ref, opts); err == nil && src != nil {
			return src, nil
		}
	}
	return openRegistry(ctx, ref, ref, opts)
}

// looksLikePath tells a path that does not exist from an image name, so
// that a typo in a file name is not sent to a registry.
func looksLikePath(ref string) bool {
	if strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "../") || strings.HasPrefix(ref, "~") {
		return true
	}
	if runtime.GOOS == "windows" && filepath.IsAbs(ref) {
		return true
	}
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".json"} {
		if strings.HasSuffix(ref, ext) {
			return true
		}
	}
	return false
}

// archiveKind is what a file holds, as far as Open cares.
type archiveKind int

const (
	archiveUnknown archiveKind = iota
	archiveDocker
	archiveOCI
)

// sniffPath decides what an existing path holds.
func sniffPath(ref, p string, opts OpenOptions) (Source, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	if fi.IsDir() {
		if isOCIDir(p) {
			return openOCI(ref, p, opts)
		}
		return openDir(ref, p)
	}
	kind, err := sniffArchive(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	switch kind {
	case archiveDocker:
		return openDockerArchive(ref, p)
	case archiveOCI:
		return openOCI(ref, p, opts)
	}
	return nil, fmt.Errorf("%s: a tar archive with neither manifest.json (docker save) nor index.json (OCI layout)", ref)
}

func isOCIDir(p string) bool {
	for _, n := range []string{"oci-layout", "index.json"} {
		if _, err := os.Stat(filepath.Join(p, n)); err == nil {
			return true
		}
	}
	return false
}

// openArchive opens a tar file, transparently gunzipping it; gzipped
// reports whether it was.
func openArchive(p string) (rc io.ReadCloser, gzipped bool, err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, false, err
	}
	br := bufio.NewReader(f)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, true, fmt.Errorf("gzip: %w", err)
		}
		return readCloser{zr, f.Close}, true, nil
	}
	// Unbuffered, so that tar can seek past file contents.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, false, err
	}
	return f, false, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// sniffArchive reads a file's headers (never its members' content) to
// tell a docker save archive from an OCI layout tarball; a JSON document
// is ErrNotImage (an SBOM, most likely).
func sniffArchive(p string) (archiveKind, error) {
	f, err := os.Open(p)
	if err != nil {
		return archiveUnknown, err
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '{' || t[0] == '<') {
		return archiveUnknown, notImage(p, "a JSON or XML document, not an image archive")
	}
	gz := len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b
	if !gz && (len(head) < 262 || !bytes.HasPrefix(head[257:], []byte("ustar"))) {
		return archiveUnknown, errors.New("neither a tar archive nor a directory")
	}
	rc, _, err := openArchive(p)
	if err != nil {
		return archiveUnknown, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	kind := archiveUnknown
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return kind, nil
		}
		if err != nil {
			return archiveUnknown, fmt.Errorf("read archive: %w", readErr(err))
		}
		switch strings.TrimPrefix(path.Clean("/"+h.Name), "/") {
		case "manifest.json":
			// docker save writes both since Docker 25; its own manifest is
			// the one that names the image it was asked for.
			return archiveDocker, nil
		case "index.json", "oci-layout":
			kind = archiveOCI
		}
	}
}
