package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

// signedRegistry starts a loopback registry holding acme/app tagged
// signed (signed by key), unsigned, wrongkey (signed by another key) and
// tampered (signature over a payload that was changed afterwards).
func signedRegistry(t *testing.T) (repo string, key trusttest.Key) {
	t.Helper()
	host := trusttest.Registry(t)
	key, other := trusttest.NewKey(t), trusttest.NewKey(t)
	repo = host + "/acme/app"
	d := trusttest.PushImage(t, repo+":signed")
	trusttest.PushTagSignature(t, repo, d, trusttest.Signature(t, key, repo, d, nil))
	trusttest.PushImage(t, repo+":unsigned")
	d = trusttest.PushImage(t, repo+":wrongkey")
	trusttest.PushTagSignature(t, repo, d, trusttest.Signature(t, other, repo, d, nil))
	d = trusttest.PushImage(t, repo+":tampered")
	m, err := trusttest.Signature(t, key, repo, d, nil).Manifest()
	if err != nil {
		t.Fatal(err)
	}
	evil, _ := trust.NewPayload(repo, strings.Repeat("0", 7)+d)
	trusttest.PushTagSignature(t, repo, d, trusttest.SignatureWith(t, evil, m.Layers[0].Annotations[trust.SignatureAnnotation]))
	return repo, key
}

func TestVerifyCommand(t *testing.T) {
	repo, key := signedRegistry(t)
	cases := []struct {
		tag  string
		code int
		want string
	}{
		{"signed", 0, "verified"},
		{"unsigned", 1, "no cosign signature found"},
		{"wrongkey", 1, "does not verify under any trusted key"},
		{"tampered", 1, "does not verify under any trusted key"},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			r := run(t, "", "verify", "--insecure", "--key", key.PubPath, repo+":"+c.tag)
			wantCode(t, r, c.code)
			if !strings.Contains(r.stdout, c.want) {
				t.Fatalf("want %q in %s", c.want, r)
			}
		})
	}
	r := run(t, "", "verify", "--insecure", "--key", key.PubPath, "--format", "json", repo+":signed")
	wantCode(t, r, 0)
	var out struct {
		Verified   bool
		Digest     string
		Signatures []struct{ Where, Key string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	if !out.Verified || !strings.HasPrefix(out.Digest, "sha256:") || len(out.Signatures) != 1 || out.Signatures[0].Key != key.PubPath {
		t.Fatalf("json = %+v", out)
	}
}

func TestVerifyCommandErrors(t *testing.T) {
	repo, key := signedRegistry(t)
	// Unreachable registry and missing image: exit 2, never a pass.
	wantCode(t, run(t, "", "verify", "--insecure", "--key", key.PubPath, "127.0.0.1:1/acme/app:1"), 2)
	wantCode(t, run(t, "", "verify", "--insecure", "--key", key.PubPath, repo+":nosuchtag"), 2)
	// No key at all, and a key that is not one.
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(filepath.Join(dir, ".git"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "verify", "--insecure", repo+":signed")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "no public key") {
		t.Fatalf("want a no-key message: %s", r)
	}
	bad := filepath.Join(dir, "bad.pub")
	os.WriteFile(bad, []byte("nope"), 0o600)
	wantCode(t, run(t, "", "verify", "--insecure", "--key", bad, repo+":signed"), 2)
	// Keys from trust.keys in the discovered config.
	pem, _ := os.ReadFile(key.PubPath)
	os.WriteFile(filepath.Join(dir, "cosign.pub"), pem, 0o600)
	os.WriteFile(filepath.Join(dir, ".shipshape.yaml"), []byte("version: 1\ntrust:\n  keys:\n    release: cosign.pub\n"), 0o600)
	r = run(t, "", "verify", "--insecure", repo+":signed")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "good signature by release") {
		t.Fatalf("want the key's label: %s", r)
	}
	wantCode(t, run(t, "", "verify", "--insecure", repo+":unsigned"), 1)
}

// TestImageRequireSignature: image --require-signature reports IM1008 for
// unsigned and wrongly signed registry images and stays quiet for a
// signed one; a registry that cannot be reached is exit 2.
func TestImageRequireSignature(t *testing.T) {
	repo, key := signedRegistry(t)
	im1008 := func(tag string, extra ...string) (result, []string) {
		args := append([]string{"image", "--no-cache", "--scanners", "secret", "--format", "json", "--insecure", "--require-signature", "--key", key.PubPath}, extra...)
		r := run(t, "", append(args, repo+":"+tag)...)
		var msgs []string
		for _, f := range decodeJSON(t, r).Findings {
			if f.RuleID == "IM1008" {
				msgs = append(msgs, f.Message)
			}
		}
		return r, msgs
	}
	r, msgs := im1008("signed")
	wantCode(t, r, 0)
	if len(msgs) != 0 {
		t.Fatalf("signed image: %v", msgs)
	}
	for tag, want := range map[string]string{"unsigned": "no cosign signature found", "wrongkey": "does not verify under any trusted key"} {
		r, msgs := im1008(tag)
		wantCode(t, r, 1)
		if len(msgs) != 1 || !strings.Contains(msgs[0], want) {
			t.Fatalf("%s: IM1008 messages %v, want one with %q\n%s", tag, msgs, want, r)
		}
	}
	// Without the flag nothing is checked.
	r = run(t, "", "image", "--no-cache", "--scanners", "secret", "--format", "json", "--insecure", repo+":unsigned")
	wantCode(t, r, 0)
	// Unreachable: exit 2, never a pass.
	wantCode(t, run(t, "", "image", "--no-cache", "--scanners", "secret", "--insecure", "--require-signature", "--key", key.PubPath, "127.0.0.1:1/acme/app:1"), 2)
	// --key alone is a usage error.
	wantCode(t, run(t, "", "image", "--no-cache", "--scanners", "secret", "--insecure", "--key", key.PubPath, repo+":signed"), 2)
}
