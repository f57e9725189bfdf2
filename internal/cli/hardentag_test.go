package cli

import "testing"

func TestHardenTagDefaults(t *testing.T) {
	for ref, want := range map[string]string{
		"myapp:1.4":                     "myapp:1.4-hardened",
		"docker:acme/myapp":             "acme/myapp:latest-hardened",
		"registry:ghcr.io/acme/app:1.4": "ghcr.io/acme/app:1.4-hardened",
		"ghcr.io/a/b@sha256:0123456789012345678901234567890123456789012345678901234567890123": "ghcr.io/a/b:hardened",
		"docker-archive:app.tar": "shipshape-hardened:latest",
		"oci:layout":             "shipshape-hardened:latest",
	} {
		if got, err := hardenTag("", ref); err != nil || got != want {
			t.Errorf("hardenTag(%q) = %q, %v; want %q", ref, got, err, want)
		}
	}
	if got, _ := hardenTag("mine:2", "myapp:1.4"); got != "mine:2" {
		t.Errorf("--tag ignored: %q", got)
	}
	if _, err := hardenTag("Bad Tag", "x"); err == nil {
		t.Error("an invalid --tag was accepted")
	}
}
