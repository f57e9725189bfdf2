package secrets

import (
	"strings"
	"testing"
)

func TestInCommandAndRedact(t *testing.T) {
	cases := []struct {
		cmd   string
		kinds []string
		gone  string // must not survive Redact
	}{
		{`/bin/sh -c echo 'AWS_SECRET_ACCESS_KEY=8Yt1Kz9wQm3Rv6Pb2Xn5Lc7Hd4Fg0Js1Ua2Ie3Ow' > /root/creds && rm /root/creds`, []string{"aws-secret-access-key"}, "8Yt1Kz9wQm3Rv6Pb2Xn5Lc7Hd4Fg0Js1Ua2Ie3Ow"},
		{`|2 GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB VERSION=1.2 /bin/sh -c make`, []string{"github-token"}, "0123456789abcdefghijklmnopqrstuvwxyzAB"},
		{`RUN export DB_PASSWORD=hunter2hunter2 && ./migrate`, []string{"secret-named-variable"}, "hunter2hunter2"},
		{`RUN psql postgres://app:s3cr3tpw@db/app -c 'select 1'`, []string{"url-password"}, "s3cr3tpw"},
		{`RUN curl -H "Authorization: Bearer $TOKEN" https://example.com`, nil, ""},
		{`RUN export DB_PASSWORD=$(cat /run/secrets/db) && ./migrate`, nil, ""},
		{`RUN apt-get install -y openssl=3.0.11-1~deb12u2 KEYBOARD_LAYOUT=us`, nil, ""},
	}
	for _, c := range cases {
		fs := InCommand(c.cmd)
		var kinds []string
		for _, f := range fs {
			kinds = append(kinds, f.Kind)
		}
		if strings.Join(kinds, ",") != strings.Join(c.kinds, ",") {
			t.Errorf("%s: kinds %v, want %v", c.cmd, kinds, c.kinds)
		}
		r := Redact(c.cmd)
		if c.gone != "" && strings.Contains(r, c.gone) {
			t.Errorf("Redact kept the secret: %s", r)
		}
		if len(c.kinds) == 0 && r != c.cmd {
			t.Errorf("Redact changed a command without secrets: %q", r)
		}
	}
}
