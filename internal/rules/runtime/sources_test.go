package runtime

import (
	"context"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/dockerrun"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/inspect"
)

// TestThreeSources checks that the rules, written once against the model,
// report the same weaknesses whether the container comes from a
// `docker run` line or from `docker inspect`.
func TestThreeSources(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	// RT1005: SYS_ADMIN survives removing --privileged, so it is reported
	// beside RT1003 (docs/contract.md).
	want := []string{"RT1003", "RT1005", "RT1016", "RT1020", "RT1024", "RT1029", "RT1009"}

	run, err := dockerrun.Command("cmd", "docker run -d --privileged --pid host --cap-add SYS_ADMIN -p 8080:80 "+
		"-e DB_PASSWORD=hunter2 -v /var/run/docker.sock:/var/run/docker.sock nginx:1.27", dockerrun.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := `[{"Id": "0123456789ab", "Name": "/web",
	  "Config": {"Image": "nginx:1.27", "User": "", "Env": ["DB_PASSWORD=hunter2", "PATH=/usr/bin"]},
	  "HostConfig": {"Privileged": true, "PidMode": "host", "CapAdd": ["SYS_ADMIN"],
	    "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]},
	    "Binds": ["/var/run/docker.sock:/var/run/docker.sock"], "RestartPolicy": {"Name": "no"}},
	  "Mounts": [{"Type": "bind", "Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock", "RW": true}]}]`
	ins, err := inspect.Load("inspect.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*container.Project{"docker run": run, "inspect": ins} {
		if len(p.Specs) != 1 {
			t.Errorf("%s: %d containers, want 1 (errors %v)", name, len(p.Specs), p.Errors)
			continue
		}
		got := map[string]bool{}
		for _, f := range engine.LintRuntime(context.Background(), p, reg, config.Default(), fixtureNow) {
			got[f.RuleID] = true
		}
		for _, id := range want {
			if !got[id] {
				t.Errorf("%s: no %s finding", name, id)
			}
		}
	}
}
