package buildinfo

import (
	"strings"
	"testing"
	"time"
)

func TestReadAndString(t *testing.T) {
	// A test binary carries no main-module version and, built by go test,
	// no VCS stamp: the fallback applies.
	if got := Read("", "", ""); got.Version == "" || got.GoVersion == "" || got.Platform == "" {
		t.Fatalf("Read() = %+v", got)
	}
	i := Read("v1.2.3", "0123456789abcdef0123", "2026-12-01T10:00:00Z")
	if i.Version != "v1.2.3" || i.Commit != "0123456789abcdef0123" || !i.Date.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("ldflags values not taken: %+v", i)
	}
	s := i.String()
	for _, want := range []string{"shipshape v1.2.3", "commit 0123456789ab", "built 2026-12-01T10:00:00Z", i.GoVersion} {
		if !strings.Contains(s, want) {
			t.Errorf("%q lacks %q", s, want)
		}
	}
}
