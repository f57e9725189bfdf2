package sbom_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// syftPURLs reads the package URLs of a Syft JSON document.
func syftPURLs(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Artifacts []struct {
			PURL string `json:"purl"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]bool{}
	for _, a := range doc.Artifacts {
		if a.PURL != "" {
			out[a.PURL] = true
		}
	}
	return out
}

// cyclonedxPURLs reads the package URLs of a CycloneDX JSON document's
// components.
func cyclonedxPURLs(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components []struct {
			PURL string `json:"purl"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]bool{}
	for _, c := range doc.Components {
		if c.PURL != "" {
			out[c.PURL] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSameComponentsAsSyft: shipshape sbom of a Go module directory
// (spf13/viper's go.mod and go.sum) and of a node application (a
// package.json with lockfiles npm 10 wrote, v1 and v3) lists the same
// package URLs as Syft's JSON output for the same directories, checked in
// under testdata/peers/syft (Syft v1.57.2; how it was built and run is in
// testdata/peers/README.md). The documented exceptions
// are in peerExceptions.
func TestSameComponentsAsSyft(t *testing.T) {
	for _, dir := range []string{"go-module", "node-app-v1", "node-app-v3", "yarn-v1", "yarn-berry", "pnpm-v5", "pnpm-v6", "pnpm-v9"} {
		t.Run(dir, func(t *testing.T) {
			syft := syftPURLs(t, filepath.Join("testdata", "peers", "syft", dir+".syft.json"))
			if len(syft) == 0 {
				t.Fatal("Syft's document lists no package")
			}
			// The yarn and pnpm runs were also written as CycloneDX:
			// the same package URLs.
			if cdx := filepath.Join("testdata", "peers", "syft", dir+".cdx.json"); fileExists(cdx) {
				if a, b := strings.Join(sortedKeys(cyclonedxPURLs(t, cdx)), " "), strings.Join(sortedKeys(syft), " "); a != b {
					t.Errorf("Syft's CycloneDX and JSON documents differ:\n%s\n%s", a, b)
				}
			}
			ours := map[string]bool{}
			for _, p := range catalogDir(t, filepath.Join("testdata", "peers", dir)).Packages {
				ours[p.PURL] = true
			}
			for purl, why := range peerExceptions[dir] {
				if !ours[purl] && !syft[purl] {
					t.Errorf("exception %s (%s) matches nothing: remove it", purl, why)
				}
				delete(ours, purl)
				delete(syft, purl)
			}
			var missing, extra []string
			for _, p := range sortedKeys(syft) {
				if !ours[p] {
					missing = append(missing, p)
				}
			}
			for _, p := range sortedKeys(ours) {
				if !syft[p] {
					extra = append(extra, p)
				}
			}
			if len(missing)+len(extra) > 0 {
				t.Errorf("differs from Syft v1.57.2:\n missing %s\n extra   %s", strings.Join(missing, " "), strings.Join(extra, " "))
			}
			t.Logf("%d package URLs agree with Syft v1.57.2", len(syft))
		})
	}
}

// peerExceptions are the documented differences from Syft v1.57.2
// (testdata/peers/README.md), by test directory: package URL -> why.
var peerExceptions = map[string]map[string]string{
	"go-module": {
		"pkg:golang/github.com/spf13/viper": "shipshape lists the main module of a source project; Syft's go.mod cataloger only its requirements",
	},
	"node-app-v1": {
		"pkg:npm/orders-api@1.4.2": "shipshape lists the application of a v1 lockfile as of v2/v3; Syft only for v2/v3",
	},
	"yarn-v1": {
		"pkg:npm/orders-web@2.3.0":    appBeside,
		"pkg:npm/orders-shared@1.0.0": localCode,
	},
	"yarn-berry": {
		"pkg:npm/orders-web@2.3.0":           appBeside,
		"pkg:npm/orders-web@0.0.0-use.local": "Syft lists Berry's root workspace under Berry's placeholder version; shipshape lists the application from package.json",
		"pkg:npm/orders-shared@1.0.0":        localCode,
	},
	"pnpm-v5": {
		"pkg:npm/orders-web@2.3.0":                         appBeside,
		"pkg:npm/orders-shared@file%3Ashared":              localCode,
		"pkg:npm/string-width-cjs@%2Fstring-width%2F4.2.3": aliasImporter,
	},
	"pnpm-v6": {
		"pkg:npm/orders-web@2.3.0":                         appBeside,
		"pkg:npm/orders-shared@file%3Ashared":              localCode,
		"pkg:npm/string-width-cjs@%2Fstring-width%404.2.3": aliasImporter,
	},
	"pnpm-v9": {
		"pkg:npm/orders-web@2.3.0":            appBeside,
		"pkg:npm/orders-shared@file%3Ashared": localCode,
	},
}

// The reasons shared by the yarn and pnpm exceptions.
const (
	appBeside     = "shipshape lists the application from the package.json beside the lockfile, as package-lock's root; Syft does not for yarn and pnpm"
	localCode     = "a file: dependency is the project's own code (./shared), not a published package; Syft lists it, pnpm's under the path as version"
	aliasImporter = "Syft also reads the importer's alias string-width-cjs with the lockfile reference as its version; the package is string-width@4.2.3, which both list"
)
