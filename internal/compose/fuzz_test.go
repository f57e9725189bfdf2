package compose

import "testing"

// FuzzLoad feeds arbitrary text to the loader: it must never panic and
// must locate every error it reports.
func FuzzLoad(f *testing.F) {
	f.Add("services:\n  web:\n    image: x\n    ports: [\"80:80\"]\n")
	f.Add("web:\n  image: nginx\n")
	f.Add("x-a: &a\n  privileged: true\nservices:\n  s:\n    <<: *a\n    extends: s\n")
	f.Add("services:\n  s:\n    volumes: [\"${A:?x}:/b\"]\n    environment: [A, B=${C}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		p, _, err := LoadSources([]Source{{Path: "f.yaml", Data: []byte(text)}}, Options{})
		if err != nil {
			return
		}
		for _, e := range p.Errors {
			if e.Pos.Range.Line < 1 {
				t.Fatalf("unlocated error %+v", e)
			}
		}
	})
}
