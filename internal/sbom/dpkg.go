package sbom

import (
	"bufio"
	"bytes"
	"strings"
)

// stanza is one RFC 822-style paragraph of a Debian control file: field
// names as written, continuation lines joined with newlines.
type stanza map[string]string

// parseStanzas splits a dpkg status file (or a status.d file) into its
// paragraphs.
func parseStanzas(data []byte) []stanza {
	var out []stanza
	cur := stanza{}
	last := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur, last = stanza{}, ""
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last != "" {
				cur[last] += "\n" + strings.TrimSpace(line)
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = k
		cur[k] = strings.TrimSpace(v)
	}
	flush()
	return out
}

// parseDpkg reads the installed packages of a dpkg status file or of a
// distroless status.d file. A stanza without a Status field (status.d)
// counts as installed; otherwise only "install ok installed" and the
// half-configured states that leave files on disk count.
func parseDpkg(data []byte, location string) []Package {
	var out []Package
	for _, st := range parseStanzas(data) {
		name, version := st["Package"], st["Version"]
		if name == "" || version == "" {
			continue
		}
		if s, ok := st["Status"]; ok && !dpkgInstalled(s) {
			continue
		}
		p := Package{
			Name: name, Version: version, Arch: st["Architecture"],
			Cataloger: "dpkg", Location: location,
			SourceName: name, SourceVersion: version,
		}
		if src := st["Source"]; src != "" {
			// "Source: name" or "Source: name (version)" when the source
			// version differs from the binary's (binNMUs, +bN).
			n, v, ok := strings.Cut(src, " ")
			p.SourceName = n
			if ok {
				p.SourceVersion = strings.Trim(strings.TrimSpace(v), "()")
			}
		}
		out = append(out, p)
	}
	return out
}

func dpkgInstalled(status string) bool {
	f := strings.Fields(status)
	if len(f) != 3 {
		return false
	}
	// The package's files are on disk in these states; "config-files",
	// "not-installed" and "half-installed" leave none or a broken set.
	switch f[2] {
	case "installed", "half-configured", "unpacked", "triggers-awaited", "triggers-pending":
		return true
	}
	return false
}

// dpkgListName is the package name a dpkg info file names:
// "libc6:amd64.list" -> "libc6".
func dpkgListName(base string) string {
	base = strings.TrimSuffix(base, ".list")
	name, _, _ := strings.Cut(base, ":")
	return name
}

// parseLines returns the non-empty lines of a file list.
func parseLines(data []byte) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && l != "/." {
			out = append(out, l)
		}
	}
	return out
}
