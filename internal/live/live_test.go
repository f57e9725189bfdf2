package live

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
)

// TestDaemonFacts reads /info, daemon.json (with the line of each key) and
// the daemon's flags the way a Docker 28 host reports them.
func TestDaemonFacts(t *testing.T) {
	s := &Snapshot{
		Host: "unix:///var/run/docker.sock",
		Info: json.RawMessage(`{"Name":"h","ServerVersion":"28.3.0","SecurityOptions":["name=apparmor","name=seccomp,profile=builtin","name=cgroupns"],
			"LiveRestoreEnabled":false,"LoggingDriver":"json-file",
			"RegistryConfig":{"InsecureRegistryCIDRs":["127.0.0.0/8","::1/128","192.168.0.0/16"],
			"IndexConfigs":{"docker.io":{"Name":"docker.io","Secure":true},"reg.lan:5000":{"Name":"reg.lan:5000","Secure":false}}}}`),
		DaemonConfig: &File{Path: "/etc/docker/daemon.json", Data: "{\n  \"icc\": true,\n  \"log-opts\": {\"max-size\": \"10m\"},\n  \"hosts\": [\"tcp://0.0.0.0:2375\"]\n}\n"},
		DaemonArgs:   []string{"/usr/bin/dockerd", "--userland-proxy=false", "--no-new-privileges", "-H", "fd://"},
	}
	d := daemon(s)
	check := func(name string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("engine", d.Engine, "docker")
	check("apparmor", d.AppArmor, true)
	check("seccomp", d.Seccomp, "builtin")
	check("userns", d.UserNamespaces || d.Rootless, false)
	check("icc", d.ICC && d.ICCKnown, true)
	check("userland proxy", d.UserlandProxy, false)
	check("no-new-privileges", d.NoNewPrivileges, true)
	check("max-size", d.LogMaxSize, "10m")
	check("insecure", d.InsecureRegistries, []string{"192.168.0.0/16", "reg.lan:5000"})
	check("tcp", d.TCPHosts, []string{"tcp://0.0.0.0:2375"})
	check("icc line", d.Pos(KeyICC).Range.Line, 2)
	check("hosts line", d.Pos(KeyHosts).Range.Line, 4)
	check("unset key", d.Pos(KeyLiveRestore).File, "daemon/h")

	// The bridge's own options win over daemon.json; tlsverify on the
	// command line closes the TCP finding.
	s.BridgeOptions = map[string]string{"com.docker.network.bridge.enable_icc": "false"}
	s.DaemonArgs = []string{"dockerd", "--tlsverify", "-H", "tcp://0.0.0.0:2376"}
	d = daemon(s)
	check("icc from bridge", d.ICC, false)
	check("tcp with tlsverify", len(d.TCPHosts), 0)
}

// TestProcessFacts reads PID 1's effective UID and seccomp mode from
// /proc/PID/status, and falls back to docker top's and podman top's user
// column.
func TestProcessFacts(t *testing.T) {
	lv := &container.Live{Pid: 900, PID1UID: -1, Running: true}
	processFacts(lv, &Container{Proc: &Proc{Status: "Name:\tsh\nUid:\t1000\t0\t0\t0\nSeccomp:\t2\n", AppArmor: "docker-default (enforce)\n"}})
	if lv.PID1UID != 0 || lv.Seccomp != "filter" || lv.AppArmor != "docker-default (enforce)" {
		t.Errorf("from /proc: %+v", lv)
	}
	lv = &container.Live{Pid: 900, PID1UID: -1, Running: true}
	processFacts(lv, &Container{Top: &Top{Titles: []string{"UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"},
		Processes: [][]string{{"root", "950", "900", "0", "", "", "", "sh"}, {"10001", "900", "1", "0", "", "", "", "/app"}}}})
	if lv.PID1UID != 10001 || lv.PID1User != "10001" || len(lv.Processes) != 2 {
		t.Errorf("from docker top: %+v", lv)
	}
	lv = &container.Live{Pid: 4321, PID1UID: -1, Running: true}
	processFacts(lv, &Container{Top: &Top{Titles: []string{"USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"},
		Processes: [][]string{{"root", "1", "0", "0.0", "1s", "?", "0s", "sleep 1000"}}}})
	if lv.PID1UID != 0 {
		t.Errorf("from podman top: %+v", lv)
	}
}

// BenchmarkBuild maps a container that rewrote a large tree: the drift
// list is the part of a snapshot that grows without bound.
func BenchmarkBuild(b *testing.B) {
	c := Container{Inspect: json.RawMessage(`{"Id":"abc","Name":"/big","Image":"sha256:1","State":{"Status":"running","Running":true,"Pid":1},
		"Config":{"User":"app"},"HostConfig":{},"Mounts":[{"Type":"volume","Name":"v","Destination":"/data","RW":true}]}`),
		ChangesRead: true, Modes: map[string]uint32{}}
	for i := range 50000 {
		p := fmt.Sprintf("/usr/lib/app/f%05d", i)
		c.Changes = append(c.Changes, EngineChange{Path: p, Kind: 1})
		c.Modes[p] = 0o644
	}
	s := &Snapshot{Info: json.RawMessage(`{}`), Containers: []Container{c}}
	b.ResetTimer()
	for range b.N {
		if _, errs := Build(s); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
