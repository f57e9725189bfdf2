package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// openVEX makes an OpenVEX document of statements (JSON fragments).
func openVEX(ts string, stmts ...string) []byte {
	return []byte(`{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/` + ts + `",
	"author": "Security Team <sec@example.com>", "timestamp": "` + ts + `", "version": 1,
	"statements": [` + strings.Join(stmts, ",") + `]}`)
}

func putVEX(t *testing.T, s *store.Store, doc []byte) {
	t.Helper()
	stmts, err := store.ParseOpenVEX(doc, time.Now().Unix())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutVEX(context.Background(), stmts); err != nil {
		t.Fatal(err)
	}
}

// exposure returns the running exposure of advisory id, nil when it is
// not among the top vulnerabilities at all.
func exposure(t *testing.T, s *store.Store, id string) *store.RankedAdvisory {
	t.Helper()
	top, err := s.TopVulnerabilities(context.Background(), store.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	for i := range top {
		if top[i].ID == id {
			return &top[i]
		}
	}
	return nil
}

func digests(ims []store.AffectedImage) []string {
	var out []string
	for _, im := range ims {
		out = append(out, im.Digest)
	}
	return out
}

// TestVEXFleetWide: OpenVEX triage of CVE-2020-1967 on the real alpine
// 3.10/3.11 package sets. A not_affected statement about one image moves
// that image out of the affected answer (into suppressed) and leaves the
// other; an under_investigation statement only annotates; a statement
// about a package purl applies to every image, and one package left open
// keeps the image affected; a newer statement wins over an older one; an
// alias name applies too. The triage is kept when a new vulnerability
// database build re-matches every package.
func TestVEXFleetWide(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data", "alpine")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-310-metadata"))
	a311 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-311-metadata"))
	db := vulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		for _, im := range []store.Image{
			{Digest: digestOf("a310"), Ref: "alpine:3.10.4", SBOM: a310},
			{Digest: digestOf("a311"), Ref: "alpine:3.11.5", SBOM: a311},
			{Digest: digestOf("jinja-old"), Ref: "app:old", SBOM: pyImage("jinja2", "2.11.2")},
		} {
			if _, err := s.Ingest(ctx, im); err != nil {
				t.Fatal(err)
			}
		}
		built := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.MatchPending(ctx, db, built); err != nil {
			t.Fatal(err)
		}
		if err := s.PutContainers(ctx, []store.Container{
			{Host: "h1", ContainerID: "c1", Name: "old-api", ImageDigest: digestOf("a310")},
			{Host: "h1", ContainerID: "c2", Name: "api", ImageDigest: digestOf("a311")},
			{Host: "h2", ContainerID: "c3", Name: "api", ImageDigest: digestOf("a311")},
		}); err != nil {
			t.Fatal(err)
		}
		affected := func() *store.Affected {
			t.Helper()
			a, err := s.Affected(ctx, "CVE-2020-1967", store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		// Quiet without statements: both images, nothing marked.
		a := affected()
		if len(a.Images) != 2 || len(a.Suppressed) != 0 || a.Images[0].Packages[0].VEX != nil {
			t.Fatalf("before VEX: %v suppressed %v", digests(a.Images), digests(a.Suppressed))
		}
		if e := exposure(t, s, "CVE-2020-1967"); e == nil || e.RunningContainers != 3 || e.RunningImages != 2 {
			t.Fatalf("top before VEX: %+v", e)
		}

		// not_affected for the 3.10 image (product = its digest).
		putVEX(t, s, openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-2020-1967"},
			"products": [{"@id": "`+digestOf("a310")+`"}], "status": "not_affected",
			"justification": "vulnerable_code_not_in_execute_path", "impact_statement": "TLS is terminated elsewhere"}`))
		a = affected()
		if len(a.Images) != 1 || a.Images[0].Digest != digestOf("a311") || len(a.Suppressed) != 1 || a.Suppressed[0].Digest != digestOf("a310") {
			t.Fatalf("image statement: images %v suppressed %v", digests(a.Images), digests(a.Suppressed))
		}
		p := a.Suppressed[0].Packages[0]
		if !p.Suppressed || p.VEX == nil || p.VEX.Scope != "image" || p.VEX.Justification != "vulnerable_code_not_in_execute_path" ||
			p.VEX.ImpactStatement != "TLS is terminated elsewhere" || !strings.Contains(p.VEX.Author, "Security Team") {
			t.Errorf("suppressed package: %+v %+v", p, p.VEX)
		}
		if a.Images[0].Packages[0].VEX != nil {
			t.Errorf("the 3.11 image is marked by a statement about the 3.10 image: %+v", a.Images[0].Packages[0].VEX)
		}
		if e := exposure(t, s, "CVE-2020-1967"); e == nil || e.RunningContainers != 2 || e.RunningImages != 1 {
			t.Errorf("top after image VEX: %+v", e)
		}
		// Webhook exposures: the triaged image's is marked, the other's not.
		es, err := s.NewExposures(ctx)
		if err != nil {
			t.Fatal(err)
		}
		triaged := map[string]bool{}
		for _, e := range es {
			if e.Advisory.ID == "CVE-2020-1967" {
				triaged[e.Image.Digest] = e.Triaged
			}
		}
		if len(triaged) != 2 || !triaged[digestOf("a310")] || triaged[digestOf("a311")] {
			t.Errorf("exposures of CVE-2020-1967 triaged by image: %v", triaged)
		}
		d, err := s.ImageByDigest(ctx, digestOf("a310"))
		if err != nil {
			t.Fatal(err)
		}
		marked := 0
		for _, v := range d.Vulnerabilities {
			if v.Advisory == "CVE-2020-1967" && v.Suppressed {
				marked++
			} else if v.Suppressed {
				t.Errorf("%s suppressed by a statement about CVE-2020-1967", v.Advisory)
			}
		}
		if marked != 2 {
			t.Errorf("image detail: %d CVE-2020-1967 matches suppressed, want 2 (libssl1.1, libcrypto1.1)", marked)
		}

		// under_investigation annotates but does not suppress.
		putVEX(t, s, openVEX("2026-12-01T11:00:00Z", `{"vulnerability": {"name": "CVE-2020-1967"},
			"products": [{"@id": "pkg:oci/alpine@`+strings.ReplaceAll(digestOf("a311"), ":", "%3A")+`"}], "status": "under_investigation"}`))
		a = affected()
		if len(a.Images) != 1 || a.Images[0].Packages[0].VEX == nil || a.Images[0].Packages[0].VEX.Status != "under_investigation" || a.Images[0].Packages[0].Suppressed {
			t.Fatalf("under_investigation: %+v", a.Images)
		}

		// Fleet-wide by package: libssl1.1 (any version) is not affected;
		// libcrypto1.1 stays open, so the 3.11 image stays affected.
		putVEX(t, s, openVEX("2026-12-01T12:00:00Z", `{"vulnerability": {"name": "CVE-2020-1967"},
			"products": [{"@id": "pkg:apk/alpine/libssl1.1"}], "status": "not_affected", "justification": "component_not_present"}`))
		a = affected()
		if len(a.Images) != 1 {
			t.Fatalf("package statement: images %v", digests(a.Images))
		}
		for _, p := range a.Images[0].Packages {
			if want := p.Name == "libssl1.1"; p.Suppressed != want || (want && p.VEX.Scope != "fleet") {
				t.Errorf("package statement: %s suppressed=%v vex=%+v", p.Name, p.Suppressed, p.VEX)
			}
		}
		putVEX(t, s, openVEX("2026-12-01T12:30:00Z", `{"vulnerability": {"name": "CVE-2020-1967"},
			"products": [{"@id": "pkg:apk/alpine/libcrypto1.1"}], "status": "not_affected", "justification": "component_not_present"}`))
		if a = affected(); len(a.Images) != 0 || len(a.Suppressed) != 2 {
			t.Fatalf("both packages triaged: images %v suppressed %v", digests(a.Images), digests(a.Suppressed))
		}
		if e := exposure(t, s, "CVE-2020-1967"); e != nil {
			t.Errorf("top with everything triaged: %+v", e)
		}

		// Kept across re-evaluation: a new database build re-matches every
		// package; the triage still applies.
		if err := s.InvalidateOlder(ctx, built.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Pending(ctx); n == 0 {
			t.Fatal("nothing pending after a new build")
		}
		if _, err := s.MatchPending(ctx, db, built.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if a = affected(); len(a.Images) != 0 || len(a.Suppressed) != 2 {
			t.Fatalf("after re-match: images %v suppressed %v", digests(a.Images), digests(a.Suppressed))
		}

		// A newer "affected" statement about the 3.10 image overrides the
		// fleet-wide not_affected ones for that image only.
		putVEX(t, s, openVEX("2026-12-02T09:00:00Z", `{"vulnerability": {"name": "CVE-2020-1967"},
			"products": [{"@id": "`+digestOf("a310")+`"}], "status": "affected", "action_statement": "upgrade to 3.11"}`))
		if a = affected(); len(a.Images) != 1 || a.Images[0].Digest != digestOf("a310") || a.Images[0].Packages[0].VEX.Status != "affected" {
			t.Fatalf("newer affected statement: images %v suppressed %v", digests(a.Images), digests(a.Suppressed))
		}

		// A statement by alias (the GHSA of PYSEC-2021-66) applies to the
		// advisory under every name.
		putVEX(t, s, openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "GHSA-g3rq-g295-4j3m"},
			"products": [{"@id": "`+digestOf("jinja-old")+`", "subcomponents": [{"@id": "pkg:pypi/jinja2@2.11.2"}]}],
			"status": "not_affected", "justification": "inline_mitigations_already_exist"}`))
		for _, q := range []string{"PYSEC-2021-66", "CVE-2020-28493"} {
			got, err := s.Affected(ctx, q, store.Page{})
			if err != nil || len(got.Images) != 0 || len(got.Suppressed) != 1 {
				t.Errorf("%s after the GHSA statement: %v suppressed %v (%v)", q, digests(got.Images), digests(got.Suppressed), err)
			}
		}
		all, err := s.VEXStatements(ctx)
		if err != nil || len(all) != 6 {
			t.Errorf("stored statements: %d %v", len(all), err)
		}
	})
}

// TestParseOpenVEX: what a document may say and the errors that reject
// it before anything is stored.
func TestParseOpenVEX(t *testing.T) {
	d := digestOf("x")
	good := openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "cve-2023-1"}, "timestamp": "2026-11-30T00:00:00Z",
		"products": [{"@id": "registry.example/app@`+d+`", "subcomponents": [{"@id": "pkg:deb/debian/openssl"}, {"identifiers": {"purl": "pkg:deb/debian/libssl3"}}]},
		{"@id": "pkg:pypi/jinja2"}], "status": "not_affected", "justification": "vulnerable_code_not_present"}`)
	got, err := store.ParseOpenVEX(good, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{d + " pkg:deb/debian/openssl", d + " pkg:deb/debian/libssl3", " pkg:pypi/jinja2"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		if g := got[i].ImageDigest + " " + got[i].Package; g != w || got[i].Advisory != "CVE-2023-1" || got[i].Created != time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC).Unix() {
			t.Errorf("statement %d: %+v, want %s", i, got[i], w)
		}
	}
	for name, c := range map[string]struct {
		doc  []byte
		want string
	}{
		"not JSON":            {[]byte("hello"), "not an OpenVEX document"},
		"no statements":       {openVEX("2026-12-01T10:00:00Z"), "no statements"},
		"no justification":    {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "`+d+`"}], "status": "not_affected"}`), "statement 1"},
		"bad status":          {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "`+d+`"}], "status": "fine"}`), "statement 1"},
		"unknown product":     {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "my laptop"}], "status": "affected", "action_statement": "x"}`), "names neither"},
		"oci without digest":  {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:oci/alpine@latest"}], "status": "under_investigation"}`), "pkg:oci"},
		"no products":         {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-1"}, "status": "under_investigation"}`), "no products"},
		"image subcomponent":  {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "`+d+`", "subcomponents": [{"@id": "`+d+`"}]}], "status": "under_investigation"}`), "subcomponent"},
		"vulnerability empty": {openVEX("2026-12-01T10:00:00Z", `{"vulnerability": {}, "products": [{"@id": "`+d+`"}], "status": "under_investigation"}`), "statement 1"},
	} {
		if _, err := store.ParseOpenVEX(c.doc, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
