package sbom

import (
	"bufio"
	"bytes"
	"path"
	"strings"
)

// parseApk reads Alpine's lib/apk/db/installed: one paragraph per package,
// single-letter keys (P name, V version, A arch, o origin, L license,
// F directory and R file within it).
func parseApk(data []byte, location string) []Package {
	var out []Package
	var cur *Package
	dir := ""
	flush := func() {
		if cur != nil && cur.Name != "" && cur.Version != "" {
			if cur.SourceName == "" {
				cur.SourceName = cur.Name
			}
			cur.SourceVersion = cur.Version
			out = append(out, *cur)
		}
		cur, dir = nil, ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if len(line) < 2 || line[1] != ':' {
			continue
		}
		if cur == nil {
			cur = &Package{Cataloger: "apk", Location: location}
		}
		v := line[2:]
		switch line[0] {
		case 'P':
			cur.Name = v
		case 'V':
			cur.Version = v
		case 'A':
			cur.Arch = v
		case 'o':
			cur.SourceName = v
		case 'L':
			if v != "" {
				cur.Licenses = []string{v}
			}
		case 'F':
			dir = v
		case 'R':
			cur.Files = append(cur.Files, "/"+path.Join(dir, v))
		}
	}
	flush()
	return out
}
