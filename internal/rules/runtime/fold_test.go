package runtime

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// lintText writes one compose file and lints it through the engine.
func lintText(t *testing.T, text string) []rule.Finding {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := imagetest.Tree(t, map[string]string{"compose.yaml": text})
	p, err := compose.Load([]string{filepath.Join(dir, "compose.yaml")}, compose.Options{NoAutoOverride: true, Env: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	return engine.LintRuntime(context.Background(), p, reg, config.Default(), fixtureNow)
}

// ids lists the rules of the findings reported apart, and of those folded
// into each, sorted.
func ids(fs []rule.Finding) (apart []string, folded map[string][]string) {
	folded = map[string][]string{}
	for _, f := range fs {
		apart = append(apart, f.RuleID)
		for _, r := range f.Related {
			folded[f.RuleID] = append(folded[f.RuleID], r.RuleID)
		}
		sort.Strings(folded[f.RuleID])
	}
	sort.Strings(apart)
	return apart, folded
}

// TestPrivilegedFolds checks docs/contract.md's rule for a privileged
// service: what privileged makes moot (default capabilities kept, no
// no-new-privileges, root) folds into RT1003; what survives removing it
// (an added capability, a host namespace, the runtime socket, a host
// device) is reported apart.
func TestPrivilegedFolds(t *testing.T) {
	got := lintText(t, `services:
  agent:
    image: agent:1.0@sha256:4ec37d2a07a0067f176fdcc9d4bb633a5724d2cc4f892c7a2046d054bb6939e5
    privileged: true
    cap_add: [SYS_ADMIN]
    pid: host
    devices: [/dev/sda]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
`)
	apart, folded := ids(got)
	for _, id := range []string{"RT1003", "RT1005", "RT1016", "RT1020", "RT1023"} {
		if !slices.Contains(apart, id) {
			t.Errorf("%s not reported apart: %v", id, apart)
		}
	}
	for _, id := range []string{"RT1004", "RT1006", "RT1009"} {
		if slices.Contains(apart, id) {
			t.Errorf("%s reported apart on a privileged service: %v", id, apart)
		}
	}
	if want := []string{"RT1004", "RT1006", "RT1009"}; !slices.Equal(folded["RT1003"], want) {
		t.Errorf("RT1003 folds %v, want %v", folded["RT1003"], want)
	}
}

// TestWritableSharedPathFolds: a host path mounted read-write by two
// services is one problem at each mount (RT1022 with RT1036 folded); a
// named volume shared read-write stays RT1036's.
func TestWritableSharedPathFolds(t *testing.T) {
	got := lintText(t, `services:
  web:
    image: web:1.0
    volumes:
      - ./uploads:/srv/uploads
      - media:/srv/media
  worker:
    image: worker:1.0
    volumes:
      - ./uploads:/data
      - media:/media:ro
volumes:
  media:
`)
	n1022, n1036 := 0, 0
	for _, f := range got {
		switch f.RuleID {
		case "RT1022":
			n1022++
			if len(f.Related) != 1 || f.Related[0].RuleID != "RT1036" {
				t.Errorf("RT1022 at line %d folds %+v, want RT1036", f.Range.Line, f.Related)
			}
		case "RT1036":
			n1036++
			if f.Range.Line != 6 && f.Range.Line != 11 {
				t.Errorf("RT1036 reported apart at line %d, want only the named volume's mounts (lines 6, 11)", f.Range.Line)
			}
		}
	}
	if n1022 != 2 || n1036 != 2 {
		t.Errorf("RT1022 x%d, RT1036 x%d; want 2 and 2", n1022, n1036)
	}
}

// TestOverlayJudgedOnWhatItSets lints an override file on its own (as a
// directory walk does): its services have no image, so what they lack may
// be set in the file they overlay and is not reported; what they set is.
func TestOverlayJudgedOnWhatItSets(t *testing.T) {
	got := lintText(t, `services:
  zulip:
    environment:
      QUEUE_WORKERS: 4
    privileged: true
    ports:
      - "8080:80"
`)
	apart, folded := ids(got)
	for _, id := range []string{"RT1003", "RT1024"} {
		if !slices.Contains(apart, id) {
			t.Errorf("%s not reported on the overlay: %v", id, apart)
		}
	}
	missing := []string{"RT1004", "RT1006", "RT1009", "RT1010", "RT1012", "RT1013", "RT1014", "RT1031", "RT1032"}
	for _, id := range missing {
		if slices.Contains(apart, id) || slices.Contains(folded["RT1003"], id) {
			t.Errorf("%s judged a key the overlay does not set: %v %v", id, apart, folded)
		}
	}
}
