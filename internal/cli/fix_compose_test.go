package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixCompose: fix edits a compose file in place of re-writing it (the
// comment and the quoting stay), applies review fixes only with --level
// review, and prints a refused fix with its reason.
func TestFixCompose(t *testing.T) {
	dir := t.TempDir()
	dc := filepath.Join(dir, "compose.yaml")
	src := "# the stack\nx-base: &base\n  image: 'nginx:1.27'\nservices:\n  web:\n    image: \"nginx:1.27\" # pinned\n  alias: *base\n"
	if err := os.WriteFile(dc, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "fix", "--rule", "RT1006", dc)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "+    security_opt:\n+      - no-new-privileges:true\n") {
		t.Fatalf("diff:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, `RT1006 not applied: refused: service "alias" is an alias (*base)`) {
		t.Errorf("stderr does not give the refusal:\n%s", r.stderr)
	}
	r = run(t, "", "fix", "--rule", "RT1012", dc)
	wantCode(t, r, 0)
	r = run(t, "", "fix", "--rule", "RT1012", "--level", "review", "--apply", "--fail-on", "none", dc)
	wantCode(t, r, 0)
	b, _ := os.ReadFile(dc)
	if want := strings.Replace(src, "# pinned\n", "# pinned\n    mem_limit: 1g\n", 1); string(b) != want {
		t.Errorf("after --apply:\n%s\nwant\n%s", b, want)
	}
}
