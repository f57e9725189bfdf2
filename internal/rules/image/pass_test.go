package image_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// summary lists findings as rule, layer, path and message, for comparing
// two reads of one image.
func summary(fs []rule.Finding, keep func(id string) bool) []string {
	var out []string
	for _, f := range fs {
		if keep(f.RuleID) {
			out = append(out, fmt.Sprintf("%s @%d %s: %s", f.RuleID, f.Image.LayerIndex, f.Image.Path, f.Message))
		}
	}
	return out
}

// TestCleanImage checks that the clean image draws only the summaries,
// read as a docker-archive and as an OCI layout alike.
func TestCleanImage(t *testing.T) {
	reg, _ := imrules.Registry()
	img := imagetest.Build(t, clean())
	archive := scanRef(t, reg, nil, "docker-archive:"+imagetest.DockerArchive(t, img, ""))
	for _, f := range archive {
		if f.RuleID != "IM1302" && f.RuleID != "IM1500" {
			t.Errorf("clean image: %s %s", f.RuleID, f.Message)
		}
	}
	all := func(string) bool { return true }
	oci := scanRef(t, reg, nil, "oci:"+imagetest.OCILayout(t, img))
	if a, o := summary(archive, all), summary(oci, all); len(a) != 2 || !slices.Equal(a, o) {
		t.Errorf("docker-archive and OCI layout differ:\n%s\n%s", strings.Join(a, "\n"), strings.Join(o, "\n"))
	}
}

// TestLocations checks that file findings name the layer and the
// instruction that introduced them: by its blob digest where the format
// records it (an OCI layout), else by its DiffID (a docker-archive written
// by go-containerregistry names its layer files otherwise).
func TestLocations(t *testing.T) {
	reg, _ := imrules.Registry()
	im := clean()
	add(&im, appLayer, imagetest.File("usr/bin/sudo", "ELF").WithMode(0o4755))
	img := imagetest.Build(t, im)
	ls, _ := img.Layers()
	digest, err := ls[appLayer].Digest()
	if err != nil {
		t.Fatal(err)
	}
	diffID, err := ls[appLayer].DiffID()
	if err != nil {
		t.Fatal(err)
	}
	for ref, layerDigest := range map[string]string{
		"docker-archive:" + imagetest.DockerArchive(t, img, ""): diffID.String(),
		"oci:" + imagetest.OCILayout(t, img):                    digest.String(),
	} {
		var got *rule.ImageLocation
		for _, f := range scanRef(t, reg, nil, ref) {
			if f.RuleID == "IM1205" {
				got = f.Image
			}
		}
		want := rule.ImageLocation{Image: ref, LayerDigest: layerDigest, LayerIndex: appLayer, Instruction: "COPY app /app", Path: "/usr/bin/sudo"}
		if got == nil || *got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

// TestFileRulesOnRootFS reads one image as a docker-archive and as the
// root filesystem of its final view (dir:): the rules that read the final
// file system find the same files either way. The entrypoint is a script,
// so that the advice is the one a dir: (which has no configuration) gets.
func TestFileRulesOnRootFS(t *testing.T) {
	reg, _ := imrules.Registry()
	im := clean()
	im.Config.Entrypoint = []string{"/docker-entrypoint.sh"}
	add(&im, baseLayer,
		imagetest.File("usr/bin/passwd", "ELF").WithMode(0o4755),
		imagetest.Dir("tmp").WithMode(0o1777),
		imagetest.Symlink("bin", "usr/bin"),
		imagetest.File("usr/bin/bash", "ELF").WithMode(0o755),
		imagetest.Symlink("usr/bin/sh", "bash"),
		imagetest.File("usr/bin/apt-get", "ELF").WithMode(0o755),
		imagetest.File("usr/bin/gcc", "ELF").WithMode(0o755),
		imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"10\"\nVERSION_CODENAME=buster\nPRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n"),
		imagetest.File("etc/shadow", "root::19000:0:99999:7:::\n").WithMode(0o640),
	)
	add(&im, appLayer,
		imagetest.Dir("data").WithMode(0o777),
		imagetest.File("usr/bin/sudo", "ELF").WithMode(0o4755),
		imagetest.File("app/.git/HEAD", "ref: refs/heads/main\n"),
	)
	img := imagetest.Build(t, im)
	cfg := config.Default()
	files := func(id string) bool {
		return strings.HasPrefix(id, "IM12") || strings.HasPrefix(id, "IM14") || id == "IM1501"
	}
	pathsOnly := func(fs []rule.Finding) []string {
		var out []string
		for _, f := range fs {
			if files(f.RuleID) {
				out = append(out, f.RuleID+" "+f.Image.Path+": "+f.Message)
			}
		}
		slices.Sort(out)
		return out
	}
	archive := pathsOnly(scanRef(t, reg, cfg, "docker-archive:"+imagetest.DockerArchive(t, img, "")))
	dir := pathsOnly(scanRef(t, reg, cfg, "dir:"+imagetest.RootFS(t, img)))
	if len(archive) < 9 || !slices.Equal(archive, dir) {
		t.Errorf("docker-archive and root filesystem differ:\n%s\n--\n%s", strings.Join(archive, "\n"), strings.Join(dir, "\n"))
	}
}
