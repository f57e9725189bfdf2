package engineapi_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
)

// TestSaveImageTLS exports an image from the real Docker Engine through
// the TLS proxy: the spooled file is the engine's docker save archive
// (its manifest names the image's config, and the layer holds the file
// the image was imported with); an image the engine does not hold is an
// error and leaves no file; a client with the wrong CA exports
// nothing and says why.
func TestSaveImageTLS(t *testing.T) {
	dockerOrSkip(t)
	host, certs := enginetest.TLSProxy(t, dockerSocket)
	ctx := context.Background()

	// A one-file image, imported under a unique name.
	var b [5]byte
	_, _ = rand.Read(b[:])
	image := "shipshape-engineapi-save-" + hex.EncodeToString(b[:]) + ":test"
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	content := []byte("exported through TLS\n")
	_ = tw.WriteHeader(&tar.Header{Name: "etc/marker", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(content))})
	_, _ = tw.Write(content)
	_ = tw.Close()
	imp := exec.Command("docker", "import", "-", image)
	imp.Stdin = &buf
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", image).Run() })
	idOut, err := exec.Command("docker", "image", "inspect", "--format", "{{.Id}}", image).Output()
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(string(idOut))

	c, err := engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.CA, CertFile: certs.Cert, KeyFile: certs.Key})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := c.SaveImage(ctx, id, dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != dir {
		t.Errorf("spooled to %s, not in %s", p, dir)
	}
	entries := map[string][]byte{}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the export is not a tar archive: %v", err)
		}
		data, _ := io.ReadAll(tr)
		entries[h.Name] = data
	}
	f.Close()
	var manifest []struct {
		Config string
		Layers []string
	}
	if err := json.Unmarshal(entries["manifest.json"], &manifest); err != nil || len(manifest) != 1 || len(manifest[0].Layers) != 1 {
		t.Fatalf("manifest.json: %v %s", err, entries["manifest.json"])
	}
	if !strings.Contains(manifest[0].Config, strings.TrimPrefix(id, "sha256:")) {
		t.Errorf("the manifest's config %s is not image %s", manifest[0].Config, id)
	}
	layer := tar.NewReader(bytes.NewReader(entries[manifest[0].Layers[0]]))
	found := false
	for {
		h, err := layer.Next()
		if err != nil {
			break
		}
		if strings.TrimPrefix(h.Name, "./") == "etc/marker" {
			data, _ := io.ReadAll(layer)
			found = bytes.Equal(data, content)
		}
	}
	if !found {
		t.Errorf("the layer lacks etc/marker with its content")
	}

	// An image the engine does not hold: a name is a 404 (an unknown ID
	// is a 500 on Docker 20.10; an error either way).
	empty := t.TempDir()
	if _, err := c.SaveImage(ctx, "shipshape-no-such-image:none", empty); !errors.Is(err, engineapi.ErrNotFound) {
		t.Errorf("missing image: %v, want ErrNotFound", err)
	}
	if _, err := c.SaveImage(ctx, "sha256:"+strings.Repeat("0", 64), empty); err == nil {
		t.Errorf("missing image ID: no error")
	}
	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Errorf("a failed export left %d files", len(left))
	}

	// A CA that did not sign the engine's certificate.
	c, err = engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.OtherCA, CertFile: certs.Cert, KeyFile: certs.Key})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SaveImage(ctx, id, empty); err == nil || !strings.Contains(err.Error(), "TLS certificate is not trusted by --tlscacert "+certs.OtherCA) {
		t.Errorf("wrong CA: %v", err)
	}
	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Errorf("a refused export left %d files", len(left))
	}
}
