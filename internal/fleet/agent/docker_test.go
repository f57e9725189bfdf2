package agent_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

const dockerHost = "unix:///var/run/docker.sock"

func needDocker(t *testing.T) {
	t.Helper()
	if err := exec.Command("docker", "info").Run(); err != nil {
		skipOrFail(t, "no Docker Engine reachable (docker info failed)")
	}
}

// TestAgentDocker runs the agent against the real Docker Engine and a
// real fleet server: a container running before the agent starts is
// found by the first listing, one started later (with compose labels) by
// the event stream, and the image, which the server does not know, is
// exported, catalogued and uploaded once. The server's image and
// "affected" answers list the containers while they run and drop them
// when they stop or are removed; a container created but never started
// is not reported.
func TestAgentDocker(t *testing.T) {
	needDocker(t)
	vdb := bookwormVulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		id := unique(t, "shipshape-agent")
		image, digest := importBookworm(t, "docker", id+":test")
		label := "shipshape.test=" + id
		run := func(name string, extra ...string) {
			t.Helper()
			t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
			args := append([]string{"run", "-d", "--label", label, "--name", name}, extra...)
			cli(t, "docker", append(args, image, "sleep", "600")...)
		}
		early, late, never := id+"-early", id+"-late", id+"-never"
		run(early)
		t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", never).Run() })
		cli(t, "docker", "create", "--label", label, "--name", never, image, "true")

		f := startFleet(t, dsn, vdb)
		a, stop := runAgent(t, dockerHost, f, agent.Options{Labels: []string{label}})
		if d := cli(t, "docker", "image", "inspect", "--format", "{{.Id}}", image); d != digest {
			t.Fatalf("an imported image has no registry digest: the agent names it by its ID %s, not %s", d, digest)
		}
		var d *store.ImageDetail
		waitFor(t, 90*time.Second, "the image uploaded and the early container listed", func() (bool, string) {
			d = f.image(t, digest)
			return d != nil && has(running(d), early), describe(d)
		})
		if len(d.Packages) < 50 || d.Distro == "" || !has(d.Refs, image) {
			t.Errorf("the uploaded SBOM: %s, distro %q (want the bookworm packages, ref %s)", describe(d), d.Distro, image)
		}

		run(late, "--label", "com.docker.compose.project=shop", "--label", "com.docker.compose.service=api")
		waitFor(t, 30*time.Second, "the late container reported through events", func() (bool, string) {
			d = f.image(t, digest)
			return has(running(d), late), describe(d)
		})
		for _, c := range d.Containers {
			if c.Host == "" || len(c.ContainerID) != 64 || c.Started == 0 || c.Stopped != 0 || c.ImageDigest != digest {
				t.Errorf("container record %+v", c)
			}
			if c.Name == late && (c.ComposeProject != "shop" || c.ComposeService != "api") {
				t.Errorf("compose labels not reported: %+v", c)
			}
			if c.Name == early && c.ComposeProject != "" {
				t.Errorf("compose project on a plain container: %+v", c)
			}
		}
		if has(running(d), never) {
			t.Errorf("a container that never started is reported running: %v", running(d))
		}

		// The affected answer lists both running containers.
		var cve string
		waitFor(t, 60*time.Second, "the image matched against the bookworm data", func() (bool, string) {
			d = f.image(t, digest)
			if len(d.Vulnerabilities) > 0 {
				cve = d.Vulnerabilities[0].Advisory
			}
			return cve != "", describe(d)
		})
		affected := func() []string {
			var res store.Affected
			if code := f.get(t, "/api/v1/vulnerabilities/"+cve+"/affected", &res); code != 200 {
				t.Fatalf("affected %s: %d", cve, code)
			}
			var names []string
			for _, im := range res.Images {
				if im.Digest != digest {
					continue
				}
				for _, c := range im.Containers {
					names = append(names, c.Name)
				}
			}
			return names
		}
		if got := affected(); !has(got, early) || !has(got, late) {
			t.Errorf("%s affects %v; want %s and %s", cve, got, early, late)
		}

		cli(t, "docker", "stop", "-t", "1", early)
		waitFor(t, 30*time.Second, "the stopped container dropped", func() (bool, string) {
			d = f.image(t, digest)
			return !has(running(d), early) && has(running(d), late), describe(d)
		})
		if got := affected(); has(got, early) || !has(got, late) {
			t.Errorf("after stopping %s, %s affects %v", early, cve, got)
		}
		cli(t, "docker", "rm", "-f", late)
		waitFor(t, 30*time.Second, "the removed container dropped", func() (bool, string) {
			d = f.image(t, digest)
			return len(running(d)) == 0, describe(d)
		})
		stop()
		st := a.Stats()
		if st.Scanned != 1 || st.ScanErrors != 0 || st.Sessions != 1 || st.Events == 0 {
			t.Errorf("stats %+v: want one scan for the one image, one session, events", st)
		}
	})
}

// engineProxy forwards a unix socket to the Docker socket and can cut
// every connection and refuse new ones, as an engine restart or a
// network loss would.
type engineProxy struct {
	t      *testing.T
	path   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
	target string
}

func newEngineProxy(t *testing.T, target string) *engineProxy {
	p := &engineProxy{t: t, path: filepath.Join(t.TempDir(), "engine.sock"), conns: map[net.Conn]bool{}, target: target}
	p.up()
	t.Cleanup(p.down)
	return p
}

func (p *engineProxy) host() string { return "unix://" + p.path }

func (p *engineProxy) up() {
	ln, err := net.Listen("unix", p.path)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("unix", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[u] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
}

// down closes the listener and every connection through it.
func (p *engineProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// TestAgentReconnects cuts the agent's connection to the engine: its
// event stream breaks, reconnection is refused for a while, and a
// container starts meanwhile. The agent reconnects with backoff and its
// listing after the reconnection reports the container it could not
// have seen as an event. With scanning off, it never uploads an SBOM.
func TestAgentReconnects(t *testing.T) {
	needDocker(t)
	id := unique(t, "shipshape-agent-rc")
	image, digest := importBookworm(t, "docker", id+":test")
	label := "shipshape.test=" + id
	f := startFleet(t, filepath.Join(t.TempDir(), "fleet.db"), "")
	p := newEngineProxy(t, "/var/run/docker.sock")
	a, stop := runAgent(t, p.host(), f, agent.Options{Labels: []string{label}, NoScan: true, MaxBackoff: time.Second})
	waitFor(t, 20*time.Second, "the agent connected", func() (bool, string) {
		return a.Stats().Sessions == 1, fmt.Sprintf("%+v", a.Stats())
	})
	p.down()
	name := id + "-during"
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	cli(t, "docker", "run", "-d", "--label", label, "--name", name, image, "sleep", "600")
	time.Sleep(1500 * time.Millisecond) // at least one refused attempt
	p.up()
	waitFor(t, 30*time.Second, "the container started during the outage reported", func() (bool, string) {
		cs, err := containersOf(f, digest)
		return err == nil && len(cs) == 1 && cs[0].Name == name && cs[0].Stopped == 0, fmt.Sprintf("%+v %v stats %+v", cs, err, a.Stats())
	})
	stop()
	st := a.Stats()
	if st.Sessions < 2 || st.Scanned != 0 {
		t.Errorf("stats %+v: want a second session and no scan", st)
	}
	if f.image(t, digest) != nil {
		t.Errorf("--no-scan uploaded an SBOM")
	}
}

// containersOf reads the container records of a digest straight from
// the store, stopped ones included (the API lists only the running
// containers of images it has an SBOM of).
func containersOf(f *fleet, digest string) ([]store.Container, error) {
	return f.Store.ContainersOf(context.Background(), digest)
}

// TestAgentServerDown: records the server cannot take (it is not up yet)
// are kept and sent again with backoff until it is, and then they are
// there; the token is created before the server starts, in its store.
func TestAgentServerDown(t *testing.T) {
	needDocker(t)
	id := unique(t, "shipshape-agent-down")
	image, digest := importBookworm(t, "docker", id+":test")
	label := "shipshape.test=" + id
	// A free loopback port, closed again: nothing answers there yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dsn := filepath.Join(t.TempDir(), "fleet.db")
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateToken(context.Background(), "agent-early", []string{store.ScopeIngest})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	name := id + "-c"
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	cli(t, "docker", "run", "-d", "--label", label, "--name", name, image, "sleep", "600")
	a, stop := runAgentTo(t, dockerHost, "http://"+addr, tok, agent.Options{Labels: []string{label}, NoScan: true, MaxBackoff: 500 * time.Millisecond})
	waitFor(t, 20*time.Second, "two refused sends", func() (bool, string) {
		return a.Stats().SendErrors >= 2, fmt.Sprintf("%+v", a.Stats())
	})
	f := startFleetAt(t, dsn, "", addr)
	waitFor(t, 20*time.Second, "the kept record delivered", func() (bool, string) {
		cs, err := containersOf(f, digest)
		return err == nil && len(cs) == 1 && cs[0].Name == name, fmt.Sprintf("%+v %v %+v", cs, err, a.Stats())
	})
	stop()
	if st := a.Stats(); st.Sent != 1 || st.Sessions != 1 {
		t.Errorf("stats %+v: want the one record sent once, from the first session", st)
	}
}
