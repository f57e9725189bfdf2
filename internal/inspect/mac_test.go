package inspect

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
)

func TestAppliedConfinement(t *testing.T) {
	doc := `[
  {
    "Name": "/a",
    "AppArmorProfile": "",
    "ProcessLabel": "",
    "MountLabel": "",
    "HostConfig": {"SecurityOpt": null}
  },
  {
    "Name": "/b",
    "AppArmorProfile": "docker-default",
    "ProcessLabel": "system_u:system_r:container_t:s0:c1,c2",
    "MountLabel": "system_u:object_r:container_file_t:s0:c1,c2",
    "HostConfig": {}
  },
  {
    "Name": "/c",
    "HostConfig": {}
  }
]`
	p, err := Load("inspect.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := p.Specs[0], p.Specs[1], p.Specs[2]
	if !a.MACReported || a.AppArmorProfile != "" || a.Pos(container.KeyAppArmorProfile).Range.Line != 4 {
		t.Errorf("a: reported %v profile %q at %d", a.MACReported, a.AppArmorProfile, a.Pos(container.KeyAppArmorProfile).Range.Line)
	}
	if !b.MACReported || b.AppArmorProfile != "docker-default" || b.ProcessLabel == "" || b.MountLabel == "" {
		t.Errorf("b: %+v", b)
	}
	if b.Pos(container.KeyAppArmorProfile).Range.Line != 11 {
		t.Errorf("b: profile at line %d, want 11", b.Pos(container.KeyAppArmorProfile).Range.Line)
	}
	if c.MACReported {
		t.Errorf("c: a document without AppArmorProfile reports nothing about it")
	}
}
