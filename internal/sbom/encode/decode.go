package encode

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/package-url/packageurl-go"
	segjson "github.com/segmentio/encoding/json"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// MaxDocumentSize bounds an SBOM document Decode reads.
const MaxDocumentSize = 512 << 20

// Decode reads an SBOM document back into the model, so that an SBOM
// written by shipshape or another tool can be scanned for vulnerabilities
// (image sbom:FILE): CycloneDX JSON or XML (any 1.x), SPDX 2.x JSON, or
// shipshape's own JSON, told apart by content. Ecosystems come from the
// package URLs; source packages from shipshape's, Trivy's and Syft's
// annotations; the distribution from an operating-system component or
// the purls' distro qualifier.
func Decode(r io.Reader) (*sbom.SBOM, error) {
	return DecodeSized(r, -1)
}

// DecodeSized is Decode of a document whose size is announced (an HTTP
// upload's Content-Length; -1 when unknown): the whole document is read
// into one buffer of that size instead of one grown by doubling. The
// announced size is only a hint; what is read is still bounded.
func DecodeSized(r io.Reader, size int64) (*sbom.SBOM, error) {
	var buf bytes.Buffer
	if size > 0 && size <= MaxDocumentSize {
		buf.Grow(int(size) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxDocumentSize+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("SBOM document larger than %d bytes", MaxDocumentSize)
	}
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("<")) {
		var bom cdx.BOM
		if err := xml.Unmarshal(trimmed, &bom); err != nil {
			return nil, fmt.Errorf("CycloneDX XML: %w", err)
		}
		return fromCycloneDX(&bom), nil
	}
	// CycloneDX, the common upload, is decoded in one pass; the probe
	// (a second full parse) is for the other formats. The fleet server
	// decodes every upload, so this pass uses segmentio/encoding's
	// drop-in decoder, which fills the same cyclonedx-go types (their
	// UnmarshalJSON methods included) about 1.3 times faster than
	// encoding/json and is linked into the binary already; a document it
	// refuses is decoded again below by encoding/json, whose error is
	// reported. (goccy/go-json is 4.5 times faster, but linking it added
	// 3.5 MiB to every command's resident set, which issue 14's 64 MiB
	// bound for image and sbom cannot spare.)
	if bytes.Contains(trimmed, []byte(`"bomFormat"`)) {
		var bom cdx.BOM
		if err := segjson.Unmarshal(trimmed, &bom); err == nil && bom.BOMFormat == "CycloneDX" {
			return fromCycloneDX(&bom), nil
		}
	}
	var probe struct {
		BOMFormat     string `json:"bomFormat"`
		SPDXVersion   string `json:"spdxVersion"`
		SchemaVersion string `json:"schemaVersion"`
		Tool          string `json:"tool"`
	}
	if err := json.Unmarshal(trimmed, &probe); err != nil {
		return nil, fmt.Errorf("not an SBOM document: %w", err)
	}
	switch {
	case probe.BOMFormat == "CycloneDX":
		var bom cdx.BOM
		if err := json.Unmarshal(trimmed, &bom); err != nil {
			return nil, fmt.Errorf("CycloneDX JSON: %w", err)
		}
		return fromCycloneDX(&bom), nil
	case probe.SPDXVersion != "":
		return fromSPDX(trimmed)
	case probe.Tool == "shipshape" && probe.SchemaVersion != "":
		var d Document
		if err := json.Unmarshal(trimmed, &d); err != nil {
			return nil, fmt.Errorf("shipshape SBOM JSON: %w", err)
		}
		return fromDocument(&d), nil
	}
	return nil, fmt.Errorf("not an SBOM document: neither CycloneDX (bomFormat), SPDX (spdxVersion) nor shipshape JSON (schemaVersion)")
}

func fromDocument(d *Document) *sbom.SBOM {
	s := &sbom.SBOM{Subject: d.Subject, Digest: d.Digest, Source: d.Source, Notes: d.Notes}
	if d.Distro != nil {
		s.Distro = &sbom.Distro{ID: d.Distro.ID, VersionID: d.Distro.VersionID, Codename: d.Distro.Codename, PrettyName: d.Distro.PrettyName}
	}
	for _, p := range d.Packages {
		pk := sbom.Package{
			Name: p.Name, Version: p.Version, Ecosystem: p.Ecosystem, PURL: p.PURL, Licenses: p.Licenses,
			SourceName: p.SourceName, SourceVersion: p.SourceVersion, Arch: p.Arch, Cataloger: p.Cataloger,
			Location: p.Location, LayerDigest: p.LayerDigest, Files: p.Files, Layer: -1,
		}
		if p.Layer != nil {
			pk.Layer = *p.Layer
		}
		s.Packages = append(s.Packages, pk)
	}
	return s
}

func fromCycloneDX(bom *cdx.BOM) *sbom.SBOM {
	out := &sbom.SBOM{}
	if m := bom.Metadata; m != nil {
		if m.Component != nil {
			out.Subject = m.Component.Name
			if strings.HasPrefix(m.Component.Version, "sha256:") {
				out.Digest = m.Component.Version
			}
		}
		if m.Properties != nil {
			for _, p := range *m.Properties {
				switch p.Name {
				case "shipshape:note":
					out.Notes = append(out.Notes, p.Value)
				case "shipshape:source":
					out.Source = p.Value
				}
			}
		}
	}
	var walk func([]cdx.Component)
	walk = func(cs []cdx.Component) {
		for _, c := range cs {
			if c.Type == cdx.ComponentTypeOS && out.Distro == nil {
				out.Distro = &sbom.Distro{ID: c.Name, VersionID: c.Version, PrettyName: c.Description}
			}
			if c.PackageURL != "" {
				var props properties
				if c.Properties != nil {
					props = *c.Properties
				}
				p := fromPURL(c.PackageURL, c.Name, c.Version)
				p.Location = firstOf(props, "shipshape:location", "aquasecurity:trivy:FilePath", "syft:location:0:path")
				if v := firstOf(props, "shipshape:source-name", "aquasecurity:trivy:SrcName"); v != "" {
					p.SourceName = v
					p.SourceVersion = firstOf(props, "shipshape:source-version", "aquasecurity:trivy:SrcVersion")
				}
				if v := props.get("shipshape:cataloger"); v != "" {
					p.Cataloger = v
				}
				if v := props.get("shipshape:layer"); v != "" {
					if n, err := strconv.Atoi(v); err == nil {
						p.Layer = n
					}
				}
				p.LayerDigest = firstOf(props, "shipshape:layer-digest", "aquasecurity:trivy:LayerDigest")
				if c.Licenses != nil {
					for _, l := range *c.Licenses {
						switch {
						case l.Expression != "":
							p.Licenses = append(p.Licenses, l.Expression)
						case l.License != nil && l.License.ID != "":
							p.Licenses = append(p.Licenses, l.License.ID)
						case l.License != nil && l.License.Name != "":
							p.Licenses = append(p.Licenses, l.License.Name)
						}
					}
				}
				if p.Ecosystem != "" {
					out.Packages = append(out.Packages, p)
				}
			}
			if c.Components != nil {
				walk(*c.Components)
			}
		}
	}
	if bom.Components != nil {
		walk(*bom.Components)
	}
	finish(out)
	return out
}

func fromSPDX(data []byte) (*sbom.SBOM, error) {
	doc, err := spdxjson.Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("SPDX JSON: %w", err)
	}
	out := &sbom.SBOM{Subject: doc.DocumentName}
	if doc.DocumentComment != "" {
		out.Notes = strings.Split(doc.DocumentComment, "\n")
	}
	for _, sp := range doc.Packages {
		if sp.PrimaryPackagePurpose == "OPERATING-SYSTEM" || sp.PrimaryPackagePurpose == "OPERATING_SYSTEM" {
			if out.Distro == nil {
				out.Distro = &sbom.Distro{ID: sp.PackageName, VersionID: sp.PackageVersion, PrettyName: sp.PackageDescription}
			}
			continue
		}
		for _, ref := range sp.PackageExternalReferences {
			if ref.RefType != "purl" {
				continue
			}
			p := fromPURL(ref.Locator, sp.PackageName, sp.PackageVersion)
			if p.Ecosystem == "" {
				continue
			}
			// shipshape's sourceInfo: "acquired package info from
			// CATALOGER: LOCATION; layer N DIGEST; source package NAME VERSION".
			for _, part := range strings.Split(sp.PackageSourceInfo, "; ") {
				if rest, ok := strings.CutPrefix(part, "acquired package info from "); ok {
					if cat, loc, ok := strings.Cut(rest, ": "); ok {
						// Syft lists every file it read, comma-separated,
						// the package database first.
						loc, _, _ = strings.Cut(loc, ", ")
						p.Cataloger, p.Location = cat, loc
					}
				}
				if rest, ok := strings.CutPrefix(part, "source package "); ok {
					if n, v, ok := strings.Cut(rest, " "); ok {
						p.SourceName, p.SourceVersion = n, v
					}
				}
				if rest, ok := strings.CutPrefix(part, "layer "); ok {
					if n, d, ok := strings.Cut(rest, " "); ok {
						if i, err := strconv.Atoi(n); err == nil {
							p.Layer, p.LayerDigest = i, d
						}
					}
				}
			}
			out.Packages = append(out.Packages, p)
			break
		}
	}
	finish(out)
	return out, nil
}

// finish fills what a foreign document leaves out: the distribution from
// the purls' distro qualifier, the source package as the package itself,
// and a stable order.
func finish(s *sbom.SBOM) {
	for i := range s.Packages {
		p := &s.Packages[i]
		if s.Distro == nil {
			if d := distroOf(p.PURL); d != nil {
				s.Distro = d
			}
		}
		if p.SourceName == "" && (p.Ecosystem == sbom.EcoDebian || p.Ecosystem == sbom.EcoUbuntu || p.Ecosystem == sbom.EcoAlpine || p.Ecosystem == sbom.EcoRPM) {
			p.SourceName, p.SourceVersion = p.Name, p.Version
		}
	}
	sbom.SortPackages(s.Packages)
}

// fromPURL makes a package from its purl; name and version fall back to
// the document's when the purl lacks them. An unknown purl type leaves
// Ecosystem empty.
func fromPURL(purl, name, version string) sbom.Package {
	p := sbom.Package{Name: name, Version: version, PURL: purl, Layer: -1}
	u, err := packageurl.FromString(purl)
	if err != nil {
		return p
	}
	q := u.Qualifiers.Map()
	p.Arch = q["arch"]
	full := u.Name
	switch u.Type {
	case packageurl.TypeDebian:
		p.Ecosystem, p.Cataloger = sbom.EcoDebian, "dpkg"
		if u.Namespace == "ubuntu" {
			p.Ecosystem = sbom.EcoUbuntu
		}
	case packageurl.TypeApk:
		p.Ecosystem, p.Cataloger = sbom.EcoAlpine, "apk"
	case packageurl.TypeRPM:
		p.Ecosystem, p.Cataloger = sbom.EcoRPM, "rpm"
	case packageurl.TypeGolang:
		p.Ecosystem, p.Cataloger = sbom.EcoGo, "go-binary"
		if u.Namespace != "" {
			full = u.Namespace + "/" + u.Name
		}
	case packageurl.TypeNPM:
		p.Ecosystem, p.Cataloger = sbom.EcoNPM, "npm"
		if u.Namespace != "" {
			full = u.Namespace + "/" + u.Name
		}
	case packageurl.TypePyPi:
		p.Ecosystem, p.Cataloger = sbom.EcoPyPI, "python"
	case packageurl.TypeMaven:
		p.Ecosystem, p.Cataloger = sbom.EcoMaven, "java"
		if u.Namespace != "" {
			full = u.Namespace + ":" + u.Name
		}
	default:
		return p
	}
	if p.Name == "" || p.Ecosystem == sbom.EcoGo || p.Ecosystem == sbom.EcoMaven || p.Ecosystem == sbom.EcoNPM {
		p.Name = full
	}
	if p.Version == "" {
		p.Version = u.Version
	}
	if e := q["epoch"]; e != "" && e != "0" && p.Ecosystem == sbom.EcoRPM && !strings.Contains(p.Version, ":") {
		p.Version = e + ":" + p.Version
	}
	// Syft writes the source package as upstream=NAME or NAME@VERSION.
	if up := q["upstream"]; up != "" {
		n, v, _ := strings.Cut(up, "@")
		p.SourceName, p.SourceVersion = n, v
		if v == "" {
			p.SourceVersion = p.Version
		}
	}
	return p
}

// distroOf reads a purl's distro qualifier: "debian-12", "alpine-3.19.1".
func distroOf(purl string) *sbom.Distro {
	u, err := packageurl.FromString(purl)
	if err != nil {
		return nil
	}
	d := u.Qualifiers.Map()["distro"]
	if d == "" {
		return nil
	}
	id, v, _ := strings.Cut(d, "-")
	if u.Namespace != "" && id != u.Namespace {
		// "distro=bookworm" style: the namespace names the distribution.
		return &sbom.Distro{ID: u.Namespace, Codename: d}
	}
	return &sbom.Distro{ID: id, VersionID: v}
}

func firstOf(ps properties, keys ...string) string {
	for _, k := range keys {
		if v := ps.get(k); v != "" {
			return v
		}
	}
	return ""
}

// properties are a component's name/value pairs. A component has a
// handful, so a scan beats building a map per component; the last pair
// of a repeated name wins, as it would in a map.
type properties []cdx.Property

func (ps properties) get(name string) string {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Name == name {
			return ps[i].Value
		}
	}
	return ""
}
