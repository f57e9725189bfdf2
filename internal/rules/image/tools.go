package image

import (
	"path"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// binDirs are where executables are looked up, as PATH usually lists
// them.
var binDirs = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// found is an executable present in the final view.
type found struct {
	name, path string
	file       *image.File
}

// findTools returns which of names exist as executables in the PATH
// directories (following symlinks, so /bin/sh -> busybox counts, and
// /bin -> /usr/bin on merged-/usr systems is not counted twice), plus
// extra absolute paths.
func findTools(im *image.Image, names []string, extra ...string) []found {
	var out []found
	seen := map[string]bool{}
	add := func(name, p string) {
		f := file(im, p)
		if f == nil || !f.Mode.IsRegular() || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, found{name: name, path: p, file: f})
	}
	for _, n := range names {
		for _, d := range binDirs {
			add(n, d+"/"+n)
		}
	}
	for _, p := range extra {
		add(path.Base(p), p)
	}
	return out
}

func toolNames(fs []found) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.path)
	}
	return strings.Join(s, ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// reportTools reports one finding naming every tool found, located at the
// first one.
func reportTools(p *rule.Pass, fs []found, format string, args ...any) {
	if len(fs) == 0 {
		return
	}
	reportFile(p, fs[0].file.Layer, fs[0].path, format, args...)
}

// entrypointNeedsShell reports whether the image's entrypoint or command
// runs through a shell: `sh -c`, a shell as the program, or a script.
func entrypointNeedsShell(im *image.Image) bool {
	args := append(append([]string(nil), im.Config.Entrypoint...), im.Config.Cmd...)
	if len(args) == 0 {
		return true // docker run image <cmd> will likely be a shell
	}
	prog := path.Base(args[0])
	switch prog {
	case "sh", "bash", "ash", "dash", "zsh", "busybox", "tini", "dumb-init", "docker-entrypoint.sh", "gosu", "su-exec", "env":
		if prog == "tini" || prog == "dumb-init" || prog == "gosu" || prog == "su-exec" || prog == "env" {
			for _, a := range args[1:] {
				if strings.HasSuffix(a, ".sh") || a == "sh" || a == "bash" || strings.HasSuffix(a, "/sh") {
					return true
				}
			}
			return false
		}
		return true
	}
	// A script without an extension cannot be told apart here (its
	// shebang is not captured), so only the name counts.
	return strings.HasSuffix(prog, ".sh")
}
