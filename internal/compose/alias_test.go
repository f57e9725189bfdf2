package compose

import (
	"strings"
	"testing"
)

// aliasBomb is a chain of anchors whose aliases expand to 10^4 nodes:
// YAML's guard against alias bombs makes compose-go reject the whole file,
// though compose itself (docker-compose config) loads it.
const aliasBomb = `x-a: &a [1,1,1,1,1,1,1,1,1,1]
x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
`

// TestAliasBombInExtensionStillLoadsServices: heavy aliasing inside an
// unused x- key must not make the services disappear (a privileged service
// would then pass unchecked).
func TestAliasBombInExtensionStillLoadsServices(t *testing.T) {
	src := aliasBomb + "x-e: [*d,*d,*d,*d,*d,*d]\nservices:\n  web:\n    image: nginx:1.25\n    privileged: true\n"
	p, _, err := LoadSources([]Source{{Path: "compose.yaml", Data: []byte(src)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Specs) != 1 || !p.Specs[0].Privileged {
		t.Fatalf("services: %+v, errors: %+v", p.Specs, p.Errors)
	}
	if len(p.Errors) != 0 {
		t.Errorf("load errors on a file compose loads: %+v", p.Errors)
	}
}

// TestAliasBombInServicesIsALoadError: when the services themselves cannot
// be decoded, the file is a load error, never an empty project that passes.
func TestAliasBombInServicesIsALoadError(t *testing.T) {
	src := aliasBomb + "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n    labels:\n      bomb: [*d,*d,*d,*d,*d]\n"
	p, _, err := LoadSources([]Source{{Path: "compose.yaml", Data: []byte(src)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Message, "aliasing") {
		t.Fatalf("no load error for an undecodable file: specs %+v errors %+v", p.Specs, p.Errors)
	}
}
