package engine_test

import (
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// TestImageScanOptionsKeyIsDerived checks that the layer cache key is
// made of the declarations that shape a layer's result: the capture set,
// the secret scanner with its read limit (only when it runs), and the
// catalogers when the SBOM is built; a different max-file-size gives a
// different key.
func TestImageScanOptionsKeyIsDerived(t *testing.T) {
	reg := imageRules(t)
	withSize := func(n int) *config.Config {
		cfg := config.Default()
		cfg.Rules["IM1100"] = config.RuleConfig{Settings: map[string]any{"max-file-size": n}}
		return cfg
	}
	small := engine.ImageScanOptions(reg, withSize(1024), nil).CacheKey
	want := image.DefaultCaptureKey() + "+" + secrets.New(1024).CacheKey()
	if small != want {
		t.Errorf("key %q, want %q", small, want)
	}
	if big := engine.ImageScanOptions(reg, withSize(2048), nil).CacheKey; big == small {
		t.Errorf("max-file-size 1024 and 2048 share the key %q", big)
	}
	if again := engine.ImageScanOptions(reg, withSize(1024), nil).CacheKey; again != small {
		t.Errorf("the same options gave keys %q and %q", small, again)
	}
	noSecrets := engine.ImageScanOptions(reg, nil, map[string]bool{"config": true}).CacheKey
	if noSecrets != image.DefaultCaptureKey() {
		t.Errorf("without the secret scanner: key %q", noSecrets)
	}
	withSBOM := sbom.ScanOptions(engine.ImageScanOptions(reg, withSize(1024), nil)).CacheKey
	if withSBOM != small+"+"+sbom.CacheKey() || !strings.HasPrefix(sbom.CacheKey(), "sbom-") {
		t.Errorf("with the catalogers: key %q", withSBOM)
	}
}
