package secrets

import (
	"bytes"
	"encoding/base64"
	"math"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Finding is one credential found in a text.
type Finding struct {
	// Kind names the credential type: "private-key", "aws-access-key-id",
	// "github-token", "generic-secret"...
	Kind string
	// Line is 1-based; 0 for a name/value pair.
	Line int
	// Match is the credential masked for display: a known public prefix is
	// kept, the rest replaced by asterisks.
	Match string
	// offset orders findings before line numbers are computed.
	offset int
}

// hit is the text a detector examines around one anchor occurrence.
type hit struct {
	buf []byte
	// pos is the anchor's offset; lo and hi bound the window around it
	// (at most one line, at most a few hundred bytes each side).
	pos, lo, hi int
	path        string
}

func (h *hit) window() []byte { return h.buf[h.lo:h.hi] }

// detector is one credential type: literal anchors that must occur for the
// check to run at all, and the check over the window around each anchor.
type detector struct {
	kind    string
	anchors [][]byte
	// fold makes the anchors match in any ASCII case.
	fold bool
	// forward makes the window extend this many bytes past the anchor
	// regardless of line ends (PEM blocks, JSON documents).
	forward int
	check   func(h *hit) (match string, offset int, ok bool)
}

func anchors(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

var (
	rePrivateKey = regexp.MustCompile(`-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?:\\n|\\r|[\s])+(?:[A-Za-z-]+: [^\n]*(?:\\n|\n)+)*[A-Za-z0-9+/=]{40,}`)
	reAWSSecret  = regexp.MustCompile(`(?i)(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?\s*(?::=|=>|=|:)\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)`)
	reAWSBare    = regexp.MustCompile(`(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`)
	reGCPKey     = regexp.MustCompile(`"private_key"\s*:\s*"-----BEGIN`)
	reAzureKey   = regexp.MustCompile(`AccountKey=([A-Za-z0-9+/]{86}==)`)
	reGitHub     = regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,255})\b`)
	reGitHubPAT  = regexp.MustCompile(`\b(github_pat_[A-Za-z0-9_]{82})\b`)
	reGitLab     = regexp.MustCompile(`\b(glpat-[A-Za-z0-9_-]{20,})\b`)
	reNPMToken   = regexp.MustCompile(`\b(npm_[A-Za-z0-9]{36})\b`)
	reNPMRC      = regexp.MustCompile(`(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"']+)`)
	rePyPI       = regexp.MustCompile(`\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})`)
	reSlack      = regexp.MustCompile(`\b(xox[baprs]-[0-9A-Za-z-]{10,})`)
	reSlackHook  = regexp.MustCompile(`(https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,})`)
	reStripe     = regexp.MustCompile(`\b([rs]k_live_[0-9A-Za-z]{20,})\b`)
	reDockerAuth = regexp.MustCompile(`"(auth|identitytoken)"\s*:\s*"([A-Za-z0-9+/=_.-]{8,})"`)
	reURLCreds   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@'"]+):([^/\s@'"]+)@[^\s/'"]+`)
	reEnvLine    = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$`)
	rePasswordKV = regexp.MustCompile(`(?i)^\s*password\s*[=:]\s*(\S.*)$`)
	reNetrc      = regexp.MustCompile(`\bpassword\s+(\S+)`)
)

// documentedExamples are credentials published in vendor documentation;
// they appear in SDKs and tests everywhere and grant nothing.
var documentedExamples = []string{
	"AKIAIOSFODNN7EXAMPLE",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
}

func isExample(s string) bool {
	if strings.Contains(s, "EXAMPLE") {
		return true
	}
	for _, e := range documentedExamples {
		if s == e {
			return true
		}
	}
	return false
}

// detectors run in priority order: when two report the same line, the
// earlier, more specific one wins.
var detectors = []detector{
	{kind: "gcp-service-account", anchors: anchors(`"service_account"`), forward: 16 << 10, check: func(h *hit) (string, int, bool) {
		w := h.window()
		loc := reGCPKey.FindIndex(w)
		if loc == nil {
			// The key may come before "type" in the document.
			start := max(0, h.pos-(16<<10))
			if loc = reGCPKey.FindIndex(h.buf[start:h.pos]); loc == nil {
				return "", 0, false
			}
			return `"type": "service_account" with "private_key"`, start + loc[0], true
		}
		return `"type": "service_account" with "private_key"`, h.lo + loc[0], true
	}},
	{kind: "private-key", anchors: anchors("PRIVATE KEY"), forward: 512, check: func(h *hit) (string, int, bool) {
		start := max(0, h.pos-40)
		if i := bytes.LastIndex(h.buf[start:h.pos], []byte("-----BEGIN ")); i >= 0 {
			start += i
		} else {
			return "", 0, false
		}
		end := min(len(h.buf), h.pos+512)
		m := rePrivateKey.FindSubmatchIndex(h.buf[start:end])
		if m == nil || m[0] != 0 {
			return "", 0, false
		}
		return "-----BEGIN " + string(h.buf[start+m[2]:start+m[3]]) + "-----", start, true
	}},
	{kind: "aws-access-key-id", anchors: anchors("AKIA", "ASIA"), check: func(h *hit) (string, int, bool) {
		// By hand rather than reAWSKeyID: "ASIA" is a common word.
		b, p := h.buf, h.pos
		if p > 0 && alnum(b[p-1]) || p+20 > len(b) || p+20 < len(b) && alnum(b[p+20]) {
			return "", 0, false
		}
		for _, c := range b[p+4 : p+20] {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return "", 0, false
			}
		}
		id := string(b[p : p+20])
		if isExample(id) {
			return "", 0, false
		}
		return mask(id, 4), p, true
	}},
	{kind: "aws-secret-access-key", anchors: anchors("aws_secret", "secret_access_key", "secretaccesskey", "secretkey"), fold: true, check: func(h *hit) (string, int, bool) {
		w := h.window()
		m := reAWSSecret.FindSubmatchIndex(w)
		if m == nil {
			return "", 0, false
		}
		v := string(w[m[2]:m[3]])
		if isExample(v) || entropy(v) < 3.5 {
			return "", 0, false
		}
		return mask(v, 0), h.lo + m[2], true
	}},
	{kind: "azure-storage-key", anchors: anchors("AccountKey="), check: func(h *hit) (string, int, bool) {
		w := h.window()
		m := reAzureKey.FindSubmatchIndex(w)
		if m == nil || isExample(string(w[m[2]:m[3]])) {
			return "", 0, false
		}
		return "AccountKey=" + mask(string(w[m[2]:m[3]]), 0), h.lo + m[2], true
	}},
	{kind: "github-token", anchors: anchors("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), check: regexCheck(reGitHub, reGitHubPAT)},
	{kind: "gitlab-token", anchors: anchors("glpat-"), check: regexCheck(reGitLab)},
	{kind: "npm-token", anchors: anchors("npm_"), check: regexCheck(reNPMToken)},
	{kind: "npmrc-auth", anchors: anchors("_authToken", "_auth", "_password"), check: func(h *hit) (string, int, bool) {
		w := h.window()
		m := reNPMRC.FindSubmatchIndex(w)
		if m == nil {
			return "", 0, false
		}
		v := string(w[m[2]:m[3]])
		if placeholder(v) || len(v) < 6 {
			return "", 0, false
		}
		return mask(v, 0), h.lo + m[2], true
	}},
	{kind: "pypi-token", anchors: anchors("pypi-AgEIcHlwaS5vcmc"), check: regexCheck(rePyPI)},
	{kind: "slack-token", anchors: anchors("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "hooks.slack.com/services/"), check: regexCheck(reSlack, reSlackHook)},
	{kind: "stripe-key", anchors: anchors("sk_live_", "rk_live_"), check: regexCheck(reStripe)},
	{kind: "docker-registry-auth", anchors: anchors(`"auths"`), forward: 64 << 10, check: func(h *hit) (string, int, bool) {
		w := h.buf[h.pos:h.hi]
		for _, m := range reDockerAuth.FindAllSubmatchIndex(w, -1) {
			v := string(w[m[4]:m[5]])
			if string(w[m[2]:m[3]]) == "auth" {
				dec, err := base64.StdEncoding.DecodeString(v)
				if err != nil || !bytes.Contains(dec, []byte(":")) || bytes.HasSuffix(dec, []byte(":")) {
					continue
				}
			}
			return `"` + string(w[m[2]:m[3]]) + `": "` + mask(v, 0) + `"`, h.pos + m[4], true
		}
		return "", 0, false
	}},
	{kind: "generic-secret", anchors: anchors("password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "access_key", "accesskey", "private_key", "credential"), fold: true, check: func(h *hit) (string, int, bool) {
		name, v, off, ok := assignmentAt(h)
		if !ok || !secretName(name) || !strongValue(name, v) {
			return "", 0, false
		}
		return name + "=" + mask(v, 0), off, true
	}},
}

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

func valueByte(c byte) bool {
	return nameByte(c) || c == '+' || c == '/' || c == '=' || c == '~' || c == '!' || c == '@' || c == '#' || c == '%' || c == '^' || c == '&' || c == '*'
}

// assignmentAt parses `name = value` (also `:`, `:=`, `=>`, with optional
// quotes) around the anchor at h.pos by hand: a regular expression over
// every anchor hit costs more than the rest of the scan together.
func assignmentAt(h *hit) (name, value string, valOff int, ok bool) {
	b := h.buf
	s := h.pos
	for s > h.lo && nameByte(b[s-1]) {
		s--
	}
	e := h.pos
	for e < h.hi && nameByte(b[e]) {
		e++
	}
	name = string(b[s:e])
	i := e
	if i < h.hi && (b[i] == '"' || b[i] == '\'') {
		i++
	}
	for i < h.hi && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	switch {
	case i+1 < h.hi && (b[i] == ':' && b[i+1] == '=' || b[i] == '=' && b[i+1] == '>'):
		i += 2
	case i < h.hi && (b[i] == '=' || b[i] == ':'):
		i++
	default:
		return "", "", 0, false
	}
	for i < h.hi && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i < h.hi && (b[i] == '"' || b[i] == '\'') {
		i++
	}
	vs := i
	for i < h.hi && valueByte(b[i]) {
		i++
	}
	if i-vs < 8 {
		return "", "", 0, false
	}
	if i < h.hi {
		switch b[i] {
		case '"', '\'', ' ', '\t', ',', ';', ')', '}', ']', '\r':
		default:
			return "", "", 0, false
		}
	}
	return name, string(b[vs:i]), vs, true
}

// regexCheck reports the first match of any pattern's first group.
func regexCheck(res ...*regexp.Regexp) func(h *hit) (string, int, bool) {
	return func(h *hit) (string, int, bool) {
		w := h.window()
		for _, re := range res {
			if m := re.FindSubmatchIndex(w); m != nil {
				v := string(w[m[2]:m[3]])
				if isExample(v) {
					continue
				}
				keep := strings.IndexAny(v, "_-") + 1
				if keep > 12 || keep <= 0 {
					keep = 4
				}
				return mask(v, keep), h.lo + m[2], true
			}
		}
		return "", 0, false
	}
}

// maxWindow bounds how far a window reaches on each side of an anchor
// within its line, so that a minified multi-megabyte line costs no more
// than a short one.
const maxWindow = 384

// Detect returns the credentials in data, a file's content at path (the
// path selects file-type specific checks such as .env or .git/config; it
// may be empty). Binary content should be filtered by the caller.
func Detect(p string, data []byte) []Finding {
	var out []Finding
	// seen maps a line's start to its finding; checked records the
	// (detector, window) pairs already examined. Both stay nil for the
	// common file without any anchor.
	var seen map[int]int
	var checked map[[2]int]bool
	for _, ah := range findAnchors(data) {
		di, pos := ah.det, ah.pos
		d := &detectors[di]
		lo := max(0, pos-maxWindow)
		if ls := bytes.LastIndexByte(data[lo:pos], '\n'); ls >= 0 {
			lo += ls + 1
		}
		if checked == nil {
			checked, seen = map[[2]int]bool{}, map[int]int{}
		}
		key := [2]int{di, lo}
		if checked[key] {
			continue
		}
		checked[key] = true
		hi := min(len(data), pos+maxWindow)
		if d.forward > 0 {
			hi = min(len(data), pos+d.forward)
		} else if j := bytes.IndexByte(data[pos:hi], '\n'); j >= 0 {
			hi = pos + j
		}
		h := &hit{buf: data, pos: pos, lo: lo, hi: hi, path: p}
		match, off, ok := d.check(h)
		if !ok {
			continue
		}
		lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
		if _, dup := seen[lineStart]; dup {
			continue
		}
		seen[lineStart] = len(out)
		out = append(out, Finding{Kind: d.kind, Match: match, offset: off})
	}
	out = awsSecretNearID(data, out, seen)
	for _, f := range detectByPath(p, data) {
		if seen == nil {
			seen = map[int]int{}
		}
		lineStart := bytes.LastIndexByte(data[:f.offset], '\n') + 1
		if i, dup := seen[lineStart]; dup {
			if out[i].Kind == "generic-secret" {
				out[i] = f
			}
			continue
		}
		seen[lineStart] = len(out)
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].offset < out[j].offset })
	line, last := 1, 0
	for i := range out {
		line += bytes.Count(data[last:out[i].offset], []byte("\n"))
		last = out[i].offset
		out[i].Line = line
	}
	return out
}

// awsSecretNearID looks for an unnamed secret access key (40 characters of
// base64 alphabet, random-looking) within a few lines of an access key id,
// the way credentials are pasted into scripts and CSV exports.
func awsSecretNearID(data []byte, out []Finding, seen map[int]int) []Finding {
	var ids []int
	for _, f := range out {
		switch f.Kind {
		case "aws-secret-access-key":
			return out
		case "aws-access-key-id":
			ids = append(ids, f.offset)
		}
	}
	for _, off := range ids {
		lo, hi := max(0, off-1024), min(len(data), off+1024)
		for _, m := range reAWSBare.FindAllSubmatchIndex(data[lo:hi], -1) {
			v := string(data[lo+m[2] : lo+m[3]])
			if isExample(v) || entropy(v) < 4.0 || !strings.ContainsAny(v, "0123456789") || strings.ToLower(v) == v || strings.ToUpper(v) == v {
				continue
			}
			at := lo + m[2]
			// The id and the secret often share a line (CSV exports), so
			// the one-finding-per-line rule does not apply here.
			seen[bytes.LastIndexByte(data[:at], '\n')+1] = len(out)
			return append(out, Finding{Kind: "aws-secret-access-key", Match: mask(v, 0), offset: at})
		}
	}
	return out
}

// detectByPath runs the checks that depend on what a file is: .env files,
// git configuration and credential stores, .pypirc and .netrc.
func detectByPath(p string, data []byte) []Finding {
	base := path.Base(p)
	var out []Finding
	eachLine := func(fn func(line []byte, off int)) {
		off := 0
		for off < len(data) {
			end := bytes.IndexByte(data[off:], '\n')
			if end < 0 {
				end = len(data) - off
			}
			fn(data[off:off+end], off)
			off += end + 1
		}
	}
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env"):
		if strings.HasSuffix(base, ".example") || strings.HasSuffix(base, ".sample") || strings.HasSuffix(base, ".template") {
			return nil
		}
		eachLine(func(line []byte, off int) {
			m := reEnvLine.FindSubmatchIndex(line)
			if m == nil {
				return
			}
			name := string(line[m[2]:m[3]])
			v := strings.Trim(strings.TrimSpace(string(line[m[4]:m[5]])), `"'`)
			if secretName(name) && plausibleValue(v) {
				out = append(out, Finding{Kind: "dotenv-secret", Match: name + "=" + mask(v, 0), offset: off + m[4]})
			}
		})
	case (base == "config" && path.Base(path.Dir(p)) == ".git") || base == ".git-credentials":
		eachLine(func(line []byte, off int) {
			if m := reURLCreds.FindSubmatchIndex(line); m != nil {
				v := string(line[m[4]:m[5]])
				if !placeholder(v) {
					out = append(out, Finding{Kind: "git-credentials", Match: string(line[m[2]:m[3]]) + ":" + mask(v, 0) + "@", offset: off + m[4]})
				}
			}
		})
	case base == ".pypirc":
		eachLine(func(line []byte, off int) {
			if m := rePasswordKV.FindSubmatchIndex(line); m != nil {
				v := strings.TrimSpace(string(line[m[2]:m[3]]))
				if plausibleValue(v) {
					out = append(out, Finding{Kind: "pypirc-password", Match: "password = " + mask(v, 0), offset: off + m[2]})
				}
			}
		})
	case base == ".netrc" || base == "_netrc":
		eachLine(func(line []byte, off int) {
			if m := reNetrc.FindSubmatchIndex(line); m != nil {
				v := string(line[m[2]:m[3]])
				if plausibleValue(v) {
					out = append(out, Finding{Kind: "netrc-password", Match: "password " + mask(v, 0), offset: off + m[2]})
				}
			}
		})
	}
	return out
}

// secretWords are the parts of a variable name that say it holds a
// credential.
var secretWords = []string{"password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key", "accesskey", "access_key", "access-key", "authkey", "auth_key", "privatekey", "private_key", "private-key", "credential", "_pass", "_pwd"}

// notSecretSuffixes mark names that refer to a credential rather than hold
// one: a file or path, a URL, an id, a length, a public GPG key id (the
// official Python images set GPG_KEY to a fingerprint).
var notSecretSuffixes = []string{"_file", "_path", "_dir", "_url", "_uri", "_name", "_id", "_ids", "_length", "_len", "_size", "_type", "_header", "_endpoint", "_expiry", "_expires", "_ttl", "_timeout", "_policy", "_prompt", "_hash", "_field", "_env", "_var", "_mode", "_enabled", "_required", "_file_path", "gpg_key", "_fingerprint", "_pattern", "_regex", "_count", "_min", "_max", "_format"}

// SecretName reports whether a variable or key name says it holds a
// credential (DB_PASSWORD, GITHUB_TOKEN, api-key), excluding names that
// only point at one (PASSWORD_FILE, TOKEN_URL) or hold public data
// (GPG_KEY fingerprints).
func SecretName(name string) bool { return secretName(name) }

func secretName(name string) bool {
	n := strings.ToLower(name)
	n = strings.NewReplacer(".", "_").Replace(n)
	hit := false
	for _, w := range secretWords {
		if strings.Contains(n, w) || (strings.HasPrefix(w, "_") && n == w[1:]) {
			hit = true
			break
		}
	}
	if !hit && (n == "pass" || n == "pwd") {
		hit = true
	}
	if !hit {
		return false
	}
	for _, s := range notSecretSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	for _, s := range []string{"tokenizer", "token_type", "tokens_", "csrf", "xsrf", "secretkeyref", "secret_name", "password_policy", "no_password", "password_auth", "token_endpoint"} {
		if strings.Contains(n, s) {
			return false
		}
	}
	return true
}

// placeholder reports values that stand for a secret rather than being
// one: references to variables, templates, documentation fillers.
func placeholder(v string) bool {
	l := strings.ToLower(v)
	if v == "" || strings.HasPrefix(v, "$") || strings.Contains(v, "${") || strings.Contains(v, "{{") || strings.HasPrefix(v, "<") || strings.HasPrefix(v, "%(") {
		return true
	}
	for _, w := range []string{"example", "xxxx", "****", "placeholder", "changeme", "change_me", "your_", "your-", "yourpassword", "dummy", "redacted", "replace", "secret_here", "insert", "none", "null", "undefined", "true", "false", "todo", "fixme", "env(", "process.env", "os.environ", "getenv", "/run/secrets/"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// plausibleValue accepts a value assigned to a credential-named key as a
// secret: non-empty, not a placeholder, not a path.
func plausibleValue(v string) bool {
	v = strings.TrimSpace(v)
	return len(v) >= 4 && !placeholder(v) && !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "./")
}

// strongValue accepts a value in free text (source, configuration) only
// when it looks random enough to be a real credential, which keeps
// identifiers and prose out.
func strongValue(name, v string) bool {
	if placeholder(v) || strings.HasPrefix(v, "/") {
		return false
	}
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
		return len(v) >= 8 && classes >= 3 && entropy(v) >= 3.0
	}
	return len(v) >= 16 && digit && (lower || upper) && classes >= 2 && entropy(v) >= 3.5
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	e := 0.0
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			e -= p * math.Log2(p)
		}
	}
	return e
}

// mask keeps the first keep characters of s and replaces the rest with
// asterisks (at most 8, so the length is not disclosed either).
func mask(s string, keep int) string {
	if keep > len(s)/2 {
		keep = len(s) / 2
	}
	return s[:keep] + "********"
}

// CheckPair inspects one name/value pair of an image configuration (an Env
// entry or a label). It reports a credential when the name says the value
// is one (and the value is not a placeholder or a path), or when the value
// itself is a recognisable token whatever the name.
func CheckPair(name, value string) (Finding, bool) {
	if fs := Detect("", []byte(name+"="+value)); len(fs) > 0 {
		f := fs[0]
		if f.Kind == "generic-secret" {
			f.Match = name + "=" + mask(value, 0)
		}
		return f, true
	}
	if secretName(name) && plausibleValue(value) {
		return Finding{Kind: "secret-named-variable", Match: name + "=" + mask(value, 0)}, true
	}
	return Finding{}, false
}
