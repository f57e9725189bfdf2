package dockerfile_test

import (
	"reflect"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// runCmds parses one RUN line and returns its commands.
func runCmds(t *testing.T, line string) []*dockerfile.Cmd {
	t.Helper()
	f := parse(t, "FROM scratch\nRUN "+line+"\n")
	noErrors(t, f)
	in := f.Stages[0].Instructions[0]
	if in.Script == nil || len(in.Script.Commands) == 0 {
		t.Fatalf("%q: no commands", line)
	}
	return in.Script.Commands
}

func TestPackage(t *testing.T) {
	type flags struct{ Update, Install, Upgrade, Clean, Remove, AutoRemove, MarkAuto bool }
	tests := []struct {
		line    string
		cmd     int // index of the command in the RUN
		family  string
		sub     string
		pkgs    []string
		options []string
		virtual string
		flags   flags
	}{
		{line: "apt-get -o Acquire::Retries=3 install -y --no-install-recommends a b=1", family: "apt", sub: "install",
			pkgs: []string{"a", "b=1"}, options: []string{"-o", "Acquire::Retries=3", "-y", "--no-install-recommends"}, flags: flags{Install: true}},
		{line: "apt-get update", family: "apt", sub: "update", flags: flags{Update: true}},
		{line: "apt-get -t bookworm-backports -a arm64 install curl", family: "apt", sub: "install",
			pkgs: []string{"curl"}, options: []string{"-t", "bookworm-backports", "-a", "arm64"}, flags: flags{Install: true}},
		{line: "apt-get -yqo Dpkg::Options::=--force-confold install gcc", family: "apt", sub: "install",
			pkgs: []string{"gcc"}, options: []string{"-yqo", "Dpkg::Options::=--force-confold"}, flags: flags{Install: true}},
		{line: "apt-get -tbookworm-backports install -y gcc", family: "apt", sub: "install",
			pkgs: []string{"gcc"}, options: []string{"-tbookworm-backports", "-y"}, flags: flags{Install: true}},
		{line: "apt-get install -y -- gcc -odd", family: "apt", sub: "install",
			pkgs: []string{"gcc", "-odd"}, options: []string{"-y", "--"}, flags: flags{Install: true}},
		{line: "apt-get purge -y --auto-remove gcc", family: "apt", sub: "purge", pkgs: []string{"gcc"},
			options: []string{"-y", "--auto-remove"}, flags: flags{Remove: true, AutoRemove: true}},
		{line: "apt-get dist-upgrade -y", family: "apt", sub: "dist-upgrade", options: []string{"-y"}, flags: flags{Upgrade: true}},
		{line: "apt-get dist-clean", family: "apt", sub: "dist-clean", flags: flags{Clean: true}},
		{line: "apt-mark auto '.*'", family: "apt", sub: "auto", pkgs: []string{".*"}, flags: flags{MarkAuto: true}},
		{line: "apk add --no-cache --virtual .deps gcc musl-dev", family: "apk", sub: "add", pkgs: []string{"gcc", "musl-dev"},
			options: []string{"--no-cache", "--virtual", ".deps"}, virtual: ".deps", flags: flags{Install: true}},
		{line: "apk add -U -t=.build gcc", family: "apk", sub: "add", pkgs: []string{"gcc"},
			options: []string{"-U", "-t=.build"}, virtual: ".build", flags: flags{Install: true, Update: true}},
		{line: "apk --repository http://x/edge del .deps", family: "apk", sub: "del", pkgs: []string{".deps"},
			options: []string{"--repository", "http://x/edge"}, flags: flags{Remove: true}},
		{line: "dnf -y install x && dnf clean all", family: "rpm", sub: "install", pkgs: []string{"x"}, options: []string{"-y"}, flags: flags{Install: true}},
		{line: "dnf -y install x && dnf clean all", cmd: 1, family: "rpm", sub: "clean", pkgs: []string{"all"}, flags: flags{Clean: true}},
		{line: "yum --enablerepo epel -y update", family: "rpm", sub: "update", options: []string{"--enablerepo", "epel", "-y"}, flags: flags{Upgrade: true}},
		{line: "microdnf update openssl", family: "rpm", sub: "update", pkgs: []string{"openssl"}, flags: flags{Install: true}},
		{line: "dnf module install -y nodejs:18", family: "rpm", sub: "module", pkgs: []string{"install", "nodejs:18"}, options: []string{"-y"}, flags: flags{Install: true}},
		{line: "tdnf autoremove", family: "rpm", sub: "autoremove", flags: flags{AutoRemove: true}},
		{line: "dnf makecache", family: "rpm", sub: "makecache", flags: flags{Update: true}},
		{line: "dnf -y up", family: "rpm", sub: "up", options: []string{"-y"}, flags: flags{Upgrade: true}},
		{line: "dnf -y up-min", family: "rpm", sub: "up-min", options: []string{"-y"}, flags: flags{Upgrade: true}},
		{line: "dnf -y rei bash", family: "rpm", sub: "rei", pkgs: []string{"bash"}, options: []string{"-y"}, flags: flags{Install: true}},
		{line: "zypper -n in pkg", family: "zypper", sub: "in", pkgs: []string{"pkg"}, options: []string{"-n"}, flags: flags{Install: true}},
		{line: "zypper -C /tmp/zc --non-interactive install -C -t pattern devel_basis", family: "zypper", sub: "install",
			pkgs: []string{"devel_basis"}, options: []string{"-C", "/tmp/zc", "--non-interactive", "-C", "-t", "pattern"}, flags: flags{Install: true}},
		{line: "zypper ref", family: "zypper", sub: "ref", flags: flags{Update: true}},
		{line: "zypper rm -y vim", family: "zypper", sub: "rm", pkgs: []string{"vim"}, options: []string{"-y"}, flags: flags{Remove: true}},
		{line: "pacman -Syu --noconfirm git", family: "pacman", sub: "-Syu", pkgs: []string{"git"},
			options: []string{"-Syu", "--noconfirm"}, flags: flags{Update: true, Upgrade: true, Install: true}},
		{line: "pacman -Scc --noconfirm", family: "pacman", sub: "-Scc", options: []string{"-Scc", "--noconfirm"}, flags: flags{Clean: true}},
		{line: "pacman -Rns --noconfirm gcc", family: "pacman", pkgs: []string{"gcc"}, options: []string{"-Rns", "--noconfirm"}, flags: flags{Remove: true}},
		{line: "sudo apt-get install -y curl", family: "apt", sub: "install", pkgs: []string{"curl"}, options: []string{"-y"}, flags: flags{Install: true}},
	}
	for _, tt := range tests {
		c := runCmds(t, tt.line)[tt.cmd]
		op, ok := c.Package()
		if !ok {
			t.Errorf("%q [%d]: not decoded", tt.line, tt.cmd)
			continue
		}
		got := flags{op.Update, op.Install, op.Upgrade, op.Clean, op.Remove, op.AutoRemove, op.MarkAuto}
		if op.Family != tt.family || op.Sub != tt.sub || op.Tool != c.Name || op.Virtual != tt.virtual || got != tt.flags ||
			!reflect.DeepEqual(op.Pkgs, tt.pkgs) || !reflect.DeepEqual(op.Options, tt.options) {
			t.Errorf("%q [%d]:\n got %s %q pkgs=%q options=%q virtual=%q %+v\nwant %s %q pkgs=%q options=%q virtual=%q %+v",
				tt.line, tt.cmd, op.Family, op.Sub, op.Pkgs, op.Options, op.Virtual, got,
				tt.family, tt.sub, tt.pkgs, tt.options, tt.virtual, tt.flags)
		}
		if op.SubIndex >= 0 && c.Args[op.SubIndex] != op.Sub && op.Family != "pacman" {
			t.Errorf("%q: SubIndex %d points at %q, not %q", tt.line, op.SubIndex, c.Args[op.SubIndex], op.Sub)
		}
	}
}

// TestPackageLanguageManagers checks that language package managers are
// not taken for system ones and that Subcommand and OperandsAfter read them
// with their own value-taking options.
func TestPackageLanguageManagers(t *testing.T) {
	tests := []struct {
		line   string
		valued []string
		sub    string
		ops    []string
	}{
		{line: "pip install -r req.txt x==1", valued: []string{"-r", "--requirement", "-c", "--constraint"}, sub: "install", ops: []string{"x==1"}},
		{line: "pip --proxy http://p:3128 install --no-cache-dir flask", valued: []string{"--proxy"}, sub: "install", ops: []string{"flask"}},
		{line: "npm install -g a@1", sub: "install", ops: []string{"a@1"}},
		{line: "npm --prefix /app ci", valued: []string{"--prefix"}, sub: "ci"},
		{line: "gem install b -v 1", valued: []string{"-v", "--version"}, sub: "install", ops: []string{"b"}},
	}
	for _, tt := range tests {
		c := runCmds(t, tt.line)[0]
		if _, ok := c.Package(); ok {
			t.Errorf("%q: decoded as a system package manager", tt.line)
		}
		sub, i := c.Subcommand(tt.valued...)
		if sub != tt.sub {
			t.Errorf("%q: Subcommand = %q, want %q", tt.line, sub, tt.sub)
			continue
		}
		if got := c.OperandsAfter(i, tt.valued...); !reflect.DeepEqual(got, tt.ops) {
			t.Errorf("%q: OperandsAfter = %q, want %q", tt.line, got, tt.ops)
		}
	}
}
