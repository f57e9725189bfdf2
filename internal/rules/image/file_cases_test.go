package image_test

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// fileCases are the cases of the rules that read files: secrets in layers
// (IM11xx) and the final file system (IM12xx).
var fileCases = map[string][]tcase{
	"IM1100": {
		{name: "deleted secret", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.File("root/.ssh/id_rsa", imagetest.RSAKey).WithMode(0o600))
			appendLayer(im, "RUN /bin/sh -c rm /root/.ssh/id_rsa # buildkit", imagetest.Whiteout("root/.ssh/id_rsa"))
		}, want: []want{at(`^private-key in /root/.ssh/id_rsa:1 \(-----BEGIN RSA PRIVATE KEY-----\); a later layer deleted or replaced the file, but layer 1 still ships it$`, appLayer, "/root/.ssh/id_rsa").via("COPY app /app")}},
		{name: "present secret", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.File("app/.env", "PORT=8080\nDB_PASSWORD=Zk3q9XvL2m\n"))
		}, want: []want{at(`^dotenv-secret in /app/.env:2 \(DB_PASSWORD=\*+\)$`, appLayer, "/app/.env")}},
		{name: "ok ignored path", settings: map[string]any{"ignore-paths": []any{"/usr/lib/python3/test/"}}, edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("usr/lib/python3/test/keycert.pem", imagetest.RSAKey))
		}},
	},
	"IM1200": {
		{name: "setuid root", edit: func(im *imagetest.Image) {
			add(im, baseLayer,
				imagetest.File("usr/bin/passwd", "ELF").WithMode(0o4755),
				imagetest.File("usr/bin/wall", "ELF").WithMode(0o2755).WithOwner(0, 5))
		}, want: []want{at(`^/usr/bin/passwd is setuid root$`, baseLayer, "/usr/bin/passwd"), at(`^/usr/bin/wall is setgid gid 5$`, baseLayer, "/usr/bin/wall")}},
		{name: "ok allowed", settings: map[string]any{"allow": []any{"/usr/bin/passwd"}}, edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("usr/bin/passwd", "ELF").WithMode(0o4755))
		}},
	},
	"IM1201": {
		{name: "world-writable dir and file", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.Dir("data").WithMode(0o777), imagetest.File("app/config.yaml", "a: 1\n").WithMode(0o666))
		}, want: []want{at(`^directory /data is world-writable \(mode 0777\)$`, appLayer, "/data"), at(`^file /app/config.yaml is world-writable \(mode 0666\)$`, appLayer, "/app/config.yaml")}},
		{name: "ok tmp sticky symlink", edit: func(im *imagetest.Image) {
			add(im, baseLayer,
				imagetest.Dir("tmp").WithMode(0o1777),
				imagetest.File("tmp/x", "x").WithMode(0o666),
				imagetest.Dir("var/spool/shared").WithMode(0o1777),
				imagetest.Symlink("etc/mtab", "/proc/mounts"))
		}},
	},
	"IM1202": {
		{name: "busybox via symlink, shell entrypoint", edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("bin/busybox", "ELF").WithMode(0o755), imagetest.Symlink("bin/sh", "busybox"))
			im.Config.Entrypoint = []string{"/bin/sh", "-c", "exec /app/server"}
		}, want: []want{at(`^the final image contains shells \(/bin/sh, /bin/busybox\); its entrypoint runs through one`, baseLayer, "/bin/sh")}},
		{name: "merged usr, exec entrypoint", edit: func(im *imagetest.Image) {
			add(im, baseLayer,
				imagetest.Symlink("bin", "usr/bin"),
				imagetest.File("usr/bin/bash", "ELF").WithMode(0o755),
				imagetest.Symlink("usr/bin/sh", "bash"))
		}, want: []want{at(`contains shells \(/usr/bin/sh, /usr/bin/bash\) that its exec-form entrypoint does not need; a distroless`, baseLayer, "/usr/bin/sh")}},
		{name: "ok distroless", edit: func(im *imagetest.Image) {}},
	},
	"IM1203": {
		{name: "apt and pip", edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("usr/bin/apt-get", "ELF").WithMode(0o755), imagetest.File("usr/bin/dpkg", "ELF").WithMode(0o755))
			add(im, appLayer, imagetest.File("usr/local/bin/pip", "#!/usr/bin/python3\n").WithMode(0o755))
		}, want: []want{at(`package managers \(/usr/bin/apt-get, /usr/bin/dpkg, /usr/local/bin/pip\)`, baseLayer, "/usr/bin/apt-get")}},
		{name: "ok", edit: func(im *imagetest.Image) {}},
	},
	"IM1204": {
		{name: "gcc and go", edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("usr/bin/gcc", "ELF").WithMode(0o755), imagetest.File("usr/local/go/bin/go", "ELF").WithMode(0o755))
		}, want: []want{at(`build tools \(/usr/bin/gcc, /usr/local/go/bin/go\); a multi-stage build`, baseLayer, "/usr/bin/gcc")}},
		{name: "ok", edit: func(im *imagetest.Image) {}},
	},
	"IM1205": {
		{name: "sudo", edit: func(im *imagetest.Image) { add(im, appLayer, imagetest.File("usr/bin/sudo", "ELF").WithMode(0o4755)) },
			want: []want{at(`^/usr/bin/sudo is installed$`, appLayer, "/usr/bin/sudo")}},
		{name: "ok", edit: func(im *imagetest.Image) {}},
	},
}

// contentCases are the cases of the rules that weigh or read the content
// of files: bloat (IM13xx), accounts (IM14xx) and the operating system
// (IM15xx).
var contentCases = map[string][]tcase{
	"IM1300": {
		{name: "apt lists and pip", edit: func(im *imagetest.Image) {
			add(im, appLayer,
				imagetest.File("var/lib/apt/lists/mirror_debian_dists_bookworm_main_binary-amd64_Packages.lz4", strings.Repeat("x", 9_000_000)),
				imagetest.File("var/lib/apt/lists/lock", "").WithMode(0o640),
				imagetest.File("root/.cache/pip/http/a/b", strings.Repeat("x", 50_000)))
		}, want: []want{
			at(`^apt package lists left in /var/lib/apt/lists: 9.0 MB in 2 files$`, appLayer, "/var/lib/apt/lists"),
			at(`^pip cache left in /root/.cache/pip: 50.0 kB in 1 files$`, appLayer, "/root/.cache/pip"),
		}},
		{name: "go module cache and yarn under a home", edit: func(im *imagetest.Image) {
			add(im, appLayer,
				imagetest.File("go/pkg/mod/cache/download/golang.org/x/net/@v/v0.1.0.zip", strings.Repeat("x", 5000)),
				imagetest.File("home/app/.cache/yarn/v6/pkg.tgz", strings.Repeat("x", 5000)),
				imagetest.File("usr/share/go/pkg/mod/cache.txt", strings.Repeat("x", 5000)))
		}, want: []want{
			at(`^Go module download cache left in /go/pkg/mod/cache: 5.0 kB in 1 files$`, appLayer, "/go/pkg/mod/cache"),
			at(`^yarn cache left in /home/app/.cache/yarn: 5.0 kB in 1 files$`, appLayer, "/home/app/.cache/yarn"),
		}},
		{name: "ok lock only", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.File("var/lib/apt/lists/lock", "").WithMode(0o640))
		}},
	},
	"IM1301": {
		{name: "overwritten and deleted", edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("tmp/big.tar", strings.Repeat("x", 6000)), imagetest.File("app/conf", strings.Repeat("a", 1000)))
			add(im, appLayer, imagetest.Whiteout("tmp/big.tar"), imagetest.File("app/conf", strings.Repeat("b", 1000)))
		}, want: []want{at(`^7.0 kB reclaimable of 12.3 kB in layers, efficiency 43.1%; largest: /tmp/big.tar \(6.0 kB\), /app/conf \(1.0 kB\)$`, baseLayer, "/tmp/big.tar")}},
		{name: "gated", settings: map[string]any{"min-efficiency": 0.9}, edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("x", strings.Repeat("x", 6000)))
			add(im, appLayer, imagetest.Whiteout("x"))
		}, want: []want{at(`below min-efficiency 90.0%`, baseLayer, "/x")}},
		{name: "ok", edit: func(im *imagetest.Image) {}},
	},
	"IM1302": {
		// The layers' sizes are their tar streams: headers and padding
		// besides the 4300 bytes of files.
		{name: "summary", edit: func(im *imagetest.Image) {}, want: []want{at(`^the image is 8.7 kB uncompressed in 2 layers; largest files: /app/server \(4.0 kB\), /etc/os-release \(200 B\), /etc/passwd \(100 B\); largest directories: /app \(4.0 kB\), /etc \(300 B\)$`, appLayer, "")}},
		{name: "deep directories cut at three levels", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.File("usr/lib/x86_64-linux-gnu/gconv/sub/libbig.so", strings.Repeat("x", 6000)), imagetest.File("top", "12345"))
		}, want: []want{at(`; largest directories: /usr/lib/x86_64-linux-gnu \(6.0 kB\), /app \(4.0 kB\), /etc \(300 B\)$`, appLayer, "")}},
		{name: "gated", settings: map[string]any{"max-size": 1000}, edit: func(im *imagetest.Image) {}, want: []want{at(`over max-size 1.0 kB`, appLayer, "")}},
		{name: "ok empty", edit: func(im *imagetest.Image) { im.Layers = im.Layers[2:] }},
	},
	"IM1400": {
		{name: "empty root password", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.File("etc/shadow", "root::19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\napp:!:19000::::::\n").WithMode(0o640))
		}, want: []want{at(`^account root has an empty password in /etc/shadow \(line 1\)$`, appLayer, "/etc/shadow")}},
		{name: "ok locked", edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("etc/shadow", "root:*:19000:0:99999:7:::\n").WithMode(0o640))
		}},
	},
	"IM1401": {
		{name: "uid 0 twice", edit: func(im *imagetest.Image) {
			add(im, baseLayer,
				imagetest.File("etc/passwd", "root:x:0:0::/root:/bin/sh\nbackup:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n"),
				imagetest.File("etc/group", "root:x:0:\napp:x:1000:\napp:x:1001:\n"))
		}, want: []want{at(`^UID 0 is shared by root, backup in /etc/passwd$`, baseLayer, "/etc/passwd"), at(`^name app appears 2 times in /etc/group$`, baseLayer, "/etc/group")}},
		{name: "ok", edit: func(im *imagetest.Image) {}},
	},
	"IM1402": {
		{name: "git and aws", edit: func(im *imagetest.Image) {
			add(im, appLayer,
				imagetest.Dir("app/.git"),
				imagetest.File("app/.git/config", "[core]\n\tbare = false\n"),
				imagetest.File("app/.git/HEAD", "ref: refs/heads/main\n"),
				imagetest.File("root/.aws/credentials", "[default]\nregion = eu-west-1\n").WithMode(0o600))
		}, want: []want{at(`^/app/.git holds version-control history \(2 files\)$`, appLayer, "/app/.git"), at(`^/root/.aws holds AWS credentials`, appLayer, "/root/.aws")}},
		{name: "nested, first leftover name wins", edit: func(im *imagetest.Image) {
			add(im, appLayer,
				imagetest.File("home/dev/.ssh/id_ed25519", "key").WithMode(0o600),
				imagetest.File("srv/.cache/repo/.git/HEAD", "ref: refs/heads/main\n"))
		}, want: []want{at(`^/home/dev/.ssh holds SSH keys and known hosts \(1 files\)$`, appLayer, "/home/dev/.ssh"), at(`^/srv/.cache holds a tool cache \(3 files\)$`, appLayer, "/srv/.cache")}},
		{name: "ok names that are files", edit: func(im *imagetest.Image) {
			add(im, appLayer, imagetest.File("srv/repo/.git", "gitdir: ../.git/modules/repo\n"), imagetest.File("app/.gitignore", "node_modules\n"), imagetest.File("app/x.git/config", "x"))
		}},
		{name: "ok empty dir", edit: func(im *imagetest.Image) { add(im, appLayer, imagetest.Dir("root/.cache")) }},
	},
	"IM1500": {
		{name: "debian", edit: func(im *imagetest.Image) {}, want: []want{at(`^operating system: Debian GNU/Linux 12 \(bookworm\) \(from /etc/os-release\); base image: gcr.io/distroless/static-debian12`, baseLayer, "/etc/os-release")}},
		{name: "dangling os-release link falls back", edit: func(im *imagetest.Image) {
			remove(im, baseLayer, "etc/os-release")
			add(im, baseLayer, imagetest.Symlink("etc/os-release", "../usr/lib/os-release"), imagetest.File("etc/alpine-release", "3.19.1\n"))
		}, want: []want{at(`operating system: Alpine Linux 3.19.1 \(from /etc/alpine-release\)`, baseLayer, "/etc/alpine-release")}},
		{name: "os-release via symlink", edit: func(im *imagetest.Image) {
			remove(im, baseLayer, "etc/os-release")
			add(im, baseLayer,
				imagetest.Symlink("etc/os-release", "../usr/lib/os-release"),
				imagetest.File("usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\n"))
		}, want: []want{at(`Ubuntu 24.04 LTS \(from /etc/os-release\)`, baseLayer, "/etc/os-release")}},
		{name: "ok nothing", edit: func(im *imagetest.Image) {
			layerAt(im, baseLayer).Entries = nil
			layerAt(im, appLayer).Entries = nil
			im.Config.Labels = nil
		}},
	},
	"IM1501": {
		{name: "debian 10", edit: func(im *imagetest.Image) {
			add(im, baseLayer, imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"10\"\nVERSION_CODENAME=buster\nPRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n"))
		}, want: []want{at(`^Debian 10 \(buster\) reached its end of life on 2024-06-30`, baseLayer, "/etc/os-release")}},
		{name: "debian_version fallback", edit: func(im *imagetest.Image) {
			remove(im, baseLayer, "etc/os-release")
			add(im, baseLayer, imagetest.File("etc/debian_version", "9.13\n"))
		}, want: []want{at(`Debian 9 \(stretch\)`, baseLayer, "/etc/debian_version")}},
		{name: "ok bookworm", edit: func(im *imagetest.Image) {}},
	},
}
