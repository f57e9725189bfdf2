package distro_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/distro"
)

// rootOf opens dir as an os.Root and returns a ReadFile over it.
func rootOf(t *testing.T, dir string) distro.ReadFile {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return distro.FS(root.FS())
}

// copyFiles copies the named files of src (relative paths) into a new
// directory and returns it.
func copyFiles(t *testing.T, src string, names ...string) string {
	t.Helper()
	dst := t.TempDir()
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, n)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestIdentifyRealRootFilesystems reads the shared Alpine and Debian
// root filesystems, whole and with os-release removed, so that the
// distribution-specific fallbacks are read from real release files.
func TestIdentifyRealRootFilesystems(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	alpine310 := filepath.Join(data, "alpine", "alpine-310-metadata")
	alpine311 := filepath.Join(data, "alpine", "alpine-311-metadata")
	fx := filepath.Join(data, "debian", "rootfs-fixtures")
	cases := []struct {
		name string
		dir  string
		want distro.Release
	}{
		{"alpine 3.10", alpine310, distro.Release{ID: "alpine", VersionID: "3.10.4", PrettyName: "Alpine Linux v3.10", Source: "/etc/os-release"}},
		{"alpine 3.10 without os-release", copyFiles(t, alpine310, "etc/alpine-release", "lib/apk/db/installed"),
			distro.Release{ID: "alpine", VersionID: "3.10.4", PrettyName: "Alpine Linux 3.10.4", Source: "/etc/alpine-release"}},
		{"alpine 3.11 without os-release", copyFiles(t, alpine311, "etc/alpine-release"),
			distro.Release{ID: "alpine", VersionID: "3.11.5", PrettyName: "Alpine Linux 3.11.5", Source: "/etc/alpine-release"}},
		{"bookworm", filepath.Join(fx, "bookworm"),
			distro.Release{ID: "debian", VersionID: "12", Codename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)", Source: "/etc/os-release"}},
		{"bullseye", filepath.Join(fx, "bullseye"),
			distro.Release{ID: "debian", VersionID: "11", Codename: "bullseye", PrettyName: "Debian GNU/Linux 11 (bullseye)", Source: "/etc/os-release"}},
		{"bullseye without os-release", copyFiles(t, filepath.Join(fx, "bullseye"), "etc/debian_version"),
			distro.Release{ID: "debian", VersionID: "11.11", PrettyName: "Debian GNU/Linux 11.11", Source: "/etc/debian_version"}},
		{"os-release under /usr/lib only", func() string {
			d := copyFiles(t, filepath.Join(fx, "bookworm-plus"), "etc/debian_version")
			b, err := os.ReadFile(filepath.Join(fx, "bookworm-plus", "etc", "os-release"))
			if err != nil {
				t.Fatal(err)
			}
			os.MkdirAll(filepath.Join(d, "usr", "lib"), 0o755)
			if err := os.WriteFile(filepath.Join(d, "usr", "lib", "os-release"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			// Debian's /etc/os-release is a relative link into /usr/lib.
			if err := os.Symlink("../usr/lib/os-release", filepath.Join(d, "etc", "os-release")); err != nil {
				t.Fatal(err)
			}
			return d
		}(), distro.Release{ID: "debian", VersionID: "12", Codename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)", Source: "/etc/os-release"}},
		{"nothing", t.TempDir(), distro.Release{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := distro.Identify(rootOf(t, c.dir))
			if got != c.want || ok != (c.want.ID != "") {
				t.Errorf("Identify = %+v, %v; want %+v", got, ok, c.want)
			}
		})
	}
}

// TestIdentifyPrecedence checks the order of Files on release files as
// the distributions write them: os-release over everything, lsb-release
// over Ubuntu's debian_version, an empty os-release falling through.
func TestIdentifyPrecedence(t *testing.T) {
	const (
		ubuntuLSB   = "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.4 LTS\"\n"
		ubuntuOS    = "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n"
		trixieOS    = "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\nID=debian\n"
		centos7     = "CentOS Linux release 7.9.2009 (Core)\n"
		amazon2     = "Amazon Linux release 2 (Karoo)\n"
		rhel9       = "Red Hat Enterprise Linux release 9.3 (Plow)\n"
		ubuntuDebVn = "bookworm/sid\n"
	)
	cases := []struct {
		name  string
		files map[string]string
		want  distro.Release
	}{
		{"ubuntu lsb-release over debian_version", map[string]string{"/etc/lsb-release": ubuntuLSB, "/etc/debian_version": ubuntuDebVn},
			distro.Release{ID: "ubuntu", VersionID: "22.04", Codename: "jammy", PrettyName: "Ubuntu 22.04.4 LTS", Source: "/etc/lsb-release"}},
		{"ubuntu os-release over lsb-release", map[string]string{"/etc/os-release": ubuntuOS, "/etc/lsb-release": ubuntuLSB, "/etc/debian_version": ubuntuDebVn},
			distro.Release{ID: "ubuntu", VersionID: "22.04", Codename: "jammy", PrettyName: "Ubuntu 22.04.4 LTS", Source: "/etc/os-release"}},
		{"empty os-release falls through", map[string]string{"/etc/os-release": "", "/usr/lib/os-release": ubuntuOS},
			distro.Release{ID: "ubuntu", VersionID: "22.04", Codename: "jammy", PrettyName: "Ubuntu 22.04.4 LTS", Source: "/usr/lib/os-release"}},
		{"debian testing takes its codename from debian_version", map[string]string{"/etc/os-release": "ID=debian\n", "/etc/debian_version": "trixie/sid\n"},
			distro.Release{ID: "debian", Codename: "trixie", Source: "/etc/os-release"}},
		{"debian testing with its own codename", map[string]string{"/etc/os-release": trixieOS, "/etc/debian_version": "trixie/sid\n"},
			distro.Release{ID: "debian", Codename: "trixie", PrettyName: "Debian GNU/Linux trixie/sid", Source: "/etc/os-release"}},
		{"centos redhat-release", map[string]string{"/etc/redhat-release": centos7, "/etc/system-release": centos7},
			distro.Release{ID: "centos", VersionID: "7.9.2009", PrettyName: "CentOS Linux release 7.9.2009 (Core)", Source: "/etc/redhat-release"}},
		{"rhel redhat-release", map[string]string{"/etc/redhat-release": rhel9},
			distro.Release{ID: "rhel", VersionID: "9.3", PrettyName: "Red Hat Enterprise Linux release 9.3 (Plow)", Source: "/etc/redhat-release"}},
		{"amazon system-release", map[string]string{"/etc/system-release": amazon2},
			distro.Release{ID: "amzn", VersionID: "2", PrettyName: "Amazon Linux release 2 (Karoo)", Source: "/etc/system-release"}},
		{"alpine-release over debian_version", map[string]string{"/etc/alpine-release": "3.19.1\n", "/etc/debian_version": "12.5\n"},
			distro.Release{ID: "alpine", VersionID: "3.19.1", PrettyName: "Alpine Linux 3.19.1", Source: "/etc/alpine-release"}},
		{"blank alpine-release names nothing", map[string]string{"/etc/alpine-release": "\n"}, distro.Release{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := func(name string) ([]byte, bool) {
				s, ok := c.files[name]
				return []byte(s), ok
			}
			got, ok := distro.Identify(read)
			if got != c.want || ok != (c.want.ID != "") {
				t.Errorf("Identify = %+v, %v; want %+v", got, ok, c.want)
			}
		})
	}
}

// TestFilesListsEverySource checks that Files names every file Identify
// reads, so that a scan capturing Files misses none.
func TestFilesListsEverySource(t *testing.T) {
	want := map[string]bool{}
	for _, f := range distro.Files() {
		want[f] = true
	}
	distro.Identify(func(name string) ([]byte, bool) {
		if !want[name] {
			t.Errorf("Identify read %s, which Files does not list", name)
		}
		return nil, false
	})
	// The Debian fallback inside os-release reads debian_version too.
	distro.Identify(func(name string) ([]byte, bool) {
		if !want[name] {
			t.Errorf("Identify read %s, which Files does not list", name)
		}
		return []byte("ID=debian\n"), name == "/etc/os-release"
	})
	if len(want) != 7 {
		t.Errorf("Files = %v", distro.Files())
	}
}

// FuzzIdentify feeds one content to every release file: Identify must not
// panic and must name the file it read.
func FuzzIdentify(f *testing.F) {
	f.Add([]byte("ID=alpine\nVERSION_ID=3.19.1\n"))
	f.Add([]byte("CentOS Linux release 7.9.2009 (Core)"))
	f.Add([]byte("trixie/sid"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := distro.Identify(func(string) ([]byte, bool) { return data, true })
		if ok && (r.Source == "" || r.ID == "") {
			t.Errorf("Identify = %+v without a source or an ID", r)
		}
	})
}
