package runtime

import (
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// mac sets what inspect reports as applied.
func mac(profile, label string) func(s *container.Spec) {
	return func(s *container.Spec) {
		s.MACReported, s.AppArmorProfile, s.ProcessLabel = true, profile, label
		s.Where[container.KeyAppArmorProfile] = container.Pos{File: "compose.yaml", Range: loc.Line(5)}
	}
}

// TestRT1008AppliedConfinement covers CIS 5.2 and 5.3 from inspect output:
// the profile and label the engine applied.
func TestRT1008AppliedConfinement(t *testing.T) {
	twoContainers := inspected(mac("", ""))
	other := spec("other", mac("docker-default", ""))
	other.Source = container.SourceInspect
	twoContainers.Specs = append(twoContainers.Specs, other)

	for _, c := range []struct {
		name string
		p    *container.Project
		want string // "" means quiet
		sev  rule.Severity
	}{
		{"no profile, no label", inspected(mac("", "")), "no mandatory access control: AppArmorProfile is empty", rule.Medium},
		{"host applies AppArmor to others", twoContainers, "while other containers on the host have one", rule.High},
		{"unconfined profile", inspected(mac("unconfined", "")), `AppArmorProfile: unconfined`, rule.High},
		{"docker-default", inspected(mac("docker-default", "")), "", 0},
		{"podman default profile", inspected(mac("containers-default-0.50.1", "")), "", 0},
		{"selinux label", inspected(mac("", "system_u:system_r:container_t:s0:c1,c2")), "", 0},
		{"selinux spc_t", inspected(mac("", "system_u:system_r:spc_t:s0")), "no mandatory access control", rule.Medium},
		{"privileged is RT1003's", inspected(mac("unconfined", ""), with(func(s *container.Spec) { s.Privileged = true })), "", 0},
		{"security_opt already reported", inspected(mac("unconfined", ""), with(func(s *container.Spec) { s.SecurityOpt = []string{"apparmor=unconfined"} })),
			`\(apparmor=unconfined\)`, rule.High},
		{"inspect document without the key", inspected(), "", 0},
		{"compose has no profile field", svc(), "", 0},
	} {
		got := runRule(t, RT1008, c.p)
		if c.want == "" {
			if len(got) != 0 {
				t.Errorf("%s: want no finding, got %+v", c.name, got)
			}
			continue
		}
		if len(got) != 1 {
			t.Errorf("%s: got %d findings %+v, want 1", c.name, len(got), got)
			continue
		}
		f := got[0]
		if !regexp.MustCompile(c.want).MatchString(f.Message) {
			t.Errorf("%s: message %q does not match %q", c.name, f.Message, c.want)
		}
		if f.Severity != c.sev {
			t.Errorf("%s: severity %v, want %v", c.name, f.Severity, c.sev)
		}
		if strings.Contains(c.name, "security_opt") {
			continue
		}
		if f.Range.Line != 5 {
			t.Errorf("%s: at line %d, want the AppArmorProfile line 5", c.name, f.Range.Line)
		}
	}
}
