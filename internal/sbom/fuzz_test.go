package sbom

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParsers feeds arbitrary bytes to every cataloger's parser: hostile
// package databases and manifests must not crash the scan
// (go test -fuzz FuzzParsers ./internal/sbom).
func FuzzParsers(f *testing.F) {
	for _, name := range []string{
		"testdata/debian-python/var/lib/dpkg/status",
		"testdata/project/package-lock.json",
		"testdata/project/node_modules/jquery/package.json",
		"testdata/project/lib/python3.11/site-packages/Flask-2.0.0.dist-info/METADATA",
		"testdata/project/lib/jars/nested.jar",
		"testdata/peers/yarn-v1/yarn.lock",
		"testdata/peers/yarn-berry/yarn.lock",
		"testdata/peers/pnpm-v5/pnpm-lock.yaml",
		"testdata/peers/pnpm-v9/pnpm-lock.yaml",
	} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("P:musl\nV:1.1.22-r3\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n"))
	f.Add([]byte("Package: a\nSource: b (1.0)\nVersion: 1.0+b1\nStatus: install ok installed\n"))
	only := os.Getenv("SBOM_FUZZ_ONLY")
	run := func(name string, fn func()) {
		if only == "" || only == name {
			fn()
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		run("dpkg", func() { parseDpkg(data, "/status") })
		run("apk", func() { parseApk(data, "/installed") })
		run("npm", func() { parsePackageJSON(data, "/package.json"); parsePackageLock(data, "/package-lock.json") })
		run("yarn", func() { parseYarnLock(data, data, "/yarn.lock") })
		run("pnpm", func() { parsePnpmLock(data, data, "/pnpm-lock.yaml") })
		run("python", func() { parsePythonMetadata(data, "/METADATA") })
		run("jar", func() { parseJar(bytes.NewReader(data), int64(len(data)), "/x.jar", 2) })
		run("go", func() { parseGoBinary(bytes.NewReader(data), "/bin/x") })
	})
}
