package sbom

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"strings"
)

// maxNestedJar bounds a jar read from inside another archive, and
// maxNestedTotal all the nested jars read for one archive: entries of a
// hostile zip can share one compressed stream and inflate it many times.
const (
	maxNestedJar   = 64 << 20
	maxNestedTotal = 256 << 20
)

// javaArchive says whether a file name is a Java archive, by the java
// cataloger's declared extensions.
func javaArchive(name string) bool { return hasExtension(javaExtensions, name) }

// parseJar reads a Java archive: every META-INF/**/pom.properties
// (groupId, artifactId, version), else the manifest's
// Implementation-Title/Version, and the archives nested in it (Spring Boot
// BOOT-INF/lib, WEB-INF/lib) to depth.
func parseJar(r io.ReaderAt, size int64, location string, depth int) []Package {
	budget := int64(maxNestedTotal)
	return readJar(r, size, location, depth, &budget)
}

func readJar(r io.ReaderAt, size int64, location string, depth int, budget *int64) []Package {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil
	}
	var out []Package
	var manifest *zip.File
	for _, f := range zr.File {
		name := f.Name
		switch {
		case strings.HasPrefix(name, "META-INF/") && strings.HasSuffix(name, "/pom.properties"):
			if data, err := readZip(f, 1<<20); err == nil {
				if p, ok := parsePomProperties(data, location); ok {
					out = append(out, p)
				}
			}
		case name == "META-INF/MANIFEST.MF":
			manifest = f
		case depth > 0 && javaArchive(name) && f.UncompressedSize64 <= maxNestedJar && *budget > 0:
			data, err := readZip(f, min(maxNestedJar, *budget))
			*budget -= int64(len(data))
			if err == nil && bytes.HasPrefix(data, []byte("PK\x03\x04")) {
				out = append(out, readJar(bytes.NewReader(data), int64(len(data)), location+"!/"+name, depth-1, budget)...)
			}
		}
	}
	if len(out) == 0 && manifest != nil {
		if data, err := readZip(manifest, 1<<20); err == nil {
			if p, ok := parseManifest(data, location); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

func readZip(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}

func parseProperties(data []byte) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || l[0] == '#' || l[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m
}

func parsePomProperties(data []byte, location string) (Package, bool) {
	m := parseProperties(data)
	g, a, v := m["groupId"], m["artifactId"], m["version"]
	if g == "" || a == "" || v == "" {
		return Package{}, false
	}
	return Package{Name: g + ":" + a, Version: v, Ecosystem: EcoMaven, Cataloger: "java", Location: location}, true
}

// parseManifest reads MANIFEST.MF main attributes. Without a Maven group
// the name is the bare title, which OSV's Maven ecosystem will not match;
// it is still inventory.
func parseManifest(data []byte, location string) (Package, bool) {
	attrs := map[string]string{}
	for _, l := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if l == "" {
			break
		}
		k, v, ok := strings.Cut(l, ":")
		if ok {
			attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	name := attrs["Implementation-Title"]
	if name == "" {
		name, _, _ = strings.Cut(attrs["Bundle-SymbolicName"], ";")
	}
	version := attrs["Implementation-Version"]
	if version == "" {
		version = attrs["Bundle-Version"]
	}
	if name == "" || version == "" {
		return Package{}, false
	}
	if g := attrs["Implementation-Vendor-Id"]; g != "" && !strings.Contains(name, ":") {
		name = g + ":" + name
	}
	return Package{Name: name, Version: version, Ecosystem: EcoMaven, Cataloger: "java", Location: location}, true
}
