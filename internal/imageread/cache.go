package imageread

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// cacheVersion changes whenever layerResult or scanLayer's output changes.
// v2 added Records: a v1 entry holds the SBOM scanner's packages as
// secrets and must not be read. v3 encodes the entries as an entryList.
const cacheVersion = "shipshape-layer-v3"

// layerCache stores layer results per layer identity and CacheKey. Every
// failure degrades to a miss: the cache only saves time.
type layerCache struct {
	dir  string
	salt string
}

func newCache(o *ScanOptions) *layerCache {
	if o.NoCache {
		return nil
	}
	dir := o.CacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "shipshape", "layers")
	}
	salt := fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%d", cacheVersion, o.CacheKey, o.MaxLayerSize, o.MaxScanBytes, o.MaxCaptureSize)
	return &layerCache{dir: dir, salt: salt}
}

// file names the cache entry of l, or "" when l has no content identity
// known without reading it (a directory's pseudo-layer). Both digests take
// part: the manifest and the config each name the layer.
func (c *layerCache) file(l LayerSource) string {
	if c == nil || (l.Digest() == "" && l.DiffID() == "") {
		return ""
	}
	h := sha256.Sum256([]byte(c.salt + "\x00" + l.Digest() + "\x00" + l.DiffID()))
	return filepath.Join(c.dir, hex.EncodeToString(h[:])+".gob")
}

func (c *layerCache) load(l LayerSource) *layerResult {
	name := c.file(l)
	if name == "" {
		return nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	res := &layerResult{}
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(res); err != nil {
		return nil
	}
	// A damaged list would only be noticed while merging: check it now.
	if err := res.Entries.each(func(layerEntry) {}); err != nil {
		return nil
	}
	return res
}

// store writes atomically: a temporary file renamed into place, so a
// concurrent reader sees the whole entry or none.
func (c *layerCache) store(l LayerSource, res *layerResult) {
	name := c.file(l)
	if name == "" {
		return
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(res); err != nil {
		return
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
	}
}
