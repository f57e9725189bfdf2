package server_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPeerSBOMs uploads the SBOMs that shipshape and Syft (CycloneDX and
// SPDX) wrote of one bookworm root filesystem, and Trivy's CycloneDX: the
// three bookworm documents yield the same dpkg packages and release.
func TestPeerSBOMs(t *testing.T) {
	f := fleettest.StartServer(t, filepath.Join(t.TempDir(), "fleet.db"), server.Options{})
	sets := map[string]string{}
	for i, name := range []string{"shipshape-bookworm.cdx.json", "syft-bookworm.cdx.json.gz", "syft-bookworm.spdx.json.gz"} {
		d := digestOf(name)
		code, body := f.Do(t, "POST", "/api/v1/sboms?image=bookworm:"+string(rune('a'+i))+"&digest="+d, f.Ingest, readTestdata(t, name))
		if code != http.StatusCreated {
			t.Fatalf("%s: %d %s", name, code, body)
		}
		code, body = f.Do(t, "GET", "/api/v1/images/"+d, f.Read, nil)
		var im store.ImageDetail
		if code != 200 || json.Unmarshal(body, &im) != nil {
			t.Fatalf("%s: %d %.300s", name, code, body)
		}
		if !strings.HasPrefix(im.Distro, "debian-12") {
			t.Errorf("%s: distro %q", name, im.Distro)
		}
		var pkgs []string
		for _, p := range im.Packages {
			if p.Path == "/var/lib/dpkg/status" && p.Type == "Debian" {
				pkgs = append(pkgs, p.Name+"@"+p.Version)
			}
		}
		sort.Strings(pkgs)
		if len(pkgs) < 80 {
			t.Errorf("%s: %d dpkg packages at /var/lib/dpkg/status", name, len(pkgs))
		}
		sets[name] = strings.Join(pkgs, "\n")
	}
	if sets["syft-bookworm.cdx.json.gz"] != sets["shipshape-bookworm.cdx.json"] || sets["syft-bookworm.spdx.json.gz"] != sets["shipshape-bookworm.cdx.json"] {
		t.Errorf("the tools disagree:\nshipshape:\n%s\nsyft cdx:\n%s\nsyft spdx:\n%s", sets["shipshape-bookworm.cdx.json"],
			sets["syft-bookworm.cdx.json.gz"], sets["syft-bookworm.spdx.json.gz"])
	}
	code, body := f.Do(t, "POST", "/api/v1/sboms?image=trivy&digest="+digestOf("trivy"), f.Ingest, readTestdata(t, "trivy-bom.json"))
	if code != http.StatusCreated || !strings.Contains(string(body), `"packages": 5`) {
		t.Errorf("trivy: %d %s", code, body)
	}
	code, body = f.Do(t, "GET", "/api/v1/images/"+digestOf("trivy"), f.Read, nil)
	if code != 200 || !strings.Contains(string(body), `"distro": "alpine-3.16.0"`) || !strings.Contains(string(body), "musl") {
		t.Errorf("trivy image: %d %.500s", code, body)
	}
}
