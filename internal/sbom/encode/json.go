package encode

import (
	"encoding/json"
	"io"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// SchemaVersion is the version of shipshape's own SBOM JSON; it changes
// when a field changes meaning or goes away, not when one is added.
const SchemaVersion = "1"

// Document is shipshape's own SBOM JSON, separate from the internal
// model so that the model can change without breaking readers.
type Document struct {
	SchemaVersion string       `json:"schemaVersion"`
	Tool          string       `json:"tool"`
	Version       string       `json:"version"`
	Subject       string       `json:"subject"`
	Digest        string       `json:"digest,omitempty"`
	Source        string       `json:"source,omitempty"`
	Created       string       `json:"created,omitempty"`
	Distro        *DocDistro   `json:"distro,omitempty"`
	Packages      []DocPackage `json:"packages"`
	Notes         []string     `json:"notes,omitempty"`
}

// DocDistro is the distribution.
type DocDistro struct {
	ID         string `json:"id"`
	VersionID  string `json:"versionId,omitempty"`
	Codename   string `json:"codename,omitempty"`
	PrettyName string `json:"prettyName,omitempty"`
}

// DocPackage is one package.
type DocPackage struct {
	Name          string   `json:"name"`
	Version       string   `json:"version"`
	Ecosystem     string   `json:"ecosystem"`
	PURL          string   `json:"purl,omitempty"`
	Licenses      []string `json:"licenses,omitempty"`
	SourceName    string   `json:"sourceName,omitempty"`
	SourceVersion string   `json:"sourceVersion,omitempty"`
	Arch          string   `json:"arch,omitempty"`
	Cataloger     string   `json:"cataloger"`
	Location      string   `json:"location,omitempty"`
	// Layer is omitted for directories.
	Layer       *int     `json:"layer,omitempty"`
	LayerDigest string   `json:"layerDigest,omitempty"`
	Files       []string `json:"files,omitempty"`
}

// NewDocument converts s.
func NewDocument(s *sbom.SBOM, o Options) *Document {
	d := &Document{
		SchemaVersion: SchemaVersion, Tool: "shipshape", Version: toolVersion(o),
		Subject: s.Subject, Digest: s.Digest, Source: s.Source, Notes: s.Notes,
		Packages: []DocPackage{},
	}
	if !s.Created.IsZero() {
		d.Created = s.Created.UTC().Format("2006-01-02T15:04:05Z")
	}
	if s.Distro != nil {
		d.Distro = &DocDistro{ID: s.Distro.ID, VersionID: s.Distro.VersionID, Codename: s.Distro.Codename, PrettyName: s.Distro.PrettyName}
	}
	for _, p := range s.Packages {
		dp := DocPackage{
			Name: p.Name, Version: p.Version, Ecosystem: p.Ecosystem, PURL: p.PURL, Licenses: p.Licenses,
			SourceName: p.SourceName, SourceVersion: p.SourceVersion, Arch: p.Arch, Cataloger: p.Cataloger,
			Location: p.Location, LayerDigest: p.LayerDigest, Files: p.Files,
		}
		if p.Layer >= 0 {
			l := p.Layer
			dp.Layer = &l
		}
		d.Packages = append(d.Packages, dp)
	}
	return d
}

// WriteJSON writes s as shipshape's SBOM JSON.
func WriteJSON(w io.Writer, s *sbom.SBOM, o Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(NewDocument(s, o))
}
