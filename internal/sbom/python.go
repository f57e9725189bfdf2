package sbom

import (
	"bufio"
	"bytes"
	"strings"
)

// parsePythonMetadata reads a wheel's *.dist-info/METADATA or an egg's
// *.egg-info/PKG-INFO (RFC 822 headers up to the first blank line).
func parsePythonMetadata(data []byte, location string) []Package {
	var name, version, license string
	var classifiers []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "name":
			name = v
		case "version":
			version = v
		case "license-expression":
			license = v
		case "license":
			if license == "" && v != "" && v != "UNKNOWN" && !strings.Contains(v, "\n") && len(v) < 100 {
				license = v
			}
		case "classifier":
			if rest, ok := strings.CutPrefix(v, "License :: OSI Approved :: "); ok {
				classifiers = append(classifiers, rest)
			}
		}
	}
	if name == "" || version == "" {
		return nil
	}
	p := Package{Name: name, Version: version, Ecosystem: EcoPyPI, Cataloger: "python", Location: location}
	if license != "" {
		p.Licenses = []string{license}
	} else if len(classifiers) > 0 {
		p.Licenses = classifiers
	}
	return []Package{p}
}
