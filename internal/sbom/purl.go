package sbom

import (
	"strings"

	"github.com/package-url/packageurl-go"
)

// PURL builds the package URL of p, with the distro qualifier for OS
// packages.
func PURL(p Package, d *Distro) string {
	var typ, ns, name, version = "", "", p.Name, p.Version
	var q packageurl.Qualifiers
	distro := ""
	if d != nil && d.ID != "" {
		distro = d.ID
		switch {
		case d.VersionID != "":
			distro += "-" + d.VersionID
		case d.Codename != "":
			// Debian testing has no number, only its codename.
			distro += "-" + d.Codename
		}
	}
	switch p.Cataloger {
	case "dpkg":
		typ, ns = packageurl.TypeDebian, "debian"
		if d != nil && d.ID != "" {
			ns = d.ID
		}
		if p.Arch != "" {
			q = append(q, packageurl.Qualifier{Key: "arch", Value: p.Arch})
		}
		if distro != "" {
			q = append(q, packageurl.Qualifier{Key: "distro", Value: distro})
		}
	case "apk":
		typ, ns = packageurl.TypeApk, "alpine"
		if d != nil && d.ID != "" {
			ns = d.ID
		}
		if p.Arch != "" {
			q = append(q, packageurl.Qualifier{Key: "arch", Value: p.Arch})
		}
		if distro != "" {
			q = append(q, packageurl.Qualifier{Key: "distro", Value: distro})
		}
	case "rpm":
		typ = packageurl.TypeRPM
		if d != nil {
			ns = d.ID
		}
		if e, v, ok := strings.Cut(version, ":"); ok {
			version = v
			q = append(q, packageurl.Qualifier{Key: "epoch", Value: e})
		}
		if p.Arch != "" {
			q = append(q, packageurl.Qualifier{Key: "arch", Value: p.Arch})
		}
		if distro != "" {
			q = append(q, packageurl.Qualifier{Key: "distro", Value: distro})
		}
	default:
		switch p.Ecosystem {
		case EcoGo:
			typ = packageurl.TypeGolang
			if i := strings.LastIndex(name, "/"); i >= 0 {
				ns, name = name[:i], name[i+1:]
			}
		case EcoNPM:
			typ = packageurl.TypeNPM
			if strings.HasPrefix(name, "@") {
				if s, n, ok := strings.Cut(name, "/"); ok {
					ns, name = s, n
				}
			}
		case EcoPyPI:
			typ = packageurl.TypePyPi
			name = strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(name))
		case EcoMaven:
			typ = packageurl.TypeMaven
			if g, a, ok := strings.Cut(name, ":"); ok {
				ns, name = g, a
			}
		default:
			return ""
		}
	}
	return packageurl.NewPackageURL(typ, ns, name, version, q, "").ToString()
}
