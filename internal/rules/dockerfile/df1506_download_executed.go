package dockerfile

import (
	"path"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1506 catches a file downloaded and then executed in the same RUN with
// nothing checking it in between: `wget URL -O x.run && bash x.run`,
// `curl -o install.sh URL && sh install.sh`, `curl -LO URL/tool && chmod +x
// tool && ./tool`. It is DF1502's pipe to a shell with an extra file: what
// runs is still whatever the server sent that day. A checksum or signature
// check anywhere before the execution (sha256sum -c, gpg --verify, cosign
// verify-blob, a test comparing a sum) counts as verification.
var DF1506 = &rule.Rule{
	ID:       "DF1506",
	Slug:     "download-executed-unverified",
	Title:    "Downloaded file executed without verification",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "An installer script or binary fetched over the network and run straight away executes code nobody has " +
		"checked, usually as root: a compromised release server, a hijacked domain or a man in the middle gets code " +
		"execution in the build, and the next build may run different code from the same Dockerfile. Writing the download " +
		"to a file first changes nothing unless something checks that file against a known digest or signature before it runs.",
	Fix: "Pin what you run: keep its SHA-256 in the Dockerfile and check it before running " +
		"(`echo \"${SHA256}  /tmp/install.sh\" | sha256sum -c -`), or verify the vendor's signature with gpg or cosign; " +
		"better, install the tool from a package manager or `COPY --from` a pinned image.",
	Bad: "FROM debian:12-slim\nRUN wget -q https://example.com/tool-installer.run -O /tmp/tool.run && bash /tmp/tool.run",
	Good: "FROM debian:12-slim\nARG TOOL_SHA256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\n" +
		"RUN wget -q https://example.com/tool-installer.run -O /tmp/tool.run \\\n" +
		" && echo \"${TOOL_SHA256}  /tmp/tool.run\" | sha256sum -c - \\\n && bash /tmp/tool.run",
	Peers: []rule.Peer{},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#add-or-copy",
		"https://slsa.dev/spec/v1.0/threats",
	},
	Subsumes: []rule.Subsumption{{IDs: []string{"DF1507"}, Same: rule.SameInstruction}},
	Check:    eachRun(false, itgCheckDownloadExecuted),
}

// itgFetched is a file a command of the RUN downloaded.
type itgFetched struct {
	tool string
	cmd  *df.Cmd
}

// itgCheckDownloadExecuted follows one RUN's commands in order: downloads
// are recorded by the path they write, and a command that executes one of
// those paths before any verification is reported.
func itgCheckDownloadExecuted(p *rule.Pass, in *df.Instruction) {
	if !strings.Contains(in.Script.Text, "curl") && !strings.Contains(in.Script.Text, "wget") && !strings.Contains(in.Script.Text, "fetch") {
		return
	}
	cwd := itgStartDir(in)
	fetched := map[string]itgFetched{}
	for _, c := range in.Script.Commands {
		if itgVerifies(c) {
			return
		}
		if c.Name == "cd" {
			if ps := c.Positionals(); len(ps) == 1 {
				if v, ok := in.ExpandKnown(ps[0]); ok {
					cwd = leanResolve(v, cwd)
				}
			}
			continue
		}
		if c.Name == "curl" || c.Name == "wget" || c.Name == "fetch" {
			for _, w := range leanWritten(in, c, cwd) {
				if w.path != "" {
					fetched[w.path] = itgFetched{tool: c.Name, cmd: c}
				}
			}
			continue
		}
		file, how := itgExecutedFile(c)
		if file == "" {
			continue
		}
		v, ok := in.ExpandKnown(file)
		if !ok {
			continue
		}
		abs := leanResolve(v, cwd)
		if d, ok := fetched[abs]; ok {
			p.Reportf(in.CmdRange(c), "%s runs %s, which %s downloaded at line %d, and nothing checked its checksum or signature first",
				how, v, d.tool, d.cmd.Range.Line)
			delete(fetched, abs)
		}
	}
}

// itgStartDir is the working directory a RUN starts in, as far as the
// WORKDIRs before it tell; a placeholder when they do not, so that relative
// paths written and run in the same directory still compare equal.
func itgStartDir(in *df.Instruction) string {
	var dirs []string
	for x := range in.Earlier() {
		if x.Keyword == "WORKDIR" && len(x.Args) > 0 {
			v, unmatched := x.Expand(x.Args[0])
			if len(unmatched) > 0 {
				break
			}
			dirs = append(dirs, v)
			if strings.HasPrefix(v, "/") {
				break
			}
		}
	}
	cwd := "/.workdir"
	for i := len(dirs) - 1; i >= 0; i-- {
		cwd = leanResolve(dirs[i], cwd)
	}
	return cwd
}

// itgExecutedFile returns the file a command executes as a program or as
// the script of an interpreter, and how it runs it ("bash", "the shell");
// "" when it runs none.
func itgExecutedFile(c *df.Cmd) (string, string) {
	switch {
	case c.Name == "." || c.Name == "source":
		if len(c.Args) > 0 {
			return c.Args[0], c.Name
		}
	case itgShell(c.Name):
		if itgShOpts.has(c.Args, 'c') {
			return "", ""
		}
		if ops := itgShOpts.operands(c.Args); len(ops) > 0 && ops[0].Val != "-" {
			return ops[0].Val, c.Name
		}
	case itgIsPython(c.Name) || c.Name == "perl" || c.Name == "ruby" || c.Name == "node" || c.Name == "php":
		o := itgOpts{short: "cmWXQeEIrxCF"}
		if o.has(c.Args, 'c') || o.has(c.Args, 'm') || o.has(c.Args, 'e') || o.has(c.Args, 'E') {
			return "", ""
		}
		if ops := o.operands(c.Args); len(ops) > 0 && ops[0].Val != "-" {
			return ops[0].Val, c.Name
		}
	case strings.Contains(c.Path, "/") && c.Path != "":
		return c.Path, "the shell"
	}
	return "", ""
}

// itgSumTools compute digests; with -c (--check) they verify files.
var itgSumTools = map[string]bool{"sha256sum": true, "sha512sum": true, "sha384sum": true, "sha224sum": true, "sha1sum": true,
	"md5sum": true, "b2sum": true, "shasum": true, "cksum": true}

// itgVerifies reports whether a command checks a download: a digest tool
// in check mode, a signature check (gpg --verify, gpgv, cosign
// verify-blob, minisign -V, openssl dgst -verify, rpm -K), or a test that
// compares a digest it computes.
func itgVerifies(c *df.Cmd) bool {
	switch {
	case itgSumTools[c.Name]:
		return c.HasFlag("-c", "--check")
	case c.Name == "gpg" || c.Name == "gpg2":
		return c.HasFlag("--verify", "--verify-files")
	case c.Name == "gpgv" || c.Name == "gpgv2":
		return true
	case c.Name == "cosign":
		return c.Sub() == "verify-blob" || c.Sub() == "verify-blob-attestation"
	case c.Name == "minisign" || c.Name == "signify":
		return c.HasFlag("-V")
	case c.Name == "openssl":
		return c.HasFlag("-verify")
	case c.Name == "[" || c.Name == "[[" || c.Name == "test":
		for _, a := range c.Args {
			if strings.Contains(a, "$(") && strings.Contains(a, "sum") {
				return true
			}
		}
	case c.Name == "grep" && c.PipePrev != nil && itgSumTools[c.PipePrev.Name]:
		// sha256sum FILE | grep -q "$SHA": the grep fails on a mismatch.
		return true
	}
	return false
}

// itgLoopback reports whether a URL host is the machine or network the
// build runs on (loopback, link-local, private ranges, a single-label
// service name), where a download never crosses the internet.
func itgLoopback(host string) bool {
	h := strings.ToLower(strings.Trim(host, "[]"))
	if h == "" || h == "localhost" || !strings.Contains(h, ".") && !strings.Contains(h, ":") {
		return true
	}
	for _, pre := range []string{"127.", "10.", "192.168.", "169.254.", "0.0.0.0", "::1", "fe80:"} {
		if strings.HasPrefix(h, pre) {
			return true
		}
	}
	if strings.HasPrefix(h, "172.") {
		if parts := strings.Split(h, "."); len(parts) > 1 {
			switch parts[1] {
			case "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31":
				return true
			}
		}
	}
	return strings.HasSuffix(h, ".local") || strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".localhost") || path.Ext(h) == ".svc"
}
