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
	docs, _ := cycloneDXDocs(b, fleetgen.New(p, 9), 64)
	size := 0
	for _, d := range docs {
		size += len(d)
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

// cycloneDXDocs writes the first n images of g as CycloneDX JSON
// documents, as an upload carries them, with their digests.
func cycloneDXDocs(t testing.TB, g *fleetgen.Generator, n int) (docs [][]byte, digests []string) {
	t.Helper()
	docs, digests = make([][]byte, n), make([]string, n)
	for i := range docs {
		im := g.Image(i)
		var buf bytes.Buffer
		if err := encode.Write(&buf, encode.CycloneDXJSON, im.SBOM, encode.Options{}); err != nil {
			t.Fatal(err)
		}
		docs[i], digests[i] = buf.Bytes(), im.Digest
	}
	return docs, digests
}
