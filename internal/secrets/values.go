package secrets

import (
	"regexp"
	"strings"
)

// ValueClass says what a value assigned to a variable is, seen as a
// possible credential.
type ValueClass int

const (
	// Literal is a value that can be a credential.
	Literal ValueClass = iota
	// Empty is no value at all.
	Empty
	// Variable is filled in elsewhere: $NAME, ${NAME:-x}, `cmd`, $(cmd).
	Variable
	// Reference names where the credential is kept: a file or path
	// (/run/secrets/db, certs/key.pem, file:token.txt) or a secret store
	// (process.env.X, arn:aws:secretsmanager:..., op://vault/item).
	Reference
	// Placeholder stands for a credential that is not written here:
	// <token>, {{ .password }}, xxxx, REPLACE_ME, your-key-here, a
	// vendor's documented example key.
	Placeholder
	// NotSecret is a switch (true, none, 0), prose, or a shape the name's
	// credential never has (a fingerprint or a plain word for a bare KEY
	// or AUTH name).
	NotSecret
)

var valueClassNames = [...]string{"literal", "empty", "variable", "reference", "placeholder", "not-secret"}

func (c ValueClass) String() string { return valueClassNames[c] }

// switchValues are values that turn a feature on or off or leave it
// unset.
var switchValues = map[string]bool{
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "0": true, "1": true, "~": true, "-": true,
	"none": true, "null": true, "nil": true, "undefined": true, "empty": true, "unset": true, "default": true,
	"disabled": true, "enabled": true, "required": true, "optional": true, "n/a": true,
}

// placeholderValues stand for a credential when they are the whole value.
// Concrete words are not among them: "example", "changeme", "password" or
// "postgres" given to a database password is the password the service
// runs with (the official images' own compose examples), so it is
// reported like any other.
var placeholderValues = map[string]bool{"todo": true, "fixme": true, "tbd": true}

// placeholderParts mark a placeholder wherever they occur in the value:
// instructions to replace it, redactions, values that say they are not
// meant for use (Django's django-insecure- keys).
var placeholderParts = []string{"placeholder", "replace", "redacted", "xxxx", "****", "...", "secret_here", "insert_", "insecure", "dummy"}

// placeholderPrefixes start filler values: your-api-key-here,
// fake-token, my_secret.
var placeholderPrefixes = []string{"your", "fake", "my-", "my_"}

// redactionChars make a placeholder when a value consists of one of them
// repeated (x, xxx, ***, ...).
const redactionChars = "xX*.#-_?"

// storeRefs are references to a secret store or to the process
// environment in configuration languages.
var storeRefs = []string{"/run/secrets/", "env(", "process.env", "os.environ", "getenv", "secretkeyref", "arn:aws:", "op://", "vault:"}

// keyFileExts are extensions of files that hold keys, certificates or
// credentials: a value naming such a file points at the secret.
var keyFileExts = []string{".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".keystore", ".json", ".txt", ".asc", ".gpg", ".pub"}

var (
	reHexDigest = regexp.MustCompile(`^(0x)?([0-9A-Fa-f]{16}|[0-9A-Fa-f]{32}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$`)
	rePlainWord = regexp.MustCompile(`^[A-Za-z]+$`)
	reWinPath   = regexp.MustCompile(`^[A-Za-z]:[\\/]`)
)

// ClassifyValue says what value, assigned to name, is. The name matters
// only for names that end in a bare KEY or AUTH, whose fingerprints and
// plain words are not credentials. Quotes and surrounding blanks are
// ignored.
func ClassifyValue(name, value string) ValueClass {
	v := unquote(value)
	l := strings.ToLower(v)
	switch {
	case v == "":
		return Empty
	case strings.ContainsAny(v, "$`"):
		return Variable
	case isReference(v, l):
		return Reference
	case switchValues[l]:
		return NotSecret
	case isPlaceholder(v, l):
		return Placeholder
	case strings.ContainsAny(v, " \t\r\n"):
		// Prose or a list; a credential with blanks in it is rare and a
		// key with them is found by its shape.
		return NotSecret
	case nameStrength(name) == weakSecret && !credentialShaped(v):
		return NotSecret
	}
	return Literal
}

// credentialShaped reports a value given to a name ending in a bare KEY or
// AUTH that looks like a credential: letters and digits mixed over eight
// characters or more (neo4j/s3cret, minio123), or a long random-looking
// string, but not a fingerprint. Lookup keys are words, identifiers and
// file names (name, user_id, index.html, F12).
func credentialShaped(v string) bool {
	if reHexDigest.MatchString(v) || rePlainWord.MatchString(v) {
		return false
	}
	digit, letter := false, false
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		}
	}
	return digit && letter && len(v) >= 8 || len(v) >= 16 && entropy(v) >= 3.5
}

func unquote(v string) string {
	return strings.Trim(strings.TrimSpace(v), `"'`)
}

func isReference(v, l string) bool {
	for _, r := range storeRefs {
		if strings.Contains(l, r) {
			return true
		}
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasPrefix(v, "~/") ||
		strings.HasPrefix(l, "file:") || reWinPath.MatchString(v) {
		return !strings.ContainsAny(v, " \t")
	}
	if strings.ContainsAny(v, " \t") || strings.Contains(v, "://") {
		return false
	}
	for _, ext := range keyFileExts {
		if strings.HasSuffix(l, ext) && len(l) > len(ext) {
			return true
		}
	}
	return false
}

func isPlaceholder(v, l string) bool {
	if placeholderValues[l] || documentedExample(v) || repeated(v) {
		return true
	}
	if strings.HasSuffix(l, "_here") || strings.HasSuffix(l, "-here") {
		return true
	}
	if strings.Contains(v, "{{") || strings.Contains(v, "%(") || strings.Contains(v, "#{") ||
		strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") || strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		return true
	}
	for _, p := range placeholderParts {
		if strings.Contains(l, p) {
			return true
		}
	}
	for _, p := range placeholderPrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// repeated reports a redaction (x, ***) or a value of one character
// repeated four times or more (0000, aaaa).
func repeated(v string) bool {
	for i := 1; i < len(v); i++ {
		if v[i] != v[0] {
			return false
		}
	}
	return len(v) >= 4 || strings.IndexByte(redactionChars, v[0]) >= 0
}

// documentedExamples are credentials published in vendor documentation and
// standards; they appear in SDKs, OAuth libraries and tests everywhere and
// grant nothing.
var documentedExamples = map[string]bool{
	"AKIAIOSFODNN7EXAMPLE":                     true,
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY": true,
	// RFC 6749's example access and refresh tokens.
	"2YotnFZFEjr1zCsicMWpAA": true,
	"tGzv3JOkF0XG5Qx2TlKWIA": true,
	"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==": true,
}

// documentedExample reports a credential published in vendor
// documentation, or marked the way AWS marks its examples (EXAMPLE in
// capitals: AKIAI44QH8DHBEXAMPLE).
func documentedExample(s string) bool {
	return documentedExamples[s] || strings.Contains(s, "EXAMPLE")
}

// isExample reports a documented example or a value with "example" in it;
// it guards the detectors of token-shaped and random-looking credentials,
// where such a word never occurs in a real one.
func isExample(s string) bool {
	return documentedExample(s) || strings.Contains(strings.ToLower(s), "example")
}

// fakeToken reports a token-shaped string that is filler: an example, x's,
// or a long run of one character (ghp_000000...), which a random token
// practically never has.
func fakeToken(s string) bool {
	if isExample(s) || strings.Contains(strings.ToLower(s), "xxxx") {
		return true
	}
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			run++
			if run >= 6 {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// reURLCreds matches scheme://user:password@host; the user may be empty
// (redis://:password@host).
var reURLCreds = regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.-]{0,15}://([^/\s:@'"]*):([^/\s@'"]+)@[^/\s'"@]+`)

// URLPasswords returns the passwords written into URLs in s
// (postgres://app:hunter2@db/app); a password that is a variable or a
// placeholder is not one.
func URLPasswords(s string) []Finding {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return nil
	}
	var out []Finding
	for _, m := range reURLCreds.FindAllStringSubmatchIndex(s, -1) {
		pw := s[m[4]:m[5]]
		if ClassifyValue("", pw) != Literal {
			continue
		}
		out = append(out, Finding{Kind: "url-password", Match: mask(pw, 0), Start: m[4], End: m[5], offset: m[4]})
	}
	return out
}

// Pair judges one NAME=value assignment (a Dockerfile ARG, ENV or LABEL,
// a compose environment entry, an image Env entry or label, a line of a
// .env file): a credential recognisable by its shape anywhere in the value
// (a token, a private key), a password in a URL, an AWS secret access key
// given to its variable, or a Literal value given to a name that says it
// holds a credential. The Finding's Match is the masked credential, Start
// and End its place in value.
func Pair(name, value string) (Finding, bool) {
	if fs := Tokens(value); len(fs) > 0 {
		return fs[0], true
	}
	if f, ok := awsSecretPair(name, value); ok {
		return f, true
	}
	if fs := URLPasswords(value); len(fs) > 0 {
		return fs[0], true
	}
	if Name(name) && ClassifyValue(name, value) == Literal {
		v := unquote(value)
		start := strings.Index(value, v)
		return Finding{Kind: "secret-named-variable", Match: mask(v, 0), Start: start, End: start + len(v)}, true
	}
	return Finding{}, false
}

// awsSecretPair recognises an AWS secret access key by the variable it is
// given to (AWS_SECRET_ACCESS_KEY, aws_secret_key...), with the detector
// the layer scanner uses on `name = value` lines.
func awsSecretPair(name, value string) (Finding, bool) {
	// The key is 40 characters of the value (the match must start after
	// the name): a shorter value cannot hold one, and most values are
	// shorter; the expression, with no literal to search for, tried every
	// position of every name=value pair of every Dockerfile.
	if len(value) < 40 {
		return Finding{}, false
	}
	line := name + "=" + value
	m := reAWSSecret.FindStringSubmatchIndex(line)
	if m == nil || m[2] < len(name)+1 {
		return Finding{}, false
	}
	v := line[m[2]:m[3]]
	if isExample(v) || entropy(v) < 3.5 {
		return Finding{}, false
	}
	start := m[2] - len(name) - 1
	return Finding{Kind: "aws-secret-access-key", Match: mask(v, 0), Start: start, End: start + len(v)}, true
}

// Mask hides a credential for display. All messages show credentials this
// way: nothing of a password, only the public prefix of a token (see the
// detectors).
func Mask(s string) string { return mask(s, 0) }

// mask keeps the first keep characters of s and replaces the rest with
// asterisks (always eight, so the length is not disclosed either).
func mask(s string, keep int) string {
	if keep > len(s)/2 {
		keep = len(s) / 2
	}
	return s[:keep] + "********"
}

// kindDescriptions name each kind of Finding in a sentence: "contains " +
// Describe(kind).
var kindDescriptions = map[string]string{
	"url-password":          "a password in a URL",
	"secret-named-variable": "a value for a secret-named variable",
	"generic-secret":        "a secret",
	"dotenv-secret":         "a secret in a .env file",
	"git-credentials":       "a password in a git URL",
	"pypirc-password":       "a PyPI password",
	"netrc-password":        "a .netrc password",
}

// Describe returns a noun phrase with its article for a Finding's Kind:
// "a GitHub token", "an AWS access key id".
func Describe(kind string) string {
	if d, ok := kindDescriptions[kind]; ok {
		return d
	}
	for i := range detectors {
		if detectors[i].kind == kind && detectors[i].desc != "" {
			return detectors[i].desc
		}
	}
	return "a " + strings.ReplaceAll(kind, "-", " ")
}
