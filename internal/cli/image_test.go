package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// buildImage writes a docker-archive with: a Debian-like base with shells,
// apt, a setuid passwd and apt lists; a layer adding an SSH key and a
// world-writable directory; a layer deleting the key and overwriting a
// file. The config runs as root and exposes SSH.
func buildImage(t *testing.T) string {
	t.Helper()
	img := imagetest.Build(t, imagetest.Image{
		Config: imagetest.Config{
			ExposedPorts: []string{"22/tcp"},
			Env:          []string{"API_TOKEN=" + strings.Repeat("Zk3q9XvL2m", 2)},
		},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD file:0123abcd in /", Entries: []imagetest.Entry{
				imagetest.Dir("etc/"),
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
				imagetest.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
				imagetest.File("etc/shadow", "root:*:19000:0:99999:7:::\n").WithMode(0o640),
				imagetest.File("usr/bin/bash", "ELF").WithMode(0o755),
				imagetest.Symlink("usr/bin/sh", "bash"),
				imagetest.File("usr/bin/apt-get", "ELF").WithMode(0o755),
				imagetest.File("usr/bin/passwd", "ELF").WithMode(0o4755),
				imagetest.File("var/lib/apt/lists/main_Packages", strings.Repeat("Package: x\n", 1000)),
				imagetest.File("opt/data.bin", strings.Repeat("x", 5000)),
			}},
			{CreatedBy: "COPY id_rsa /root/.ssh/id_rsa # buildkit", Entries: []imagetest.Entry{
				imagetest.Dir("root/.ssh/").WithMode(0o700),
				imagetest.File("root/.ssh/id_rsa", imagetest.RSAKey).WithMode(0o600),
				imagetest.Dir("srv/shared/").WithMode(0o777),
			}},
			{CreatedBy: "RUN /bin/sh -c rm /root/.ssh/id_rsa # buildkit", Entries: []imagetest.Entry{
				imagetest.Whiteout("root/.ssh/id_rsa"),
				imagetest.File("opt/data.bin", "small"),
			}},
		},
	})
	return imagetest.DockerArchive(t, img, "test/app:1")
}

func runImage(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Execute(context.Background(), append([]string{"image"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestImageEndToEnd(t *testing.T) {
	p := buildImage(t)
	code, out, stderr := runImage(t, "--no-cache", "--scanners", "config,secret,files,bloat", "--format", "json", p)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID  string `json:"ruleId"`
			Message string `json:"message"`
			Image   *struct {
				LayerIndex  int    `json:"layerIndex"`
				LayerDigest string `json:"layerDigest"`
				Instruction string `json:"instruction"`
				Path        string `json:"path"`
			} `json:"image"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string][]string{}
	for _, f := range doc.Findings {
		if f.Image == nil {
			t.Errorf("%s without image location", f.RuleID)
			continue
		}
		got[f.RuleID] = append(got[f.RuleID], f.Message)
		if f.RuleID == "IM1100" && (f.Image.LayerIndex != 1 || f.Image.Path != "/root/.ssh/id_rsa" || f.Image.Instruction != "COPY id_rsa /root/.ssh/id_rsa" || !strings.HasPrefix(f.Image.LayerDigest, "sha256:")) {
			t.Errorf("IM1100 location: %+v", f.Image)
		}
	}
	want := map[string]string{
		"IM1000": "sets no user",
		"IM1002": "API_TOKEN",
		"IM1005": "22/tcp",
		"IM1100": "private-key in /root/.ssh/id_rsa:1 .*still ships it",
		"IM1200": "/usr/bin/passwd is setuid root",
		"IM1201": "/srv/shared is world-writable",
		"IM1202": "/usr/bin/sh",
		"IM1203": "/usr/bin/apt-get",
		"IM1300": "apt package lists",
		"IM1301": "reclaimable",
		"IM1500": "Debian GNU/Linux 12",
	}
	for id, re := range want {
		ok := false
		for _, m := range got[id] {
			if matched(re, m) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: want %q, got %v", id, re, got[id])
		}
	}
	// The overwritten /opt/data.bin (5000 bytes) and the deleted key are
	// reclaimable; the surviving 5-byte copy is not.
	if ms := got["IM1301"]; len(ms) != 1 || !strings.HasPrefix(ms[0], "5.3 kB reclaimable") {
		t.Errorf("IM1301: %v", ms)
	}
}

func TestImageTextAndSARIF(t *testing.T) {
	p := buildImage(t)
	_, out, _ := runImage(t, "--no-cache", "--scanners", "secret", p)
	if !strings.Contains(out, "@layer 1 (COPY id_rsa /root/.ssh/id_rsa) /root/.ssh/id_rsa") {
		t.Errorf("text output lacks the image location:\n%s", out)
	}
	df := filepath.Join(t.TempDir(), "Dockerfile")
	os.WriteFile(df, []byte("FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa\nRUN rm /root/.ssh/id_rsa\n"), 0o644)
	_, out, _ = runImage(t, "--no-cache", "--scanners", "secret", "--format", "sarif", "--dockerfile", df, p)
	if !strings.Contains(out, `"startLine": 2`) || !strings.Contains(out, "Dockerfile") {
		t.Errorf("SARIF does not point at the COPY line:\n%s", out)
	}
	_, out, _ = runImage(t, "--no-cache", "--scanners", "secret", "--format", "sarif", p)
	if !strings.Contains(out, `"uri": "image/root/.ssh/id_rsa"`) {
		t.Errorf("SARIF does not use image/<path>:\n%s", out)
	}
}

func TestImageErrors(t *testing.T) {
	code, _, stderr := runImage(t, filepath.Join(t.TempDir(), "missing.tar"))
	if code != ExitError || !strings.Contains(stderr, "run `shipshape db update`") {
		t.Errorf("vuln without db: exit %d, %s", code, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.tar")
	os.WriteFile(bad, []byte("this is not a tarball at all"), 0o644)
	code, _, stderr = runImage(t, "--scanners", "config", bad)
	if code != ExitError || stderr == "" {
		t.Errorf("corrupt archive: exit %d, %q", code, stderr)
	}
	code, _, stderr = runImage(t, "--scanners", "config", "registry:127.0.0.1:1/nothing/here:1")
	if code != ExitError || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("unreachable registry: exit %d, %q", code, stderr)
	}
	code, _, stderr = runImage(t, "--scanners", "config,nope", bad)
	if code != ExitError || !strings.Contains(stderr, "unknown scanner") {
		t.Errorf("bad scanner: exit %d, %q", code, stderr)
	}
}

func matched(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
