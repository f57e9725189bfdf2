package encode

import (
	"fmt"
	"io"
	"strconv"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// CycloneDX converts s to a CycloneDX 1.6 BOM: the subject as the
// metadata component (container or file), the distribution as an
// operating-system component, each package as a library with its purl,
// and shipshape properties for what CycloneDX has no field for (layer,
// source package, location).
func CycloneDX(s *sbom.SBOM, o Options) *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.JSONSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	bom.XMLNS = "http://cyclonedx.org/schema/bom/1.6"
	bom.SerialNumber = "urn:uuid:" + uuidOf(identity(s))
	bom.Version = 1
	subj := &cdx.Component{
		BOMRef: "subject",
		Type:   cdx.ComponentTypeContainer,
		Name:   subjectName(s),
	}
	if s.Source == "dir" {
		subj.Type = cdx.ComponentTypeFile
	}
	if s.Digest != "" {
		subj.Version = s.Digest
	}
	bom.Metadata = &cdx.Metadata{
		Timestamp: created(s, o).Format("2006-01-02T15:04:05Z"),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "shipshape", Version: toolVersion(o),
			Group: "shipshape-sec",
		}}},
		Component: subj,
	}
	var metaProps []cdx.Property
	if s.Source != "" {
		metaProps = append(metaProps, cdx.Property{Name: "shipshape:source", Value: s.Source})
	}
	for _, n := range s.Notes {
		metaProps = append(metaProps, cdx.Property{Name: "shipshape:note", Value: n})
	}
	if len(metaProps) > 0 {
		bom.Metadata.Properties = &metaProps
	}

	var comps []cdx.Component
	var deps []string
	if d := s.Distro; d != nil {
		c := cdx.Component{BOMRef: "os:" + d.ID + "@" + d.VersionID, Type: cdx.ComponentTypeOS, Name: d.ID, Version: d.VersionID, Description: d.PrettyName}
		if d.Codename != "" {
			c.Properties = &[]cdx.Property{{Name: "shipshape:codename", Value: d.Codename}}
		}
		comps = append(comps, c)
		deps = append(deps, c.BOMRef)
	}
	for i, ref := range refs(s) {
		p := s.Packages[i]
		c := cdx.Component{BOMRef: ref, Type: cdx.ComponentTypeLibrary, Name: p.Name, Version: p.Version, PackageURL: p.PURL}
		if len(p.Licenses) > 0 {
			var lc cdx.Licenses
			for _, l := range p.Licenses {
				lc = append(lc, cdx.LicenseChoice{License: &cdx.License{Name: l}})
			}
			c.Licenses = &lc
		}
		props := []cdx.Property{
			{Name: "shipshape:cataloger", Value: p.Cataloger},
			{Name: "shipshape:ecosystem", Value: p.Ecosystem},
		}
		if p.Location != "" {
			props = append(props, cdx.Property{Name: "shipshape:location", Value: p.Location})
		}
		if p.Arch != "" {
			props = append(props, cdx.Property{Name: "shipshape:arch", Value: p.Arch})
		}
		if p.SourceName != "" && (p.SourceName != p.Name || p.SourceVersion != p.Version) {
			props = append(props, cdx.Property{Name: "shipshape:source-name", Value: p.SourceName},
				cdx.Property{Name: "shipshape:source-version", Value: p.SourceVersion})
		}
		if p.Layer >= 0 {
			props = append(props, cdx.Property{Name: "shipshape:layer", Value: strconv.Itoa(p.Layer)})
			if p.LayerDigest != "" {
				props = append(props, cdx.Property{Name: "shipshape:layer-digest", Value: p.LayerDigest})
			}
		}
		c.Properties = &props
		comps = append(comps, c)
		deps = append(deps, ref)
	}
	bom.Components = &comps
	bom.Dependencies = &[]cdx.Dependency{{Ref: "subject", Dependencies: &deps}}
	return bom
}

// WriteCycloneDX writes s as CycloneDX 1.6 JSON, or XML when xml is set.
func WriteCycloneDX(w io.Writer, s *sbom.SBOM, o Options, xml bool) error {
	format := cdx.BOMFileFormatJSON
	if xml {
		format = cdx.BOMFileFormatXML
	}
	enc := cdx.NewBOMEncoder(w, format)
	enc.SetPretty(true)
	enc.SetEscapeHTML(false)
	if err := enc.EncodeVersion(CycloneDX(s, o), cdx.SpecVersion1_6); err != nil {
		return fmt.Errorf("cyclonedx: %w", err)
	}
	return nil
}
