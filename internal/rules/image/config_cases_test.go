package image_test

import (
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// configCases are the cases of the configuration and history rules
// (IM10xx).
var configCases = map[string][]tcase{
	"IM1009": {
		{name: "moved", scanned: func(img *image.Image) {
			img.Update = &image.UpdateVerdict{Tag: "r.example/debian:12", Subject: "the base image", Used: "sha256:aa", Current: "sha256:bb",
				DaysBehind: 42, Upgraded: []string{"openssl 3.0.11-1 -> 3.0.13-1"}}
		}, want: []want{inConfig(`^the base image was taken from r.example/debian:12 at sha256:aa, which now points at sha256:bb \(42 days newer\); it upgrades 1 OS package\(s\): openssl 3.0.11-1 -> 3.0.13-1$`)}},
		{name: "moved, old gone", scanned: func(img *image.Image) {
			img.Update = &image.UpdateVerdict{Tag: "r.example/app:1", Subject: "the image", Used: "sha256:aa", Current: "sha256:bb", DaysBehind: -1, Note: "gone"}
		}, want: []want{inConfig(`now points at sha256:bb; gone$`)}},
		{name: "ok current", scanned: func(img *image.Image) {
			img.Update = &image.UpdateVerdict{Tag: "r.example/app:1", Used: "sha256:aa", Current: "sha256:aa", DaysBehind: -1}
		}},
		{name: "ok not asked", edit: func(im *imagetest.Image) {}},
	},
	"IM1008": {
		{name: "unsigned", scanned: func(img *image.Image) {
			img.Signature = &image.SignatureVerdict{Digest: "sha256:ab", Problem: "no cosign signature found"}
		}, want: []want{inConfig(`^the image is not signed by a trusted key: no cosign signature found$`)}},
		{name: "wrong key", scanned: func(img *image.Image) {
			img.Signature = &image.SignatureVerdict{Digest: "sha256:ab", Problem: "tag sha256-ab.sig layer 0: signature does not verify under any trusted key"}
		}, want: []want{inConfig(`does not verify under any trusted key`)}},
		{name: "ok verified", scanned: func(img *image.Image) {
			img.Signature = &image.SignatureVerdict{Digest: "sha256:ab", Verified: true}
		}},
		{name: "ok not asked", edit: func(im *imagetest.Image) {}},
	},
	"IM1000": {
		{name: "no user", edit: func(im *imagetest.Image) { im.Config.User = "" }, want: []want{inConfig(`^the image sets no user`)}},
		{name: "root by uid", edit: func(im *imagetest.Image) {
			im.Config.User = "0:0"
			im.Layers = append(im.Layers, imagetest.Layer{CreatedBy: "USER 0:0", EmptyLayer: true})
		}, want: []want{inConfig(`user is "0:0"`).via("USER 0:0")}},
		{name: "root name", edit: func(im *imagetest.Image) { im.Config.User = "root" }, want: []want{inConfig(`"root"`)}},
		{name: "ok non-root", edit: func(im *imagetest.Image) {}},
		{name: "ok named user", edit: func(im *imagetest.Image) { im.Config.User = "app:app" }},
	},
	"IM1001": {
		{name: "none", edit: func(im *imagetest.Image) {
			im.Config.Healthcheck, im.Config.ExposedPorts = nil, []string{"8080/tcp"}
		}, want: []want{inConfig(`no healthcheck`)}},
		{name: "disabled", edit: func(im *imagetest.Image) {
			im.Config.Healthcheck, im.Config.ExposedPorts = []string{"NONE"}, []string{"8080/tcp"}
		}, want: []want{inConfig(`disables`)}},
		{name: "ok", edit: func(im *imagetest.Image) {}},
		{name: "ok serves nothing", edit: func(im *imagetest.Image) { im.Config.Healthcheck = nil }},
	},
	"IM1002": {
		{name: "env password", edit: func(im *imagetest.Image) { im.Config.Env = append(im.Config.Env, "DB_PASSWORD=hunter2") }, want: []want{inConfig(`DB_PASSWORD holds a credential`)}},
		{name: "label token", edit: func(im *imagetest.Image) {
			im.Config.Labels["ci.token"] = "ghp_" + strings.Repeat("aB3dE5fG7h", 3) + "J9kL1m"
		}, want: []want{inConfig(`label ci.token`)}},
		{name: "ok gpg key and file", edit: func(im *imagetest.Image) {
			im.Config.Env = append(im.Config.Env, "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "DB_PASSWORD_FILE=/run/secrets/db")
		}},
		{name: "ok ignored", settings: map[string]any{"ignore-names": []any{"DB_PASSWORD"}}, edit: func(im *imagetest.Image) {
			im.Config.Env = append(im.Config.Env, "DB_PASSWORD=hunter2")
		}},
	},
	"IM1003": {
		{name: "add archive", edit: func(im *imagetest.Image) {
			appendLayer(im, "ADD app.tar.gz /app/ # buildkit", imagetest.File("app/index.html", "<html>"))
		}, want: []want{at(`uses ADD: ADD app.tar.gz /app/$`, newLayer, "").via("ADD app.tar.gz /app/")}},
		{name: "ok rootfs", edit: func(im *imagetest.Image) {
			appendLayer(im, "/bin/sh -c #(nop) ADD file:4f1a2b3c in / ")
		}},
	},
	"IM1004": {
		{name: "sudo", edit: func(im *imagetest.Image) {
			appendLayer(im, "RUN /bin/sh -c sudo apt-get install -y curl # buildkit")
		}, want: []want{at(`runs sudo: RUN /bin/sh -c sudo apt-get install -y curl$`, newLayer, "")}},
		{name: "ok", edit: func(im *imagetest.Image) {
			appendLayer(im, "RUN /bin/sh -c apt-get install -y sudoku # buildkit")
		}},
	},
	"IM1005": {
		{name: "ssh and docker", edit: func(im *imagetest.Image) { im.Config.ExposedPorts = []string{"8080/tcp", "22/tcp", "2375/tcp"} },
			want: []want{inConfig(`22/tcp \(SSH\)`), inConfig(`2375/tcp`)}},
		{name: "ok", edit: func(im *imagetest.Image) { im.Config.ExposedPorts = []string{"8080/tcp"} }},
		{name: "ok allowed", settings: map[string]any{"allow-ports": []any{"22"}}, edit: func(im *imagetest.Image) { im.Config.ExposedPorts = []string{"22/tcp"} }},
	},
	"IM1006": {
		{name: "old", edit: func(im *imagetest.Image) { im.Created = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) },
			want: []want{inConfig(`^the image was created 2024-01-02, 881 days ago \(limit 365\)$`)}},
		{name: "ok epoch", edit: func(im *imagetest.Image) { im.Created = time.Unix(0, 0) }},
		{name: "ok recent", edit: func(im *imagetest.Image) {}},
		{name: "ok setting", settings: map[string]any{"max-age-days": 1000}, edit: func(im *imagetest.Image) { im.Created = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }},
	},
	"IM1007": {
		{name: "nameless", edit: func(im *imagetest.Image) { delete(im.Config.Labels, "org.opencontainers.image.base.name") }, want: []want{inConfig(`does not name its base`)}},
		{name: "ok ubuntu labels", edit: func(im *imagetest.Image) {
			im.Config.Labels = map[string]string{"org.opencontainers.image.ref.name": "ubuntu", "org.opencontainers.image.version": "24.04"}
		}},
	},
}
