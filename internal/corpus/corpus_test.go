package corpus

import (
	"testing"
)

func TestParseBuildArgs(t *testing.T) {
	for raw, want := range map[string]map[string]string{
		`"build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip=all",`:                                   {"BUILDKIT_DOCKERFILE_CHECK": "skip=all"},
		`"build-arg:IMAGE": integration.UnixOrWindows("busybox:latest", "nanoserver:latest"),`: {"IMAGE": "busybox:latest"},
		`"build-arg:SFX": integration.UnixOrWindows("-musl", "-busybox"),`:                     {"SFX": "-musl"},
		``: nil,
	} {
		got := ParseBuildArgs(raw)
		if len(got) != len(want) {
			t.Errorf("ParseBuildArgs(%q) = %v, want %v", raw, got, want)
			continue
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("ParseBuildArgs(%q)[%s] = %q, want %q", raw, k, got[k], v)
			}
		}
	}
}

// TestLoaders checks the loaders against the corpus as README.md describes
// it, so that a format change shows here rather than as odd agreement rates.
func TestLoaders(t *testing.T) {
	dir := Corpus(t)
	count := func(name string, n int, err error, atLeast int) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n < atLeast {
			t.Errorf("%s: %d records, want at least %d", name, n, atLeast)
		}
	}
	kq, err := KICSQueries(dir)
	df := 0
	for _, q := range kq {
		if q.Platform == "dockerfile" {
			df++
		}
	}
	count("kics dockerfile queries", df, err, 48)
	tc, err := TrivyChecks(dir)
	count("trivy checks", len(tc), err, 28)
	cc, err := CheckovChecks(dir)
	count("checkov checks", len(cc), err, 28)
	hc, err := HadolintRules(dir)
	count("hadolint rules", len(hc), err, 70)
	bk, err := BuildKitRules(dir)
	count("buildkit rules", len(bk), err, 22)

	ks, err := KICSSamples(dir, "dockerfile")
	count("kics samples", len(ks), err, 100)
	ts, err := TrivySamples(dir)
	count("trivy samples", len(ts), err, 40)
	cs, err := CheckovSamples(dir)
	count("checkov samples", len(cs), err, 100)
	fire := 0
	for _, s := range cs {
		if s.Name == "checkov/graph_checks/RunUsingSudo/fail_multiline/Dockerfile" && s.Expect[0].ShouldFire {
			fire++
		}
	}
	if fire != 1 {
		t.Errorf("RunUsingSudo/fail_multiline must load as a failing sample (expected.yaml lists it under fail)")
	}
	bs, err := BuildKitSamples(dir, []string{"FromAsCasing"})
	count("buildkit samples", len(bs), err, 70)
	for _, s := range bs {
		if s.Name == "buildkit-068" && s.BuildArgs["IMAGE"] != "busybox:latest" {
			t.Errorf("buildkit-068: build args %v, want IMAGE=busybox:latest", s.BuildArgs)
		}
	}
}
