package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1503 catches downloads made with certificate checking switched off:
// tool flags (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`,
// `git -c http.sslVerify=false`), persistent configuration (`npm config set
// strict-ssl false`, `sslverify=0` for yum/dnf) and environment variables
// (NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0, GIT_SSL_NO_VERIFY,
// PIP_TRUSTED_HOST...). Without verification HTTPS is no better than HTTP.
var DF1503 = &rule.Rule{
	ID:       "DF1503",
	Slug:     "tls-verification-disabled",
	Title:    "TLS certificate verification disabled",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "A TLS connection whose certificate is not checked can be intercepted by anyone on the network path: a proxy, " +
		"a poisoned DNS answer or a compromised CI runner can hand the build a different package, script or repository and the " +
		"client accepts it silently. When the setting is made with ENV or written into a configuration file it also stays in " +
		"the image and weakens every download the running container makes.",
	Fix: "Remove the flag, setting or variable that turns verification off, and make the certificate trusted instead: " +
		"install `ca-certificates`, or add your proxy's CA with `COPY corp-ca.crt /usr/local/share/ca-certificates/` and " +
		"`update-ca-certificates` (or point the tool at it with `--cacert`, `PIP_CERT`, `NODE_EXTRA_CA_CERTS`, `GIT_SSL_CAINFO`).",
	Bad: "FROM node:20-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nRUN curl -k -o /tmp/app.tgz https://example.com/app.tgz",
	Good: "FROM node:20-slim\nCOPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt\n" +
		"RUN update-ca-certificates && curl -fsSo /tmp/app.tgz https://example.com/app.tgz\nENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt",
	Peers: []rule.Peer{{Tool: "checkov", ID: "CKV2_DOCKER_2"}, {Tool: "checkov", ID: "CKV2_DOCKER_3"}, {Tool: "checkov", ID: "CKV2_DOCKER_4"}, {Tool: "checkov", ID: "CKV2_DOCKER_5"}, {Tool: "checkov", ID: "CKV2_DOCKER_6"}, {Tool: "checkov", ID: "CKV2_DOCKER_12"}, {Tool: "checkov", ID: "CKV2_DOCKER_13"}, {Tool: "checkov", ID: "CKV2_DOCKER_14"}, {Tool: "checkov", ID: "CKV2_DOCKER_15"}, {Tool: "checkov", ID: "CKV2_DOCKER_16"}},
	References: []string{
		"https://curl.se/docs/sslcerts.html",
		"https://pip.pypa.io/en/stable/topics/https-certificates/",
		"https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue",
		"https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify",
		"https://docs.docker.com/engine/network/ca-certs/",
	},
	Check: checkTLSVerificationDisabled,
}

var itgTLSConfig = []itgConfigPattern{
	{regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.-])sslverify\s*=\s*["']?(0|false|no|off)\b`), "sslverify=0"},
	{regexp.MustCompile(`(?i)Verify-(Peer|Host)["'\s=]+(false|0|no|off)\b`), "Acquire::https::Verify-Peer false"},
	{regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.-])strict-ssl\s*=\s*["']?false\b`), "strict-ssl=false"},
	{regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.-])trusted[-_]host\s*=\s*\S`), "trusted-host"},
	{regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.-])check_certificate\s*=\s*["']?(off|0|false|no)\b`), "check_certificate=off"},
}

var itgPipOpts = itgOpts{short: "rcefitbC", long: map[string]bool{
	"requirement": true, "constraint": true, "editable": true, "find-links": true, "index-url": true, "extra-index-url": true,
	"target": true, "trusted-host": true, "prefix": true, "root": true, "src": true, "platform": true, "python-version": true,
	"implementation": true, "abi": true, "upgrade-strategy": true, "progress-bar": true, "proxy": true, "cert": true,
	"client-cert": true, "cache-dir": true, "log": true, "retries": true, "timeout": true, "exists-action": true,
	"global-option": true, "config-settings": true, "only-binary": true, "no-binary": true, "report": true, "python": true,
	"build": true, "use-feature": true, "use-deprecated": true, "keyring-provider": true, "group": true,
	"root-user-action": true, "install-option": true, "resume-retries": true,
}}

func checkTLSVerificationDisabled(p *rule.Pass) error {
	for in, c := range fileOf(p).Commands() {
		if i, what := itgTLSFlag(c); i >= 0 || what != "" {
			// A setting spread over several arguments (i < 0) is reported
			// at the command.
			p.Reportf(in.ArgRange(c, i), "%s", what)
			continue
		}
		if what, where, ok := itgConfigWrite(c, itgTLSConfig); ok {
			p.Reportf(in.CmdRange(c), "%s writes %s%s, which turns off TLS certificate verification", c.Name, what, where)
		}
	}
	for _, e := range itgEnvSettings(fileOf(p)) {
		if tool, ok := itgTLSEnv(e.Name, e.Value); ok {
			p.Reportf(e.Range, "%s sets %s=%s, which turns off TLS certificate verification for %s", e.How, e.Name, truncate(e.Value, 40), tool)
		}
	}
	return nil
}

// itgTLSEnv reports whether an environment variable turns verification off,
// and for which tool.
func itgTLSEnv(name, value string) (string, bool) {
	v := strings.TrimSpace(value)
	switch {
	case name == "NODE_TLS_REJECT_UNAUTHORIZED":
		return "Node.js", v == "0"
	case name == "PYTHONHTTPSVERIFY":
		return "Python", v == "0"
	case name == "GIT_SSL_NO_VERIFY":
		// git disables verification when the variable exists at all.
		return "git", true
	case strings.EqualFold(name, "NPM_CONFIG_STRICT_SSL"):
		return "npm", itgFalsy(v)
	case name == "YARN_STRICT_SSL" || name == "YARN_ENABLE_STRICT_SSL":
		return "yarn", itgFalsy(v)
	case name == "PIP_TRUSTED_HOST":
		return "pip", v != ""
	case name == "UV_INSECURE_HOST":
		return "uv", v != ""
	}
	return "", false
}

// itgTLSFlag looks for a command-line option that disables verification. It
// returns the index of the argument (or -1 with a message for settings that
// span several arguments) and the message; "" when there is none.
func itgTLSFlag(c *df.Cmd) (int, string) {
	name, args := c.Name, c.Args
	switch {
	case name == "curl":
		if i := itgCurlOpts.index(args, 'k', "insecure", "proxy-insecure", "doh-insecure"); i >= 0 {
			return i, "curl " + args[i] + " turns off TLS certificate verification"
		}
	case name == "wget":
		if i := c.FlagIndex("--no-check-certificate"); i >= 0 {
			return i, "wget --no-check-certificate turns off TLS certificate verification"
		}
	case name == "git":
		return itgGitTLS(args)
	case name == "npm" || name == "yarn" || name == "pnpm":
		return itgNpmTLS(c)
	case name == "yum" || name == "dnf" || name == "tdnf" || name == "microdnf" || name == "yum-config-manager" || name == "dnf-config-manager" || name == "dnf5":
		if i, k, v := itgSetopt(c, "sslverify"); i >= 0 && itgFalsy(v) {
			return i, name + " --setopt=" + k + "=" + v + " turns off TLS certificate verification for its repositories"
		}
	case name == "apt-get" || name == "apt" || name == "aptitude":
		for _, o := range c.AptOptions() {
			if itgTLSConfig[1].re.MatchString(o.Value) {
				return o.Index, name + " -o " + o.Value + " turns off TLS certificate verification"
			}
		}
	}
	if pip, sub := itgPipArgs(c); pip != "" {
		if i := itgPipOpts.index(sub, 0, "trusted-host"); i >= 0 {
			off := len(args) - len(sub)
			host := ""
			if _, v, ok := strings.Cut(sub[i], "="); ok {
				host = v
			} else if i+1 < len(sub) {
				host = sub[i+1]
			}
			return off + i, pip + " --trusted-host " + host + " accepts that host without a valid TLS certificate"
		}
		if i := c.FlagIndex("--allow-insecure-host"); i >= 0 {
			return i, pip + " --allow-insecure-host turns off TLS certificate verification"
		}
		ops := itgPipOpts.operands(sub)
		if len(ops) >= 3 && ops[0].Val == "config" && ops[1].Val == "set" && strings.HasSuffix(strings.ToLower(ops[2].Val), "trusted-host") {
			return len(args) - len(sub) + ops[2].Idx, pip + " config sets " + ops[2].Val + ", which accepts hosts without a valid TLS certificate"
		}
	}
	return -1, ""
}

// itgPipArgs recognises pip (pip, pip3, pip3.12, python -m pip, uv pip) and
// returns its name and the arguments after it.
func itgPipArgs(c *df.Cmd) (string, []string) {
	switch {
	case c.Name == "pip" || strings.HasPrefix(c.Name, "pip2") || strings.HasPrefix(c.Name, "pip3"):
		return c.Name, c.Args
	case c.Name == "uv" && len(c.Args) > 0 && c.Args[0] == "pip":
		return "uv pip", c.Args[1:]
	case itgIsPython(c.Name):
		for i, a := range c.Args {
			if a == "-m" && i+1 < len(c.Args) && (c.Args[i+1] == "pip" || c.Args[i+1] == "pip3") {
				return c.Name + " -m pip", c.Args[i+2:]
			}
			if !strings.HasPrefix(a, "-") {
				break
			}
		}
	}
	return "", nil
}

// itgSetopt finds the first `--setopt=[repo.]key=value` for a key and
// returns its index, key as written and value; -1 when there is none.
func itgSetopt(c *df.Cmd, key string) (int, string, string) {
	for _, o := range c.Setopts() {
		k, v, ok := strings.Cut(o.Value, "=")
		lk := strings.ToLower(strings.TrimSpace(k))
		if ok && (lk == key || strings.HasSuffix(lk, "."+key)) {
			return o.Index, k, v
		}
	}
	return -1, "", ""
}

func itgGitTLS(args []string) (int, string) {
	for i, a := range args {
		if a == "-c" && i+1 < len(args) {
			k, v, _ := strings.Cut(args[i+1], "=")
			if itgGitSSLKey(k) && itgFalsy(v) {
				return i, "git -c " + args[i+1] + " turns off TLS certificate verification"
			}
		}
	}
	o := itgOpts{short: "Cfc", long: map[string]bool{"file": true, "blob": true, "type": true, "default": true, "comment": true, "value": true}}
	ops := o.operands(args)
	if len(ops) >= 3 && ops[0].Val == "config" {
		for j := 1; j+1 < len(ops); j++ {
			if itgGitSSLKey(ops[j].Val) && itgFalsy(ops[j+1].Val) {
				return ops[j].Idx, "git config sets " + ops[j].Val + " to " + ops[j+1].Val + ", which turns off TLS certificate verification"
			}
		}
	}
	return -1, ""
}

func itgGitSSLKey(k string) bool {
	k = strings.ToLower(strings.TrimSpace(k))
	return strings.HasPrefix(k, "http.") && strings.HasSuffix(k, ".sslverify")
}

// itgNpmTLS finds `npm config set strict-ssl false` (also `npm set`, `npm c
// set`, `key=value`, yarn's `enableStrictSsl`) and `--strict-ssl=false`.
func itgNpmTLS(c *df.Cmd) (int, string) {
	for i, a := range c.Args {
		if a == "--no-strict-ssl" {
			return i, c.Name + " --no-strict-ssl turns off TLS certificate verification"
		}
		if v, ok := strings.CutPrefix(a, "--strict-ssl="); ok && itgFalsy(v) {
			return i, c.Name + " " + a + " turns off TLS certificate verification"
		}
		if a == "--strict-ssl" && i+1 < len(c.Args) && itgFalsy(c.Args[i+1]) {
			return i, c.Name + " --strict-ssl false turns off TLS certificate verification"
		}
	}
	ops := itgOpts{long: map[string]bool{"location": true, "userconfig": true, "prefix": true}}.operands(c.Args)
	j := 0
	if j < len(ops) && (ops[j].Val == "config" || ops[j].Val == "c") {
		j++
	}
	if j >= len(ops) || ops[j].Val != "set" {
		return -1, ""
	}
	j++
	if j >= len(ops) {
		return -1, ""
	}
	key, val, eq := strings.Cut(ops[j].Val, "=")
	if !eq {
		if j+1 >= len(ops) {
			return -1, ""
		}
		val = ops[j+1].Val
	}
	lk := strings.ToLower(key)
	if (lk == "strict-ssl" || lk == "strict_ssl" || lk == "enablestrictssl") && itgFalsy(val) {
		return ops[j].Idx, c.Name + " config sets " + key + " to " + val + ", which turns off TLS certificate verification"
	}
	return -1, ""
}

// itgTruthy/itgFalsy compare configuration values case-insensitively.
func itgFalsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

func itgTruthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// itgConfigPattern is a setting that, written into a configuration file,
// weakens verification; what describes it for the message.
type itgConfigPattern struct {
	re   *regexp.Regexp
	what string
}

// itgConfigWrite reports whether a command writes one of the settings into
// a file (see Cmd.WrittenText), which one, and where: " into FILE" for
// messages, or "" when the file is not known.
func itgConfigWrite(c *df.Cmd, pats []itgConfigPattern) (what, where string, ok bool) {
	text, files, ok := c.WrittenText()
	if !ok {
		return "", "", false
	}
	if c.Name == "sed" {
		text = itgSedReplacements(text)
	}
	text = strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(text)
	for _, pt := range pats {
		if pt.re.MatchString(text) {
			if len(files) > 0 && files[0] != "" {
				where = " into " + files[0]
			}
			return pt.what, where, true
		}
	}
	return "", "", false
}

// itgSedReplacements keeps only the replacement part of `s/old/new/`
// expressions, so that `s/gpgcheck=0/gpgcheck=1/` is not read as writing
// the value it removes. Other expressions are kept whole.
func itgSedReplacements(text string) string {
	var out []string
	for _, e := range strings.Split(text, "\n") {
		e = strings.TrimSpace(e)
		if len(e) > 3 && e[0] == 's' {
			d := e[1]
			parts := strings.Split(e[2:], string(d))
			if len(parts) >= 2 {
				out = append(out, parts[1])
				continue
			}
		}
		out = append(out, e)
	}
	return strings.Join(out, "\n")
}

// itgEnvSetting is one variable the build sets: by ENV or ARG, as a
// `VAR=value` prefix of a command, or with `export` in a RUN.
type itgEnvSetting struct {
	In    *df.Instruction
	Range loc.Range
	How   string // "ENV", "ARG", "RUN" or "export"
	Name  string
	Value string
}

// itgEnvSettings lists every variable setting of the file.
func itgEnvSettings(f *df.File) []itgEnvSetting {
	var out []itgEnvSetting
	for _, in := range f.Instructions {
		switch c := in.Command.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				out = append(out, itgEnvSetting{In: in, Range: in.LocateKey(kv.Key), How: "ENV", Name: kv.Key, Value: itgUnquote(in, kv.Value)})
			}
		case *instructions.ArgCommand:
			if len(in.Args) == 2 && !strings.Contains(in.Args[0], "=") && !strings.Contains(in.Args[1], "=") {
				// `ARG NAME VALUE` declares two arguments, but the author
				// plainly meant a value; judge it as one.
				out = append(out, itgEnvSetting{In: in, Range: in.LocateKey(in.Args[0]), How: "ARG", Name: in.Args[0], Value: itgUnquote(in, in.Args[1])})
				continue
			}
			for _, kv := range c.Args {
				if kv.Value != nil {
					out = append(out, itgEnvSetting{In: in, Range: in.LocateKey(kv.Key), How: "ARG", Name: kv.Key, Value: itgUnquote(in, *kv.Value)})
				}
			}
		}
	}
	for in := range f.Runs() {
		out = append(out, itgRunSettings(in)...)
	}
	return out
}

// itgRunSettings lists the variables a RUN sets as `VAR=value` prefixes
// of its commands or with export, in any of its shell trees.
func itgRunSettings(in *df.Instruction) []itgEnvSetting {
	var out []itgEnvSetting
	for _, c := range in.Script.Commands {
		for k, v := range c.Assigns {
			out = append(out, itgEnvSetting{In: in, Range: in.AssignRange(c, k), How: "RUN", Name: k, Value: v})
		}
	}
	if !strings.Contains(in.Script.Text, "export") {
		return out
	}
	for _, t := range in.Script.Trees {
		syntax.Walk(t.AST, func(n syntax.Node) bool {
			d, ok := n.(*syntax.DeclClause)
			if !ok || d.Variant == nil || d.Variant.Value != "export" {
				return true
			}
			for _, a := range d.Args {
				if a.Name == nil || a.Naked {
					continue
				}
				v := ""
				if a.Value != nil {
					v = df.WordText(a.Value)
				}
				out = append(out, itgEnvSetting{In: in, Range: t.Range(a), How: "export", Name: a.Name.Value, Value: v})
			}
			return true
		})
	}
	return out
}

// itgUnquote removes the quotes of an ENV or ARG value (BuildKit does it
// when it expands the value), substituting the variables it can.
func itgUnquote(in *df.Instruction, v string) string {
	x, _ := in.Expand(v)
	return x
}
