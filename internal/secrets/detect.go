package secrets

import (
	"bytes"
	"math"
	"path"
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
	// Start and End are the byte range of the credential in the text that
	// was searched (the value, for Pair), so that a caller can point at it
	// without the Finding carrying it in clear.
	Start, End int
	// offset orders findings before line numbers are computed.
	offset int
}

// hit is the text a detector examines around one anchor occurrence.
type hit struct {
	buf []byte
	// pos is the anchor's offset; lo and hi bound the window around it
	// (at most one line, at most a few hundred bytes each side).
	pos, lo, hi int
	// path is the file the text came from; empty for a value or command
	// line (Tokens).
	path string
}

func (h *hit) window() []byte { return h.buf[h.lo:h.hi] }

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// valueByte reports a byte of a value in free text. '&' is not one: a
// value that runs into it is a query string (token=...&type=bearer), in
// source code and documentation an example far more often than a
// credential.
func valueByte(c byte) bool {
	return nameByte(c) || c == '+' || c == '/' || c == '=' || c == '~' || c == '!' || c == '@' || c == '#' || c == '%' || c == '^' || c == '*'
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
	if s > h.lo && b[s-1] == ':' {
		// A qualified name (AWS::IAM::AccessKey, pkg::secret) names a
		// type or a member, not a setting.
		return "", "", 0, false
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

// maxWindow bounds how far a window reaches on each side of an anchor
// within its line, so that a minified multi-megabyte line costs no more
// than a short one.
const maxWindow = 384

// Detect returns the credentials in data, a file's content at path (the
// path selects file-type specific checks such as .env or .git/config; it
// may be empty). It reports at most one credential per line, the most
// specific. Binary content should be filtered by the caller.
func Detect(p string, data []byte) []Finding {
	var out []Finding
	// seen maps a line's start to its finding. It stays nil for the
	// common file without any anchor.
	var seen map[int]int
	scan(data, p, false, func(d *detector, f Finding) {
		if seen == nil {
			seen = map[int]int{}
		}
		lineStart := bytes.LastIndexByte(data[:f.offset], '\n') + 1
		if _, dup := seen[lineStart]; dup {
			return
		}
		seen[lineStart] = len(out)
		out = append(out, f)
	})
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
	return withLines(data, out)
}

// Tokens returns every credential in s that is recognisable by its shape
// alone, whatever surrounds it: private keys, cloud and SaaS tokens, registry
// credentials. It is what the Dockerfile, compose and image-config rules
// run on a value or a command line, and it uses the same detectors as the
// layer scanner (without those that need a file's context, such as
// name = value assignments in source code).
func Tokens(s string) []Finding {
	data := []byte(s)
	var out []Finding
	seen := map[int]bool{}
	scan(data, "", true, func(d *detector, f Finding) {
		if seen[f.Start] {
			return
		}
		seen[f.Start] = true
		out = append(out, f)
	})
	return withLines(data, out)
}

// scan runs every detector (tokensOnly: the shape detectors) over the
// window around each of its anchors in data, in priority order, and hands
// each credential found to report.
func scan(data []byte, p string, tokensOnly bool, report func(d *detector, f Finding)) {
	// checked records the (detector, window) pairs already examined.
	var checked map[[2]int]bool
	for _, ah := range findAnchors(data) {
		di, pos := ah.det, ah.pos
		d := &detectors[di]
		if tokensOnly && d.freeText || p != "" && d.files != nil && !d.files(p) {
			continue
		}
		lo := max(0, pos-maxWindow)
		if ls := bytes.LastIndexByte(data[lo:pos], '\n'); ls >= 0 {
			lo += ls + 1
		}
		if checked == nil {
			checked = map[[2]int]bool{}
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
		match, off, end, ok := d.check(&hit{buf: data, pos: pos, lo: lo, hi: hi, path: p})
		if ok {
			report(d, Finding{Kind: d.kind, Match: match, Start: off, End: end, offset: off})
		}
	}
}

// withLines orders findings by offset and numbers their lines.
func withLines(data []byte, out []Finding) []Finding {
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
			return append(out, Finding{Kind: "aws-secret-access-key", Match: mask(v, 0), Start: at, End: at + len(v), offset: at})
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
			name, raw := string(line[m[2]:m[3]]), string(line[m[4]:m[5]])
			if i := strings.Index(raw, " #"); i >= 0 && !strings.HasPrefix(strings.TrimSpace(raw), `"`) && !strings.HasPrefix(strings.TrimSpace(raw), "'") {
				raw = raw[:i]
			}
			if f, ok := Pair(name, raw); ok {
				at := off + m[4] + f.Start
				out = append(out, Finding{Kind: "dotenv-secret", Match: name + "=" + f.Match, Start: at, End: at + f.End - f.Start, offset: at})
			}
		})
	case (base == "config" && path.Base(path.Dir(p)) == ".git") || base == ".git-credentials":
		eachLine(func(line []byte, off int) {
			if m := reURLCreds.FindSubmatchIndex(line); m != nil {
				v := string(line[m[4]:m[5]])
				if ClassifyValue("", v) == Literal {
					out = append(out, Finding{Kind: "git-credentials", Match: string(line[m[2]:m[3]]) + ":" + mask(v, 0) + "@", Start: off + m[4], End: off + m[5], offset: off + m[4]})
				}
			}
		})
	case base == ".pypirc":
		eachLine(func(line []byte, off int) {
			if m := rePasswordKV.FindSubmatchIndex(line); m != nil {
				v := strings.TrimSpace(string(line[m[2]:m[3]]))
				if ClassifyValue("password", v) == Literal {
					out = append(out, Finding{Kind: "pypirc-password", Match: "password = " + mask(v, 0), Start: off + m[2], End: off + m[2] + len(v), offset: off + m[2]})
				}
			}
		})
	case base == ".netrc" || base == "_netrc":
		eachLine(func(line []byte, off int) {
			if m := reNetrc.FindSubmatchIndex(line); m != nil {
				v := string(line[m[2]:m[3]])
				if ClassifyValue("password", v) == Literal {
					out = append(out, Finding{Kind: "netrc-password", Match: "password " + mask(v, 0), Start: off + m[2], End: off + m[3], offset: off + m[2]})
				}
			}
		})
	}
	return out
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
