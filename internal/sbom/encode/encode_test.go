package encode_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

func catalogDir(t *testing.T, dir string) *sbom.SBOM {
	t.Helper()
	ctx := context.Background()
	src, err := imageread.Open(ctx, "dir:"+dir, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	img, err := imageread.Scan(ctx, src, sbom.ScanOptions(imageread.ScanOptions{NoCache: true}))
	if err != nil {
		t.Fatal(err)
	}
	return sbom.FromImage(img)
}

// subjects are real inputs: Debian and Alpine package databases and a
// project with npm, Python and Java packages.
func subjects(t *testing.T) map[string]*sbom.SBOM {
	shared := corpus.Shared(t)
	out := map[string]*sbom.SBOM{
		"bookworm":  catalogDir(t, filepath.Join(shared, "data", "debian", "rootfs-fixtures", "bookworm")),
		"alpine310": catalogDir(t, filepath.Join(shared, "data", "alpine", "alpine-310-metadata")),
		"project":   catalogDir(t, "../testdata/project"),
		"empty":     catalogDir(t, t.TempDir()),
	}
	// An image subject: digest, creation time and layers.
	img := *out["alpine310"]
	img.Subject, img.Source, img.Digest = "alpine:3.10.4", "registry", "sha256:"+strings.Repeat("ab", 32)
	img.Created = time.Date(2020, 1, 23, 16, 52, 0, 0, time.UTC)
	img.Packages = append([]sbom.Package(nil), img.Packages...)
	for i := range img.Packages {
		img.Packages[i].Layer, img.Packages[i].LayerDigest = 0, "sha256:"+strings.Repeat("cd", 32)
	}
	out["image"] = &img
	return out
}

func compile(t *testing.T, files map[string]string, id string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for url, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("does not validate: %v", err)
	}
}

var opts = encode.Options{ToolVersion: "test", Created: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}

func encodeTo(t *testing.T, format string, s *sbom.SBOM) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := encode.Write(&buf, format, s, opts); err != nil {
		t.Fatal(err)
	}
	again := bytes.Buffer{}
	if err := encode.Write(&again, format, s, opts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("%s output differs between two runs", format)
	}
	return buf.Bytes()
}

func TestCycloneDXJSON(t *testing.T) {
	shared := corpus.Shared(t)
	dir := filepath.Join(shared, "schemas", "cyclonedx")
	sch := compile(t, map[string]string{
		"http://cyclonedx.org/schema/bom-1.6.schema.json":  filepath.Join(dir, "bom-1.6.schema.json"),
		"http://cyclonedx.org/schema/spdx.schema.json":     filepath.Join(dir, "spdx.schema.json"),
		"http://cyclonedx.org/schema/jsf-0.82.schema.json": filepath.Join(dir, "jsf-0.82.schemax.json"),
	}, "http://cyclonedx.org/schema/bom-1.6.schema.json")
	for name, s := range subjects(t) {
		t.Run(name, func(t *testing.T) {
			out := encodeTo(t, encode.CycloneDXJSON, s)
			validate(t, sch, out)
			var bom cdx.BOM
			if err := json.Unmarshal(out, &bom); err != nil {
				t.Fatal(err)
			}
			if bom.SpecVersion != cdx.SpecVersion1_6 || !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") {
				t.Errorf("spec %v serial %q", bom.SpecVersion, bom.SerialNumber)
			}
			libs := 0
			if bom.Components != nil {
				for _, c := range *bom.Components {
					if c.Type == cdx.ComponentTypeLibrary {
						libs++
					}
				}
			}
			if libs != len(s.Packages) {
				t.Errorf("%d library components, want %d", libs, len(s.Packages))
			}
		})
	}
}

func TestCycloneDXXML(t *testing.T) {
	for name, s := range subjects(t) {
		t.Run(name, func(t *testing.T) {
			out := encodeTo(t, encode.CycloneDXXML, s)
			if !bytes.Contains(out, []byte(`xmlns="http://cyclonedx.org/schema/bom/1.6"`)) {
				t.Errorf("no 1.6 namespace:\n%.400s", out)
			}
			var bom cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(out), cdx.BOMFileFormatXML).Decode(&bom); err != nil {
				t.Fatal(err)
			}
			n := 0
			if bom.Components != nil {
				for _, c := range *bom.Components {
					if c.Type == cdx.ComponentTypeLibrary {
						n++
					}
				}
			}
			if n != len(s.Packages) {
				t.Errorf("%d library components read back, want %d", n, len(s.Packages))
			}
		})
	}
}

func TestSPDXJSON(t *testing.T) {
	shared := corpus.Shared(t)
	sch := compile(t, map[string]string{
		"http://spdx.org/rdf/terms/2.3": filepath.Join(shared, "schemas", "spdx-schema-2.3.json"),
	}, "http://spdx.org/rdf/terms/2.3")
	for name, s := range subjects(t) {
		t.Run(name, func(t *testing.T) {
			out := encodeTo(t, encode.SPDXJSON, s)
			validate(t, sch, out)
			doc, err := spdxjson.Read(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if doc.SPDXVersion != "SPDX-2.3" {
				t.Errorf("version %q", doc.SPDXVersion)
			}
			purls := 0
			ids := map[string]bool{}
			for _, p := range doc.Packages {
				if ids[string(p.PackageSPDXIdentifier)] {
					t.Errorf("duplicate SPDXID %s", p.PackageSPDXIdentifier)
				}
				ids[string(p.PackageSPDXIdentifier)] = true
				for _, r := range p.PackageExternalReferences {
					if r.RefType == "purl" {
						purls++
					}
				}
			}
			if purls != len(s.Packages) {
				t.Errorf("%d purls, want %d", purls, len(s.Packages))
			}
		})
	}
}

func TestOwnJSON(t *testing.T) {
	for name, s := range subjects(t) {
		t.Run(name, func(t *testing.T) {
			out := encodeTo(t, encode.JSON, s)
			var d encode.Document
			if err := json.Unmarshal(out, &d); err != nil {
				t.Fatal(err)
			}
			if d.SchemaVersion != encode.SchemaVersion || len(d.Packages) != len(s.Packages) || len(d.Notes) != len(s.Notes) {
				t.Errorf("schema %q packages %d/%d notes %q", d.SchemaVersion, len(d.Packages), len(s.Packages), d.Notes)
			}
		})
	}
}

// TestSerialDeterministic: the serial number and namespace follow the
// input: the same digest gives the same serial, another digest another.
func TestSerialDeterministic(t *testing.T) {
	s := subjects(t)["image"]
	serial := func(s *sbom.SBOM) string {
		return encode.CycloneDX(s, opts).SerialNumber
	}
	a := serial(s)
	b := *s
	b.Packages = nil
	if serial(&b) != a {
		t.Error("same digest, different serial")
	}
	b.Digest = "sha256:" + strings.Repeat("ef", 32)
	if serial(&b) == a {
		t.Error("different digest, same serial")
	}
	if ns := encode.SPDX(s, opts).DocumentNamespace; !strings.Contains(ns, strings.TrimPrefix(a, "urn:uuid:")) {
		t.Errorf("namespace %q does not carry the serial's UUID", ns)
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := encode.Write(&bytes.Buffer{}, "yaml", &sbom.SBOM{}, opts); err == nil {
		t.Error("no error for an unknown format")
	}
}
