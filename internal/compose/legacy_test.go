package compose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// TestLegacyV1Keys loads a v1 file that uses the keys only v1 had: it
// loads without a schema error (docker-compose 1.x ran it), and the model
// holds what they mean, located at the v1 key.
func TestLegacyV1Keys(t *testing.T) {
	src := "vpn:\n  build: .\n  dockerfile: Dockerfile.vpn\n  net: host\n  log_driver: none\n  volume_driver: local\n  cap_add:\n    - NET_ADMIN\n"
	p, info, err := LoadSources([]Source{{Path: "docker-compose.yml", Data: []byte(src)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 || info.Method != MethodCompose {
		t.Fatalf("method %s, errors %v; want compose-go without errors", info.Method, p.Errors)
	}
	s := spec(t, p, "vpn")
	if s.NetworkMode != "host" || s.LoggingDriver != "none" || filepath.Base(s.BuildDockerfile) != "Dockerfile.vpn" {
		t.Errorf("network %q, logging %q, dockerfile %q", s.NetworkMode, s.LoggingDriver, s.BuildDockerfile)
	}
	at(t, "net", s.Pos(container.KeyNetworkMode), "docker-compose.yml", 4)
	at(t, "log_driver", s.Pos(container.KeyLogging), "docker-compose.yml", 5)

	// The real-world file that uses `net: host`.
	path := filepath.Join(corpus.Corpus(t), "realworld", "compose", "jessfraz__dockerfiles", "openvpn", "docker-compose.yml")
	p, err = Load([]string{path}, Options{NoAutoOverride: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 || spec(t, p, "vpn").NetworkMode != "host" {
		t.Errorf("openvpn: errors %v, network %q", p.Errors, spec(t, p, "vpn").NetworkMode)
	}
}

// TestEmptyOverlay merges a comment-only overlay after a compose file, as
// `docker compose -f compose.yaml -f compose.extras.yaml` does: no error.
// Alone, the same file is an empty project, which compose refuses, and
// Info says so for a walk to drop it.
func TestEmptyOverlay(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "compose.yaml")
	extras := filepath.Join(dir, "compose.extras.yaml")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(base, "services:\n  web:\n    image: nginx:1.27\n")
	write(extras, "# Extras layer: override this file in your fork.\n")
	p, info, err := LoadInfo([]string{base, extras}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 || len(p.Specs) != 1 || info.NotCompose {
		t.Errorf("merged: errors %v, %d services, NotCompose %v", p.Errors, len(p.Specs), info.NotCompose)
	}
	p, info, err = LoadInfo([]string{extras}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !info.NotCompose || len(p.Errors) != 1 || len(p.Specs) != 0 {
		t.Errorf("alone: errors %v, %d services, NotCompose %v", p.Errors, len(p.Specs), info.NotCompose)
	}
}

// TestRelations reads depends_on in both syntaxes and links with aliases.
func TestRelations(t *testing.T) {
	src := "services:\n  web:\n    image: web:1\n    depends_on: [api]\n    links:\n      - \"api:backend\"\n" +
		"  api:\n    image: api:1\n    use_api_socket: true\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n" +
		"        condition: service_started\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n"
	p, _, err := LoadSources([]Source{{Path: "compose.yaml", Data: []byte(src)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	web, api := spec(t, p, "web"), spec(t, p, "api")
	if len(web.DependsOn) != 1 || web.DependsOn[0] != "api" || len(web.Links) != 1 || web.Links[0] != "api" {
		t.Errorf("web depends_on %v links %v", web.DependsOn, web.Links)
	}
	if len(api.DependsOn) != 2 || api.DependsOn[0] != "cache" || api.DependsOn[1] != "db" {
		t.Errorf("api depends_on %v", api.DependsOn)
	}
	if !api.APISocket || web.APISocket {
		t.Errorf("use_api_socket: api %v web %v", api.APISocket, web.APISocket)
	}
	at(t, "use_api_socket", api.Pos(container.KeyAPISocket), "compose.yaml", 9)
}

// TestUnresolved marks the keys whose value takes a variable that is not
// set and has no default: their loaded value is not what would run.
func TestUnresolved(t *testing.T) {
	src := "services:\n  a:\n    image: postgres:${PG}\n    mem_limit: ${MEM:-1g}\n    user: ${UID:?set UID}\n" +
		"  b:\n    image: postgres:${SET}\n    cpus: $CPUS\n"
	p, _, err := LoadSources([]Source{{Path: "compose.yaml", Data: []byte(src)}}, Options{Env: map[string]string{"SET": "16"}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := spec(t, p, "a"), spec(t, p, "b")
	want := map[*container.Spec]map[string]bool{
		a: {container.KeyImage: true, container.KeyMemory: false, container.KeyUser: true},
		b: {container.KeyImage: false, container.KeyCPUs: true},
	}
	for s, keys := range want {
		for k, w := range keys {
			if s.Unresolved[k] != w {
				t.Errorf("%s %s: unresolved %v, want %v (image %q)", s.Name, k, s.Unresolved[k], w, s.Image)
			}
		}
	}
}

// TestMountWithTrailingSlash locates a volume written with trailing
// slashes at its entry, not at the service.
func TestMountWithTrailingSlash(t *testing.T) {
	src := "services:\n  pihole:\n    image: pihole/pihole:2024.07.0\n    volumes:\n      - \"/etc/pihole/:/etc/pihole/\"\n      - type: bind\n        source: ./data/\n        target: /data/\n"
	p, _, err := LoadSources([]Source{{Path: "compose.yaml", Data: []byte(src)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := spec(t, p, "pihole")
	if len(s.Mounts) != 2 {
		t.Fatalf("mounts %+v", s.Mounts)
	}
	for i, line := range []int{5, 6} {
		m := s.Mounts[i]
		if m.Where.Range.Line != line || strings.HasSuffix(m.Target, "/") {
			t.Errorf("mount %d: target %q at line %d, want a clean target at line %d", i, m.Target, m.Where.Range.Line, line)
		}
	}
}
