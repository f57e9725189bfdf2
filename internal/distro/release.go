package distro

import (
	"bufio"
	"bytes"
	"io/fs"
	"regexp"
	"strings"
)

// ReadFile returns the content of a file of the filesystem being
// identified, by clean absolute path, following symbolic links inside that
// filesystem; ok is false when the file is missing or was not captured.
type ReadFile func(name string) (data []byte, ok bool)

// Release is the distribution release a filesystem is built on.
type Release struct {
	// ID is os-release's ID in lower case (debian, ubuntu, alpine, rhel,
	// centos, fedora, rocky, almalinux, amzn, ol, ...).
	ID string
	// VersionID is os-release's VERSION_ID ("12", "3.10.4", "22.04"); it
	// is empty for a release without a number (Debian testing).
	VersionID string
	// Codename is VERSION_CODENAME in lower case (bookworm), when known.
	Codename string
	// PrettyName is os-release's PRETTY_NAME, or one made up from the
	// distribution-specific release file ("Alpine Linux 3.10.4").
	PrettyName string
	// Source is the file the release was read from (/etc/os-release); it
	// is empty when the release came from elsewhere (an SBOM document).
	Source string
}

// Name is the release for display: PrettyName, else ID and VersionID.
func (r Release) Name() string {
	if r.PrettyName != "" {
		return r.PrettyName
	}
	return strings.TrimSpace(r.ID + " " + r.VersionID)
}

// source is one release file and how to read it.
type source struct {
	path  string
	parse func(data []byte, read ReadFile) (Release, bool)
}

// sources are the release files in order of precedence. os-release comes
// first, /etc before /usr/lib as os-release(5) says; lsb-release next,
// because Ubuntu also ships a debian_version that names the Debian testing
// release it was branched from; then the files one distribution family
// writes: alpine-release, debian_version, redhat-release and, last,
// system-release (Amazon Linux, and a link to the former elsewhere). A file
// that is present but names no distribution (an empty os-release) falls
// through to the next.
var sources = []source{
	{"/etc/os-release", parseOSRelease},
	{"/usr/lib/os-release", parseOSRelease},
	{"/etc/lsb-release", parseLSBRelease},
	{"/etc/alpine-release", parseAlpineRelease},
	{"/etc/debian_version", parseDebianVersion},
	{"/etc/redhat-release", parseRedHatRelease},
	{"/etc/system-release", parseRedHatRelease},
}

// Files returns the release files Identify reads, in order of precedence,
// for a scan to capture (image.DefaultCapture keeps them).
func Files() []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.path
	}
	return out
}

// Identify reads the distribution from the first release file, in the
// order of Files, that names one. ok is false when none does.
func Identify(read ReadFile) (Release, bool) {
	for _, s := range sources {
		data, ok := read(s.path)
		if !ok {
			continue
		}
		if r, ok := s.parse(data, read); ok {
			r.Source = s.path
			return r, true
		}
	}
	return Release{}, false
}

// FS adapts a file system to ReadFile: name is taken relative to its root.
// Give it the FS of an os.Root, which keeps symbolic links inside the
// directory; os.DirFS would follow an absolute link out to the host's own
// /etc/os-release.
func FS(fsys fs.FS) ReadFile {
	return func(name string) ([]byte, bool) {
		data, err := fs.ReadFile(fsys, strings.TrimPrefix(name, "/"))
		return data, err == nil
	}
}

// keyValues reads the KEY=value lines of os-release and lsb-release,
// unquoting values; comments and malformed lines are skipped.
func keyValues(data []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return out
}

// parseOSRelease reads ID, VERSION_ID, VERSION_CODENAME and PRETTY_NAME. A
// Debian os-release without VERSION_ID (testing, unstable) takes the
// release from debian_version: a number there is the version, a name
// ("trixie/sid") the codename.
func parseOSRelease(data []byte, read ReadFile) (Release, bool) {
	kv := keyValues(data)
	r := Release{
		ID: strings.ToLower(kv["ID"]), VersionID: kv["VERSION_ID"],
		Codename: strings.ToLower(kv["VERSION_CODENAME"]), PrettyName: kv["PRETTY_NAME"],
	}
	if r.ID == "debian" && r.VersionID == "" {
		if d, ok := read("/etc/debian_version"); ok {
			dv, _ := parseDebianVersion(d, read)
			r.VersionID = dv.VersionID
			if r.Codename == "" {
				r.Codename = dv.Codename
			}
		}
	}
	return r, r.ID != ""
}

// parseLSBRelease reads DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_CODENAME and
// DISTRIB_DESCRIPTION.
func parseLSBRelease(data []byte, _ ReadFile) (Release, bool) {
	kv := keyValues(data)
	r := Release{
		ID: strings.ToLower(kv["DISTRIB_ID"]), VersionID: kv["DISTRIB_RELEASE"],
		Codename: strings.ToLower(kv["DISTRIB_CODENAME"]), PrettyName: kv["DISTRIB_DESCRIPTION"],
	}
	return r, r.ID != ""
}

// parseAlpineRelease reads the version alpine-release holds ("3.10.4").
func parseAlpineRelease(data []byte, _ ReadFile) (Release, bool) {
	v := firstLine(data)
	return Release{ID: "alpine", VersionID: v, PrettyName: "Alpine Linux " + v}, v != ""
}

// parseDebianVersion reads debian_version: a point release ("12.5") is
// the version; testing and unstable write a codename ("trixie/sid").
func parseDebianVersion(data []byte, _ ReadFile) (Release, bool) {
	v := firstLine(data)
	r := Release{ID: "debian", VersionID: v, PrettyName: "Debian GNU/Linux " + v}
	if c, _, ok := strings.Cut(v, "/"); ok {
		r.VersionID, r.Codename = "", strings.ToLower(c)
	} else if v != "" && (v[0] < '0' || v[0] > '9') {
		r.VersionID, r.Codename = "", strings.ToLower(v)
	}
	return r, v != ""
}

var reRelease = regexp.MustCompile(`^(.*?) release ([0-9][0-9.]*)`)

// parseRedHatRelease reads "<name> release <version> (<codename>)", the
// line Red Hat's family writes to redhat-release and system-release. A
// name it does not know is taken for Red Hat Enterprise Linux.
func parseRedHatRelease(data []byte, _ ReadFile) (Release, bool) {
	s := firstLine(data)
	r := Release{PrettyName: s, ID: "rhel"}
	if m := reRelease.FindStringSubmatch(s); m != nil {
		r.VersionID = m[2]
		switch l := strings.ToLower(m[1]); {
		case strings.Contains(l, "centos"):
			r.ID = "centos"
		case strings.Contains(l, "fedora"):
			r.ID = "fedora"
		case strings.Contains(l, "rocky"):
			r.ID = "rocky"
		case strings.Contains(l, "alma"):
			r.ID = "almalinux"
		case strings.Contains(l, "amazon"):
			r.ID = "amzn"
		case strings.Contains(l, "oracle"):
			r.ID = "ol"
		}
	}
	return r, s != ""
}

// firstLine returns the first line of data, trimmed.
func firstLine(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return strings.TrimSpace(string(line))
}
