package fleetgen_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// EnvGoldenDir names a directory TestGoldenAnswers writes the fleet's
// answers to, one file per backend; unset, the test is skipped.
const EnvGoldenDir = "SHIPSHAPE_FLEET_GOLDEN"

// TestGoldenAnswers writes every answer of a generated, matched fleet
// (affected by each advisory, each image's detail, package searches,
// top vulnerabilities, new exposures, diffs) as JSON, so that a change of
// the store's layout can be checked byte for byte against the answers of
// the layout before it: run it before and after, then diff the files.
func TestGoldenAnswers(t *testing.T) {
	dir := os.Getenv(EnvGoldenDir)
	if dir == "" {
		t.Skip("set " + EnvGoldenDir + "=DIR to write the fleet's answers")
	}
	p, vdb := setup(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		g := fleetgen.New(p, 11)
		const n = 300
		var digests []string
		for i := 0; i < n; i += 50 {
			var ims []store.Image
			for j := i; j < i+50; j++ {
				ims = append(ims, g.Image(j))
			}
			if _, err := s.IngestBatch(ctx, ims); err != nil {
				t.Fatal(err)
			}
			for _, im := range ims {
				digests = append(digests, im.Digest)
			}
		}
		// A re-ingest that drops packages, and one that adds them.
		im := g.Image(3)
		im.SBOM.Packages = im.SBOM.Packages[:len(im.SBOM.Packages)/2]
		if _, err := s.Ingest(ctx, im); err != nil {
			t.Fatal(err)
		}
		im = g.Image(4)
		im.SBOM.Packages = append(im.SBOM.Packages, g.Image(200).SBOM.Packages...)
		if _, err := s.Ingest(ctx, im); err != nil {
			t.Fatal(err)
		}
		var cs []store.Container
		for i := 0; i < n; i += 3 {
			cs = append(cs, store.Container{Host: fmt.Sprintf("h%d", i%7), ContainerID: fmt.Sprintf("c%03d", i), Name: fmt.Sprintf("app%d", i),
				ImageDigest: digests[i], Started: 1764547000 + int64(i)})
		}
		if err := s.PutContainers(ctx, cs); err != nil {
			t.Fatal(err)
		}
		if _, err := jobs.MatchOnce(ctx, s, vdb, nil); err != nil {
			t.Fatal(err)
		}
		out := map[string]any{}
		ids, err := s.AdvisoryIDs(ctx, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			a, err := s.Affected(ctx, id, store.Page{Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			out["affected/"+id] = a
			if a.Next != 0 {
				a2, err := s.Affected(ctx, id, store.Page{After: a.Next, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				out["affected2/"+id] = a2
			}
		}
		for i, d := range digests {
			if i%10 != 0 && i != 3 && i != 4 {
				continue
			}
			det, err := s.ImageByDigest(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			out["image/"+d] = det
		}
		for _, q := range []store.PackageQuery{{Name: "libc6"}, {Name: "jinja2"}, {Name: "jinja2", Versions: ">=2.10"}, {Name: "golang.org/x/net"}} {
			r, err := s.ImagesWithPackage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			out["packages/"+q.Name+q.Versions] = r
		}
		top, err := s.TopVulnerabilities(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		out["top"] = top
		es, err := s.NewExposures(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out["exposures"] = es
		for _, pair := range [][2]int{{0, 1}, {3, 4}, {10, 250}} {
			d, err := s.Diff(ctx, digests[pair[0]], digests[pair[1]])
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("diff/%d-%d", pair[0], pair[1])] = d
		}
		counts, err := s.FleetCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out["counts"] = counts
		data, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		// The clock's readings differ from run to run.
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		if data, err = json.MarshalIndent(dropKeys(v, "firstSeen", "lastSeen"), "", " "); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, s.Backend()+".json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d advisories, %d bytes", len(ids), len(data))
	})
}

// dropKeys removes the named keys from every object in v.
func dropKeys(v any, keys ...string) any {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range keys {
			delete(x, k)
		}
		for k, e := range x {
			x[k] = dropKeys(e, keys...)
		}
	case []any:
		for i, e := range x {
			x[i] = dropKeys(e, keys...)
		}
	}
	return v
}
