package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// liveSpec is a container as a live engine shows it: running, PID 1's
// user unknown, no drift read.
func liveSpec(name string, mod func(s *container.Spec, l *container.Live)) *container.Spec {
	s := spec(name, nil)
	s.Source = container.SourceInspect
	s.Self = container.Pos{File: "container/" + name, Range: loc.Line(1)}
	s.Live = &container.Live{ID: name + "0123456789", Status: "running", Running: true, Pid: 42, PID1UID: -1}
	if mod != nil {
		mod(s, s.Live)
	}
	return s
}

func liveProject(specs ...*container.Spec) *container.Project {
	p := project(specs...)
	p.Source = container.SourceInspect
	p.Daemon = hardenedDaemon()
	return p
}

// hardenedDaemon is a daemon every daemon rule is quiet about.
func hardenedDaemon() *container.Daemon {
	return &container.Daemon{Name: "host1", Engine: "docker", UserNamespaces: true, Seccomp: "builtin", AppArmor: true,
		ICCKnown: true, LiveRestore: true, UserlandProxySet: true, NoNewPrivileges: true, LogDriver: "journald",
		ContentTrust: true, Where: map[string]container.Pos{}, Self: container.Pos{File: "daemon/host1", Range: loc.Line(1)}}
}

func daemonWith(mod func(d *container.Daemon)) *container.Project {
	p := liveProject()
	mod(p.Daemon)
	return p
}

func changes(cs ...container.Change) func(s *container.Spec, l *container.Live) {
	return func(_ *container.Spec, l *container.Live) { l.ChangesRead, l.Changes = true, cs }
}

func file(path string, kind container.ChangeKind, mode uint32) container.Change {
	return container.Change{Path: path, Kind: kind, Mode: mode, ModeKnown: mode != 0, Regular: mode != 0 && mode&(1<<31) == 0}
}

var liveTableCases = map[*rule.Rule][]tcase{
	RT1101: {
		{name: "named user is uid 0", p: liveProject(liveSpec("w", func(s *container.Spec, l *container.Live) { s.User, l.PID1UID = "app", 0 })), want: []string{`sets User "app" but PID 1 runs with effective UID 0`}, line: 1},
		{name: "non-root", p: liveProject(liveSpec("w", func(s *container.Spec, l *container.Live) { s.User, l.PID1UID = "app", 1000 }))},
		{name: "not running", p: liveProject(liveSpec("w", func(s *container.Spec, l *container.Live) { s.User, l.PID1UID, l.Running = "app", 0, false }))},
		{name: "from a file", p: svc(with(func(s *container.Spec) { s.User = "app" }))},
	},
	RT1102: {
		{name: "no filter", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.Seccomp = "disabled" })), want: []string{"without a seccomp filter"}},
		{name: "filter", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.Seccomp = "filter" }))},
		{name: "unknown", p: liveProject(liveSpec("w", nil))},
	},
	RT1103: {
		{name: "complain", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.AppArmor = "docker-default (complain)" })), want: []string{"complain mode"}},
		{name: "enforce", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.AppArmor = "docker-default (enforce)" }))},
	},
	RT1106: {
		{name: "unsigned", p: liveProject(liveSpec("w", func(s *container.Spec, l *container.Live) {
			s.Image = "reg.example/app:1"
			l.Signature = &container.SignatureVerdict{Ref: "reg.example/app@sha256:ab", Problem: "no cosign signature found"}
		})), want: []string{`container "w" runs image reg.example/app:1, which is not signed by a trusted key: no cosign signature found`}, line: 1},
		{name: "no registry digest", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) {
			l.Running = false
			l.Signature = &container.SignatureVerdict{Problem: "the image 0123456789ab has no registry digest"}
		})), want: []string{"has no registry digest"}},
		{name: "signed", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) {
			l.Signature = &container.SignatureVerdict{Verified: true, Ref: "reg.example/app@sha256:ab"}
		}))},
		{name: "not asked", p: liveProject(liveSpec("w", nil))},
		{name: "from a file", p: svc(with(func(s *container.Spec) { s.Image = "reg.example/app:1" }))},
	},
	RT1104: {
		{name: "unhealthy", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.Health, l.FailingStreak = "unhealthy", 3 })), want: []string{"is unhealthy"}},
		{name: "restarts", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.RestartCount = 5 })), want: []string{"restarted 5 times"}},
		{name: "fine", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.Health, l.RestartCount = "healthy", 4 }))},
	},
	RT1105: {
		{name: "sshd", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) {
			l.Processes = []string{"sshd: /usr/sbin/sshd -D [listener]"}
		})), want: []string{"SSH daemon"}},
		{name: "app", p: liveProject(liveSpec("w", func(_ *container.Spec, l *container.Live) { l.Processes = []string{"/app/server"} }))},
	},
	RT1110: {
		{name: "new binary", p: liveProject(liveSpec("w", changes(file("/usr/local/bin/x", container.Added, 0o755)))), want: []string{"/usr/local/bin/x"}},
		{name: "data", p: liveProject(liveSpec("w", changes(file("/data/x", container.Added, 0o644))))},
	},
	RT1111: {
		{name: "setuid", p: liveProject(liveSpec("w", changes(file("/tmp/s", container.Added, container.ModeSetuid|0o755)))), want: []string{"/tmp/s"}},
		{name: "plain", p: liveProject(liveSpec("w", changes(file("/tmp/s", container.Added, 0o755))))},
	},
	RT1112: {
		{name: "passwd", p: liveProject(liveSpec("w", changes(file("/etc/passwd", container.Modified, 0o644)))), want: []string{"/etc/passwd"}},
		{name: "hosts", p: liveProject(liveSpec("w", changes(file("/etc/hosts", container.Modified, 0o644))))},
	},
	RT1113: {
		{name: "dpkg", p: liveProject(liveSpec("w", changes(file("/var/lib/dpkg/status", container.Modified, 0o644)))), want: []string{"/var/lib/dpkg/status"}},
		{name: "deleted", p: liveProject(liveSpec("w", changes(file("/var/lib/dpkg/status", container.Deleted, 0))))},
	},
	RT1201: {
		{name: "no userns", p: daemonWith(func(d *container.Daemon) { d.UserNamespaces = false }), want: []string{"without user namespaces"}},
		{name: "rootless", p: daemonWith(func(d *container.Daemon) { d.UserNamespaces, d.Rootless = false, true })},
		{name: "compose", p: svc()},
	},
	RT1202: {
		{name: "icc", p: daemonWith(func(d *container.Daemon) { d.ICC = true }), want: []string{"inter-container communication"}},
		{name: "unknown", p: daemonWith(func(d *container.Daemon) { d.ICC, d.ICCKnown = true, false })},
	},
	RT1203: {
		{name: "off", p: daemonWith(func(d *container.Daemon) { d.LiveRestore = false }), want: []string{"live-restore is disabled"}},
		{name: "podman", p: daemonWith(func(d *container.Daemon) { d.LiveRestore, d.Engine = false, "podman" })},
	},
	RT1204: {
		{name: "on", p: daemonWith(func(d *container.Daemon) { d.UserlandProxy = true }), want: []string{"userland proxy is enabled"}},
		{name: "off", p: daemonWith(func(d *container.Daemon) { d.UserlandProxy = false })},
	},
	RT1205: {
		{name: "off", p: daemonWith(func(d *container.Daemon) { d.NoNewPrivileges = false }), want: []string{"no-new-privileges"}},
		{name: "on", p: daemonWith(func(d *container.Daemon) {})},
	},
	RT1206: {
		{name: "unconfined", p: daemonWith(func(d *container.Daemon) { d.Seccomp = "unconfined" }), want: []string{"unconfined"}},
		{name: "path", p: daemonWith(func(d *container.Daemon) { d.Seccomp = "/etc/docker/seccomp.json" })},
	},
	RT1207: {
		{name: "unbounded", p: daemonWith(func(d *container.Daemon) { d.LogDriver = "json-file" }), want: []string{"without max-size"}},
		{name: "rotated", p: daemonWith(func(d *container.Daemon) { d.LogDriver, d.LogMaxSize = "json-file", "10m" })},
	},
	RT1208: {
		{name: "insecure", p: daemonWith(func(d *container.Daemon) { d.InsecureRegistries = []string{"r:5000"} }), want: []string{"r:5000"}},
		{name: "none", p: daemonWith(func(d *container.Daemon) {})},
	},
	RT1209: {
		{name: "tcp", p: daemonWith(func(d *container.Daemon) { d.TCPHosts = []string{"tcp://0.0.0.0:2375"} }), want: []string{"0.0.0.0:2375"}},
		{name: "none", p: daemonWith(func(d *container.Daemon) {})},
	},
	RT1210: {
		{name: "off", p: daemonWith(func(d *container.Daemon) { d.ContentTrust = false }), want: []string{"DOCKER_CONTENT_TRUST"}},
		{name: "on", p: daemonWith(func(d *container.Daemon) {})},
	},
	RT1211: {
		{name: "none", p: daemonWith(func(d *container.Daemon) { d.AppArmor = false }), want: []string{"neither AppArmor nor SELinux"}},
		{name: "selinux", p: daemonWith(func(d *container.Daemon) { d.AppArmor, d.SELinux = false, true })},
	},
}
