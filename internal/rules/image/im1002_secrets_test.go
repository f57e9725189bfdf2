package image_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// TestSecretInConfigVerdicts checks IM1002 on the names and values the
// Dockerfile and compose rules judge the same way (internal/secrets): the
// names they used to disagree on, tokens whatever the name, passwords in
// URLs, and the references, switches and fingerprints that hold none.
func TestSecretInConfigVerdicts(t *testing.T) {
	reg, err := imrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		env  string
		want string // regexp of the one finding; "" means none
	}{
		{"DB_PWD=hunter2hunter2", `^environment variable DB_PWD holds a credential \(secret-named-variable: \*{8}\)$`},
		{"SSH_KEY=b3BlbnNzaC1rZXktdjE", `SSH_KEY holds a credential`},
		{"LDAP_ROOTPASS=fsociety", `LDAP_ROOTPASS holds a credential`},
		{"LICENSE_KEY=lgNvGyhnUKpa5PJi", `LICENSE_KEY holds a credential`},
		{"POSTGRES_PASSWORD=example", `POSTGRES_PASSWORD holds a credential`},
		{"GH=github_pat_11ABCDEFG0123456789_" + strings.Repeat("aB3dE5fG7h", 5), `GH holds a credential \(github-token: github_\*{8}\)`},
		{"DATABASE_URL=postgres://app:hunter2@db/app", `DATABASE_URL holds a credential \(url-password: \*{8}\)`},
		{"SSL_KEY=certs/server-key.pem", ""},
		{"DB_PASSWORD=/run/secrets/db_password", ""},
		{"DefaultProcess__Filters__0__Key=ProcessName", ""},
		{"MAX_TOKENS=4096", ""},
		{"API_KEY=REPLACE_ME", ""},
		{"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
		{"NOTE=-----BEGIN RSA PRIVATE KEY-----", ""},
	}
	for _, c := range cases {
		got := run(t, reg, "IM1002", tcase{name: c.env, edit: func(im *imagetest.Image) { im.Config.Env = append(im.Config.Env, c.env) }})
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected %q", c.env, messages(got))
		case c.want != "" && (len(got) != 1 || !regexp.MustCompile(c.want).MatchString(got[0].Message)):
			t.Errorf("%s: got %q, want one finding matching %q", c.env, messages(got), c.want)
		}
	}
}

// TestSecretInHistory: a credential written by a RUN, or passed as a build
// argument BuildKit records with the RUN, stays in the image's history
// even when the layer deletes what it wrote; IM1002 reports it once, at
// that layer, and no finding shows the secret in its instruction.
func TestSecretInHistory(t *testing.T) {
	reg, err := imrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	const key = "8Yt1Kz9wQm3Rv6Pb2Xn5Lc7Hd4Fg0Js1Ua2Ie3Ow"
	cases := []struct {
		run  string
		want string
	}{
		{"RUN /bin/sh -c echo 'AWS_SECRET_ACCESS_KEY=" + key + "' > /tmp/c && aws s3 cp s3://b/x /x && rm /tmp/c # buildkit",
			`^the history entry of layer 2 holds a credential \(aws-secret-access-key: \*{8}\)`},
		{"RUN |1 GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB /bin/sh -c make # buildkit",
			`holds a credential \(github-token: ghp_\*{8}\)`},
		{"RUN /bin/sh -c curl -fsSL https://example.com/x -o /x # buildkit", ""},
		{"RUN /bin/sh -c export DB_PASSWORD=$(cat /run/secrets/db) && ./migrate # buildkit", ""},
	}
	for _, c := range cases {
		got := run(t, reg, "IM1002", tcase{name: c.run, edit: func(im *imagetest.Image) {
			appendLayer(im, c.run, imagetest.File("x", "x"))
		}})
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected %q", c.run, messages(got))
		case c.want != "" && (len(got) != 1 || !regexp.MustCompile(c.want).MatchString(got[0].Message)):
			t.Errorf("%s: got %q, want one finding matching %q", c.run, messages(got), c.want)
		}
		for _, f := range got {
			if f.Image == nil || f.Image.LayerIndex != 2 || strings.Contains(f.Image.Instruction, key) || strings.Contains(f.Image.Instruction, "abcdefghijklmnopqrstuvwxyzAB") {
				t.Errorf("%s: location %+v shows the secret or the wrong layer", c.run, f.Image)
			}
		}
	}
}
