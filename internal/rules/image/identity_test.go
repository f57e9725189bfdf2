package image_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// releaseImage writes an image of one layer holding the given release
// files as a docker-archive and returns its reference.
func releaseImage(t *testing.T, files map[string][]byte) string {
	var es []imagetest.Entry
	for p, data := range files {
		es = append(es, imagetest.File(strings.TrimPrefix(p, "/"), string(data)))
	}
	im := imagetest.Image{Layers: []imagetest.Layer{{CreatedBy: "ADD rootfs.tar /", Entries: es}}}
	return "docker-archive:" + imagetest.DockerArchive(t, imagetest.Build(t, im), "")
}

// identityFindings reads ref with the real pass and returns the messages
// and paths of rule id's findings.
func identityFindings(t *testing.T, ref, id string) []string {
	t.Helper()
	reg, err := rule.NewRegistry(imrules.All()...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range scanRef(t, reg, config.Default(), ref) {
		if f.RuleID == id {
			out = append(out, f.Message+" @"+f.Image.Path)
		}
	}
	return out
}

// TestIdentityFromDistributionReleaseFiles checks IM1500 and IM1501 on
// release files other than os-release: the real alpine-release of Alpine
// 3.10 (past its end of life), and Ubuntu 18.04's lsb-release beside the
// debian_version Ubuntu ships, which must not make it Debian.
func TestIdentityFromDistributionReleaseFiles(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	alpineRelease, err := os.ReadFile(filepath.Join(data, "alpine", "alpine-310-metadata", "etc", "alpine-release"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name           string
		files          map[string][]byte
		im1500, im1501 string
	}{
		{"alpine-release", map[string][]byte{"/etc/alpine-release": alpineRelease},
			"operating system: Alpine Linux 3.10.4 (from /etc/alpine-release) @/etc/alpine-release",
			"Alpine 3.10 reached its end of life on 2021-05-01 and gets no security updates @/etc/alpine-release"},
		{"lsb-release over debian_version", map[string][]byte{
			"/etc/lsb-release":    []byte("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION=\"Ubuntu 18.04.6 LTS\"\n"),
			"/etc/debian_version": []byte("buster/sid\n"),
		}, "operating system: Ubuntu 18.04.6 LTS (from /etc/lsb-release) @/etc/lsb-release", "Ubuntu 18.04"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			im := releaseImage(t, c.files)
			if got := identityFindings(t, im, "IM1500"); len(got) != 1 || got[0] != c.im1500 {
				t.Errorf("IM1500 = %q, want %q", got, c.im1500)
			}
			if got := identityFindings(t, im, "IM1501"); len(got) != 1 || !strings.HasPrefix(got[0], c.im1501) {
				t.Errorf("IM1501 = %q, want %q...", got, c.im1501)
			}
		})
	}
}
