// Command auditapp is the process of the containers shipshape audit's
// engine tests run: a static binary for an image FROM scratch. As /app
// it sleeps, after drifting the container's filesystem when asked
// ("drift": a setuid file, an executable, /etc/passwd and the dpkg
// database changed after start). As /bin/sh it answers the engine's
// healthchecks: `sh -c ok` succeeds, anything else fails.
package main

import (
	"os"
	"path/filepath"
	"time"
)

func main() {
	if filepath.Base(os.Args[0]) == "sh" {
		if len(os.Args) > 2 && os.Args[2] == "ok" {
			os.Exit(0)
		}
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "drift" {
		drift()
	}
	for {
		time.Sleep(time.Hour)
	}
}

func drift() {
	must(os.WriteFile("/tmp/.backdoor", []byte("x"), 0o755))
	must(os.Chmod("/tmp/.backdoor", 0o755|os.ModeSetuid))
	must(os.WriteFile("/usr/local/bin/miner", []byte("x"), 0o755))
	f, err := os.OpenFile("/etc/passwd", os.O_APPEND|os.O_WRONLY, 0)
	must(err)
	_, err = f.WriteString("toor:x:0:0::/root:/bin/sh\n")
	must(err)
	must(f.Close())
	must(os.WriteFile("/var/lib/dpkg/status", []byte("Package: netcat\nStatus: install ok installed\n"), 0o644))
	must(os.WriteFile("/tmp/ready", nil, 0o644))
}

func must(err error) {
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(3)
	}
}
