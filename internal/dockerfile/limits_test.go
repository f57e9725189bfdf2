package dockerfile

import (
	"fmt"
	"strings"
	"testing"
)

// TestLineLongerThanBuildKitReads: BuildKit rejects a file with a line over
// 64 KiB without naming the line; the model names it and parses the rest,
// so the instructions after it are still checked.
func TestLineLongerThanBuildKitReads(t *testing.T) {
	src := "FROM alpine:3.20\nRUN echo " + strings.Repeat("a", 70000) + "\nUSER root\nRUN curl http://example.com/x | sh\n"
	f, err := Parse("Dockerfile", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != 1 || f.Errors[0].Range.Line != 2 || !strings.Contains(f.Errors[0].Message, "70009 bytes") {
		t.Fatalf("errors %+v, want one at line 2 naming its length", f.Errors)
	}
	var kws []string
	for _, in := range f.Instructions {
		kws = append(kws, fmt.Sprintf("%s@%d", in.Keyword, in.Range.Line))
	}
	if strings.Join(kws, " ") != "FROM@1 USER@3 RUN@4" {
		t.Errorf("instructions after the long line: %v", kws)
	}
	// Exactly at the limit is fine, as for BuildKit.
	ok := "FROM alpine\nRUN " + strings.Repeat("a", MaxLineBytes-4) + "\n"
	if f, _ := Parse("Dockerfile", []byte(ok), Options{}); len(f.Errors) != 0 {
		t.Errorf("a %d-byte line: %+v", MaxLineBytes, f.Errors)
	}
}

// TestTooManyInstructions: a file past MaxInstructions is one parse error
// at the first instruction past the bound, and no model to lint.
func TestTooManyInstructions(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM alpine\n")
	for i := 0; i < MaxInstructions+5; i++ {
		fmt.Fprintf(&b, "ENV V%d=%d\n", i, i)
	}
	f, err := Parse("Dockerfile", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Errors) != 1 || f.Errors[0].Range.Line != MaxInstructions+1 || len(f.Stages) != 0 {
		t.Fatalf("errors %+v, %d stages", f.Errors, len(f.Stages))
	}
}
