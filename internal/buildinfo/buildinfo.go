// Package buildinfo says which shipshape this is: the module version,
// commit and build date, read from the Go build information embedded in
// the binary, or from the values a release build sets with -ldflags, or
// from the version constant in the code when neither says (builds with
// -buildvcs=false and a plain `go build` carry no VCS data).
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/mod/module"
)

// Fallback is the version of the code in this tree, used when the binary
// carries no better version: bump it when a release is cut.
const Fallback = "0.9.0-dev"

// Info describes one build.
type Info struct {
	// Version is a semantic version ("v0.9.0", "0.9.0-dev").
	Version string `json:"version"`
	// Commit is the VCS revision, "" when unknown; Modified says the
	// working tree had uncommitted changes.
	Commit   string `json:"commit,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	// Date is the build's date: the commit time, which keeps release
	// builds reproducible; zero when unknown.
	Date      time.Time `json:"date,omitzero"`
	GoVersion string    `json:"go"`
	Platform  string    `json:"platform"`
}

// Read returns the build's Info. version, commit and date are the values a
// release build sets with -ldflags (empty when not set); they win over
// what the build information says.
func Read(version, commit, date string) Info {
	info := Info{Version: Fallback, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		// A tagged module version (go install ...@v1.2.3) is the version;
		// a pseudo-version the go command derives from a commit says less
		// than the fallback plus the commit shown beside it.
		if v := bi.Main.Version; v != "" && v != "(devel)" && !module.IsPseudoVersion(v) {
			info.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.time":
				info.Date, _ = time.Parse(time.RFC3339, s.Value)
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		info.Version = version
	}
	if commit != "" {
		info.Commit = commit
	}
	if date != "" {
		if t, err := time.Parse(time.RFC3339, date); err == nil {
			info.Date = t
		}
	}
	return info
}

// String is the one-line form `shipshape version` prints.
func (i Info) String() string {
	var b strings.Builder
	b.WriteString("shipshape " + i.Version)
	var extra []string
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if i.Modified {
			c += "-dirty"
		}
		extra = append(extra, "commit "+c)
	}
	if !i.Date.IsZero() {
		extra = append(extra, "built "+i.Date.UTC().Format(time.RFC3339))
	}
	extra = append(extra, i.GoVersion+" "+i.Platform)
	b.WriteString(" (" + strings.Join(extra, ", ") + ")")
	return b.String()
}
