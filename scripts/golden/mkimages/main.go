// Command mkimages writes the deterministic test images that
// scripts/golden.sh scans, with the tests' image builder
// (internal/imagetest): every byte (timestamps included) is fixed, so
// two runs write identical archives and the golden outputs compare
// byte for byte. Usage: go run ./scripts/golden/mkimages SHARED_DATA OUTDIR
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// reg is a regular file of mode 0644.
func reg(name, body string) imagetest.Entry { return imagetest.File(name, body) }

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mkimages SHARED_DATA OUTDIR")
		os.Exit(2)
	}
	data, out := os.Args[1], os.Args[2]
	if err := run(data, out); err != nil {
		fmt.Fprintln(os.Stderr, "mkimages:", err)
		os.Exit(1)
	}
}

func read(data, rel string) string {
	b, err := os.ReadFile(filepath.Join(data, rel))
	if err != nil {
		panic(err)
	}
	return string(b)
}

func run(data, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Alpine with /etc/alpine-release and an apk database but no
	// /etc/os-release; secrets (one deleted by a later layer), setuid and
	// a world-writable directory.
	alpine, err := build(imagetest.Config{
		Env:          []string{"PATH=/usr/bin:/bin", "DB_PWD=hunter2hunter2", "SSH_KEY=/run/secrets/key", "STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
		Cmd:          []string{"/bin/sh"},
		ExposedPorts: []string{"22/tcp"},
	}, [][]imagetest.Entry{
		{
			reg("etc/alpine-release", read(data, "alpine/alpine-310-metadata/etc/alpine-release")),
			reg("lib/apk/db/installed", read(data, "alpine/alpine-310-metadata/lib/apk/db/installed")),
			reg("bin/busybox", "\x7fELF busybox").WithMode(0o4755),
			imagetest.Dir("tmp/").WithMode(0o1777),
			imagetest.Dir("srv/share/").WithMode(0o777),
		},
		{
			reg("app/config.py", "STRIPE_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'\nGH = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\n"),
			reg("root/.aws/credentials", "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = 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\n"),
			reg("var/cache/apk/APKINDEX.tar.gz", string(bytes.Repeat([]byte("x"), 200000))),
		},
		{
			imagetest.Whiteout("root/.aws/credentials"),
			reg("app/main.py", "print('hello')\n"),
		},
	}, []string{"ADD alpine-minirootfs.tar.gz /", "COPY . /app", "RUN rm /root/.aws/credentials"})
	if err != nil {
		return err
	}
	// Debian bookworm with extra packages, a Python distribution, apt
	// lists left behind and root as the user.
	debian, err := build(imagetest.Config{
		Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin", "API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"},
		Cmd: []string{"python3", "/srv/app.py"},
	}, [][]imagetest.Entry{
		{
			reg("etc/os-release", read(data, "debian/rootfs-fixtures/bookworm-plus/etc/os-release")),
			reg("etc/debian_version", read(data, "debian/rootfs-fixtures/bookworm-plus/etc/debian_version")),
			reg("var/lib/dpkg/status", read(data, "debian/rootfs-fixtures/bookworm-plus/var/lib/dpkg/status")),
			reg("usr/bin/passwd", "\x7fELF passwd").WithMode(0o4755),
			reg("usr/bin/apt-get", "\x7fELF apt"),
			reg("bin/bash", "\x7fELF bash"),
		},
		{
			reg("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", string(bytes.Repeat([]byte("Package: x\n"), 30000))),
			reg("usr/local/lib/python3.11/site-packages/Flask-2.0.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: Flask\nVersion: 2.0.0\n"),
			reg("usr/local/lib/python3.11/site-packages/requests-2.19.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.19.0\n"),
			reg("srv/app.py", "import flask\n"),
			reg("srv/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yM8GmJtR6b3bC4PmE2nL9HxTQ0vQzNdW1mFhTq8WWsM2kJtR2xQ\n-----END RSA PRIVATE KEY-----\n"),
		},
	}, []string{"ADD rootfs.tar /", "RUN apt-get update && pip install flask==2.0.0 requests==2.19.0 # buildkit"})
	if err != nil {
		return err
	}
	for name, img := range map[string]v1.Image{"alpine": alpine, "debian": debian} {
		if err := imagetest.WriteDockerArchive(filepath.Join(out, name+".tar"), img, ""); err != nil {
			return err
		}
		if err := imagetest.WriteOCILayout(filepath.Join(out, name+"-oci"), img); err != nil {
			return err
		}
	}
	return nil
}

// build describes an image of one layer per entry list, each with its
// history instruction, and builds it.
func build(cfg imagetest.Config, layers [][]imagetest.Entry, createdBy []string) (v1.Image, error) {
	im := imagetest.Image{Config: cfg}
	for i, es := range layers {
		im.Layers = append(im.Layers, imagetest.Layer{CreatedBy: createdBy[i], Entries: es})
	}
	return im.Build()
}
