package fleetgen_test

import (
	"bytes"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// BenchmarkDecodeCycloneDX decodes the generated CycloneDX JSON SBOMs
// (about 300 components) the way an upload is decoded: the server's
// share of the CPU an ingest costs before the store sees it.
func BenchmarkDecodeCycloneDX(b *testing.B) {
	p, _ := setup(b)
	g := fleetgen.New(p, 9)
	docs := make([][]byte, 64)
	size := 0
	for i := range docs {
		var buf bytes.Buffer
		if err := encode.Write(&buf, encode.CycloneDXJSON, g.Image(i).SBOM, encode.Options{}); err != nil {
			b.Fatal(err)
		}
		docs[i] = buf.Bytes()
		size += buf.Len()
	}
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := encode.DecodeSized(bytes.NewReader(docs[i%len(docs)]), int64(len(docs[i%len(docs)]))); err != nil {
			b.Fatal(err)
		}
	}
}
