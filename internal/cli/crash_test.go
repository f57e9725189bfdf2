package cli_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// runBin runs the real binary and returns its exit code and output.
func runBin(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("%v: %v", args, err)
	}
	return 0, string(out)
}

// statusSources returns the source names `db status --format json` lists.
func statusSources(t *testing.T, bin, db string) []string {
	t.Helper()
	code, out := runBin(t, bin, "db", "status", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("db status: exit %d\n%s", code, out)
	}
	var st struct {
		Sources []struct{ Name string } `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("db status json: %v\n%s", err, out)
	}
	var names []string
	for _, s := range st.Sources {
		names = append(names, s.Name)
	}
	return names
}

// TestBinaryConcurrentImportsBothLand starts two imports of different
// sources into one database at once: both must exit 0 and both sources must
// be in the database afterwards (the second waits for the first's lock).
func TestBinaryConcurrentImportsBothLand(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(corpus.Shared(t), "data")
	db := filepath.Join(t.TempDir(), "vuln.db")
	a := exec.Command(bin, "db", "import", "--db", db, filepath.Join(data, "osv", "Go.zip"))
	b := exec.Command(bin, "db", "import", "--db", db, filepath.Join(data, "osv", "PyPI.zip"))
	var outA, outB strings.Builder
	a.Stdout, a.Stderr, b.Stdout, b.Stderr = &outA, &outA, &outB, &outB
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(); err != nil {
		t.Errorf("first import: %v\n%s", err, outA.String())
	}
	if err := b.Wait(); err != nil {
		t.Errorf("second import: %v\n%s", err, outB.String())
	}
	got := strings.Join(statusSources(t, bin, db), ",")
	if !strings.Contains(got, "osv:Go") || !strings.Contains(got, "osv:PyPI") {
		t.Errorf("after two concurrent imports the database holds %s; one import was lost", got)
	}
}

// TestBinaryKilledImportLeavesNothingBehind kills an import with SIGKILL
// while it works: the database stays as it was, and the next import
// removes the temporary copy the killed one left.
func TestBinaryKilledImportLeavesNothingBehind(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(corpus.Shared(t), "data")
	dir := t.TempDir()
	db := filepath.Join(dir, "vuln.db")
	if code, out := runBin(t, bin, "db", "import", "--db", db, filepath.Join(data, "alpine", "secdb", "v3.10")); code != 0 {
		t.Fatalf("first import: exit %d\n%s", code, out)
	}
	before := statusSources(t, bin, db)
	left := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, ".vuln.db-*"))
		return m
	}
	killed := false
	for _, delay := range []time.Duration{300 * time.Millisecond, 150 * time.Millisecond, 600 * time.Millisecond} {
		cmd := exec.Command(bin, "db", "import", "--db", db, filepath.Join(data, "osv", "Go.zip"), filepath.Join(data, "osv", "PyPI.zip"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(left()) > 0 {
			killed = true
			break
		}
	}
	if !killed {
		t.Skip("could not catch an import mid-way on this machine")
	}
	if got := statusSources(t, bin, db); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("a killed import changed the database: %v, was %v", got, before)
	}
	if code, out := runBin(t, bin, "db", "import", "--db", db, filepath.Join(data, "alpine", "secdb", "v3.11")); code != 0 {
		t.Fatalf("import after the kill: exit %d\n%s", code, out)
	}
	if l := left(); len(l) > 0 {
		t.Errorf("temporary files left after the next import: %v", l)
	}
}

// TestBinaryCorruptDatabases damages a real database in many places and
// requires `db status` to say so (exit 2) whenever a full read of the
// database would fail, and never to report a database healthy that a
// lookup then finds corrupt; an empty file and a file that is not a
// database are exit 2 with a clear message.
func TestBinaryCorruptDatabases(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(corpus.Shared(t), "data")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if code, out := runBin(t, bin, "db", "import", "--db", good, filepath.Join(data, "alpine", "secdb", "v3.10"), filepath.Join(data, "osv", "PyPI.zip")); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	orig, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	detected := 0
	for i := 1; i <= 8; i++ {
		bad := filepath.Join(dir, "bad.db")
		b := append([]byte(nil), orig...)
		off := len(b) * i / 10 &^ 4095
		for j := off + 16; j < off+4096 && j < len(b); j++ {
			b[j] ^= 0xA5
		}
		if err := os.WriteFile(bad, b, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out := runBin(t, bin, "db", "status", "--db", bad)
		readable := fullRead(bad) == nil
		switch {
		case code == 0 && !readable:
			t.Errorf("page at %d damaged: db status exits 0 but reading the database fails\n%s", off, out)
		case code == 2:
			detected++
			if !strings.Contains(out, "corrupt") {
				t.Errorf("page at %d: exit 2 without saying the database is corrupt:\n%s", off, out)
			}
		case code != 0:
			t.Errorf("page at %d: exit %d\n%s", off, code, out)
		}
	}
	if detected < 4 {
		t.Errorf("only %d of 8 damaged databases reported; the check reads too little", detected)
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	if code, out := runBin(t, bin, "db", "status", "--db", empty); code != 2 || !strings.Contains(out, "empty file") || strings.Contains(out, "bad file descriptor") {
		t.Errorf("empty database: exit %d\n%s", code, out)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a database\n", 2000)), 0o644)
	if code, out := runBin(t, bin, "db", "status", "--db", junk); code != 2 || !strings.Contains(out, "corrupt") {
		t.Errorf("junk database: exit %d\n%s", code, out)
	}
}

// fullRead reads every value of every bucket straight through bbolt and
// decodes the advisory records, independently of the code under test: what
// a scan's lookups would meet over time.
func fullRead(path string) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if strings.HasPrefix(string(name), "eco/") {
					var recs []map[string]any
					return json.Unmarshal(v, &recs)
				}
				return nil
			})
		})
	})
}

// TestBinaryAliasBombIsNotAPass lints, with the real binary, compose files
// whose aliases expand too far for YAML's guard: in an unused x- key the
// privileged service is still found (exit 1); inside the service the file
// is reported as unloadable (RT1000, exit 1); neither passes.
func TestBinaryAliasBombIsNotAPass(t *testing.T) {
	bin := buildBinary(t)
	bomb := "x-a: &a [1,1,1,1,1,1,1,1,1,1]\nx-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	cases := []struct{ name, body, want string }{
		{"extension", bomb + "x-e: [*d,*d,*d,*d,*d,*d]\nservices:\n  web:\n    image: nginx:1.25\n    privileged: true\n", "RT1003"},
		{"service", bomb + "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n    labels:\n      bomb: [*d,*d,*d,*d,*d]\n", "RT1000"},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "compose.yaml")
		if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out := runBin(t, bin, "lint", p)
		if code != 1 || !strings.Contains(out, c.want) || strings.Contains(out, "pass") {
			t.Errorf("%s: exit %d, want 1 with %s\n%s", c.name, code, c.want, out)
		}
	}
}
