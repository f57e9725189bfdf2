package secrets

import "strings"

// Name reports whether a variable, label or configuration key name says
// that its value is a credential: DB_PASSWORD, DB_PWD, LDAP_ROOTPASS,
// GITHUB_TOKEN, API_KEY, SSH_KEY, SECRET_KEY_BASE, awsSecretKey,
// AWS_ACCESS_KEY_ID. Names that only refer to a credential (PASSWORD_FILE,
// TOKEN_URL, API_KEY_ID), hold
// public data (PUBLIC_KEY, GPG_KEY fingerprints, STRIPE_PUBLISHABLE_KEY),
// switch a feature (MYSQL_ALLOW_EMPTY_PASSWORD) or merely contain the
// letters (KEYBOARD_LAYOUT, BYPASS, MAX_TOKENS, TOKENIZERS_PARALLELISM) are
// not. The same answer serves every place a name appears: Dockerfile ARG
// and ENV, compose environment, image Env and labels, .env files and
// assignments in layer files.
func Name(name string) bool { return nameStrength(name) != notSecret }

// StrongName reports a name that says it holds a credential whatever its
// value looks like (DB_PASSWORD, API_KEY, SSH_KEY, GITHUB_TOKEN). The other
// names Name accepts end in a bare KEY or AUTH (CACHE_KEY, PARTITION_KEY,
// NODE_AUTH): lookup keys and method names as often as credentials, so
// only a value that looks like a credential makes them one (ClassifyValue),
// and a name alone, without a value to look at, says nothing.
func StrongName(name string) bool { return nameStrength(name) == strongSecret }

// strength is how firmly a name says it holds a credential.
type strength int

const (
	notSecret strength = iota
	// weakSecret names end in a bare KEY or AUTH (SSH_KEY, LICENSE_KEY,
	// NEO4J_AUTH). Such names also hold lookup keys, fingerprints and
	// method names (Filters__0__Key=ProcessName, AUTH=basic), so their
	// value must look like a credential too (see ClassifyValue).
	weakSecret
	strongSecret
)

// strongWords make a name secret wherever they stand, also as the end of a
// compound word (WEBPASSWORD, MYAPIKEY, AUTHTOKEN, CLIENTSECRET).
var strongWords = []string{"password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "secretkey", "accesskey", "authkey", "credential", "credentials"}

// lastWords make a name secret only as its last word: PASS and PWD head
// settings too (PASS_MAX_DAYS), and SALT, PSK and DSN are only credentials
// when named so. "pass" also counts at the end of a compound
// (LDAP_ROOTPASS, DBPASS), except in the words listed in notPass.
var lastWords = map[string]bool{"pass": true, "pwd": true, "pword": true, "salt": true, "psk": true, "dsn": true}

var notPass = map[string]bool{"bypass": true, "compass": true, "surpass": true, "trespass": true, "overpass": true, "underpass": true, "encompass": true, "impass": true}

// publicWords say the value is public anywhere in a name: public keys, GPG
// and PGP fingerprints, Stripe publishable keys.
var publicWords = map[string]bool{"public": true, "pub": true, "gpg": true, "pgp": true, "gnupg": true, "publishable": true}

// switchWords make a name a switch about a credential rather than the
// credential (MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD,
// USE_PASSWORD_AUTH, NO_PASSWORD, adduser --disabled-password); csrf and
// xsrf tokens are per-session values, not credentials.
var switchWords = map[string]bool{"allow": true, "enable": true, "enabled": true, "disable": true, "disabled": true, "use": true, "no": true, "skip": true,
	"require": true, "random": true, "generate": true, "empty": true, "ask": true, "show": true, "hide": true, "force": true, "csrf": true, "xsrf": true}

// notSecretLast are last words that make a name a setting about a
// credential (its file, length, lifetime, algorithm, endpoint...) rather
// than the credential itself.
var notSecretLast = map[string]bool{
	"file": true, "files": true, "filename": true, "filepath": true, "path": true, "paths": true, "dir": true, "folder": true,
	"url": true, "uri": true, "endpoint": true, "host": true, "port": true, "region": true, "location": true,
	"name": true, "id": true, "ids": true, "user": true, "username": true, "ref": true, "label": true, "hint": true,
	"length": true, "len": true, "size": true, "min": true, "max": true, "count": true, "limit": true,
	"ttl": true, "expiry": true, "expires": true, "expire": true, "expiration": true, "timeout": true, "lifetime": true,
	"interval": true, "duration": true, "seconds": true, "minutes": true, "hours": true, "days": true,
	"enabled": true, "enable": true, "required": true, "policy": true, "type": true, "mode": true, "method": true,
	"header": true, "field": true, "prompt": true, "prefix": true, "format": true, "pattern": true, "regex": true,
	"algorithm": true, "alg": true, "encryption": true, "scheme": true, "strength": true, "cost": true, "rounds": true,
	"hash": true, "hashing": true, "fingerprint": true, "rotation": true, "version": true, "env": true, "var": true,
	"provider": true, "backend": true, "store": true, "converter": true, "class": true, "template": true,
	"audience": true, "issuer": true,
}

// keyQualifiers before a bare KEY name a key that is secret whatever its
// value looks like (API_KEY, PRIVATE_KEY, LICENSE_KEY, SIGNING_KEY).
var keyQualifiers = map[string]bool{
	"api": true, "private": true, "secret": true, "access": true, "auth": true, "license": true, "licence": true,
	"master": true, "signing": true, "encryption": true, "session": true, "client": true, "app": true, "account": true,
	"service": true, "shared": true, "jwt": true, "hmac": true, "ssh": true, "deploy": true, "admin": true, "root": true,
	"cookie": true, "storage": true,
}

// publicKeyQualifiers before a bare KEY name a key that is public by
// design: reCAPTCHA site keys, JWT verification keys.
var publicKeyQualifiers = map[string]bool{"site": true, "verify": true, "verification": true}

// handleTokenQualifiers before TOKEN name an opaque handle that an API
// hands out and takes back, not a credential: pagination (NextToken,
// nextPageToken, ContinuationToken), idempotency (ClientToken,
// IdempotencyToken, ClientRequestToken), optimistic locking (ChangeToken,
// LockToken) and verification round trips. Cloud SDKs ship thousands of
// them in their examples.
var handleTokenQualifiers = map[string]bool{
	"next": true, "page": true, "continuation": true, "continue": true, "pagination": true, "marker": true, "sync": true, "resume": true,
	"client": true, "request": true, "idempotency": true, "creation": true, "change": true, "lock": true, "verification": true, "cancel": true,
	"cancellation": true, "update": true, "lifecycle": true, "action": true,
}

// authMethodQualifiers before a bare AUTH make the name a choice of
// method (PASSWORD_AUTH, TOKEN_AUTH), not a credential.
var authMethodQualifiers = map[string]bool{"password": true, "passwd": true, "token": true, "key": true, "cert": true, "pubkey": true, "publickey": true}

func nameStrength(name string) strength {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "pwd" || n == "oldpwd" {
		// The shell's working directory.
		return notSecret
	}
	ws := nameWords(name)
	if len(ws) == 0 {
		return notSecret
	}
	for _, w := range ws {
		if publicWords[w] || switchWords[w] || strings.HasPrefix(w, "csrf") || strings.HasPrefix(w, "xsrf") {
			return notSecret
		}
	}
	last := ws[len(ws)-1]
	if accessKeyID(ws) {
		return strongSecret
	}
	if notSecretLast[last] {
		return notSecret
	}
	prev := ""
	if len(ws) > 1 {
		prev = ws[len(ws)-2]
	}
	switch {
	case last == "token" && handleTokenQualifiers[prev]:
		return notSecret
	case strongWord(last) || lastWords[last] || passCompound(last):
		return strongSecret
	case last == "key":
		switch {
		case prev == "":
			// A bare KEY is as often a lookup key as a secret.
			return notSecret
		case publicKeyQualifiers[prev]:
			return notSecret
		case keyQualifiers[prev] || strongWord(prev):
			return strongSecret
		}
		return weakSecret
	case last == "auth":
		if authMethodQualifiers[prev] {
			return notSecret
		}
		return weakSecret
	}
	for _, w := range ws[:len(ws)-1] {
		if strongWord(w) {
			return strongSecret
		}
	}
	return notSecret
}

// accessKeyID reports a name ending in ACCESS_KEY_ID (AWS_ACCESS_KEY_ID,
// awsAccessKeyId). The ID is the public half of a long-lived access key
// pair, but a build that bakes it in bakes the pair in, and the ID alone
// names the account and the key to attack; BuildKit's
// SecretsUsedInArgOrEnv and hadolint's DL3064 report it too. Other IDs
// (API_KEY_ID, CLIENT_ID) stay references.
func accessKeyID(ws []string) bool {
	n := len(ws)
	return n >= 3 && ws[n-1] == "id" && ws[n-2] == "key" && ws[n-3] == "access" ||
		n >= 2 && ws[n-1] == "id" && ws[n-2] == "accesskey"
}

// strongWord reports a word that is, or ends in, a strong secret word.
func strongWord(w string) bool {
	for _, s := range strongWords {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// passCompound reports a word ending in "pass" or "pwd" that names a
// password (ROOTPASS, DBPWD), not an English word (BYPASS, COMPASS).
func passCompound(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "pass") && !notPass[w] || len(w) > 3 && strings.HasSuffix(w, "pwd")
}

// nameWords splits a name into lower-case words at every character that
// is not a letter or digit and at camelCase boundaries (awsSecretKey,
// APIKey), dropping trailing digits (PASSWORD2) and words of digits only.
// It works by hand because it runs on every assignment the layer scanner
// finds.
func nameWords(name string) []string {
	var out []string
	var cur []byte
	flush := func() {
		w := strings.TrimRight(string(cur), "0123456789")
		if w != "" {
			out = append(out, w)
		}
		cur = cur[:0]
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		upper, lower, digit := c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9'
		if !upper && !lower && !digit {
			flush()
			continue
		}
		if upper && i > 0 {
			p := name[i-1]
			pLower := p >= 'a' && p <= 'z' || p >= '0' && p <= '9'
			pUpper := p >= 'A' && p <= 'Z'
			nextLower := i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z'
			// awsSecret -> aws Secret; APIKey -> API Key.
			if pLower || pUpper && nextLower {
				flush()
			}
		}
		if upper {
			c += 'a' - 'A'
		}
		cur = append(cur, c)
	}
	flush()
	return out
}
