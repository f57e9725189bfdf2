package dockerfile

import (
	"regexp"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1504 catches package installs that skip the package manager's signature
// check: `apt-get --allow-unauthenticated` / `--force-yes`, `apk
// --allow-untrusted`, `dnf/yum --nogpgcheck`, `rpm --nosignature`, and
// `gpgcheck=0` or `[trusted=yes]` written into repository configuration.
// Signatures are what ties a package to its publisher; without them any
// mirror or proxy can substitute its own.
var DF1504 = &rule.Rule{
	ID:       "DF1504",
	Slug:     "signature-check-disabled",
	Title:    "Package signature verification disabled",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "Distribution packages are usually fetched over plain HTTP from mirrors; the signed repository metadata is the only " +
		"thing that proves a package came from the distribution and was not altered on the way. Turning the check off lets a " +
		"compromised mirror, proxy or network install arbitrary code as root in the image, and settings written into repository " +
		"files keep the check off for every later install, including those made in running containers.",
	Fix: "Remove the option and import the repository's signing key instead (`curl -fsSLo /etc/apt/keyrings/x.asc URL` with " +
		"`signed-by=` in the source entry, `rpm --import KEY` or `gpgkey=` in the .repo file, `apk add --allow-untrusted` replaced by " +
		"copying the key into /etc/apk/keys).",
	Bad:   "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --allow-unauthenticated vendor-agent",
	Good:  "FROM debian:12-slim\nCOPY vendor.asc /etc/apt/keyrings/vendor.asc\nRUN echo \"deb [signed-by=/etc/apt/keyrings/vendor.asc] https://apt.vendor.example stable main\" > /etc/apt/sources.list.d/vendor.list \\\n && apt-get update && apt-get install -y vendor-agent",
	Peers: []rule.Peer{{Tool: "checkov", ID: "CKV2_DOCKER_7"}, {Tool: "checkov", ID: "CKV2_DOCKER_8"}, {Tool: "checkov", ID: "CKV2_DOCKER_9"}, {Tool: "checkov", ID: "CKV2_DOCKER_10"}, {Tool: "checkov", ID: "CKV2_DOCKER_11"}},
	References: []string{
		"https://wiki.debian.org/SecureApt",
		"https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper",
		"https://dnf.readthedocs.io/en/latest/command_ref.html",
		"https://rpm-software-management.github.io/rpm/manual/signatures_digests.html",
	},
	Check: eachCommand(itgCheckSig),
}

var itgSigConfig = []itgConfigPattern{
	{regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.-])(localpkg_)?gpgcheck\s*=\s*["']?(0|false|no|off)\b`), "gpgcheck=0"},
	{regexp.MustCompile(`(?i)\[[^\]\n]*\b(trusted|allow-insecure)=yes`), "[trusted=yes]"},
	{regexp.MustCompile(`(?i)APT::Get::AllowUnauthenticated["'\s=]+(true|1|yes)\b`), "APT::Get::AllowUnauthenticated true"},
	{regexp.MustCompile(`(?i)Acquire::AllowInsecureRepositories["'\s=]+(true|1|yes)\b`), "Acquire::AllowInsecureRepositories true"},
	{regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.-])SigLevel\s*=\s*Never\b`), "SigLevel = Never"},
}

// itgCheckSig reports a command that turns signature checks off with an
// option or writes such a setting into a configuration file.
func itgCheckSig(p *rule.Pass, in *df.Instruction, c *df.Cmd) {
	if i, what := itgSigFlag(in, c); what != "" {
		p.Reportf(in.ArgRange(c, i), "%s", what)
		return
	}
	if what, where, ok := itgConfigWrite(c, itgSigConfig); ok && !(what == "[trusted=yes]" && itgLocalAptSource(c)) {
		p.Reportf(in.CmdRange(c), "%s writes %s%s, which turns off package signature checks", c.Name, what, where)
	}
}

// itgSigFlag looks for an option that turns signature checks off and
// returns its argument index and the message.
func itgSigFlag(in *df.Instruction, c *df.Cmd) (int, string) {
	name, args := c.Name, c.Args
	flag := c.FlagIndex
	switch name {
	case "apt-get", "apt", "aptitude":
		if i := flag("--allow-unauthenticated", "--allow-insecure-repositories", "--allow-untrusted"); i >= 0 {
			return i, name + " " + args[i] + " installs packages whose signatures are missing or invalid"
		}
		if i := flag("--force-yes"); i >= 0 {
			return i, name + " --force-yes accepts unauthenticated packages (and downgrades) without asking"
		}
		for _, o := range c.AptOptions() {
			v := o.Value
			if itgSigConfig[2].re.MatchString(v) || itgSigConfig[3].re.MatchString(v) || itgAptOptTrue(v, "Acquire::AllowDowngradeToInsecureRepositories") {
				return o.Index, name + " -o " + v + " installs packages whose signatures are missing or invalid"
			}
		}
	case "apk":
		if i := flag("--allow-untrusted"); i >= 0 && !itgLocalBuiltApks(in, c) {
			return i, "apk --allow-untrusted installs packages without a trusted signature"
		}
	case "yum", "dnf", "dnf5", "tdnf", "microdnf", "yum-config-manager", "dnf-config-manager":
		if i := flag("--nogpgcheck", "--no-gpgchecks", "--no-gpgcheck"); i >= 0 {
			return i, name + " " + args[i] + " installs packages without checking their GPG signatures"
		}
		for _, key := range []string{"gpgcheck", "localpkg_gpgcheck"} {
			if i, k, v := itgSetopt(c, key); i >= 0 && itgFalsy(v) {
				return i, name + " --setopt=" + k + "=" + v + " turns off GPG signature checks"
			}
		}
	case "zypper":
		if i := flag("--no-gpg-checks", "--no-gpgcheck"); i >= 0 {
			return i, "zypper " + args[i] + " installs packages without checking their GPG signatures"
		}
		ops := itgOpts{}.operands(args)
		if len(ops) > 0 && (ops[0].Val == "ar" || ops[0].Val == "addrepo" || ops[0].Val == "mr" || ops[0].Val == "modifyrepo") {
			if i := (itgOpts{short: "rptn"}).index(args, 'G'); i >= 0 {
				return i, "zypper " + ops[0].Val + " -G adds a repository without GPG signature checks"
			}
		}
	case "rpm":
		if i := flag("--nosignature", "--nodigest", "--noverify", "--nofiledigest"); i >= 0 {
			return i, "rpm " + args[i] + " installs packages without verifying their signatures or digests"
		}
	case "dpkg":
		if i := flag("--force-bad-verify"); i >= 0 {
			return i, "dpkg " + args[i] + " installs packages whose signature check failed"
		}
	}
	return -1, ""
}

func itgAptOptTrue(v, key string) bool {
	k, val, ok := strings.Cut(v, "=")
	return ok && strings.EqualFold(strings.TrimSpace(k), key) && itgTruthy(val)
}

// itgLocalBuiltApks reports whether an `apk add --allow-untrusted` installs
// only local .apk files mounted from another stage of the same build: such
// packages were just built and are not signed, but nothing was downloaded.
func itgLocalBuiltApks(in *df.Instruction, c *df.Cmd) bool {
	fromStage := false
	for _, m := range in.Script.Mounts {
		if m.From != "" {
			fromStage = true
		}
	}
	if !fromStage {
		return false
	}
	op, ok := c.Package()
	if !ok || op.Family != df.FamilyApk || len(op.Pkgs) == 0 {
		return false
	}
	for _, p := range op.Pkgs {
		if !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, ".apk") {
			return false
		}
	}
	return true
}

// itgLocalAptSource reports whether a `[trusted=yes]` source entry points
// at a local directory (file: or copy: URI), the usual way to install
// packages built earlier in the same RUN; nothing is fetched from a mirror.
func itgLocalAptSource(c *df.Cmd) bool {
	for _, a := range c.Args {
		if strings.Contains(a, "trusted=yes") {
			return strings.Contains(a, " file:") || strings.Contains(a, " copy:")
		}
	}
	return false
}
