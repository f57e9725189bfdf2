package image_test

import (
	"archive/tar"
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// fixtureNow is the clock every case runs with.
var fixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// clean returns a small, well-behaved image that no rule objects to
// except the two summaries (IM1302 size, IM1500 identity): a non-root
// user, a healthcheck, a named base, Debian 12, no shells.
func clean() *image.Image {
	im := &image.Image{
		Ref: "test/app:1",
		Config: image.Config{
			User: "10001", Healthcheck: &image.Healthcheck{Test: []string{"CMD", "/app", "health"}},
			Labels:     map[string]string{"org.opencontainers.image.base.name": "gcr.io/distroless/static-debian12"},
			Entrypoint: []string{"/app"}, Created: fixtureNow.AddDate(0, -1, 0), OS: "linux", Architecture: "amd64",
			Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin"},
		},
		Layers: []image.Layer{
			{Index: 0, Digest: "sha256:base", Size: 2000, CreatedBy: "ADD file:0123abcd in /"},
			{Index: 1, Digest: "sha256:app", Size: 5000, CreatedBy: "COPY app /app # buildkit"},
		},
		History: []image.History{
			{CreatedBy: "ADD file:0123abcd in /", Layer: 0},
			{CreatedBy: "COPY app /app # buildkit", Layer: 1},
			{CreatedBy: "USER 10001", Layer: -1, EmptyLayer: true},
		},
		Files:    map[string]*image.File{},
		Captured: map[string][]byte{},
	}
	add(im, 0, "/etc/os-release", 0o644, 200)
	add(im, 0, "/etc/passwd", 0o644, 100)
	add(im, 1, "/app", 0o755, 4000)
	im.Captured["/etc/os-release"] = []byte("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")
	im.Captured["/etc/passwd"] = []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n")
	return im
}

// add puts a regular file (or, with fs.ModeDir in mode, a directory) in
// the final view and in a layer's entries.
func add(im *image.Image, layer int, p string, mode fs.FileMode, size int64) *image.File {
	tf := byte(tar.TypeReg)
	if mode.IsDir() {
		tf = tar.TypeDir
	}
	f := &image.File{Path: p, Mode: mode, Size: size, Typeflag: tf, Layer: layer}
	im.Files[p] = f
	im.Entries = append(im.Entries, image.Entry{Path: p, Layer: layer, Size: size, Mode: mode, Typeflag: tf})
	return f
}

func link(im *image.Image, layer int, p, target string) {
	im.Files[p] = &image.File{Path: p, Mode: fs.ModeSymlink | 0o777, Typeflag: tar.TypeSymlink, Linkname: target, Layer: layer}
}

type tcase struct {
	name     string
	build    func(im *image.Image)
	settings map[string]any
	// want are regexps, one per expected finding of the rule; none means
	// the rule must stay quiet.
	want []string
}

var cases = map[string][]tcase{
	"IM1000": {
		{name: "no user", build: func(im *image.Image) { im.Config.User = "" }, want: []string{`sets no user`}},
		{name: "root by uid", build: func(im *image.Image) {
			im.Config.User = "0:0"
			im.History = append(im.History, image.History{CreatedBy: "USER 0:0", Layer: -1})
		}, want: []string{`user is "0:0"`}},
		{name: "root name", build: func(im *image.Image) { im.Config.User = "root" }, want: []string{`"root"`}},
		{name: "ok non-root", build: func(im *image.Image) {}},
		{name: "ok named user", build: func(im *image.Image) { im.Config.User = "app:app" }},
	},
	"IM1001": {
		{name: "none", build: func(im *image.Image) { im.Config.Healthcheck = nil }, want: []string{`no healthcheck`}},
		{name: "disabled", build: func(im *image.Image) { im.Config.Healthcheck = &image.Healthcheck{Test: []string{"NONE"}} }, want: []string{`disables`}},
		{name: "ok", build: func(im *image.Image) {}},
	},
	"IM1002": {
		{name: "env password", build: func(im *image.Image) { im.Config.Env = append(im.Config.Env, "DB_PASSWORD=hunter2") }, want: []string{`DB_PASSWORD holds a credential`}},
		{name: "label token", build: func(im *image.Image) {
			im.Config.Labels["ci.token"] = "ghp_" + strings.Repeat("aB3dE5fG7h", 3) + "J9kL1m"
		}, want: []string{`label ci.token`}},
		{name: "ok gpg key and file", build: func(im *image.Image) {
			im.Config.Env = append(im.Config.Env, "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "DB_PASSWORD_FILE=/run/secrets/db")
		}},
		{name: "ok ignored", settings: map[string]any{"ignore-names": []any{"DB_PASSWORD"}}, build: func(im *image.Image) {
			im.Config.Env = append(im.Config.Env, "DB_PASSWORD=hunter2")
		}},
	},
	"IM1003": {
		{name: "add archive", build: func(im *image.Image) {
			im.History = append(im.History, image.History{CreatedBy: "ADD app.tar.gz /app/ # buildkit", Layer: 1})
		}, want: []string{`uses ADD: ADD app.tar.gz`}},
		{name: "ok rootfs", build: func(im *image.Image) {
			im.History = append(im.History, image.History{CreatedBy: "/bin/sh -c #(nop) ADD file:4f1a2b3c in / ", Layer: 0})
		}},
	},
	"IM1004": {
		{name: "sudo", build: func(im *image.Image) {
			im.History = append(im.History, image.History{CreatedBy: "RUN /bin/sh -c sudo apt-get install -y curl # buildkit", Layer: 1})
		}, want: []string{`runs sudo`}},
		{name: "ok", build: func(im *image.Image) {
			im.History = append(im.History, image.History{CreatedBy: "RUN /bin/sh -c apt-get install -y sudoku # buildkit", Layer: 1})
		}},
	},
	"IM1005": {
		{name: "ssh and docker", build: func(im *image.Image) { im.Config.ExposedPorts = []string{"8080/tcp", "22/tcp", "2375/tcp"} }, want: []string{`22/tcp \(SSH\)`, `2375/tcp`}},
		{name: "ok", build: func(im *image.Image) { im.Config.ExposedPorts = []string{"8080/tcp"} }},
		{name: "ok allowed", settings: map[string]any{"allow-ports": []any{"22"}}, build: func(im *image.Image) { im.Config.ExposedPorts = []string{"22/tcp"} }},
	},
	"IM1006": {
		{name: "old", build: func(im *image.Image) { im.Config.Created = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }, want: []string{`created 2024-01-02, 881 days ago \(limit 365\)`}},
		{name: "ok epoch", build: func(im *image.Image) { im.Config.Created = time.Unix(0, 0) }},
		{name: "ok recent", build: func(im *image.Image) {}},
		{name: "ok setting", settings: map[string]any{"max-age-days": 1000}, build: func(im *image.Image) { im.Config.Created = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }},
	},
	"IM1007": {
		{name: "nameless", build: func(im *image.Image) { delete(im.Config.Labels, "org.opencontainers.image.base.name") }, want: []string{`does not name its base`}},
		{name: "ok ubuntu labels", build: func(im *image.Image) {
			im.Config.Labels = map[string]string{"org.opencontainers.image.ref.name": "ubuntu", "org.opencontainers.image.version": "24.04"}
		}},
	},
	"IM1100": {
		{name: "deleted secret", build: func(im *image.Image) {
			im.Secrets = []image.Secret{{Path: "/root/.ssh/id_rsa", Layer: 1, Kind: "private-key", Line: 1, Match: "-----BEGIN RSA PRIVATE KEY-----"}}
		}, want: []string{`private-key in /root/.ssh/id_rsa:1 .*layer 1 still ships it`}},
		{name: "present secret", build: func(im *image.Image) {
			add(im, 1, "/app/.env", 0o644, 30)
			im.Secrets = []image.Secret{{Path: "/app/.env", Layer: 1, Kind: "dotenv-secret", Line: 2, Match: "DB_PASSWORD=********"}}
		}, want: []string{`^dotenv-secret in /app/.env:2 \(DB_PASSWORD=\*+\)$`}},
		{name: "ok ignored path", settings: map[string]any{"ignore-paths": []any{"/usr/lib/python3/test/"}}, build: func(im *image.Image) {
			im.Secrets = []image.Secret{{Path: "/usr/lib/python3/test/keycert.pem", Layer: 0, Kind: "private-key", Line: 1}}
		}},
	},
	"IM1200": {
		{name: "setuid root", build: func(im *image.Image) {
			add(im, 0, "/usr/bin/passwd", 0o755|fs.ModeSetuid, 60000)
			f := add(im, 0, "/usr/bin/wall", 0o755|fs.ModeSetgid, 30000)
			f.GID = 5
		}, want: []string{`/usr/bin/passwd is setuid root`, `/usr/bin/wall is setgid gid 5`}},
		{name: "ok allowed", settings: map[string]any{"allow": []any{"/usr/bin/passwd"}}, build: func(im *image.Image) {
			add(im, 0, "/usr/bin/passwd", 0o755|fs.ModeSetuid, 60000)
		}},
	},
	"IM1201": {
		{name: "world-writable dir and file", build: func(im *image.Image) {
			add(im, 1, "/data", fs.ModeDir|0o777, 0)
			add(im, 1, "/app/config.yaml", 0o666, 10)
		}, want: []string{`directory /data is world-writable \(mode 0777\)`, `file /app/config.yaml is world-writable`}},
		{name: "ok tmp sticky symlink", build: func(im *image.Image) {
			add(im, 0, "/tmp", fs.ModeDir|fs.ModeSticky|0o777, 0)
			add(im, 0, "/tmp/x", 0o666, 1)
			add(im, 0, "/var/spool/shared", fs.ModeDir|fs.ModeSticky|0o777, 0)
			link(im, 0, "/etc/mtab", "/proc/mounts")
		}},
	},
	"IM1202": {
		{name: "busybox via symlink, shell entrypoint", build: func(im *image.Image) {
			add(im, 0, "/bin/busybox", 0o755, 800000)
			link(im, 0, "/bin/sh", "busybox")
			im.Config.Entrypoint = []string{"/bin/sh", "-c", "exec /app"}
		}, want: []string{`contains shells \(/bin/sh, /bin/busybox\); its entrypoint runs through one`}},
		{name: "merged usr, exec entrypoint", build: func(im *image.Image) {
			link(im, 0, "/bin", "usr/bin")
			add(im, 0, "/usr/bin/bash", 0o755, 1000000)
			link(im, 0, "/usr/bin/sh", "bash")
		}, want: []string{`contains shells \(/usr/bin/sh, /usr/bin/bash\) that its exec-form entrypoint does not need; a distroless`}},
		{name: "ok distroless", build: func(im *image.Image) {}},
	},
	"IM1203": {
		{name: "apt and pip", build: func(im *image.Image) {
			add(im, 0, "/usr/bin/apt-get", 0o755, 10)
			add(im, 0, "/usr/bin/dpkg", 0o755, 10)
			add(im, 1, "/usr/local/bin/pip", 0o755, 10)
		}, want: []string{`package managers \(/usr/bin/apt-get, /usr/bin/dpkg, /usr/local/bin/pip\)`}},
		{name: "ok", build: func(im *image.Image) {}},
	},
	"IM1204": {
		{name: "gcc and go", build: func(im *image.Image) {
			add(im, 0, "/usr/bin/gcc", 0o755, 10)
			add(im, 0, "/usr/local/go/bin/go", 0o755, 10)
		}, want: []string{`build tools \(/usr/bin/gcc, /usr/local/go/bin/go\); a multi-stage build`}},
		{name: "ok", build: func(im *image.Image) {}},
	},
	"IM1205": {
		{name: "sudo", build: func(im *image.Image) { add(im, 1, "/usr/bin/sudo", 0o4755, 10) }, want: []string{`/usr/bin/sudo is installed`}},
		{name: "ok", build: func(im *image.Image) {}},
	},
	"IM1300": {
		{name: "apt lists and pip", build: func(im *image.Image) {
			add(im, 1, "/var/lib/apt/lists/mirror_debian_dists_bookworm_main_binary-amd64_Packages.lz4", 0o644, 9_000_000)
			add(im, 1, "/var/lib/apt/lists/lock", 0o640, 0)
			add(im, 1, "/root/.cache/pip/http/a/b", 0o644, 50_000)
		}, want: []string{`apt package lists left in /var/lib/apt/lists: 9.0 MB in 2 files`, `pip cache left in /root/.cache/pip: 50.0 kB in 1 files`}},
		{name: "ok lock only", build: func(im *image.Image) { add(im, 1, "/var/lib/apt/lists/lock", 0o640, 0) }},
	},
	"IM1301": {
		{name: "overwritten and deleted", build: func(im *image.Image) {
			im.Entries = append(im.Entries,
				image.Entry{Path: "/tmp/big.tar", Layer: 0, Size: 6000, Mode: 0o644, Typeflag: tar.TypeReg, Shadowed: true},
				image.Entry{Path: "/tmp/.wh.big.tar", Layer: 1, Whiteout: true},
				image.Entry{Path: "/app/conf", Layer: 0, Size: 1000, Mode: 0o644, Typeflag: tar.TypeReg, Shadowed: true},
				image.Entry{Path: "/app/conf", Layer: 1, Size: 1000, Mode: 0o644, Typeflag: tar.TypeReg})
		}, want: []string{`^7.0 kB reclaimable of 12.3 kB in layers, efficiency 43.1%; largest: /tmp/big.tar \(6.0 kB\), /app/conf \(1.0 kB\)$`}},
		{name: "gated", settings: map[string]any{"min-efficiency": 0.9}, build: func(im *image.Image) {
			im.Entries = append(im.Entries, image.Entry{Path: "/x", Layer: 0, Size: 6000, Mode: 0o644, Typeflag: tar.TypeReg, Shadowed: true})
		}, want: []string{`below min-efficiency 90.0%`}},
		{name: "ok", build: func(im *image.Image) {}},
	},
	"IM1302": {
		{name: "summary", build: func(im *image.Image) {}, want: []string{`^the image is 7.0 kB uncompressed in 2 layers; largest files: /app \(4.0 kB\), /etc/os-release \(200 B\), /etc/passwd \(100 B\); largest directories: /etc \(300 B\)$`}},
		{name: "gated", settings: map[string]any{"max-size": 1000}, build: func(im *image.Image) {}, want: []string{`over max-size 1.0 kB`}},
		{name: "ok empty", build: func(im *image.Image) { im.Layers = nil }},
	},
	"IM1400": {
		{name: "empty root password", build: func(im *image.Image) {
			add(im, 1, "/etc/shadow", 0o640, 50)
			im.Captured["/etc/shadow"] = []byte("root::19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\napp:!:19000::::::\n")
		}, want: []string{`account root has an empty password in /etc/shadow \(line 1\)`}},
		{name: "ok locked", build: func(im *image.Image) {
			im.Captured["/etc/shadow"] = []byte("root:*:19000:0:99999:7:::\n")
		}},
	},
	"IM1401": {
		{name: "uid 0 twice", build: func(im *image.Image) {
			im.Captured["/etc/passwd"] = []byte("root:x:0:0::/root:/bin/sh\nbackup:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n")
			im.Captured["/etc/group"] = []byte("root:x:0:\napp:x:1000:\napp:x:1001:\n")
		}, want: []string{`UID 0 is shared by root, backup in /etc/passwd`, `name app appears 2 times in /etc/group`}},
		{name: "ok", build: func(im *image.Image) {}},
	},
	"IM1402": {
		{name: "git and aws", build: func(im *image.Image) {
			add(im, 1, "/app/.git", fs.ModeDir|0o755, 0)
			add(im, 1, "/app/.git/config", 0o644, 100)
			add(im, 1, "/app/.git/HEAD", 0o644, 20)
			add(im, 1, "/root/.aws/credentials", 0o600, 100)
		}, want: []string{`/app/.git holds version-control history \(2 files\)`, `/root/.aws holds AWS credentials`}},
		{name: "ok empty dir", build: func(im *image.Image) { add(im, 1, "/root/.cache", fs.ModeDir|0o755, 0) }},
	},
	"IM1500": {
		{name: "debian", build: func(im *image.Image) {}, want: []string{`^operating system: Debian GNU/Linux 12 \(bookworm\) \(from /etc/os-release\); base image: gcr.io/distroless/static-debian12`}},
		{name: "dangling os-release link falls back", build: func(im *image.Image) {
			delete(im.Captured, "/etc/os-release")
			link(im, 0, "/etc/os-release", "../usr/lib/os-release")
			im.Captured["/etc/alpine-release"] = []byte("3.19.1\n")
		}, want: []string{`operating system: Alpine Linux 3.19.1 \(from /etc/alpine-release\)`}},
		{name: "os-release via symlink", build: func(im *image.Image) {
			delete(im.Captured, "/etc/os-release")
			link(im, 0, "/etc/os-release", "../usr/lib/os-release")
			im.Captured["/usr/lib/os-release"] = []byte("ID=ubuntu\nVERSION_ID=\"24.04\"\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\n")
		}, want: []string{`Ubuntu 24.04 LTS \(from /etc/os-release\)`}},
		{name: "ok nothing", build: func(im *image.Image) {
			im.Files = map[string]*image.File{}
			im.Captured = nil
			im.Config.Labels = nil
		}},
	},
	"IM1501": {
		{name: "debian 10", build: func(im *image.Image) {
			im.Captured["/etc/os-release"] = []byte("ID=debian\nVERSION_ID=\"10\"\nVERSION_CODENAME=buster\nPRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n")
		}, want: []string{`Debian 10 \(buster\) reached its end of life on 2024-06-30`}},
		{name: "debian_version fallback", build: func(im *image.Image) {
			delete(im.Captured, "/etc/os-release")
			im.Captured["/etc/debian_version"] = []byte("9.13\n")
		}, want: []string{`Debian 9 \(stretch\)`}},
		{name: "ok bookworm", build: func(im *image.Image) {}},
	},
}

func run(t *testing.T, reg *rule.Registry, id string, c tcase) []rule.Finding {
	t.Helper()
	im := clean()
	c.build(im)
	cfg := config.Default()
	if c.settings != nil {
		cfg.Rules[id] = config.RuleConfig{Settings: c.settings}
	}
	var out []rule.Finding
	for _, f := range engine.ScanImage(context.Background(), im, reg, cfg, nil, fixtureNow) {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

func TestRegistryIsValid(t *testing.T) {
	if _, err := imrules.Registry(); err != nil {
		t.Fatal(err)
	}
}

func TestRules(t *testing.T) {
	reg, err := imrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reg.All() {
		t.Run(r.ID, func(t *testing.T) {
			cs := cases[r.ID]
			bad, ok := 0, 0
			for _, c := range cs {
				if len(c.want) > 0 {
					bad++
				} else {
					ok++
				}
				got := run(t, reg, r.ID, c)
				used := make([]bool, len(got))
				for _, w := range c.want {
					re := regexp.MustCompile(w)
					hit := false
					for i, f := range got {
						if !used[i] && re.MatchString(f.Message) {
							used[i], hit = true, true
							break
						}
					}
					if !hit {
						t.Errorf("%s: missing finding %q; got %v", c.name, w, messages(got))
					}
				}
				for i, f := range got {
					if !used[i] {
						t.Errorf("%s: unexpected finding %q", c.name, f.Message)
					}
					if f.Image == nil || f.Image.Image != "test/app:1" {
						t.Errorf("%s: finding without image location: %+v", c.name, f)
					}
				}
			}
			if bad == 0 || ok == 0 {
				t.Errorf("rule %s needs cases that fire and cases that stay quiet (have %d, %d)", r.ID, bad, ok)
			}
		})
	}
}

// TestCleanImage checks that the clean image draws only the summaries.
func TestCleanImage(t *testing.T) {
	reg, _ := imrules.Registry()
	for _, f := range engine.ScanImage(context.Background(), clean(), reg, nil, nil, fixtureNow) {
		if f.RuleID != "IM1302" && f.RuleID != "IM1500" {
			t.Errorf("clean image: %s %s", f.RuleID, f.Message)
		}
	}
}

// TestLocations checks that file findings name the layer digest and the
// instruction that introduced them.
func TestLocations(t *testing.T) {
	reg, _ := imrules.Registry()
	im := clean()
	add(im, 1, "/usr/bin/sudo", 0o4755, 10)
	var got *rule.ImageLocation
	for _, f := range engine.ScanImage(context.Background(), im, reg, nil, nil, fixtureNow) {
		if f.RuleID == "IM1205" {
			got = f.Image
		}
	}
	want := rule.ImageLocation{Image: "test/app:1", LayerDigest: "sha256:app", LayerIndex: 1, Instruction: "COPY app /app", Path: "/usr/bin/sudo"}
	if got == nil || *got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func messages(fs []rule.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Message)
	}
	return out
}
