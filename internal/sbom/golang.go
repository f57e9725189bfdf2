package sbom

import (
	"bytes"
	"debug/buildinfo"
	"io"
	"strings"
)

// executableMagic reports whether head starts like an ELF, Mach-O or PE
// executable, the formats debug/buildinfo reads.
func executableMagic(head []byte) bool {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return true
	case bytes.HasPrefix(head, []byte("MZ")):
		return true
	case bytes.HasPrefix(head, []byte{0xfe, 0xed, 0xfa, 0xce}), bytes.HasPrefix(head, []byte{0xce, 0xfa, 0xed, 0xfe}),
		bytes.HasPrefix(head, []byte{0xfe, 0xed, 0xfa, 0xcf}), bytes.HasPrefix(head, []byte{0xcf, 0xfa, 0xed, 0xfe}):
		return true
	}
	return false
}

// parseGoBinary reads the build information Go embeds in an executable:
// the main module, every dependency (replacements applied) and the
// toolchain, reported as the "stdlib" package so that standard library
// advisories match it. An executable without build information (not Go,
// or stripped of it) yields nothing.
func parseGoBinary(r io.ReaderAt, location string) []Package {
	bi, err := buildinfo.Read(r)
	if err != nil {
		return nil
	}
	var out []Package
	add := func(path, version string) {
		if path == "" || version == "" {
			return
		}
		out = append(out, Package{Name: path, Version: version, Ecosystem: EcoGo, Cataloger: "go-binary", Location: location})
	}
	if v := goVersion(bi.GoVersion); v != "" {
		add("stdlib", v)
	}
	// A main module built from a checkout has version "(devel)": it is
	// still listed, as the subject of the binary, but with that version.
	add(bi.Main.Path, bi.Main.Version)
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		add(d.Path, d.Version)
	}
	return out
}

// goVersion turns "go1.22.3" (or "go1.26.8 X:nocoverageredesign") into
// the semantic version OSV's Go ecosystem uses for stdlib: "v1.22.3".
func goVersion(s string) string {
	s, _, _ = strings.Cut(s, " ")
	v, ok := strings.CutPrefix(s, "go")
	if !ok || v == "" {
		return ""
	}
	if strings.Count(v, ".") == 1 {
		if _, _, pre := strings.Cut(v, "rc"); !pre {
			v += ".0"
		}
	}
	return "v" + v
}
