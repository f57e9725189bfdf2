package engine_test

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

// scratchImage is the static test program FROM scratch, as /app, with a
// marker file that makes each image's digest its own.
func scratchImage(t *testing.T, prog []byte, marker string) v1.Image {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"app", 0o755, prog}, {"marker", 0o644, []byte(marker)}} {
		_ = tw.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeReg, Mode: f.mode, Size: int64(len(f.data))})
		_, _ = tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: layer})
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", runtime.GOARCH
	cf.Config.Cmd, cf.Config.User = []string{"/app"}, "10001:10001"
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	return img
}

// TestAuditRequireSignatureDocker pushes two images to a loopback
// registry, signs one with a generated key, pulls both into the real
// engine (which treats 127.0.0.0/8 as an insecure registry), creates a
// container of each and of a locally imported image, and audits them with
// --require-signature: only the signed one is quiet.
func TestAuditRequireSignatureDocker(t *testing.T) {
	run := docker(t)
	id := unique(t, "shipshape-auditsig")
	dir := t.TempDir()
	bin := filepath.Join(dir, "app")
	build := exec.Command("go", "build", "-o", bin, "./testdata/auditapp")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the test program: %v\n%s", err, out)
	}
	prog, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}

	reg := trusttest.Registry(t)
	key := trusttest.NewKey(t)
	signedRepo, unsignedRepo := reg+"/"+id+"/signed", reg+"/"+id+"/unsigned"
	signedDigest := trusttest.Push(t, signedRepo+":1", scratchImage(t, prog, "signed "+id))
	trusttest.PushTagSignature(t, signedRepo, signedDigest, trusttest.Signature(t, key, signedRepo, signedDigest, nil))
	trusttest.Push(t, unsignedRepo+":1", scratchImage(t, prog, "unsigned "+id))

	for _, ref := range []string{signedRepo + ":1", unsignedRepo + ":1"} {
		t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", ref).Run() })
		run("pull", "-q", ref)
	}
	local := auditImage(t, run, id)
	signed, unsigned, built := id+"-signed", id+"-unsigned", id+"-local"
	container(t, run, "create", signed, signedRepo+":1")
	container(t, run, "create", unsigned, unsignedRepo+":1")
	container(t, run, "create", built, local, "/app")

	k, err := trust.LoadKey("", key.PubPath)
	if err != nil {
		t.Fatal(err)
	}
	res := audit(t, engine.AuditOptions{All: true, Names: []string{signed, unsigned, built}, NoDrift: true,
		Signature: &engine.SignatureCheck{Policy: trust.Policy{Keys: []trust.Key{k}}, Options: trust.RegistryOptions(false)}})

	quietRules(t, of(res, signed), signed, "RT1106")
	got := of(res, unsigned)
	wantRules(t, got, unsigned, "RT1106")
	if fs := got["RT1106"]; len(fs) > 0 && !strings.Contains(fs[0].Message, "no cosign signature found") {
		t.Errorf("%s: RT1106 says %q, want the missing signature", unsigned, fs[0].Message)
	}
	got = of(res, built)
	wantRules(t, got, built, "RT1106")
	if fs := got["RT1106"]; len(fs) > 0 && !strings.Contains(fs[0].Message, "has no registry digest") {
		t.Errorf("%s: RT1106 says %q, want no registry digest", built, fs[0].Message)
	}

	// Signed by another key: the signature is there but does not count.
	other := trusttest.NewKey(t)
	ko, err := trust.LoadKey("", other.PubPath)
	if err != nil {
		t.Fatal(err)
	}
	res = audit(t, engine.AuditOptions{All: true, Names: []string{signed}, NoDrift: true,
		Signature: &engine.SignatureCheck{Policy: trust.Policy{Keys: []trust.Key{ko}}, Options: trust.RegistryOptions(false)}})
	wantRules(t, of(res, signed), signed, "RT1106")

	// Keyless: a Sigstore bundle by alice beside the key signature. Only
	// alice under this root is trusted; bob is not.
	ss := trusttest.NewSigstore(t)
	const issuer = "https://accounts.example.com"
	trusttest.PushBundle(t, signedRepo, signedDigest, ss.Bundle(t, "alice@example.com", issuer,
		trusttest.Statement(t, signedDigest, trust.SignPredicateType, nil)), trust.SignPredicateType)
	for who, want := range map[string]bool{"alice@example.com": true, "bob@example.com": false} {
		kl, err := trust.LoadKeyless(ss.RootPath, []trust.Identity{{Issuer: issuer, Subject: who}})
		if err != nil {
			t.Fatal(err)
		}
		res = audit(t, engine.AuditOptions{All: true, Names: []string{signed}, NoDrift: true,
			Signature: &engine.SignatureCheck{Policy: trust.Policy{Keyless: kl}, Options: trust.RegistryOptions(false)}})
		if want {
			quietRules(t, of(res, signed), signed, "RT1106")
			continue
		}
		got := of(res, signed)
		wantRules(t, got, signed, "RT1106")
		if fs := got["RT1106"]; len(fs) > 0 && !strings.Contains(fs[0].Message, "not a trusted identity") {
			t.Errorf("%s: RT1106 says %q, want an untrusted identity", signed, fs[0].Message)
		}
	}

	// Without --require-signature no registry is asked and nothing fires.
	res = audit(t, engine.AuditOptions{All: true, Names: []string{unsigned}, NoDrift: true})
	quietRules(t, of(res, unsigned), unsigned, "RT1106")
}
