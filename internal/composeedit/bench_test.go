package composeedit

import (
	"strings"
	"testing"
)

// BenchmarkPlan measures one fix's plan on a compose file of 30 services:
// parse, add a key to a service, verify by decoding before and after.
func BenchmarkPlan(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("version: \"3.8\"\nservices:\n")
	for i := 0; i < 30; i++ {
		sb.WriteString("  svc" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ":\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n    environment:\n      A: b\n")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		d, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		p := d.NewPlan()
		p.Service("svcaa").AppendItems("security_opt", "no-new-privileges:true")
		if _, err := p.Edits(); err != nil {
			b.Fatal(err)
		}
	}
}
