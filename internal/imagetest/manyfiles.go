package imagetest

import (
	"archive/tar"
	"fmt"
	"io"
	"math/rand"
)

// ManyFilesLayer is a layer of n small regular files (40 to 2,000 bytes of
// text each) under a node_modules-like tree of about n/50 directories, the
// shape of the layers that make per-file metadata, not file content,
// dominate an image pass. Its tar stream is generated on every Open from
// seed, never held in memory, so an n of millions costs no memory to build;
// two layers of the same n and seed are byte-identical.
func ManyFilesLayer(n int, seed int64) Layer {
	return Layer{
		CreatedBy: fmt.Sprintf("RUN generate %d small files", n),
		Open: func() (io.ReadCloser, error) {
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(writeManyFiles(pw, n, seed)) }()
			return pr, nil
		},
	}
}

// writeManyFiles writes ManyFilesLayer's tar stream to w.
func writeManyFiles(w io.Writer, n int, seed int64) error {
	r := rand.New(rand.NewSource(seed))
	words := []string{"module", "exports", "function", "return", "require", "const", "var", "if", "else", "null", "true", "this", "value", "options", "callback"}
	tw := tar.NewWriter(w)
	body := make([]byte, 0, 2048)
	dirs := max(1, n/50)
	for d := 0; d < dirs; d++ {
		h := &tar.Header{Name: fmt.Sprintf("usr/lib/node_modules/pkg-%05d/lib/", d), Typeflag: tar.TypeDir, Mode: 0o755, ModTime: Epoch, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		for i := d; i < n; i += dirs {
			size := 40 + r.Intn(1960)
			body = body[:0]
			for len(body) < size {
				body = append(body, words[r.Intn(len(words))]...)
				body = append(body, " \n"[r.Intn(2)])
			}
			body = body[:size]
			h := &tar.Header{Name: fmt.Sprintf("usr/lib/node_modules/pkg-%05d/lib/file-%07d.js", d, i), Typeflag: tar.TypeReg,
				Mode: 0o644, Size: int64(size), ModTime: Epoch, Format: tar.FormatPAX}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			if _, err := tw.Write(body); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}
