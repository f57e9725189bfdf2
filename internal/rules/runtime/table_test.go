package runtime

import (
	"regexp"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

func lineRange(n int) loc.Range { return loc.Line(n) }

func at7(key string) func(s *container.Spec) {
	return func(s *container.Spec) { s.Where[key] = container.Pos{File: "compose.yaml", Range: loc.Line(7)} }
}

// tcase is one table test: a project, and the messages the rule must
// report (regexps, in any order) — none means it must stay quiet.
type tcase struct {
	name string
	p    *container.Project
	want []string
	// line, when set, is where the first finding must be.
	line int
	// cfg, when set, is the configuration the rule runs under.
	cfg *config.Config
}

func svc(mods ...func(s *container.Spec)) *container.Project {
	return project(spec("app", func(s *container.Spec) {
		for _, m := range mods {
			m(s)
		}
	}))
}

func with(f func(s *container.Spec)) func(s *container.Spec) { return f }

func inspected(mods ...func(s *container.Spec)) *container.Project {
	p := svc(mods...)
	p.Source = container.SourceInspect
	for _, s := range p.Specs {
		s.Source = container.SourceInspect
	}
	return p
}

func bind(src, target string, ro bool) container.Mount {
	return container.Mount{Type: "bind", Source: src, Target: target, ReadOnly: ro, Where: container.Pos{File: "compose.yaml", Range: loc.Line(9)}}
}

var tableCases = map[*rule.Rule][]tcase{
	RT1003: {
		{name: "privileged", p: svc(at7(container.KeyPrivileged), with(func(s *container.Spec) { s.Privileged = true })), want: []string{"runs privileged"}, line: 7},
		{name: "not privileged", p: svc()},
	},
	RT1004: {
		{name: "no cap_drop", p: svc(), want: []string{"default capabilities"}, line: 2},
		{name: "partial drop", p: svc(at7(container.KeyCapDrop), with(func(s *container.Spec) { s.CapDrop = []string{"NET_RAW"} })), want: []string{"drops only NET_RAW"}, line: 7},
		{name: "drop all", p: svc(with(func(s *container.Spec) { s.CapDrop = []string{"ALL"} }))},
		// Reported, and folded into RT1003's finding by the engine.
		{name: "privileged", p: svc(with(func(s *container.Spec) { s.Privileged = true })), want: []string{"default capabilities"}},
		{name: "overlay", p: svc(with(func(s *container.Spec) { s.Partial = true }))},
		{name: "overlay drops some", p: svc(at7(container.KeyCapDrop), with(func(s *container.Spec) { s.Partial = true; s.CapDrop = []string{"NET_RAW"} })),
			want: []string{"drops only NET_RAW"}, line: 7},
	},
	RT1005: {
		{name: "sys_admin", p: svc(at7(container.KeyCapAdd), with(func(s *container.Spec) { s.CapAdd = []string{"SYS_ADMIN", "CHOWN", "NET_ADMIN"} })), want: []string{"SYS_ADMIN", "NET_ADMIN"}, line: 7},
		{name: "all", p: svc(with(func(s *container.Spec) { s.CapAdd = []string{"ALL"} })), want: []string{"ALL: every capability"}},
		{name: "default caps", p: svc(with(func(s *container.Spec) { s.CapAdd = []string{"NET_BIND_SERVICE", "CHOWN"} }))},
		// What survives removing privileged is reported (docs/contract.md).
		{name: "privileged", p: svc(with(func(s *container.Spec) { s.Privileged = true; s.CapAdd = []string{"SYS_ADMIN"} })), want: []string{"SYS_ADMIN"}},
	},
	RT1006: {
		{name: "missing", p: svc(), want: []string{"does not set no-new-privileges"}, line: 2},
		{name: "false", p: svc(at7(container.KeySecurityOpt), with(func(s *container.Spec) { s.SecurityOpt = []string{"no-new-privileges:false"} })), want: []string{"to false"}, line: 7},
		{name: "other opt", p: svc(at7(container.KeySecurityOpt), with(func(s *container.Spec) { s.SecurityOpt = []string{"apparmor:unconfined"} })), want: []string{"does not include"}, line: 7},
		{name: "set", p: svc(with(func(s *container.Spec) { s.SecurityOpt = []string{"no-new-privileges"} }))},
		{name: "set true", p: svc(with(func(s *container.Spec) { s.SecurityOpt = []string{"no-new-privileges=true"} }))},
	},
	RT1007: {
		{name: "unconfined", p: svc(with(func(s *container.Spec) { s.SecurityOpt = []string{"seccomp=unconfined"} })), want: []string{"disables the seccomp"}},
		{name: "custom", p: svc(with(func(s *container.Spec) { s.SecurityOpt = []string{"seccomp:profile.json"} }))},
	},
	RT1008: {
		{name: "apparmor", p: svc(with(func(s *container.Spec) { s.SecurityOpt = []string{"apparmor:unconfined", "label:disable"} })), want: []string{"AppArmor", "SELinux"}},
		{name: "custom profile", p: svc(with(func(s *container.Spec) { s.SecurityOpt = []string{"apparmor=my-profile", "label:type:svirt_apache_t"} }))},
	},
	RT1009: {
		{name: "explicit root", p: svc(at7(container.KeyUser), with(func(s *container.Spec) { s.User = "0:0" })), want: []string{`runs as root \(user: "0:0"\)`}, line: 7},
		{name: "no user", p: svc(), want: []string{"unless the image declares"}},
		{name: "inspect no user", p: inspected(), want: []string{"Config.User is empty"}},
		{name: "non-root", p: svc(with(func(s *container.Spec) { s.User = "1000:0" }))},
		{name: "variable", p: svc(with(func(s *container.Spec) { s.User = "${UID}" }))},
	},
	RT1010: {
		{name: "missing", p: svc(), want: []string{"writable root filesystem"}},
		{name: "explicit false", p: svc(at7(container.KeyReadOnly)), want: []string{"read_only: false"}, line: 7},
		{name: "read only", p: svc(with(func(s *container.Spec) { s.ReadOnly = true }))},
	},
	RT1011: {
		{name: "no tmpfs", p: svc(with(func(s *container.Spec) { s.ReadOnly = true })), want: []string{"no tmpfs"}},
		{name: "tmpfs", p: svc(with(func(s *container.Spec) { s.ReadOnly = true; s.Tmpfs = []string{"/tmp:size=64m"} }))},
		{name: "volume", p: svc(with(func(s *container.Spec) {
			s.ReadOnly = true
			s.Mounts = []container.Mount{{Type: "volume", Source: "scratch", Target: "/tmp"}}
		}))},
		{name: "writable root", p: svc()},
	},
	RT1012: {
		{name: "none", p: svc(), want: []string{"no memory limit"}},
		{name: "deploy without limits", p: svc(at7(keyDeployResources)), want: []string{"no memory limit"}, line: 7},
		{name: "limited", p: svc(with(func(s *container.Spec) { s.MemoryBytes = 512 << 20 }))},
	},
	RT1013: {
		{name: "none", p: svc(), want: []string{"no CPU limit"}},
		{name: "limited", p: svc(with(func(s *container.Spec) { s.NanoCPUs = 5e8 }))},
	},
	RT1014: {
		{name: "none", p: svc(), want: []string{"number of processes"}},
		{name: "unlimited", p: svc(at7(container.KeyPids)), want: []string{"no positive pids_limit"}, line: 7},
		{name: "limited", p: svc(with(func(s *container.Spec) { s.PidsLimit = 100 }))},
	},
	RT1015: {
		{name: "host", p: svc(with(func(s *container.Spec) { s.NetworkMode = "host" })), want: []string{"network namespace"}},
		{name: "service", p: svc(with(func(s *container.Spec) { s.NetworkMode = "service:web" }))},
	},
	RT1016: {
		{name: "host", p: svc(with(func(s *container.Spec) { s.PidMode = "host" })), want: []string{"PID namespace"}},
		{name: "container", p: svc(with(func(s *container.Spec) { s.PidMode = "container:x" }))},
	},
	RT1017: {
		{name: "host", p: svc(with(func(s *container.Spec) { s.IpcMode = "host" })), want: []string{"IPC namespace"}},
		{name: "shareable", p: svc(with(func(s *container.Spec) { s.IpcMode = "shareable" }))},
	},
	RT1018: {
		{name: "host", p: svc(with(func(s *container.Spec) { s.UtsMode = "host" })), want: []string{"UTS namespace"}},
		{name: "default", p: svc()},
	},
	RT1019: {
		{name: "host", p: svc(with(func(s *container.Spec) { s.UsernsMode = "host" })), want: []string{"user namespace"}},
		{name: "other", p: svc(with(func(s *container.Spec) { s.UsernsMode = "keep-id" }))},
	},
	RT1020: {
		{name: "docker", p: svc(with(func(s *container.Spec) {
			s.Mounts = []container.Mount{bind("/var/run/docker.sock", "/var/run/docker.sock", true)}
		})), want: []string{"Docker socket .*read-only does not help"}, line: 9},
		{name: "podman", p: svc(with(func(s *container.Spec) {
			s.Mounts = []container.Mount{bind("/run/user/1000/podman/podman.sock", "/var/run/docker.sock", false)}
		})), want: []string{"Podman socket"}},
		{name: "other", p: svc(with(func(s *container.Spec) { s.Mounts = []container.Mount{bind("./data", "/data", false)} }))},
	},
	RT1021: {
		{name: "etc", p: svc(with(func(s *container.Spec) {
			s.Mounts = []container.Mount{bind("/etc", "/host/etc", false), bind("/", "/host", true), bind("/proc/1", "/p", false)}
		})), want: []string{"host directory /etc read-write", "root filesystem read-only", `/proc/1 \(under /proc\)`}},
		{name: "localtime", p: svc(with(func(s *container.Spec) {
			s.Mounts = []container.Mount{bind("/etc/localtime", "/etc/localtime", true), bind("/srv/app", "/app", false), bind("/var/run/docker.sock", "/s", false)}
		}))},
		{name: "named volume", p: svc(with(func(s *container.Spec) {
			s.Mounts = []container.Mount{{Type: "volume", Source: "etc", Target: "/etc"}}
		}))},
	},
	RT1022: {
		{name: "rw", p: svc(with(func(s *container.Spec) { s.Mounts = []container.Mount{bind("./src", "/app", false)} })), want: []string{"read-write at /app"}, line: 9},
		{name: "ro", p: svc(with(func(s *container.Spec) {
			s.Mounts = []container.Mount{bind("./src", "/app", true), bind("/etc", "/e", false), {Type: "volume", Source: "data", Target: "/data"}}
		}))},
	},
	RT1023: {
		{name: "disk", p: svc(with(func(s *container.Spec) { s.Devices = []string{"/dev/sda:/dev/sda", "/dev/snd"} })), want: []string{"/dev/sda: raw access", "/dev/snd: direct access"}},
		{name: "none", p: svc()},
	},
	RT1024: {
		{name: "unbound", p: svc(at7(container.KeyPorts), with(func(s *container.Spec) {
			s.Ports = []container.Port{{HostPort: "8080", ContainerPort: "80"}, {HostIP: "0.0.0.0", HostPort: "9090", ContainerPort: "90"}, {ContainerPort: "5000"}}
		})), want: []string{"8080:80 on all", "0.0.0.0:9090:90", "5000 on all host interfaces \\(a random port\\)"}, line: 7},
		{name: "loopback", p: svc(with(func(s *container.Spec) {
			s.Ports = []container.Port{{HostIP: "127.0.0.1", HostPort: "8080", ContainerPort: "80"}}
		}))},
	},
	RT1025: {
		{name: "postgres", p: svc(with(func(s *container.Spec) {
			s.Ports = []container.Port{{HostPort: "15432", ContainerPort: "5432"}, {HostIP: "127.0.0.1", HostPort: "6379", ContainerPort: "6379"}}
		})), want: []string{"PostgreSQL port 5432 on all", "Redis port 6379 to the host on 127.0.0.1"}},
		{name: "web", p: svc(with(func(s *container.Spec) { s.Ports = []container.Port{{HostPort: "8080", ContainerPort: "8080"}} }))},
	},
	RT1026: {
		{name: "host 80", p: svc(with(func(s *container.Spec) {
			s.Ports = []container.Port{{HostPort: "80", ContainerPort: "8080"}, {HostPort: "8080", ContainerPort: "80"}}
		})), want: []string{"privileged host port 80", "container port 80"}},
		{name: "high", p: svc(with(func(s *container.Spec) { s.Ports = []container.Port{{HostPort: "8080", ContainerPort: "8080"}} }))},
	},
	RT1027: {
		{name: "proxy beside the database", p: project(spec("proxy", func(s *container.Spec) { s.Image = "nginx:1.27" }),
			spec("web", func(s *container.Spec) { s.DependsOn = []string{"db"} }),
			spec("db", func(s *container.Spec) { s.Image = "postgres:16" })), want: []string{`service "db" is reachable over the default network by proxy`}},
		{name: "no declared client", p: project(spec("proxy", nil), spec("web", nil), spec("db", func(s *container.Spec) { s.Image = "postgres:16" }))},
		{name: "env_file unread", p: project(spec("proxy", func(s *container.Spec) { s.Image = "nginx:1.27"; s.EnvIncomplete = true }),
			spec("web", func(s *container.Spec) { s.DependsOn = []string{"db"} }), spec("db", func(s *container.Spec) { s.Image = "postgres:16" }))},
		{name: "overlay datastore", p: project(spec("proxy", func(s *container.Spec) { s.Image = "nginx:1.27" }),
			spec("web", func(s *container.Spec) { s.DependsOn = []string{"db"} }),
			spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Partial = true }))},
		{name: "separate networks", p: project(spec("web", func(s *container.Spec) { s.Networks = []string{"front", "back"} }),
			spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Networks = []string{"back"} }))},
		{name: "no datastore", p: project(spec("web", nil), spec("worker", nil))},
		{name: "inspect bridge", p: inspected(with(func(s *container.Spec) { s.NetworkMode = "bridge" })), want: []string{"default bridge"}},
	},
	RT1028: {
		{name: "backend not internal", p: func() *container.Project {
			p := project(spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Networks = []string{"backend"} }))
			p.Networks = map[string]*container.Network{"backend": {Name: "backend"}}
			return p
		}(), want: []string{`network "backend" is not internal`}},
		{name: "internal", p: func() *container.Project {
			p := project(spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Networks = []string{"backend"} }))
			p.Networks = map[string]*container.Network{"backend": {Name: "backend", Internal: true}}
			return p
		}()},
		{name: "frontend", p: func() *container.Project {
			p := project(spec("web", func(s *container.Spec) { s.Networks = []string{"frontend"} }))
			p.Networks = map[string]*container.Network{"frontend": {Name: "frontend"}}
			return p
		}()},
		// Judged by members, not by name: "internal" is not internal.
		{name: "named internal", p: func() *container.Project {
			p := project(spec("api", func(s *container.Spec) { s.Networks = []string{"internal", "web"} }),
				spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Networks = []string{"internal"} }))
			p.Networks = map[string]*container.Network{"internal": {Name: "internal"}, "web": {Name: "web"}}
			return p
		}(), want: []string{`network "internal" is not internal: true although it only links datastores \(db\) to services`}},
		{name: "named backend but the app has no other way out", p: func() *container.Project {
			p := project(spec("api", func(s *container.Spec) { s.Networks = []string{"backend"} }),
				spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Networks = []string{"backend"} }))
			p.Networks = map[string]*container.Network{"backend": {Name: "backend"}}
			return p
		}()},
		{name: "joined by other projects", p: func() *container.Project {
			p := project(spec("db", func(s *container.Spec) { s.Image = "postgres:16"; s.Networks = []string{"shared"} }))
			p.Networks = map[string]*container.Network{"shared": {Name: "shared", Named: true}}
			return p
		}()},
		{name: "published from its only network", p: func() *container.Project {
			p := project(spec("db", func(s *container.Spec) {
				s.Image = "postgres:16"
				s.Networks = []string{"data"}
				s.Ports = []container.Port{{HostIP: "127.0.0.1", HostPort: "5432", ContainerPort: "5432"}}
			}))
			p.Networks = map[string]*container.Network{"data": {Name: "data"}}
			return p
		}()},
	},
	RT1029: {
		{name: "literal", p: svc(with(func(s *container.Spec) {
			s.Env = []container.EnvVar{
				{Name: "POSTGRES_PASSWORD", Value: "example", Literal: true, Where: container.Pos{File: "compose.yaml", Range: loc.Line(11)}},
				{Name: "MYAPIKEY", Value: "k3y-v4lue", Literal: true},
				{Name: "DATABASE_URL", Value: "postgres://app:hunter2@db/app", Literal: true},
			}
		})), want: []string{"POSTGRES_PASSWORD to a literal", "MYAPIKEY", "connection string DATABASE_URL"}, line: 11},
		{name: "safe", p: svc(with(func(s *container.Spec) {
			s.Env = []container.EnvVar{
				{Name: "POSTGRES_PASSWORD_FILE", Value: "/run/secrets/db", Literal: true},
				{Name: "POSTGRES_PASSWORD", Value: "fromenv", Literal: false},
				{Name: "MYSQL_ALLOW_EMPTY_PASSWORD", Value: "yes", Literal: true},
				{Name: "EGG_PASSPORT_GITHUB_CLIENT_ID", Value: "abc", Literal: true},
				{Name: "PWD", Value: "/app", Literal: true},
				{Name: "DATABASE_URL", Value: "postgres://app@db/app", Literal: true},
				{Name: "API_TOKEN", Value: "t", Literal: true, FromFile: true},
				{Name: "xpack.security.http.ssl.key", Value: "certs/elasticsearch-key.pem", Literal: true},
				{Name: "GOOGLE_APPLICATION_CREDENTIALS", Value: "./sa.json", Literal: true},
				{Name: "SECRET_KEY", Value: "file:secret.txt", Literal: true},
			}
		}))},
	},
	RT1030: {
		{name: "no tag", p: svc(with(func(s *container.Spec) { s.Image = "localhost:5000/foo" })), want: []string{"has no tag"}},
		{name: "latest", p: svc(with(func(s *container.Spec) { s.Image = "nginx:latest" })), want: []string{"latest tag"}},
		{name: "tag", p: svc(with(func(s *container.Spec) { s.Image = "nginx:1.27" })), want: []string{"pinned by tag only"}},
		{name: "digest", p: svc(with(func(s *container.Spec) { s.Image = "nginx:1.27@sha256:abc" }))},
		{name: "build", p: svc(with(func(s *container.Spec) { s.Image = "myapp"; s.Build = true }))},
	},
	RT1031: {
		{name: "disabled", p: svc(with(func(s *container.Spec) {
			s.Healthcheck = &container.Healthcheck{Test: []string{"NONE"}, Where: container.Pos{File: "compose.yaml", Range: loc.Line(12)}}
		})), want: []string{"disables its healthcheck"}, line: 12},
		{name: "missing", p: svc(), want: []string{"configures no healthcheck"}},
		{name: "set", p: svc(with(func(s *container.Spec) { s.Healthcheck = &container.Healthcheck{Test: []string{"CMD", "true"}} }))},
	},
	RT1032: {
		{name: "always", p: svc(with(func(s *container.Spec) { s.Restart = container.Restart{Name: "always"} })), want: []string{"always without limit"}},
		{name: "on-failure 10", p: svc(with(func(s *container.Spec) { s.Restart = container.Restart{Name: "on-failure", MaxRetries: 10} })), want: []string{"10 times"}},
		{name: "missing", p: svc(), want: []string{"no restart policy"}},
		{name: "on-failure 5", p: svc(with(func(s *container.Spec) { s.Restart = container.Restart{Name: "on-failure", MaxRetries: 5} }))},
	},
	RT1033: {
		{name: "rshared", p: svc(with(func(s *container.Spec) {
			m := bind("/data", "/data", false)
			m.Propagation = "rshared"
			s.Mounts = []container.Mount{m}
		})), want: []string{"rshared propagation"}},
		{name: "private", p: svc(with(func(s *container.Spec) {
			m := bind("/data", "/data", false)
			m.Propagation = "rprivate"
			s.Mounts = []container.Mount{m}
		}))},
	},
	RT1034: {
		{name: "set", p: svc(with(func(s *container.Spec) { s.CgroupParent = "system.slice" })), want: []string{"system.slice"}},
		{name: "unset", p: svc()},
	},
	RT1035: {
		{name: "unlimited", p: svc(with(func(s *container.Spec) {
			s.Ulimits = []container.Ulimit{{Name: "nproc", Soft: -1, Hard: -1}, {Name: "nofile", Soft: 2000000, Hard: 2000000}}
		})), want: []string{"nproc to unlimited", "nofile to 2000000"}},
		{name: "sane", p: svc(with(func(s *container.Spec) { s.Ulimits = []container.Ulimit{{Name: "nofile", Soft: 65536, Hard: 65536}} }))},
	},
	RT1036: {
		{name: "shared", p: project(
			spec("a", func(s *container.Spec) { s.Mounts = []container.Mount{{Type: "volume", Source: "up", Target: "/u"}} }),
			spec("b", func(s *container.Spec) { s.Mounts = []container.Mount{{Type: "volume", Source: "up", Target: "/d"}} }),
		), want: []string{"shares volume up with b", "shares volume up with a"}},
		{name: "reader only", p: project(
			spec("a", func(s *container.Spec) {
				s.Mounts = []container.Mount{{Type: "volume", Source: "up", Target: "/u", ReadOnly: true}}
			}),
			spec("b", func(s *container.Spec) { s.Mounts = []container.Mount{{Type: "volume", Source: "other", Target: "/d"}} }),
		)},
	},
	RT1037: {
		{name: "none", p: svc(with(func(s *container.Spec) { s.LoggingDriver = "none" })), want: []string{`"none" log driver`}},
		{name: "inspected none", p: inspected(with(func(s *container.Spec) { s.LoggingDriver = "none" })), want: []string{"discarded"}},
		{name: "json-file", p: svc(with(func(s *container.Spec) { s.LoggingDriver = "json-file" }))},
		{name: "default", p: svc()},
	},
	RT1038: {
		{name: "untrusted", cfg: trustCfg("registry.example.com"), p: svc(with(func(s *container.Spec) { s.Image = "someuser/toolbox:1.2" })),
			want: []string{`^image someuser/toolbox:1.2 of service "app" comes from docker.io, which is not in trusted-registries$`}},
		{name: "inspected", cfg: trustCfg("registry.example.com"), p: inspected(with(func(s *container.Spec) { s.Image = "ghcr.io/x/y:1" })),
			want: []string{`comes from ghcr.io`}},
		{name: "trusted", cfg: trustCfg("registry.example.com", "docker.io/library"), p: svc(with(func(s *container.Spec) { s.Image = "nginx:1.27" }))},
		{name: "trusted wildcard", cfg: trustCfg("*.example.com"), p: svc(with(func(s *container.Spec) { s.Image = "registry.example.com/app:1" }))},
		{name: "unconfigured", p: svc(with(func(s *container.Spec) { s.Image = "someuser/toolbox:1.2" }))},
		{name: "built", cfg: trustCfg("registry.example.com"), p: svc(with(func(s *container.Spec) { s.Image, s.Build = "someuser/toolbox:1.2", true }))},
		{name: "variable", cfg: trustCfg("registry.example.com"), p: svc(with(func(s *container.Spec) { s.Image = "${IMAGE}" }))},
	},
	RT1039: {
		{name: "off", p: func() *container.Project {
			p := svc()
			p.TrustOff = []container.TrustOff{{Where: container.Pos{File: "ci.sh", Range: lineRange(3)}, What: "DOCKER_CONTENT_TRUST=0"}}
			return p
		}(), want: []string{`^DOCKER_CONTENT_TRUST=0 switches Docker Content Trust off`}, line: 3},
		{name: "none", p: svc()},
	},
}

// trustCfg is a configuration with trust.registries set.
func trustCfg(registries ...string) *config.Config {
	c := config.Default()
	c.Trust.Registries = registries
	return c
}

// TestRuleTable checks every rule on Go-built models: each case's
// messages must all be reported, nothing else, and cases without
// messages must stay quiet. Every rule above RT1002 needs cases of both
// kinds.
func TestRuleTable(t *testing.T) {
	for _, r := range All() {
		if r.ID <= "RT1002" {
			continue
		}
		cases, ok := tableCases[r]
		if !ok {
			cases, ok = liveTableCases[r]
		}
		if !ok {
			t.Errorf("%s has no table cases", r.ID)
			continue
		}
		var fire, quiet bool
		for _, c := range cases {
			if len(c.want) > 0 {
				fire = true
			} else {
				quiet = true
			}
			got := runRule(t, r, c.p, c.cfg)
			if len(got) != len(c.want) {
				var msgs []string
				for _, f := range got {
					msgs = append(msgs, f.Message)
				}
				t.Errorf("%s %s: got %d findings %q, want %d", r.ID, c.name, len(got), msgs, len(c.want))
				continue
			}
			for _, w := range c.want {
				re := regexp.MustCompile(w)
				found := false
				for _, f := range got {
					if re.MatchString(f.Message) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s %s: no finding matches %q (got %q)", r.ID, c.name, w, got[0].Message)
				}
			}
			if c.line > 0 && len(got) > 0 && got[0].Range.Line != c.line {
				t.Errorf("%s %s: finding at line %d, want %d", r.ID, c.name, got[0].Range.Line, c.line)
			}
			for _, f := range got {
				if f.File == "" || f.Range.Line == 0 {
					t.Errorf("%s %s: finding without a place: %+v", r.ID, c.name, f)
				}
			}
		}
		if !fire || !quiet {
			t.Errorf("%s needs table cases that fire and cases that stay quiet", r.ID)
		}
	}
}
