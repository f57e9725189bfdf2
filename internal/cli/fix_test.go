package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixDiffApplyCheck: fix prints a unified diff and exits 1 when a fix
// is pending, --apply writes the file and exits as lint would, and a second
// fix has nothing to do (exit 0).
func TestFixDiffApplyCheck(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	src := "FROM alpine:3.20\nMAINTAINER ops@example.com\nUSER 10001\n"
	if err := os.WriteFile(df, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "fix", df)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "-MAINTAINER ops@example.com") || !strings.Contains(r.stdout, `+LABEL org.opencontainers.image.authors="ops@example.com"`) {
		t.Fatalf("diff:\n%s", r.stdout)
	}
	if b, _ := os.ReadFile(df); string(b) != src {
		t.Fatal("fix without --apply wrote the file")
	}
	wantCode(t, run(t, "", "fix", "--check", df), 1)
	wantCode(t, run(t, "", "fix", "--check", "--apply", df), 2)
	wantCode(t, run(t, "", "fix", "--level", "everything", df), 2)

	r = run(t, "", "fix", "--apply", "--fail-on", "critical", df)
	wantCode(t, r, 0)
	if b, _ := os.ReadFile(df); !strings.Contains(string(b), "LABEL org.opencontainers.image.authors") || strings.Contains(string(b), "MAINTAINER") {
		t.Fatalf("after --apply:\n%s", b)
	}
	r = run(t, "", "fix", df)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("a second run still has a diff:\n%s", r.stdout)
	}
	// --skip leaves a rule's fixes out.
	os.WriteFile(df, []byte(src), 0o644)
	r = run(t, "", "fix", "--skip", "DF1804", df)
	wantCode(t, r, 0)
}

// TestFixDockerfileAndContext: the Dockerfile's safe fixes and the new
// .dockerignore show in one diff; a refused fix is told on stderr with its
// reason; --apply writes both files and a second run has nothing to do.
func TestFixDockerfileAndContext(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	src := "FROM debian:12\n" +
		"RUN apt update && apt install -y --no-install-recommends curl\n" +
		"RUN curl -fsSL https://example.com/x.tgz | tar -xz -C /opt\n" +
		"ADD app.py /app/\n" +
		"COPY . /app/\n" +
		"USER 10001\n" +
		"CMD python3 /app/app.py\n"
	os.WriteFile(df, []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("print('hi')\n"), 0o644)

	r := run(t, "", "fix", df)
	wantCode(t, r, 1)
	for _, want := range []string{
		"+RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
		"+COPY app.py /app/",
		`+CMD ["python3", "/app/app.py"]`,
		"--- /dev/null", "+.git\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("diff lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "DF1806 not applied: refused: the image's /bin/sh is dash") {
		t.Errorf("stderr does not tell the DF1806 refusal:\n%s", r.stderr)
	}

	r = run(t, "", "fix", "--apply", "--fail-on", "none", df)
	wantCode(t, r, 0)
	if _, err := os.Stat(filepath.Join(dir, ".dockerignore")); err != nil {
		t.Errorf("no .dockerignore after --apply: %v", err)
	}
	r = run(t, "", "fix", df)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("a second run still has a diff:\n%s", r.stdout)
	}
}
