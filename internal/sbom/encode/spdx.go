package encode

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// namespaceBase prefixes SPDX document namespaces.
const namespaceBase = "https://github.com/shipshape-sec/shipshape/spdx/"

// SPDX converts s to an SPDX 2.3 document: the subject as the described
// package that CONTAINS every catalogued package, each with its purl as a
// PACKAGE-MANAGER reference. Declared licenses are kept as comments, since
// package databases do not write SPDX expressions.
func SPDX(s *sbom.SBOM, o Options) *spdx.Document {
	name := subjectName(s)
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      name,
		DocumentNamespace: namespaceBase + url.PathEscape(sanitizeID(name)) + "-" + uuidOf(identity(s)),
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "shipshape-" + toolVersion(o)}},
			Created:  created(s, o).Format("2006-01-02T15:04:05Z"),
		},
		DocumentComment: strings.Join(s.Notes, "\n"),
	}
	root := &spdx.Package{
		PackageName:             name,
		PackageSPDXIdentifier:   "Subject",
		PackageVersion:          s.Digest,
		PackageDownloadLocation: "NOASSERTION",
		PackageLicenseConcluded: "NOASSERTION",
		PackageLicenseDeclared:  "NOASSERTION",
		PackageCopyrightText:    "NOASSERTION",
		PrimaryPackagePurpose:   "CONTAINER",
	}
	if s.Source == "dir" {
		root.PrimaryPackagePurpose = "FILE"
	}
	doc.Packages = append(doc.Packages, root)
	doc.Relationships = append(doc.Relationships, &spdx.Relationship{
		RefA: common.MakeDocElementID("", "DOCUMENT"), RefB: common.MakeDocElementID("", "Subject"), Relationship: "DESCRIBES",
	})
	if d := s.Distro; d != nil {
		p := &spdx.Package{
			PackageName: d.ID, PackageSPDXIdentifier: "OperatingSystem", PackageVersion: d.VersionID,
			PackageDownloadLocation: "NOASSERTION", PackageLicenseConcluded: "NOASSERTION", PackageLicenseDeclared: "NOASSERTION",
			PackageCopyrightText: "NOASSERTION", PrimaryPackagePurpose: "OPERATING_SYSTEM", PackageDescription: d.PrettyName,
		}
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA: common.MakeDocElementID("", "Subject"), RefB: common.MakeDocElementID("", "OperatingSystem"), Relationship: "CONTAINS",
		})
	}
	for i, ref := range refs(s) {
		p := s.Packages[i]
		h := sha256.Sum256([]byte(ref))
		id := common.ElementID("Package-" + sanitizeID(p.Name) + "-" + hex.EncodeToString(h[:8]))
		sp := &spdx.Package{
			PackageName: p.Name, PackageSPDXIdentifier: id, PackageVersion: p.Version,
			PackageDownloadLocation: "NOASSERTION", PackageLicenseConcluded: "NOASSERTION", PackageLicenseDeclared: "NOASSERTION",
			PackageCopyrightText: "NOASSERTION", PrimaryPackagePurpose: "LIBRARY",
			PackageSourceInfo: sourceInfo(p),
		}
		if len(p.Licenses) > 0 {
			sp.PackageLicenseComments = "declared: " + strings.Join(p.Licenses, "; ")
		}
		if p.PURL != "" {
			sp.PackageExternalReferences = []*spdx.PackageExternalReference{{Category: "PACKAGE-MANAGER", RefType: "purl", Locator: p.PURL}}
		}
		doc.Packages = append(doc.Packages, sp)
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA: common.MakeDocElementID("", "Subject"), RefB: common.MakeDocElementID("", string(id)), Relationship: "CONTAINS",
		})
	}
	return doc
}

// sourceInfo says where the package was found, for SPDX's sourceInfo.
func sourceInfo(p sbom.Package) string {
	var parts []string
	if p.Location != "" {
		parts = append(parts, "acquired package info from "+p.Cataloger+": "+p.Location)
	}
	if p.Layer >= 0 {
		parts = append(parts, fmt.Sprintf("layer %d %s", p.Layer, p.LayerDigest))
	}
	if p.SourceName != "" && (p.SourceName != p.Name || p.SourceVersion != p.Version) {
		parts = append(parts, "source package "+p.SourceName+" "+p.SourceVersion)
	}
	return strings.TrimSpace(strings.Join(parts, "; "))
}

// sanitizeID keeps the characters SPDX identifiers allow.
func sanitizeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// WriteSPDX writes s as SPDX 2.3 JSON.
func WriteSPDX(w io.Writer, s *sbom.SBOM, o Options) error {
	if err := spdxjson.Write(SPDX(s, o), w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("spdx: %w", err)
	}
	return nil
}
