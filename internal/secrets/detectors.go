package secrets

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
)

// detector is one credential type: literal anchors that must occur for the
// check to run at all, and the check over the window around each anchor.
type detector struct {
	kind string
	// desc names the kind in a sentence, with its article.
	desc    string
	anchors [][]byte
	// fold makes the anchors match in any ASCII case.
	fold bool
	// forward makes the window extend this many bytes past the anchor
	// regardless of line ends (PEM blocks, JSON documents).
	forward int
	// freeText marks detectors that need the text around a value (an
	// assignment's name, a file's type) and so are not run by Tokens.
	freeText bool
	// files is the detector's file context: when set, the detector runs
	// only on files whose path it accepts (and, in Tokens, which has no
	// file, only where its check allows that). nil means any file.
	files func(p string) bool
	check func(h *hit) (match string, offset, end int, ok bool)
}

func anchors(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// anchorsNext extends each prefix by every character of set, for tokens
// whose fixed prefix is shorter than the four bytes the prefilter needs
// (hf_, SG., A3T).
func anchorsNext(set string, prefixes ...string) [][]byte {
	var out [][]byte
	for _, p := range prefixes {
		for i := 0; i < len(set); i++ {
			out = append(out, []byte(p+set[i:i+1]))
		}
	}
	return out
}

const (
	alnumSet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperSet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

var (
	rePrivateKey = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----(?:\\n|\\r|[\s])+(?:[A-Za-z-]+: [^\n]*(?:\\n|\n)+)*[A-Za-z0-9+/=]{40,}`)
	rePuTTY      = regexp.MustCompile(`PuTTY-User-Key-File-\d+`)
	reAWSSecret  = regexp.MustCompile(`(?i)(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?\s*(?::=|=>|=|:)\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)`)
	reAWSBare    = regexp.MustCompile(`(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`)
	reGCPKey     = regexp.MustCompile(`"private_key"\s*:\s*"-----BEGIN`)
	reAzureKey   = regexp.MustCompile(`AccountKey=([A-Za-z0-9+/]{86}==)`)
	reGitHub     = regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,255})\b`)
	reGitHubPAT  = regexp.MustCompile(`\b(github_pat_[A-Za-z0-9_]{50,255})\b`)
	reGitLab     = regexp.MustCompile(`\b(glpat-[A-Za-z0-9_-]{20,})`)
	reNPMToken   = regexp.MustCompile(`\b(npm_[A-Za-z0-9]{36})\b`)
	reNPMRC      = regexp.MustCompile(`^(_authToken|_auth|_password)\s*=\s*["']?([A-Za-z0-9+/=_.~-]+)`)
	rePyPI       = regexp.MustCompile(`\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})`)
	reSlack      = regexp.MustCompile(`\b(xox[abposr]-[0-9A-Za-z-]{10,})`)
	reSlackHook  = regexp.MustCompile(`(https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]{16,})`)
	reStripe     = regexp.MustCompile(`\b([rs]k_live_[0-9A-Za-z]{20,})`)
	reGoogleKey  = regexp.MustCompile(`\b(AIza[0-9A-Za-z_-]{35})\b`)
	reGoogleAuth = regexp.MustCompile(`\b(ya29\.[0-9A-Za-z_-]{20,})`)
	reSendGrid   = regexp.MustCompile(`\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\b`)
	reSquare     = regexp.MustCompile(`\b(sq0(?:atp-[0-9A-Za-z_-]{22}|csp-[0-9A-Za-z_-]{43}))`)
	reMWS        = regexp.MustCompile(`(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`)
	reMailchimp  = regexp.MustCompile(`\b([0-9a-f]{32}-us[0-9]{1,2})\b`)
	reHF         = regexp.MustCompile(`\b(hf_[A-Za-z0-9]{34,})\b`)
	reOpenAI     = regexp.MustCompile(`\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|sk-proj-[A-Za-z0-9_-]{40,})`)
	reAnthropic  = regexp.MustCompile(`\b(sk-ant-[a-z0-9]+-[A-Za-z0-9_-]{60,})`)
	reDO         = regexp.MustCompile(`\b(do[por]_v1_[a-f0-9]{64})\b`)
	reDockerAuth = regexp.MustCompile(`"(auth|identitytoken)"\s*:\s*"([A-Za-z0-9+/=_.-]{8,})"`)
	reEnvLine    = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$`)
	rePasswordKV = regexp.MustCompile(`(?i)^\s*password\s*[=:]\s*(\S.*)$`)
	reNetrc      = regexp.MustCompile(`\bpassword\s+(\S+)`)
)

// detectors run in priority order: when two report the same line, the
// earlier, more specific one wins. Token patterns are the union of those
// the Dockerfile rules and the layer scanner used to keep apart, with the
// looser length bound where the prefix alone is specific (github_pat_,
// sk_live_).
var detectors = []detector{
	{kind: "gcp-service-account", desc: "a Google service account key", anchors: anchors(`"service_account"`), forward: 16 << 10, check: checkGCP},
	{kind: "private-key", desc: "a private key", anchors: anchors("PRIVATE KEY"), forward: 512, check: checkPrivateKey},
	{kind: "putty-private-key", desc: "a PuTTY private key", anchors: anchors("PuTTY-User-Key-File-"), forward: 8 << 10, check: checkPuTTY},
	{kind: "aws-access-key-id", desc: "an AWS access key id", anchors: append(anchors("AKIA", "ASIA", "ABIA", "ACCA"), anchorsNext(upperSet, "A3T")...), check: checkAWSKeyID},
	{kind: "aws-secret-access-key", desc: "an AWS secret access key", anchors: anchors("aws_secret", "secret_access_key", "secretaccesskey", "secretkey"), fold: true, freeText: true, check: checkAWSSecret},
	{kind: "azure-storage-key", desc: "an Azure storage account key", anchors: anchors("AccountKey="), check: checkAzure},
	{kind: "github-token", desc: "a GitHub token", anchors: anchors("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), check: regexCheck(-1, reGitHub, reGitHubPAT)},
	{kind: "gitlab-token", desc: "a GitLab token", anchors: anchors("glpat-"), check: regexCheck(-1, reGitLab)},
	{kind: "npm-token", desc: "an npm token", anchors: anchors("npm_"), check: regexCheck(-1, reNPMToken)},
	{kind: "npmrc-auth", desc: "an npm registry credential", anchors: anchors("_authToken", "_auth", "_password"), files: npmrcFile, check: checkNPMRC},
	{kind: "pypi-token", desc: "a PyPI token", anchors: anchors("pypi-AgEIcHlwaS5vcmc"), check: regexCheck(-1, rePyPI)},
	{kind: "slack-token", desc: "a Slack token", anchors: anchors("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xoxo-"), check: regexCheck(-1, reSlack)},
	{kind: "slack-webhook", desc: "a Slack webhook URL", anchors: anchors("hooks.slack.com/services/"), check: regexCheck(len("https://hooks.slack.com/services/"), reSlackHook)},
	{kind: "stripe-key", desc: "a Stripe key", anchors: anchors("sk_live_", "rk_live_"), check: regexCheck(-1, reStripe)},
	{kind: "google-api-key", desc: "a Google API key", anchors: anchors("AIza"), check: regexCheck(4, reGoogleKey)},
	{kind: "google-oauth-token", desc: "a Google OAuth token", anchors: anchors("ya29."), check: regexCheck(5, reGoogleAuth)},
	{kind: "sendgrid-key", desc: "a SendGrid key", anchors: anchorsNext(alnumSet+"_-", "SG."), check: regexCheck(3, reSendGrid)},
	{kind: "square-token", desc: "a Square token", anchors: anchors("sq0atp-", "sq0csp-"), check: regexCheck(7, reSquare)},
	{kind: "amazon-mws-token", desc: "an Amazon MWS token", anchors: anchors("amzn.mws."), check: regexCheck(9, reMWS)},
	{kind: "mailchimp-key", desc: "a Mailchimp key", anchors: anchorsNext("123456789", "-us"), check: regexCheck(0, reMailchimp)},
	{kind: "huggingface-token", desc: "a Hugging Face token", anchors: anchorsNext(alnumSet, "hf_"), check: regexCheck(3, reHF)},
	{kind: "anthropic-key", desc: "an Anthropic key", anchors: anchors("sk-ant-"), check: regexCheck(7, reAnthropic)},
	{kind: "openai-key", desc: "an OpenAI key", anchors: anchors("T3BlbkFJ", "sk-proj-"), check: regexCheck(3, reOpenAI)},
	{kind: "digitalocean-token", desc: "a DigitalOcean token", anchors: anchors("dop_v1_", "doo_v1_", "dor_v1_"), check: regexCheck(7, reDO)},
	{kind: "docker-registry-auth", desc: "a registry credential", anchors: anchors(`"auths"`), forward: 64 << 10, check: checkDockerAuth},
	{kind: "generic-secret", desc: "a secret", anchors: anchors("password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "access_key", "accesskey", "private_key", "credential"), fold: true, freeText: true, check: checkGeneric},
}

func checkGCP(h *hit) (string, int, int, bool) {
	const what = `"type": "service_account" with "private_key"`
	w := h.window()
	loc := reGCPKey.FindIndex(w)
	if loc == nil {
		// The key may come before "type" in the document.
		start := max(0, h.pos-(16<<10))
		if loc = reGCPKey.FindIndex(h.buf[start:h.pos]); loc == nil {
			return "", 0, 0, false
		}
		return what, start + loc[0], start + loc[1], true
	}
	return what, h.lo + loc[0], h.lo + loc[1], true
}

// checkPrivateKey requires key material after the PEM header: a header
// alone is how parsers, tests and documentation mention keys.
func checkPrivateKey(h *hit) (string, int, int, bool) {
	start := max(0, h.pos-40)
	if i := bytes.LastIndex(h.buf[start:h.pos], []byte("-----BEGIN ")); i >= 0 {
		start += i
	} else {
		return "", 0, 0, false
	}
	end := min(len(h.buf), h.pos+512)
	m := rePrivateKey.FindSubmatchIndex(h.buf[start:end])
	if m == nil || m[0] != 0 {
		return "", 0, 0, false
	}
	return "-----BEGIN " + string(h.buf[start+m[2]:start+m[3]]) + "-----", start, start + m[1], true
}

// checkPuTTY requires the private part of a .ppk file: the header alone
// is how PuTTY's own code and manuals mention the format.
func checkPuTTY(h *hit) (string, int, int, bool) {
	w := h.buf[h.pos:h.hi]
	m := rePuTTY.FindIndex(w)
	if m == nil || m[0] != 0 || !bytes.Contains(w, []byte("Private-Lines:")) {
		return "", 0, 0, false
	}
	return string(w[:m[1]]), h.pos, h.pos + m[1], true
}

// checkAWSKeyID works by hand rather than with a regular expression:
// "ASIA" is a common word.
func checkAWSKeyID(h *hit) (string, int, int, bool) {
	b, p := h.buf, h.pos
	if p > 0 && alnum(b[p-1]) || p+20 > len(b) || p+20 < len(b) && alnum(b[p+20]) {
		return "", 0, 0, false
	}
	for _, c := range b[p+4 : p+20] {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", 0, 0, false
		}
	}
	id := string(b[p : p+20])
	if fakeToken(id) {
		return "", 0, 0, false
	}
	return mask(id, 4), p, p + 20, true
}

func checkAWSSecret(h *hit) (string, int, int, bool) {
	w := h.window()
	m := reAWSSecret.FindSubmatchIndex(w)
	if m == nil {
		return "", 0, 0, false
	}
	v := string(w[m[2]:m[3]])
	if isExample(v) || entropy(v) < 3.5 {
		return "", 0, 0, false
	}
	return mask(v, 0), h.lo + m[2], h.lo + m[3], true
}

func checkAzure(h *hit) (string, int, int, bool) {
	w := h.window()
	m := reAzureKey.FindSubmatchIndex(w)
	if m == nil || isExample(string(w[m[2]:m[3]])) {
		return "", 0, 0, false
	}
	return "AccountKey=" + mask(string(w[m[2]:m[3]]), 0), h.lo + m[2], h.lo + m[3], true
}

// checkNPMRC reports an npm registry credential as .npmrc writes it: a
// key that starts its line or follows a registry scope
// (//registry.npmjs.org/:_authToken=...), the whole rest of the line a
// value of the key's shape: _auth is base64 of user:password, _password
// base64 of the password, _authToken a token. It runs only in npm's
// configuration files (npmrcFile); in a value or command line (Tokens,
// no file) only the scoped form counts, which nothing but npm uses.
func checkNPMRC(h *hit) (string, int, int, bool) {
	before := bytes.TrimSpace(h.buf[h.lo:h.pos])
	scoped := len(before) > 0 && before[len(before)-1] == ':'
	if len(before) > 0 && !scoped || h.path == "" && !(scoped && bytes.Contains(before, []byte("//"))) {
		return "", 0, 0, false
	}
	w := h.buf[h.pos:h.hi]
	m := reNPMRC.FindSubmatchIndex(w)
	if m == nil {
		return "", 0, 0, false
	}
	key, v := string(w[m[2]:m[3]]), string(w[m[4]:m[5]])
	rest := w[m[1]:]
	if h.path != "" {
		// In the file the value is the rest of the line.
		if len(bytes.Trim(rest, "\"' \t\r")) > 0 {
			return "", 0, 0, false
		}
	} else if len(rest) > 0 && !bytes.ContainsRune([]byte("\"' \t\r;&|)"), rune(rest[0])) {
		// On a command line it ends at a quote or the next word
		// (echo "//host/:_authToken=..." > .npmrc).
		return "", 0, 0, false
	}
	if ClassifyValue("", v) != Literal || len(v) < 8 || fakeToken(v) {
		return "", 0, 0, false
	}
	switch key {
	case "_auth", "_password":
		dec, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(dec) == 0 || key == "_auth" && (!bytes.Contains(dec, []byte(":")) || bytes.HasSuffix(dec, []byte(":"))) {
			return "", 0, 0, false
		}
	default:
		if entropy(v) < 3.0 {
			return "", 0, 0, false
		}
	}
	return mask(v, 0), h.pos + m[4], h.pos + m[5], true
}

func checkDockerAuth(h *hit) (string, int, int, bool) {
	w := h.buf[h.pos:h.hi]
	for _, m := range reDockerAuth.FindAllSubmatchIndex(w, -1) {
		v := string(w[m[4]:m[5]])
		if string(w[m[2]:m[3]]) == "auth" {
			dec, err := base64.StdEncoding.DecodeString(v)
			if err != nil || !bytes.Contains(dec, []byte(":")) || bytes.HasSuffix(dec, []byte(":")) {
				continue
			}
		}
		return `"` + string(w[m[2]:m[3]]) + `": "` + mask(v, 0) + `"`, h.pos + m[4], h.pos + m[5], true
	}
	return "", 0, 0, false
}

// checkGeneric reports `name = value` in free text when the name says it
// holds a credential (Name) and the value looks random enough to be one
// (strongValue), which keeps identifiers and prose out.
//
// In a programming language's source file the value must be a quoted
// literal: `token = get_token()`, `self.add_password = add_password` and
// `key_password: _PasswordType` assign expressions and types.
func checkGeneric(h *hit) (string, int, int, bool) {
	name, v, off, ok := assignmentAt(h)
	if !ok || !Name(name) || !strongValue(name, v) {
		return "", 0, 0, false
	}
	if sourceFile(h.path) && (off == 0 || h.buf[off-1] != '"' && h.buf[off-1] != '\'' && h.buf[off-1] != '`') {
		return "", 0, 0, false
	}
	return name + "=" + mask(v, 0), off, off + len(v), true
}

// regexCheck reports the first match of any pattern's first group that is
// not filler (fakeToken). keep is how many characters of the match stay
// visible, the token's public prefix; -1 keeps up to the first _ or -
// (ghp_, xoxb-, sk_), or four.
func regexCheck(keep int, res ...*regexp.Regexp) func(h *hit) (string, int, int, bool) {
	return func(h *hit) (string, int, int, bool) {
		w := h.window()
		for _, re := range res {
			for _, m := range re.FindAllSubmatchIndex(w, -1) {
				v := string(w[m[2]:m[3]])
				if fakeToken(v) {
					continue
				}
				k := keep
				if k < 0 {
					k = strings.IndexAny(v, "_-") + 1
					if k > 12 || k <= 0 {
						k = 4
					}
				}
				return mask(v, k), h.lo + m[2], h.lo + m[3], true
			}
		}
		return "", 0, 0, false
	}
}

var (
	// reFieldRef is a dotted reference to another secret-named field:
	// Password: authConfig.Password.
	reFieldRef = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$`)
	// reVersion is a version string: "name-secret-0:4.5.0-35.el8" in
	// package metadata.
	reVersion = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)+([-+~][0-9A-Za-z.+~_-]*)?$`)
)

// strongValue accepts a value in free text (source, configuration) only
// when it looks random enough to be a real credential, which keeps
// identifiers, expressions, versions and prose out. The cheap character
// tests run first: most candidates fail them.
func strongValue(name, v string) bool {
	var digit, lower, upper, other bool
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{digit, lower, upper, other} {
		if b {
			classes++
		}
	}
	n := strings.ToLower(name)
	if strings.Contains(n, "pass") || strings.Contains(n, "pwd") {
		if len(v) < 8 || classes < 3 || entropy(v) < 3.0 {
			return false
		}
	} else if len(v) < 16 || !digit || !lower && !upper || classes < 2 || entropy(v) < 3.5 {
		return false
	}
	if ClassifyValue(name, v) != Literal || reVersion.MatchString(v) {
		return false
	}
	return !reFieldRef.MatchString(v) || !Name(v[strings.LastIndexByte(v, '.')+1:])
}
