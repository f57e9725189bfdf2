package secrets

import "testing"

// TestName is the one name verdict every surface shares: each name here
// was once judged differently by the Dockerfile, compose and image rules,
// or guards a false positive one of them had.
func TestName(t *testing.T) {
	cases := []struct {
		name string
		want bool
	}{
		// Passwords, however spelled.
		{"DB_PASSWORD", true}, {"DB_PWD", true}, {"MYSQL_PWD", true}, {"DB_PASS", true}, {"DB_PASSWD", true},
		{"LDAP_ROOTPASS", true}, {"LDAP_ADMINPASS", true}, {"WEBPASSWORD", true}, {"password", true}, {"PASS", true},
		{"SECRET_PASSPHRASE", true}, {"DB_PASSWORD_2", true}, {"RABBITMQ_DEFAULT_PASS", true},
		// Tokens, secrets, API keys, credentials.
		{"API_TOKEN", true}, {"GITHUB_TOKEN", true}, {"super_duper_secret_token", true}, {"JWT_SECRET", true},
		{"SECRET_KEY_BASE", true}, {"API_KEY", true}, {"apikey", true}, {"MYAPIKEY", true}, {"awsSecretKey", true},
		{"APIKey", true}, {"AWS_SECRET_ACCESS_KEY", true}, {"AWS_ACCESS_KEY_ID", true}, {"awsAccessKeyId", true}, {"MINIO_ACCESSKEY_ID", true}, {"REGISTRY_CREDENTIALS", true}, {"SESSION_SALT", true},
		{"WIFI_PSK", true}, {"SENTRY_DSN", true}, {"spring.datasource.password", true},
		// Keys and auth, which need a credential-looking value (ClassifyValue).
		{"SSH_KEY", true}, {"LICENSE_KEY", true}, {"git_key", true}, {"NEO4J_AUTH", true}, {"auth", true},
		{"xpack.security.http.ssl.key", true}, {"picaticKey", true},
		// Names that point at a credential, describe it or switch it.
		{"PASSWORD_FILE", false}, {"password_file", false}, {"secret_File", false}, {"SECRET_PASSPHRASE_FILE", false},
		{"PUBLIC_KEY_PATH", false}, {"TOKEN_URL", false}, {"API_KEY_ID", false}, {"CLIENT_ID", false}, {"ACCESS_KEY_ID_FILE", false},
		{"PASSWORD_MIN_LENGTH", false}, {"ACCESS_TOKEN_EXPIRE_MINUTES", false}, {"AUTH_MODULE_VERSION", false},
		{"POSTGRES_HOST_AUTH_METHOD", false}, {"TOKEN_TYPE", false}, {"SECRET_NAME", false}, {"AIRFLOW__SECRETS__BACKEND", false},
		{"MYSQL_ALLOW_EMPTY_PASSWORD", false}, {"MYSQL_RANDOM_ROOT_PASSWORD", false}, {"USE_PASSWORD_AUTH", false},
		{"NO_PASSWORD", false}, {"ENABLE_TOKEN", false}, {"--disabled-password", false}, {"PASSWORD_AUTH", false},
		{"CSRF_TOKEN", false}, {"csrftoken", false},
		// Opaque API handles (pagination, idempotency, locking), as cloud SDK examples print them.
		{"NextToken", false}, {"nextPageToken", false}, {"ChangeToken", false}, {"ClientToken", false}, {"clientRequestToken", false},
		{"IdempotencyToken", false}, {"LockToken", false}, {"VerificationToken", false}, {"ContinuationToken", false},
		{"SessionToken", true}, {"RefreshToken", true}, {"access_token", true},
		// Public keys and fingerprints.
		{"PUBLIC_KEY", false}, {"public_token", false}, {"GPG_KEY", false}, {"NODE_PGP_KEY_IDS", false},
		{"STRIPE_PUBLISHABLE_KEY", false}, {"RECAPTCHA_SITE_KEY", false}, {"NEXT_PUBLIC_SENTRY_DSN", false},
		// Letters, not words.
		{"KEYBOARD_LAYOUT", false}, {"KEY", false}, {"SORT_KEYS", false}, {"monkey", false}, {"turkey", false},
		{"MAX_TOKENS", false}, {"TOKENIZERS_PARALLELISM", false}, {"PROXY_BYPASS", false}, {"PASS_MAX_DAYS", false},
		{"PASSENGER_APP_ENV", false}, {"FTP_PASSIVE", false}, {"EGG_PASSPORT_GITHUB_CLIENT_ID", false},
		{"MEMCACHED_SASL_PWDB", false}, {"CONNECT_KEY_CONVERTER", false}, {"PWD", false}, {"OLDPWD", false},
		{"", false}, {".", false}, {"_", false},
	}
	for _, c := range cases {
		if got := Name(c.name); got != c.want {
			t.Errorf("Name(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestStrongName(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "API_KEY": true, "SSH_KEY": true, "GITHUB_TOKEN": true, "SIGNING_KEY": true,
		"CACHE_KEY": false, "PARTITION_KEY": false, "NODE_AUTH": false, "S3_KEY": false, "GPG_KEY": false, "KEY": false,
	} {
		if got := StrongName(name); got != want {
			t.Errorf("StrongName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestNameWords(t *testing.T) {
	cases := map[string]string{
		"awsSecretKey":                    "aws secret key",
		"APIKey":                          "api key",
		"SUPER_Secret":                    "super secret",
		"DefaultProcess__Filters__0__Key": "default process filters key",
		"xpack.security.http.ssl.key":     "xpack security http ssl key",
		"PASSWORD2":                       "password",
		"--disabled-password":             "disabled password",
	}
	for in, want := range cases {
		got := ""
		for i, w := range nameWords(in) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("nameWords(%q) = %q, want %q", in, got, want)
		}
	}
}
