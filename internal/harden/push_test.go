package harden_test

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/shipshape-sec/shipshape/internal/harden"
	"github.com/shipshape-sec/shipshape/internal/imageread"
)

// TestPushWithSBOMReferrer pushes a hardened image to go-containerregistry's
// registry on loopback and finds its SBOM through the referrers API.
func TestPushWithSBOMReferrer(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(true)))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	s := start(t, insecureImage([]string{"/usr/bin/app"}, passwd), harden.Options{})
	b, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ref := host + "/acme/app:1-hardened"
	dref, err := harden.Push(context.Background(), ref, b.Image, b.SBOM, harden.PushOptions{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := b.Image.Digest()
	if !strings.HasSuffix(dref, "@"+want.String()) {
		t.Errorf("pushed %s, want digest %s", dref, want)
	}
	d, err := name.NewDigest(dref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Referrers(d)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Manifests) != 1 || string(m.Manifests[0].ArtifactType) != harden.SBOMMediaType {
		t.Fatalf("referrers of %s: %+v, want one %s", dref, m.Manifests, harden.SBOMMediaType)
	}
	art, err := remote.Image(d.Context().Digest(m.Manifests[0].Digest.String()))
	if err != nil {
		t.Fatal(err)
	}
	ls, err := art.Layers()
	if err != nil || len(ls) != 1 {
		t.Fatalf("artifact layers: %v %v", ls, err)
	}
	rc, err := ls[0].Compressed()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(rc)
	rc.Close()
	if string(doc) != string(b.SBOM) {
		t.Errorf("the referrer holds %d bytes, not the SBOM (%d bytes)", len(doc), len(b.SBOM))
	}

	// The pushed image reads back as a registry source with the labels.
	src, err := imageread.Open(context.Background(), "registry:"+ref, imageread.OpenOptions{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cf, err := src.ConfigFile()
	if err != nil || cf.Config.Labels[harden.LabelHardened] != "true" {
		t.Errorf("labels of the pushed image: %v %v", cf.Config.Labels, err)
	}
}
