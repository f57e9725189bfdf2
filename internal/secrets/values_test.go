package secrets

import (
	"strings"
	"testing"
)

func TestClassifyValue(t *testing.T) {
	cases := []struct {
		name, value string
		want        ValueClass
	}{
		{"DB_PASSWORD", "hunter2", Literal},
		{"DB_PASSWORD", "'s3cr3t'", Literal},
		// A concrete word is the password the service runs with.
		{"POSTGRES_PASSWORD", "example", Literal},
		{"ADMIN_PASSWORD", "changeme", Literal},
		{"MONGO_INITDB_ROOT_PASSWORD", "password", Literal},
		{"MYSQL_ROOT_PASSWORD", "123", Literal},
		{"SUPER_Secret", "foo", Literal},
		{"DB_PASSWORD", "", Empty},
		{"DB_PASSWORD", `""`, Empty},
		{"DB_PASSWORD", "${DB_PASSWORD}", Variable},
		{"DB_PASSWORD", "$DB_PASSWORD", Variable},
		{"DB_PASSWORD", "${DB_PASSWORD:-fallback}", Variable},
		{"TOKEN", "`cat /run/secrets/t`", Variable},
		{"DB_PASSWORD", "/run/secrets/db", Reference},
		{"SSL_KEY", "certs/server-key.pem", Reference},
		{"GOOGLE_APPLICATION_CREDENTIALS", "./sa.json", Reference},
		{"SECRET_KEY", "file:secret.txt", Reference},
		{"API_KEY", "process.env.API_KEY", Reference},
		{"DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", Reference},
		{"TOKEN", "<token>", Placeholder},
		{"TOKEN", "{{ .Values.token }}", Placeholder},
		{"SECRET_KEY", "your-secret-key-here", Placeholder},
		{"API_KEY", "REPLACE_ME", Placeholder},
		{"MAIL_PASSWORD", "xxxx", Placeholder},
		{"MAIL_PASSWD", "x", Placeholder},
		{"PASSWORD", "****", Placeholder},
		{"DJANGO_SECRET_KEY", "django-insecure-0123456789abcdef", Placeholder},
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Placeholder},
		{"AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE", Placeholder},
		{"MYSQL_ALLOW_EMPTY_PASSWORD", "yes", NotSecret},
		{"NEO4J_AUTH", "none", NotSecret},
		{"PASSWORD", "Enter your password:", NotSecret},
		// A bare KEY or AUTH: fingerprints and plain words are not keys.
		{"RELEASE_KEY", "B42F6819007F00F88E364FD4036A9C25BF357DD4", NotSecret},
		{"DefaultProcess__Filters__0__Key", "ProcessName", NotSecret},
		{"BASIC_AUTH", "basic", NotSecret},
		// ...nor are identifiers and file names: a lookup key is named so.
		{"OBJECT_KEY", "index.html", NotSecret}, {"PRIMARY_KEY", "user_id", NotSecret}, {"SHORTCUT_KEY", "F12", NotSecret},
		{"PARTITION_KEY", "tenant_id", NotSecret},
		{"MINIO_KEY", "minio123", Literal}, {"NEO4J_AUTH", "neo4j/s3cret", Literal},
		{"STORAGE_BLOB_KEY", "q8ZpL0vN4mX2rT7wY5bC1dF6", Literal},
		{"LICENSE_KEY", "lgNvGyhnUKpa5PJi", Literal},
		// A qualified key is a secret whatever its shape.
		{"API_KEY", "0123456789abcdef0123456789abcdef", Literal},
		{"SSH_PRIVATE_KEY", "notarealkey", Literal},
	}
	for _, c := range cases {
		if got := ClassifyValue(c.name, c.value); got != c.want {
			t.Errorf("ClassifyValue(%q, %q) = %v, want %v", c.name, c.value, got, c.want)
		}
	}
}

// TestTokens covers every detector a value or command line is searched
// with: the union of the Dockerfile rule's patterns and the layer
// scanner's.
func TestTokens(t *testing.T) {
	cases := []struct {
		text, kind, match string
	}{
		{rsaKey, "private-key", "-----BEGIN RSA PRIVATE KEY-----"},
		{tok("-----BEGIN OPENSSH ", "PRIVATE KEY-----", `\n`, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz"), "private-key", "-----BEGIN OPENSSH PRIVATE KEY-----"},
		{tok("PuTTY-User-Key-File-", "2: ssh-rsa\nEncryption: none\nPublic-Lines: 1\nAAAAB3NzaC1yc2E\nPrivate-Lines: 1\nAAABAQC7\n"), "putty-private-key", "PuTTY-User-Key-File-2"},
		{"id " + awsID, "aws-access-key-id", "AKIA********"},
		{tok("A3TX", "Z7Q4W2XKP9LM3VTR"), "aws-access-key-id", "A3TX********"},
		{ghToken, "github-token", "ghp_********"},
		{tok("github_pat_", "11ABCDEFG0123456789_", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"), "github-token", "github_********"},
		{tok("glpat-", "Xy7Zq2Lm9NpR4sT6uV8w"), "gitlab-token", "glpat-********"},
		{tok("xoxb-", "752917034236-671276842684-", "TAwR4y9ojfljoQoaF1Llqsaj"), "slack-token", "xoxb-********"},
		{tok("xoxo-", "752917034236-671276842684"), "slack-token", "xoxo-********"},
		{tok("https://hooks.slack.com/services/", "T0123ABCD/B0123ABCD/", "abcdefghijklmnopqrstuvwx"), "slack-webhook", "https://hooks.slack.com/services/********"},
		{tok("sk_live_", "4eC39HqLyjWDarjtT1zd"), "stripe-key", "sk_********"},
		{tok("npm_", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"), "npm-token", "npm_********"},
		{tok("pypi-AgEIcHlwaS5vcmc", strings.Repeat("Qm9vZ2llV29vZ2ll", 4)), "pypi-token", "pypi-********"},
		{tok("AIza", "Oq9wMxEhh2FDEEtfjgVvVqE1SkHbn88HxjS"), "google-api-key", "AIza********"},
		{tok("ya29.", "a0AfH6SMBx3kZ9q2Lm7Np4Qr"), "google-oauth-token", "ya29.********"},
		{tok("SG.", "51hxH2deSsCeY12345GHIg.", "1tvtQeRWRQotiVaLO0l3oBispoz12345ypIo8-9Wh6c"), "sendgrid-key", "SG.********"},
		{tok("sq0atp-", "812erere3wewew45678901"), "square-token", "sq0atp-********"},
		{tok("amzn.mws.", "643a5678-8f9f-1a2b-5c3b-e3ea43f3f4b4"), "amazon-mws-token", "amzn.mws.********"},
		{tok("f4f56af5a54a3eae", "b3c3beb3cc2ccccc-us36"), "mailchimp-key", "********"},
		{tok("hf_", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA"), "huggingface-token", "hf_********"},
		{tok("sk-proj-", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG"), "openai-key", "sk-********"},
		{tok("sk-ant-", "api03-", strings.Repeat("aB3dE5fG7h", 7)), "anthropic-key", "sk-ant-********"},
		{tok("dop_v1_", strings.Repeat("0a1b2c3d", 8)), "digitalocean-token", "dop_v1_********"},
		{"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + strings.Repeat("Ab3+", 21) + "Zq==", "azure-storage-key", "AccountKey=********"},
		// Look-alikes.
		{"-----BEGIN RSA " + "PRIVATE KEY-----", "", ""},
		{tok("-----BEGIN CERTIFICATE-----", `\n`, "MIIBszCCAVmgAwIBAgIUQxQ9n3vKx2Lw9PbY7fH4mJc1RsEa6Ud0GtNiQo"), "", ""},
		{"PuTTY-User-Key-File-2 is the header of a .ppk file", "", ""},
		{"ghp_" + strings.Repeat("x", 36), "", ""},
		{"ghp_" + strings.Repeat("0", 36), "", ""},
		{"sk_live_abc", "", ""},
		{"AKIAIOSFODNN7EXAMPLE", "", ""},
		{"xoxo-party", "", ""},
		{"ASIAN cuisine, ACCA certified", "", ""},
	}
	for _, c := range cases {
		fs := Tokens(c.text)
		if c.kind == "" {
			if len(fs) > 0 {
				t.Errorf("Tokens(%.40q) = %+v, want nothing", c.text, fs)
			}
			continue
		}
		if len(fs) != 1 || fs[0].Kind != c.kind || fs[0].Match != c.match {
			t.Errorf("Tokens(%.40q) = %+v, want one %s shown as %q", c.text, fs, c.kind, c.match)
			continue
		}
		// The span is the credential itself (Azure's is the key after the
		// AccountKey= the match shows as a label).
		prefix := strings.TrimPrefix(strings.TrimSuffix(c.match, "********"), "AccountKey=")
		if got := c.text[fs[0].Start:fs[0].End]; got == "" || !strings.HasPrefix(got, prefix) {
			t.Errorf("Tokens(%.40q): Start/End give %q", c.text, got)
		}
	}
}

// TestPair is the verdict on NAME=value that DF1401, RT1029, IM1002 and the
// .env check of the layer scanner share.
func TestPair(t *testing.T) {
	cases := []struct {
		name, value string
		kind        string // "" means not a secret
	}{
		{"DB_PASSWORD", "hunter2", "secret-named-variable"},
		{"DB_PWD", "hunter2hunter2", "secret-named-variable"},
		{"LDAP_ROOTPASS", "fsociety", "secret-named-variable"},
		{"SSH_KEY", "b3BlbnNzaC1rZXktdjE", "secret-named-variable"},
		{"GITHUB_TOKEN", ghToken, "github-token"},
		{"NOTE", "deploy with " + ghToken, "github-token"},
		{"AWS_ACCESS_KEY_ID", awsID, "aws-access-key-id"},
		{"AWS_SECRET_ACCESS_KEY", awsSecret, "aws-secret-access-key"},
		{"DATABASE_URL", "postgres://app:hunter2@db/app", "url-password"},
		{"REDIS_URL", "redis://:s3cret@redis:6379/0", "url-password"},
		{"DATABASE_URL", "postgres://user:password@db/app", "url-password"},
		{"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", ""},
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
		{"GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D", ""},
		{"POSTGRES_PASSWORD_FILE", "/run/secrets/db", ""},
		{"DB_PASSWORD", "${DB_PASSWORD}", ""},
		{"DB_PASSWORD", "", ""},
		{"DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app", ""},
		{"DATABASE_URL", "postgres://app@db/app", ""},
		{"DATABASE_URL", "postgres://user:<password>@db/app", ""},
		{"PATH", "/usr/local/bin:/usr/bin", ""},
		{"org.opencontainers.image.source", "https://github.com/acme/x", ""},
		{"TOKENIZERS_PARALLELISM", "false", ""},
		{"KEYBOARD_LAYOUT", "us", ""},
		{"PUBLIC_KEY_PATH", "/etc/ssh/ssh_host_ed25519_key.pub", ""},
	}
	for _, c := range cases {
		f, ok := Pair(c.name, c.value)
		if ok != (c.kind != "") || ok && f.Kind != c.kind {
			t.Errorf("Pair(%q, %q) = %+v, %v; want %q", c.name, c.value, f, ok, c.kind)
			continue
		}
		if ok && strings.Contains(f.Match, c.value[f.Start:f.End]) {
			t.Errorf("Pair(%q, %q): match %q shows the secret", c.name, c.value, f.Match)
		}
	}
}

func TestDescribe(t *testing.T) {
	for kind, want := range map[string]string{
		"github-token":      "a GitHub token",
		"aws-access-key-id": "an AWS access key id",
		"npm-token":         "an npm token",
		"url-password":      "a password in a URL",
		"something-new":     "a something new",
	} {
		if got := Describe(kind); got != want {
			t.Errorf("Describe(%q) = %q, want %q", kind, got, want)
		}
	}
	for _, d := range detectors {
		if d.desc == "" {
			t.Errorf("detector %s has no description", d.kind)
		}
	}
}
