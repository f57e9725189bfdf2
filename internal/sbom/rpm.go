package sbom

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	rpmdb "github.com/knqyf263/go-rpmdb/pkg"
	// The pure-Go SQLite driver ("sqlite") go-rpmdb opens rpmdb.sqlite
	// with; go-rpmdb leaves registering one to its caller.
	_ "modernc.org/sqlite"
)

// parseRPM reads an rpm database in any of its formats: Berkeley DB
// (Packages), NDB (Packages.db, SUSE) and SQLite (rpmdb.sqlite, Fedora 33+
// and RHEL 9). The reader needs a file, so the captured bytes are written
// to a private temporary file first, under the database's own name.
func parseRPM(data []byte, location string) ([]Package, error) {
	dir, err := os.MkdirTemp("", "shipshape-rpmdb-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, filepath.Base(location))
	if err := os.WriteFile(name, data, 0o600); err != nil {
		return nil, err
	}
	db, err := rpmdb.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", location, err)
	}
	defer db.Close()
	infos, err := db.ListPackages()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", location, err)
	}
	var out []Package
	for _, in := range infos {
		if in.Name == "" || in.Name == "gpg-pubkey" {
			continue
		}
		epoch := in.EpochNum()
		v := in.Version + "-" + in.Release
		if epoch > 0 {
			v = fmt.Sprintf("%d:%s", epoch, v)
		}
		p := Package{Name: in.Name, Version: v, Arch: in.Arch, Ecosystem: EcoRPM, Cataloger: "rpm", Location: location}
		if in.License != "" {
			p.Licenses = []string{in.License}
		}
		if sn, sv, ok := splitSourceRPM(in.SourceRpm); ok {
			p.SourceName, p.SourceVersion = sn, sv
			if epoch > 0 {
				p.SourceVersion = fmt.Sprintf("%d:%s", epoch, sv)
			}
		}
		if files, err := in.InstalledFileNames(); err == nil {
			p.Files = files
		}
		out = append(out, p)
	}
	return out, nil
}

// splitSourceRPM splits "openssl-1.1.1k-5.el8_5.src.rpm" into
// ("openssl", "1.1.1k-5.el8_5").
func splitSourceRPM(s string) (name, version string, ok bool) {
	s = strings.TrimSuffix(s, ".rpm")
	if i := strings.LastIndex(s, "."); i > 0 {
		s = s[:i] // arch: src, nosrc
	}
	r := strings.LastIndex(s, "-")
	if r <= 0 {
		return "", "", false
	}
	v := strings.LastIndex(s[:r], "-")
	if v <= 0 {
		return "", "", false
	}
	return s[:v], s[v+1:], true
}
