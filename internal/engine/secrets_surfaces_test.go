package engine_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/rules/all"
)

// surfaceRow is one variable and its value, and whether it is a secret.
// argReason and envReason, when set, say why DF1400 reports the name of a
// Dockerfile ARG or ENV although the value itself is no secret (the one
// place where a name is judged without its value, by design).
type surfaceRow struct {
	name, value string
	secret      bool
	argReason   string
	envReason   string
}

// tok joins the parts of a test credential at run time, so that no
// complete token sits in the source for other scanners to flag.
func tok(parts ...string) string { return strings.Join(parts, "") }

// argByName is why DF1400 reports an ARG of a secret name whatever its
// default, unless that is a file path: secrets.Name says the name holds a
// credential, and the value the history records is the one --build-arg
// passes at build time, not the default.
const argByName = "an ARG is judged by its name: --build-arg replaces the default at build time"

// surfaceRows are the names and tokens issue 8 found judged differently
// by the Dockerfile, compose and image rules, their harmless look-alikes,
// and the false-positive guards every surface shares.
var surfaceRows = []surfaceRow{
	// Names given a literal.
	{name: "DB_PWD", value: "hunter2hunter2", secret: true},
	{name: "SSH_KEY", value: "b3BlbnNzaC1rZXktdjE", secret: true},
	{name: "LDAP_ROOTPASS", value: "fsociety", secret: true},
	{name: "LDAP_ADMINPASS", value: "Adm1n-Pa55", secret: true},
	{name: "API_TOKEN", value: "f00dfacecafe1234", secret: true},
	{name: "SECRET_KEY_BASE", value: "yYrECL4qbNwleYInGJYvVnSkwJuSQJ4i", secret: true},
	{name: "LICENSE_KEY", value: "lgNvGyhnUKpa5PJi", secret: true},
	{name: "NEO4J_AUTH", value: "neo4j/s3cr3tpw", secret: true},
	{name: "POSTGRES_PASSWORD", value: "example", secret: true},
	{name: "awsSecretKey", value: "Zx9yRt2Lm4Np6Qr8", secret: true},
	{name: "MINIO_KEY", value: "minio123", secret: true},
	// Harmless names, and secret names whose value holds no secret.
	{name: "PUBLIC_KEY_PATH", value: "/etc/ssh/ssh_host_ed25519_key.pub"},
	{name: "KEYBOARD_LAYOUT", value: "us"},
	{name: "PASSWORD_FILE", value: "/run/secrets/db_password"},
	{name: "DB_PASSWORD", value: "/run/secrets/db_password"},
	{name: "SSL_KEY", value: "certs/server-key.pem"},
	{name: "GPG_KEY", value: "A035C8C19219BA821ECEA86B64E628F8D684696D"},
	// A bare KEY is judged by its value on every surface, an ARG's
	// default included: a word or a file name is a lookup key.
	{name: "DefaultProcess__Filters__0__Key", value: "ProcessName"},
	{name: "OBJECT_KEY", value: "index.html"},
	{name: "MYSQL_ALLOW_EMPTY_PASSWORD", value: "yes"},
	{name: "MAX_TOKENS", value: "4096"},
	{name: "TOKENIZERS_PARALLELISM", value: "false"},
	{name: "PROXY_BYPASS", value: "localhost"},
	{name: "ACCESS_TOKEN_EXPIRE_MINUTES", value: "30"},
	{name: "API_KEY", value: "REPLACE_ME", argReason: argByName},
	{name: "MAIL_PASSWORD", value: "xxxx", argReason: argByName},
	{name: "DB_PASSWORD", value: "${DB_PASSWORD}", argReason: argByName,
		envReason: "an ENV copies the build argument into the image configuration"},
	// Tokens, whatever the name.
	{name: "STRIPE", value: tok("sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"), secret: true},
	{name: "STRIPE_SHORT", value: tok("sk_live_", "4eC39HqLyjWDarjtT1zd"), secret: true},
	{name: "GH_PAT", value: tok("github_pat_", "11ABCDEFG0123456789_", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"), secret: true},
	{name: "GH", value: tok("ghp_", "u8jzPde0IgxLd6Gncf", "BAepfJBd0Kh8oOOL8d"), secret: true},
	{name: "AWS_ID", value: tok("AKIA", "Z7Q4W2XKP9LM3VTR"), secret: true},
	{name: "AWS_SECRET_ACCESS_KEY", value: tok("q8Zr/Tn3vKx2Lw9PbY7f", "H4mJc1RsEa6Ud0GtNiQo"), secret: true},
	{name: "SLACK", value: tok("xoxb-", "752917034236-671276842684-", "TAwR4y9ojfljoQoaF1Llqsaj"), secret: true},
	{name: "DEPLOY", value: tok("-----BEGIN OPENSSH ", "PRIVATE KEY-----", `\n`, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"), secret: true},
	{name: "DATABASE_URL", value: "postgres://app:hunter2@db/app", secret: true},
	// Token look-alikes.
	{name: "KEY_HEADER", value: tok("-----BEGIN RSA ", "PRIVATE KEY-----")},
	{name: "CERT", value: tok("-----BEGIN CERTIFICATE-----", `\n`, "MIIBszCCAVmgAwIBAgIUQxQ9n3vKx2Lw9PbY7fH4mJc1RsEa6Ud0GtNiQo")},
	{name: "GH_FILLER", value: tok("ghp_", strings.Repeat("x", 36))},
	{name: "STRIPE_STUB", value: tok("sk_live_", "abc")},
	{name: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE", argReason: argByName},
	{name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", argReason: argByName},
	{name: "DATABASE_URL", value: "postgres://app:${DB_PASSWORD}@db/app"},
	{name: "SLACK_CHANNEL", value: "xoxo-party"},
}

// verdicts are what each surface said about one row.
type verdicts struct {
	env, arg           []string // DF1400/DF1401 on `ENV name=value`, `ARG name=value`
	compose            []string // RT1029 on a compose environment entry
	config, layer      []string // IM1002 on the image's Env, IM1100 on a .env file in a layer
	envValue, argValue bool     // DF1401 among env, arg
}

// TestSecretSurfacesAgree runs every row through the real engine on the
// three surfaces (a Dockerfile, a compose file, an image read by the layer
// pass) and checks that each says the same: a secret, or not.
func TestSecretSurfacesAgree(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, r := range surfaceRows {
		writeSurfaceFiles(t, filepath.Join(dir, fmt.Sprintf("row%02d", i)), r)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	res := engine.Lint(context.Background(), engine.LintOptions{Paths: []string{dir}, Rules: reg, Configs: config.NewFinder(reg), Now: now})
	if res.InputErrors != 0 {
		t.Fatalf("input errors: %+v", res.Notifications)
	}
	got := make([]verdicts, len(surfaceRows))
	for _, f := range res.Findings {
		var i int
		var file string
		if _, err := fmt.Sscanf(filepath.Base(filepath.Dir(f.File)), "row%d", &i); err != nil || i >= len(got) {
			continue
		}
		file = filepath.Base(f.File)
		switch {
		case file == "env.Dockerfile" && (f.RuleID == "DF1400" || f.RuleID == "DF1401"):
			got[i].env = append(got[i].env, f.RuleID+" "+f.Message)
			got[i].envValue = got[i].envValue || f.RuleID == "DF1401"
		case file == "arg.Dockerfile" && (f.RuleID == "DF1400" || f.RuleID == "DF1401"):
			got[i].arg = append(got[i].arg, f.RuleID+" "+f.Message)
			got[i].argValue = got[i].argValue || f.RuleID == "DF1401"
		case file == "compose.yaml" && f.RuleID == "RT1029":
			got[i].compose = append(got[i].compose, f.Message)
		}
	}
	for i, r := range surfaceRows {
		got[i].config, got[i].layer = scanSurfaceImage(t, reg, r, now)
	}
	for i, r := range surfaceRows {
		checkSurfaceRow(t, r, got[i])
	}
}

// checkSurfaceRow compares one row's verdicts with the row's answer.
func checkSurfaceRow(t *testing.T, r surfaceRow, v verdicts) {
	t.Helper()
	say := func(surface string, fired bool, got []string) {
		if fired != r.secret {
			t.Errorf("%s=%q: %s says secret=%v, want %v (%q)", r.name, r.value, surface, fired, r.secret, got)
		}
	}
	say("compose (RT1029)", len(v.compose) > 0, v.compose)
	say("image config (IM1002)", len(v.config) > 0, v.config)
	say("image layer (IM1100)", len(v.layer) > 0, v.layer)
	say("Dockerfile ENV value (DF1401)", v.envValue, v.env)
	say("Dockerfile ARG value (DF1401)", v.argValue, v.arg)
	// The name rule may add DF1400 to a secret; on a row that is no
	// secret it reports only where the row says why.
	for _, c := range []struct {
		kw, reason string
		got        []string
	}{{"ENV", r.envReason, v.env}, {"ARG", r.argReason, v.arg}} {
		if r.secret {
			continue
		}
		if (c.reason != "") != (len(c.got) > 0) {
			t.Errorf("%s=%q: Dockerfile %s draws %q; DF1400 should report it only with a reason (%q)", r.name, r.value, c.kw, c.got, c.reason)
		}
	}
}

// writeSurfaceFiles writes the row as a Dockerfile ENV, a Dockerfile ARG
// and a compose environment entry.
func writeSurfaceFiles(t *testing.T, dir string, r surfaceRow) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"env.Dockerfile": fmt.Sprintf("FROM alpine:3.20\nENV %s=\"%s\"\n", r.name, r.value),
		"arg.Dockerfile": fmt.Sprintf("FROM alpine:3.20\nARG %s=\"%s\"\n", r.name, r.value),
		// Single quotes keep the value as written (backslashes included).
		"compose.yaml": fmt.Sprintf("services:\n  app:\n    image: app:1.0\n    environment:\n      %s: '%s'\n", r.name, strings.ReplaceAll(r.value, "'", "''")),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// scanSurfaceImage builds an image whose configuration sets the row as an
// Env entry and whose layer holds it in /app/.env, writes it as a docker
// archive, reads it with the real layer pass and runs the image rules. It
// returns the IM1002 and IM1100 (on /app/.env) messages.
func scanSurfaceImage(t *testing.T, reg *rule.Registry, r surfaceRow, now time.Time) (cfgMsgs, layerMsgs []string) {
	t.Helper()
	ctx := context.Background()
	archive := filepath.Join(t.TempDir(), "image.tar")
	if err := tarball.WriteToFile(archive, nil, surfaceImage(t, r)); err != nil {
		t.Fatal(err)
	}
	src, err := imageread.Open(ctx, "docker-archive:"+archive, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	opts := engine.ImageScanOptions(reg, nil, nil)
	opts.NoCache = true
	img, err := imageread.Scan(ctx, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range engine.ScanImage(ctx, img, reg, nil, nil, now) {
		switch {
		case f.RuleID == "IM1002":
			cfgMsgs = append(cfgMsgs, f.Message)
		case f.RuleID == "IM1100" && strings.Contains(f.Message, "/app/.env"):
			layerMsgs = append(layerMsgs, f.Message)
		}
	}
	return cfgMsgs, layerMsgs
}

// surfaceImage is an image with the row in its Env and in /app/.env, as
// `ENV name=value` and `COPY .env /app/.env` would make it.
func surfaceImage(t *testing.T, r surfaceRow) v1.Image {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	body := []byte(r.name + "=" + r.value + "\n")
	epoch := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, h := range []*tar.Header{
		{Name: "app/", Mode: 0o755, Typeflag: tar.TypeDir, ModTime: epoch},
		{Name: "app/.env", Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(body)), ModTime: epoch},
	} {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tw.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.Append(empty.Image,
		mutate.Addendum{History: v1.History{CreatedBy: "ENV " + r.name + "=" + r.value, EmptyLayer: true}},
		mutate.Addendum{Layer: layer, History: v1.History{CreatedBy: "COPY .env /app/.env # buildkit"}})
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", r.name + "=" + r.value}
	cf.OS, cf.Architecture = "linux", "amd64"
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
