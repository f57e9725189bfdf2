package secrets

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Test credentials are assembled at run time so that no complete token sits
// in the source for other scanners to flag.
func tok(parts ...string) string { return strings.Join(parts, "") }

var (
	awsID     = tok("AKIA", "Z7Q4", "W2XK", "P9LM", "3VTR")
	awsSecret = tok("q8Zr/Tn3vK", "x2Lw9PbY7f", "H4mJc1RsEa", "6Ud0GtNiQo")
	ghToken   = tok("ghp_", "aB3dE5fG7h", "J9kL1mN3pQ", "5rS7tU9vW1", "xY3zA5")
	rsaKey    = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8+Bg8Nd5XdQ6+7Wl0X3zGqh9K\nq3Bt4p9XlV6mUe0Tg7Zs1aYx8QqLm2Rt0p9XlV6mUe0Tg7Zs1aYx8QqLm2Rt0p9X\n-----END RSA PRIVATE KEY-----\n"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		name, path, text string
		kind             string // "" means nothing must be found
		line             int
	}{
		{"rsa key", "/root/.ssh/id_rsa", rsaKey, "private-key", 1},
		{"openssh key", "/home/a/.ssh/id_ed25519", "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n", "private-key", 1},
		{"key header only in docs", "/usr/lib/x.py", "# expects a '-----BEGIN RSA " + "PRIVATE KEY-----' header\n", "", 0},
		{"aws id", "/app/settings.py", "x = 1\nAWS_ACCESS_KEY_ID = '" + awsID + "'\n", "aws-access-key-id", 2},
		{"aws example id", "/app/settings.py", "AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\n", "", 0},
		{"aws secret", "/root/.aws/credentials", "[default]\naws_secret_access_key = " + awsSecret + "\n", "aws-secret-access-key", 2},
		{"aws example secret", "/root/.aws/credentials", "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "", 0},
		{"gcp", "/app/sa.json", "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key\": \"-----BEGIN " + "PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n\"\n}\n", "gcp-service-account", 4},
		{"azure", "/app/appsettings.json", "\"Storage\": \"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + strings.Repeat("Ab3+", 21) + "Zq==;EndpointSuffix=core.windows.net\"\n", "azure-storage-key", 1},
		{"github", "/app/deploy.sh", "git clone https://" + ghToken + "@github.com/acme/x\n", "github-token", 1},
		{"gitlab", "/app/ci.sh", "TOKEN=" + tok("glpat-", "Xy7Zq2Lm9N", "pR4sT6uV8w") + "\n", "gitlab-token", 1},
		{"npm token", "/app/x.js", "const t = '" + tok("npm_", "a1B2c3D4e5", "F6g7H8i9J0", "k1L2m3N4o5", "P6q7R8") + "'\n", "npm-token", 1},
		{"npmrc", "/root/.npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=" + tok("9f8e7d6c-", "5b4a-3f2e-1d0c-", "ba9876543210") + "\n", "npmrc-auth", 2},
		{"npmrc env ref", "/root/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", "", 0},
		{"npmrc legacy auth", "/root/.npmrc", "_auth = " + tok("Ym9iOnMz", "Y3JldC1wYXNz") + "\n", "npmrc-auth", 1},
		{"openssl.cnf comment", "/etc/ssl/openssl.cnf", "# input_password = secret\n# output_password = secret\n", "", 0},
		{"python add_password", "/usr/lib/python3/dist-packages/urllib3/poolmanager.py", "        self.add_password = add_password_handler\n", "", 0},
		{"requests s_auth", "/usr/lib/python3/dist-packages/requests/auth.py", "        s_auth = r.headers.get(\"www-authenticate\", \"\")\n", "", 0},
		{"npmrc docs outside an npmrc", "/usr/lib/node_modules/npm/man/man5/npmrc.5", "_authToken=MYTOKEN\n//registry.npmjs.org/:_authToken=" + tok("9f8e7d6c-", "5b4a-3f2e-1d0c-", "ba9876543210") + "\n", "", 0},
		{"npmrc expression", "/root/.npmrc", "_authToken = r.headers.get(x)\n", "", 0},
		{"npmrc _auth not base64 user:pass", "/root/.npmrc", "_auth = notbase64atall!\n", "", 0},
		{"npmrc global file", "/usr/local/etc/npmrc", "//npm.acme.io/:_password=" + tok("czNjcmV0", "LXBhc3M=") + "\n", "npmrc-auth", 1},
		{"generic expression in source", "/app/settings.py", "API_TOKEN = os.environ.get(\"Zk3q9XvL2mP7wR4tY8nB6cD1\")\nSECRET_TOKEN = Zk3q9XvL2mP7wR4tY8nB6cD1\n", "", 0},
		{"generic literal in source", "/app/settings.py", "SECRET_TOKEN = \"Zk3q9XvL2mP7wR4tY8nB6cD1\"\n", "generic-secret", 1},
		{"generic python annotation", "/usr/lib/python3/httplib2.pyi", "    key_password: _PasswordType | None\n", "", 0},
		{"generic qualified type name", "/usr/lib/python3/cfnlint/providers.py", "    \"AWS::IAM::AccessKey\": \"62d91b17309e76c8\",\n", "", 0},
		{"generic pagination token", "/usr/lib/python3/awscli/list.json", "        \"NextToken\": \"77X1ebypsI7os+X2lhHsZLGNCDK3nNGpwRdFpicSOHgcX1/QMoniUAKcpR3kj3ts3PVdMA==\"\n", "", 0},
		{"python password attribute", "/usr/lib/python3/dist-packages/urllib3/connection.py", "        self.key_password = key_password\n", "", 0},
		{"python netrc helper", "/usr/lib/python3/dist-packages/pip/_internal/network/auth.py", "            netrc_auth = get_netrc_auth(original_url)\n", "", 0},
		{"pypi", "/root/.pypirc", "[pypi]\nusername = __token__\npassword = " + tok("pypi-AgEIcHlwaS5vcmc", strings.Repeat("Qm9vZ2llV29vZ2ll", 4)) + "\n", "pypi-token", 3},
		{"pypirc password", "/root/.pypirc", "[pypi]\nusername = bob\npassword = s3cr3t-Pw!\n", "pypirc-password", 3},
		{"slack", "/app/notify.py", "SLACK = '" + tok("xoxb-", "1234567890-", "abcdefABCDEF123") + "'\n", "slack-token", 1},
		{"stripe", "/app/pay.rb", "Stripe.api_key = '" + tok("sk_live_", "4eC39HqLyjWDarjtT1", "zdp7dc") + "'\n", "stripe-key", 1},
		{"docker config", "/root/.docker/config.json", "{\n \"auths\": {\n  \"https://index.docker.io/v1/\": {\n   \"auth\": \"Ym9iOnMzY3JldC1wYXNz\"\n  }\n }\n}\n", "docker-registry-auth", 4},
		{"docker config empty", "/root/.docker/config.json", "{\n \"auths\": {},\n \"credsStore\": \"desktop\"\n}\n", "", 0},
		{"dotenv", "/app/.env", "DEBUG=1\nDB_PASSWORD=hunter2-hunter\nAPI_URL=https://x\n", "dotenv-secret", 2},
		{"dotenv example", "/app/.env.example", "DB_PASSWORD=hunter2-hunter\n", "", 0},
		{"git config", "/src/.git/config", "[remote \"origin\"]\n\turl = https://bob:Sup3rS3cret@git.example.com/x.git\n", "git-credentials", 2},
		{"git config clean", "/src/.git/config", "[remote \"origin\"]\n\turl = https://git.example.com/x.git\n", "", 0},
		{"generic entropy", "/app/config.yaml", "service:\n  api_key: \"Zk3q9XvL2mP7wR4tY8nB6cD1\"\n", "generic-secret", 2},
		{"generic identifier", "/app/x.py", "token = self.get_token()\npassword = password_field\n", "", 0},
		{"generic prose", "/app/README", "Set the secret token in your environment before running.\n", "", 0},
		{"generic field reference", "/src/login.go", "\t\tPassword:      authConfig.Password,\n", "", 0},
		{"generic type annotation", "/usr/lib/python3/ssh.py", "    def load(self, private_key: ed25519.Ed25519PrivateKey):\n", "", 0},
		{"generic package version", "/usr/share/csaf/rhsa.json", "\"name\": \"libvirt-daemon-driver-secret-0:4.5.0-35.3.module+el8.1.0+5931+8897e7e1.aarch64\",\n", "", 0},
		{"generic query string", "/usr/lib/python3/oauth.py", "'oauth_token=lsdkfol23w54jlksdef&oauth_token_secret=qwe089234lkjsdf'\n", "", 0},
		{"generic setting", "/usr/share/postgresql/15/postgresql.conf.sample", "#password_encryption = scram-sha-256\t# scram-sha-256 or md5\n", "", 0},
		{"rfc 6749 example token", "/usr/lib/python3/oauthlib/clients.py", "\"access_token\":\"2YotnFZFEjr1zCsicMWpAA\",\n", "", 0},
		{"dotenv names", "/app/.env", "LDAP_ROOTPASS=fsociety\n", "dotenv-secret", 1},
		{"dotenv url", "/app/.env", "DEBUG=1\nDATABASE_URL=postgres://app:hunter2@db/app\n", "dotenv-secret", 2},
		{"dotenv references", "/app/.env", "DB_PASSWORD=${DB_PASSWORD}\nSSL_KEY=certs/server-key.pem\nGPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\nAPI_KEY=REPLACE_ME\n", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Detect(c.path, []byte(c.text))
			if c.kind == "" {
				if len(fs) > 0 {
					t.Fatalf("want nothing, got %+v", fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("want one %s, got %+v", c.kind, fs)
			}
			if fs[0].Kind != c.kind || fs[0].Line != c.line {
				t.Fatalf("want %s at line %d, got %+v", c.kind, c.line, fs[0])
			}
			if strings.Contains(c.text, fs[0].Match) && len(fs[0].Match) > 12 && !strings.HasPrefix(fs[0].Match, "-----BEGIN") {
				t.Errorf("match %q is not masked", fs[0].Match)
			}
		})
	}
}

func TestAWSPairNearby(t *testing.T) {
	text := "[default]\naws_access_key_id = " + awsID + "\naws_secret_access_key = " + awsSecret + "\n"
	fs := Detect("/root/.aws/credentials", []byte(text))
	kinds := map[string]int{}
	for _, f := range fs {
		kinds[f.Kind] = f.Line
	}
	if kinds["aws-access-key-id"] != 2 || kinds["aws-secret-access-key"] != 3 {
		t.Fatalf("got %+v", fs)
	}
}

func TestScannerSkipsBinaries(t *testing.T) {
	s := New(0)
	data := append([]byte{0x7f, 'E', 'L', 'F', 0}, []byte(ghToken)...)
	h := &tar.Header{Name: "usr/bin/tool", Typeflag: tar.TypeReg, Size: int64(len(data))}
	if !s.Wants(h) {
		t.Fatal("a binary is only skipped after sniffing")
	}
	got, err := s.Scan(1, h, bytes.NewReader(data))
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
	text := []byte("token: " + ghToken + "\n")
	h = &tar.Header{Name: "./app/ci.yml", Typeflag: tar.TypeReg, Size: int64(len(text))}
	got, err = s.Scan(2, h, bytes.NewReader(text))
	if err != nil || len(got) != 1 || got[0].Path != "/app/ci.yml" || got[0].Layer != 2 || got[0].Kind != "github-token" {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, name := range []string{"usr/share/doc/x/README", "a/b.png", "etc/.wh.passwd", "usr/share/go-1.19/src/crypto/tls/testdata/example-key.pem"} {
		if s.Wants(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: 10}) {
			t.Errorf("Wants(%s) = true", name)
		}
	}
}

func TestScannerCapsRead(t *testing.T) {
	s := New(1024)
	data := append(bytes.Repeat([]byte("a\n"), 1024), []byte("x="+ghToken+"\n")...)
	h := &tar.Header{Name: "big.txt", Typeflag: tar.TypeReg, Size: int64(len(data))}
	got, _ := s.Scan(0, h, bytes.NewReader(data))
	if len(got) != 0 {
		t.Fatalf("read past the cap: %+v", got)
	}
}

// mixedText builds n bytes of text that looks like an image's files:
// source, configuration, prose, with a few anchors and rare secrets.
func mixedText(n int) [][]byte {
	r := rand.New(rand.NewSource(1))
	words := []string{"the", "function", "return", "value", "config", "token", "server", "import", "password", "string", "error", "for", "if", "else", "user", "data", "secret", "key", "path", "http://example.com/x", "=", ":", "{", "}", "(", ")", "AKIA"}
	var files [][]byte
	total := 0
	for total < n {
		var b bytes.Buffer
		size := 2048 + r.Intn(60000)
		for b.Len() < size {
			for i := 0; i < 8+r.Intn(8); i++ {
				b.WriteString(words[r.Intn(len(words))])
				b.WriteByte(' ')
			}
			if r.Intn(5000) == 0 {
				fmt.Fprintf(&b, "api_key = \"%s\"", tok("Zk3q9XvL2m", "P7wR4tY8nB6cD1"))
			}
			b.WriteByte('\n')
		}
		files = append(files, b.Bytes())
		total += b.Len()
	}
	return files
}

// realText collects about n bytes of real mixed text: the Go source tree
// (code, tests with embedded keys, JSON, scripts, prose), the same kind of
// content an application image carries. It falls back to synthetic text.
func realText(n int) [][]byte {
	var files [][]byte
	total := 0
	root := filepath.Join(runtime.GOROOT(), "src")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= n {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil && len(data) > 0 {
			files = append(files, data)
			total += len(data)
		}
		return nil
	})
	if total < n/2 {
		return mixedText(n)
	}
	return files
}

func benchScan(b *testing.B, files [][]byte) {
	total := 0
	for _, f := range files {
		total += len(f)
	}
	s := New(0)
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, f := range files {
			h := &tar.Header{Name: fmt.Sprintf("app/f%d.txt", j), Typeflag: tar.TypeReg, Size: int64(len(f))}
			if _, err := s.Scan(0, h, bytes.NewReader(f)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSecretScanner measures throughput on ~50 MB of real mixed text.
func BenchmarkSecretScanner(b *testing.B) { benchScan(b, realText(50<<20)) }

// BenchmarkSecretScannerDense is the worst case: synthetic text where
// nearly every line holds an anchor word (token, password, secret, AKIA).
func BenchmarkSecretScannerDense(b *testing.B) { benchScan(b, mixedText(50<<20)) }

// TestFixture: published packages' test and example material is not the
// image's configuration; the same names in the image's own directories are.
func TestFixture(t *testing.T) {
	for p, want := range map[string]bool{
		"/usr/share/go-1.19/src/crypto/tls/testdata/example-key.pem":                true,
		"/usr/lib/go-1.19/src/crypto/x509/platform_root_key.pem":                    true,
		"/usr/local/go/src/crypto/tls/example_test.go":                              true,
		"/usr/lib/python3.11/test/certdata/keycert.pem":                             true,
		"/usr/lib/python3/dist-packages/requests/tests/test_auth.py":                true,
		"/usr/local/lib/python3.11/site-packages/botocore/data/waf/examples-1.json": true,
		"/app/node_modules/jsonwebtoken/test/priv.pem":                              true,
		"/root/go/pkg/mod/golang.org/x/crypto@v0.1.0/ssh/testdata/keys.go":          true,
		"/app/testdata/server.key":                                                  false,
		"/root/.ssh/id_rsa":                                                         false,
		"/usr/lib/python3/dist-packages/requests/auth.py":                           false,
		"/app/node_modules/.npmrc":                                                  false,
		"/usr/local/go/bin/go":                                                      false,
		"/etc/ssl/private/ssl-cert-snakeoil.key":                                    false,
	} {
		if got := Fixture(p); got != want {
			t.Errorf("Fixture(%s) = %v, want %v", p, got, want)
		}
	}
}

// TestTokensNPMRC: in a value or command line (no file), only the scoped
// form is npm's credential syntax.
func TestTokensNPMRC(t *testing.T) {
	tokenV := tok("9f8e7d6c-", "5b4a-3f2e-1d0c-", "ba9876543210")
	for in, want := range map[string]int{
		`echo "//registry.npmjs.org/:_authToken=` + tokenV + `" > /root/.npmrc`: 1,
		`echo //npm.acme.io/:_authToken=` + tokenV + ` >> .npmrc && npm ci`:     1,
		`_authToken=` + tokenV:                           0,
		`s_auth = r.headers.get("www-authenticate", "")`: 0,
		`python -c 'self.add_password = ` + tokenV + `'`: 0,
	} {
		if got := Tokens(in); len(got) != want {
			t.Errorf("Tokens(%s) = %+v, want %d", in, got, want)
		}
	}
}
