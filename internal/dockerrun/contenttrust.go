package dockerrun

import (
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// contentTrustVar is the variable that turns Docker Content Trust (image
// signature checks on pull, build, run and push) on or off.
const contentTrustVar = "DOCKER_CONTENT_TRUST"

// disableFlag is the per-command flag that skips the checks.
const disableFlag = "--disable-content-trust"

// mentionsContainers reports whether a snippet may hold something this
// package looks for, before it is parsed.
func mentionsContainers(s string) bool {
	return strings.Contains(s, "docker") || strings.Contains(s, "podman") || strings.Contains(s, "nerdctl") ||
		strings.Contains(s, contentTrustVar)
}

// trustOffValue reports whether a DOCKER_CONTENT_TRUST value turns it off:
// docker enables it only for "1" (and treats "true" alike in practice), so
// 0, false and the empty string disable it.
func trustOffValue(v string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`)) {
	case "0", "false", "", "no", "off":
		return true
	}
	return false
}

// contentTrust records the shell constructs that turn content trust off:
// an assignment (bare, before a command, or through export/declare/env)
// of DOCKER_CONTENT_TRUST to an off value, and a docker command with
// --disable-content-trust (not =false).
func (f *finder) contentTrust(n syntax.Node, src string, lineOffset int) {
	switch x := n.(type) {
	case *syntax.CallExpr:
		for _, a := range x.Assigns {
			f.assign(a, src, lineOffset)
		}
		ws := words(x, src, lineOffset)
		docker, env := false, false
		for i, w := range ws {
			switch base := filepath.Base(w.val); {
			case i == 0 && base == "env", i == 1 && base == "env" && filepath.Base(ws[0].val) == "sudo":
				env = true
			case base == "docker":
				docker = true
			case docker && (w.val == disableFlag || strings.HasPrefix(w.val, disableFlag+"=") && !strings.EqualFold(strings.TrimPrefix(w.val, disableFlag+"="), "false")):
				f.trustOff(w.pos, w.val)
			case env && !docker && strings.HasPrefix(w.val, contentTrustVar+"=") && trustOffValue(strings.TrimPrefix(w.val, contentTrustVar+"=")):
				f.trustOff(w.pos, w.val) // env DOCKER_CONTENT_TRUST=0 docker ...
			}
		}
	case *syntax.DeclClause:
		for _, a := range x.Args {
			f.assign(a, src, lineOffset)
		}
	}
}

// assign records DOCKER_CONTENT_TRUST=<off>.
func (f *finder) assign(a *syntax.Assign, src string, lineOffset int) {
	if a == nil || a.Name == nil || a.Name.Value != contentTrustVar || a.Naked {
		return
	}
	val := ""
	if a.Value != nil {
		v, dyn := wordValue(a.Value, src)
		if dyn {
			return
		}
		val = v
	}
	if !trustOffValue(val) {
		return
	}
	start, end := a.Pos(), a.End()
	r := loc.Range{Line: int(start.Line()) + lineOffset, Col: int(start.Col()), EndLine: int(end.Line()) + lineOffset, EndCol: int(end.Col())}
	f.trustOff(r, contentTrustVar+"="+val)
}

// trustOff adds one place to the project.
func (f *finder) trustOff(r loc.Range, what string) {
	f.p.TrustOff = append(f.p.TrustOff, container.TrustOff{Where: container.Pos{File: f.path, Range: r}, What: what})
}
