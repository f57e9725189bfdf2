package encode

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// Format names accepted by Write (shipshape sbom --format).
const (
	CycloneDXJSON = "cyclonedx-json"
	CycloneDXXML  = "cyclonedx-xml"
	SPDXJSON      = "spdx-json"
	JSON          = "json"
)

// Formats lists the formats in the order help text shows them.
var Formats = []string{CycloneDXJSON, CycloneDXXML, SPDXJSON, JSON}

// Options carry what the model does not: the tool version, and the
// creation time used when the subject has none (a directory).
type Options struct {
	ToolVersion string
	Created     time.Time
}

// Write encodes s in format to w.
func Write(w io.Writer, format string, s *sbom.SBOM, o Options) error {
	switch strings.ToLower(format) {
	case CycloneDXJSON:
		return WriteCycloneDX(w, s, o, false)
	case CycloneDXXML:
		return WriteCycloneDX(w, s, o, true)
	case SPDXJSON:
		return WriteSPDX(w, s, o)
	case JSON:
		return WriteJSON(w, s, o)
	}
	return fmt.Errorf("unknown SBOM format %q (want %s)", format, strings.Join(Formats, ", "))
}

// created is the document's creation time: the image's, else the
// caller's, else the Unix epoch, in UTC to the second.
func created(s *sbom.SBOM, o Options) time.Time {
	t := s.Created
	if t.IsZero() {
		t = o.Created
	}
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Truncate(time.Second)
}

func toolVersion(o Options) string {
	if o.ToolVersion == "" {
		return "dev"
	}
	return o.ToolVersion
}

// identity is the digest the document's serial number derives from: the
// image digest when known, else a digest of the subject and its packages.
func identity(s *sbom.SBOM) [32]byte {
	if s.Digest != "" {
		return sha256.Sum256([]byte("shipshape-sbom\x00" + s.Digest))
	}
	h := sha256.New()
	fmt.Fprintf(h, "shipshape-sbom\x00%s\x00", s.Subject)
	keys := make([]string, 0, len(s.Packages))
	for _, p := range s.Packages {
		keys = append(keys, p.PURL+"\x00"+p.Name+"\x00"+p.Version+"\x00"+p.Location)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s\n", k)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// uuidOf formats the first 16 bytes of sum as a version 5 style (name
// based, SHA) UUID.
func uuidOf(sum [32]byte) string {
	b := sum[:16]
	b[6] = (b[6] & 0x0f) | 0x50
	b[8] = (b[8] & 0x3f) | 0x80
	x := hex.EncodeToString(b)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// refs gives each package a stable unique reference: its purl, suffixed
// with a short digest of its location when two packages share a purl.
func refs(s *sbom.SBOM) []string {
	count := map[string]int{}
	for _, p := range s.Packages {
		count[refBase(p)]++
	}
	out := make([]string, len(s.Packages))
	used := map[string]bool{}
	for i, p := range s.Packages {
		r := refBase(p)
		if count[r] > 1 || used[r] {
			h := sha256.Sum256([]byte(p.Location + "\x00" + p.Arch + "\x00" + p.Version))
			r += "#" + hex.EncodeToString(h[:6])
		}
		for n := 2; used[r]; n++ {
			r = fmt.Sprintf("%s#%d", refBase(p), n)
		}
		used[r] = true
		out[i] = r
	}
	return out
}

func refBase(p sbom.Package) string {
	if p.PURL != "" {
		return p.PURL
	}
	return p.Ecosystem + ":" + p.Name + "@" + p.Version
}

// subjectName is the document and root component name.
func subjectName(s *sbom.SBOM) string {
	if s.Subject == "" {
		return "unknown"
	}
	return s.Subject
}
