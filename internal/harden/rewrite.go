package harden

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/imageread"
)

// whiteoutPrefix starts the name of a whiteout, an opaque-directory
// marker and AUFS bookkeeping alike (OCI image spec, layer.md).
const whiteoutPrefix = ".wh."

// rewriteStats counts what one layer rewrite did.
type rewriteStats struct {
	dropped, chmodded, replaced int
}

// rewriteLayer copies the tar stream r to w, applying lp entry by entry:
// dropped entries are skipped (their content is never read into memory),
// chmodded ones lose their setuid and setgid bits, replaced ones get the
// planned content. Entries are identified as the model identified them
// (clean absolute path and occurrence within the layer), skipping what the
// model skipped (whiteouts, AUFS bookkeeping, the root, overlong paths),
// which pass through unchanged.
func rewriteLayer(ctx context.Context, r io.Reader, w io.Writer, lp *layerPlan) (rewriteStats, error) {
	var st rewriteStats
	tr := tar.NewReader(r)
	tw := tar.NewWriter(w)
	occ := map[string]int{}
	for i := 0; ; i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, fmt.Errorf("read: %w", err)
		}
		if k, ok := modelKey(h, occ); ok && lp != nil {
			switch {
			case lp.drop[k]:
				st.dropped++
				continue
			case lp.replace[k] != nil:
				body := lp.replace[k]
				h.Size = int64(len(body))
				if err := tw.WriteHeader(h); err != nil {
					return st, fmt.Errorf("write %s: %w", h.Name, err)
				}
				if _, err := tw.Write(body); err != nil {
					return st, fmt.Errorf("write %s: %w", h.Name, err)
				}
				st.replaced++
				continue
			case lp.chmod[k]:
				h.Mode &^= 0o6000
				st.chmodded++
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			return st, fmt.Errorf("write %s: %w", h.Name, err)
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return st, fmt.Errorf("copy %s: %w", h.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return st, fmt.Errorf("finish layer: %w", err)
	}
	return st, nil
}

// modelKey returns the key the model gave h, counting occurrences in occ;
// ok is false for an entry the model did not record as a file.
func modelKey(h *tar.Header, occ map[string]int) (entryKey, bool) {
	if len(h.Name) > imageread.DefaultMaxPathLen {
		return entryKey{}, false
	}
	p := path.Clean("/" + h.Name)
	if p == "/" {
		return entryKey{}, false
	}
	if base := path.Base(p); strings.HasPrefix(base, whiteoutPrefix) {
		return entryKey{}, false
	}
	n := occ[p]
	occ[p] = n + 1
	return entryKey{p, n}, true
}
