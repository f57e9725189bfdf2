package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// TestMissingSBOMs: POST /api/v1/sboms/missing names exactly the digests
// the fleet has no SBOM of (a digest only seen in a container record is
// still missing), needs the ingest scope, and refuses bad lists.
func TestMissingSBOMs(t *testing.T) {
	bookworm := fleettest.CatalogDir(t, filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures", "bookworm"))
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		f := fleettest.StartServer(t, dsn, server.Options{})
		known, seen, unknown := digestOf("known"), digestOf("seen"), digestOf("unknown")
		if code, body := f.Do(t, "POST", "/api/v1/sboms?digest="+known, f.Ingest, encodeAs(t, encode.CycloneDXJSON, bookworm)); code != http.StatusCreated {
			t.Fatalf("upload: %d %s", code, body)
		}
		if code, body := f.Do(t, "POST", "/api/v1/containers", f.Ingest, []byte(`{"containers": [{"host": "h", "containerId": "c", "imageDigest": "`+seen+`", "started": 1}]}`)); code != http.StatusOK {
			t.Fatalf("containers: %d %s", code, body)
		}
		ask := func(token string, digests ...string) (int, []string) {
			body, _ := json.Marshal(map[string]any{"digests": digests})
			code, out := f.Do(t, "POST", "/api/v1/sboms/missing", token, body)
			var res server.DigestQuery
			if code == http.StatusOK {
				if err := json.Unmarshal(out, &res); err != nil {
					t.Fatalf("%s: %v", out, err)
				}
			}
			return code, res.Missing
		}
		code, missing := ask(f.Ingest, known, unknown, seen, unknown)
		if code != http.StatusOK || strings.Join(missing, ",") != strings.Join(sortedPair(seen, unknown), ",") {
			t.Errorf("missing: %d %v, want %v", code, missing, sortedPair(seen, unknown))
		}
		if code, missing := ask(f.Ingest, known); code != http.StatusOK || missing == nil || len(missing) != 0 {
			t.Errorf("all known: %d %v, want []", code, missing)
		}
		if code, _ := ask(f.Read, known); code != http.StatusForbidden {
			t.Errorf("read scope: %d, want 403", code)
		}
		if code, _ := ask(f.Ingest, "sha256:XYZ"); code != http.StatusBadRequest {
			t.Errorf("bad digest: %d, want 400", code)
		}
		if code, _ := ask(f.Ingest); code != http.StatusBadRequest {
			t.Errorf("no digest: %d, want 400", code)
		}
		many := make([]string, store.MaxDigestQuery+1)
		for i := range many {
			many[i] = digestOf(fmt.Sprint(i))
		}
		if code, _ := ask(f.Ingest, many...); code != http.StatusBadRequest {
			t.Errorf("too many digests: %d, want 400", code)
		}
	})
}

func sortedPair(a, b string) []string {
	if a > b {
		a, b = b, a
	}
	return []string{a, b}
}
