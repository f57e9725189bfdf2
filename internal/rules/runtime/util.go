package runtime

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Optional Spec.Where keys a loader may record for finer locations. Rules
// use them when present and fall back to the Key* constants, then to the
// container's own line, so that a loader that records less still gives
// every finding a place.
const (
	// keyDeploy, keyDeployResources and keyDeployLimits locate the deploy
	// block, its resources and its limits: a missing limit is reported at
	// the deepest of them that exists (the key the limit belongs under).
	keyDeploy          = "deploy"
	keyDeployResources = "deploy.resources"
	keyDeployLimits    = "deploy.resources.limits"
	// keyHealthTest and keyHealthDisable locate healthcheck sub-keys.
	keyHealthTest    = "healthcheck.test"
	keyHealthDisable = "healthcheck.disable"
)

// keySecurityOptItem is the Where key of one security_opt entry, by value.
func keySecurityOptItem(value string) string {
	return container.ItemKey(container.KeySecurityOpt, value)
}

// keyMountField is the Where key of a field of a long-syntax volume entry
// (source, bind.propagation), by mount target.
func keyMountField(target, field string) string {
	return container.KeyVolumes + ":" + target + ":" + field
}

// at returns where the first of keys that the loader recorded was set, or
// where the container is defined.
func at(s *container.Spec, keys ...string) container.Pos {
	for _, k := range keys {
		if p, ok := s.Where[k]; ok && p.Range.Line > 0 {
			return p
		}
	}
	return s.Self
}

// has reports whether the loader recorded key.
func has(s *container.Spec, key string) bool {
	p, ok := s.Where[key]
	return ok && p.Range.Line > 0
}

// orSelf returns pos when it has a line, else the container's own place.
func orSelf(s *container.Spec, pos container.Pos) container.Pos {
	if pos.Range.Line > 0 {
		return pos
	}
	return s.Self
}

// report records a finding at pos (in pos's file, an override file when
// the value came from one). sev 0 keeps the rule's severity; another must
// be one of the rule's Levels.
func report(p *rule.Pass, pos container.Pos, sev rule.Severity, format string, args ...any) {
	reportFix(p, pos, sev, "", format, args...)
}

// reportFix is report with a remedy for this finding's case ("remove the
// ports entry \"5432:5432\""); "" keeps the first sentence of the rule's
// Fix.
func reportFix(p *rule.Pass, pos container.Pos, sev rule.Severity, fix, format string, args ...any) {
	r := pos.Range
	if r.Line <= 0 {
		r.Line = 1
	}
	p.Report(rule.Finding{Severity: sev, Message: fmt.Sprintf(format, args...), Remedy: fix,
		Location: rule.Location{File: pos.File, Range: r}})
}

// specs returns the containers of the pass's project.
func specs(p *rule.Pass) []*container.Spec {
	if projectOf(p) == nil {
		return nil
	}
	return projectOf(p).Specs
}

// defined returns the containers whose whole definition is in the input:
// not the services an override file only overlays (Spec.Partial). Rules
// that report a missing key judge these only, since the file that defines
// an overlaid service may well set the key.
func defined(p *rule.Pass) []*container.Spec {
	var out []*container.Spec
	for _, s := range specs(p) {
		if !s.Partial {
			out = append(out, s)
		}
	}
	return out
}

// who names a container in messages: `service "web"`, `container "x"`,
// `docker run (nginx:1.27)`.
func who(s *container.Spec) string {
	switch s.Source {
	case container.SourceCompose:
		return fmt.Sprintf("service %q", s.Name)
	case container.SourceInspect:
		return fmt.Sprintf("container %q", strings.TrimPrefix(s.Name, "/"))
	}
	if s.Name != "" {
		return fmt.Sprintf("container %q", s.Name)
	}
	if s.Image != "" {
		return fmt.Sprintf("`docker run %s`", s.Image)
	}
	return "`docker run`"
}

// keyword returns the spelling of a setting for the spec's source, so that
// messages speak the user's language: compose key, docker run flag, or
// inspect field.
func keyword(s *container.Spec, compose, flag, inspect string) string {
	switch s.Source {
	case container.SourceDockerRun:
		return flag
	case container.SourceInspect:
		return inspect
	}
	return compose
}

// dropFix says how to take a setting away, in the language of the spec's
// source: the compose key, the docker run flag, or recreating an inspected
// container without the flag.
func dropFix(s *container.Spec, compose, flag string) string {
	switch s.Source {
	case container.SourceDockerRun:
		return "drop " + flag + " from the command"
	case container.SourceInspect:
		return "recreate " + who(s) + " without " + flag
	}
	return "remove `" + compose + "` from " + who(s)
}

// isHost reports whether a namespace mode shares the host's namespace.
func isHost(mode string) bool {
	return strings.EqualFold(strings.Trim(strings.TrimSpace(mode), `"'`), "host")
}

// portRange parses "80", "8000-8100" into its bounds; ok is false for an
// empty or unparsable value.
func portRange(s string) (lo, hi int, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "/"); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return 0, 0, false
	}
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return 0, 0, false
	}
	hi = lo
	if isRange {
		if hi, err = strconv.Atoi(strings.TrimSpace(b)); err != nil || hi < lo {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

// allInterfaces reports whether a published port binds every host
// interface: no host address, or a wildcard one.
func allInterfaces(pt container.Port) bool {
	ip := strings.Trim(strings.TrimSpace(hostIP(pt)), "[]")
	return ip == "" || ip == "0.0.0.0" || ip == "::"
}

// hostIP returns the host address of a published port. A long-syntax
// `published: 127.0.0.1:8080` (not valid compose, but its intent is clear)
// leaves the address in HostPort; it counts as the address.
func hostIP(pt container.Port) string {
	if pt.HostIP != "" {
		return pt.HostIP
	}
	hp := strings.TrimSpace(pt.HostPort)
	if !strings.ContainsAny(hp, ".:") {
		return ""
	}
	if i := strings.LastIndex(hp, ":"); i >= 0 {
		if _, _, ok := portRange(hp[i+1:]); ok || i == len(hp)-1 {
			return hp[:i]
		}
	}
	return hp
}

// portDesc renders a published port the way compose writes it.
func portDesc(pt container.Port) string {
	var b strings.Builder
	if pt.HostIP != "" {
		ip := pt.HostIP
		if strings.Contains(ip, ":") && !strings.HasPrefix(ip, "[") {
			ip = "[" + ip + "]"
		}
		b.WriteString(ip + ":")
	}
	if pt.HostPort != "" || pt.HostIP != "" {
		b.WriteString(pt.HostPort + ":")
	}
	b.WriteString(pt.ContainerPort)
	if pt.Protocol != "" && !strings.EqualFold(pt.Protocol, "tcp") {
		b.WriteString("/" + strings.ToLower(pt.Protocol))
	}
	return b.String()
}

// portsPos is where a published port is reported: its entry under
// `ports:` (the line and, for the short syntax, the columns of the
// mapping), else the key, else the container.
func portsPos(s *container.Spec, pt container.Port) container.Pos {
	if pt.Where.Range.Line > 0 {
		return pt.Where
	}
	return at(s, container.KeyPorts)
}

// mountPos is where a mount is reported: the entry, or for the long syntax
// the named field when the loader recorded it.
func mountPos(s *container.Spec, m container.Mount, field string) container.Pos {
	if field != "" {
		if p, ok := s.Where[keyMountField(m.Target, field)]; ok && p.Range.Line > 0 {
			return p
		}
	}
	if m.Where.Range.Line > 0 {
		return m.Where
	}
	return at(s, container.KeyVolumes)
}

// cleanPath normalises a host path for prefix comparisons.
func cleanPath(p string) string {
	p = strings.TrimSpace(p)
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}

// under reports whether path is dir or lies below it.
func under(path, dir string) bool {
	if dir == "/" {
		return path == "/"
	}
	return path == dir || strings.HasPrefix(path, dir+"/")
}

// isBind reports whether a mount takes a host path.
func isBind(m container.Mount) bool {
	if m.Type == "bind" {
		return true
	}
	return m.Type == "" && strings.HasPrefix(m.Source, "/")
}

// rootUser reports whether a user spec (`root`, `0`, `0:0`, `root:1000`)
// names the root account; unknown is true for values shipshape cannot
// judge (variables).
func rootUser(u string) (root, unknown bool) {
	u = strings.TrimSpace(u)
	if strings.Contains(u, "$") {
		return false, true
	}
	name, _, _ := strings.Cut(u, ":")
	name = strings.TrimSpace(name)
	return name == "root" || name == "0", false
}

// joinNames lists names for messages, shortened after a few.
func joinNames(names []string) string {
	const max = 5
	if len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(" and %d more", len(names)-max)
	}
	return strings.Join(names, ", ")
}

// portGroup is the ports of one mapping as written: a range such as
// "8000-8100:8000-8100" is one entry in the file but many ports in the
// model, and is reported once.
type portGroup struct {
	ports []container.Port
}

// portGroups groups the ports written by one entry (same place, host
// address and protocol) into runs of consecutive ports, whatever order the
// loader expanded a range in ("70-8000" is one finding, not 7931). A
// container on the host's network publishes nothing: Docker discards its
// ports (RT1015 reports the host network).
func portGroups(s *container.Spec) []portGroup {
	if isHost(s.NetworkMode) {
		return nil
	}
	type entry struct {
		where     container.Pos
		ip, proto string
	}
	var order []entry
	byEntry := map[entry][]container.Port{}
	var out []portGroup
	for _, pt := range s.Ports {
		if pt.Where.Range.Line == 0 {
			out = append(out, portGroup{ports: []container.Port{pt}})
			continue
		}
		e := entry{pt.Where, hostIP(pt), strings.ToLower(pt.Protocol)}
		if _, ok := byEntry[e]; !ok {
			order = append(order, e)
		}
		byEntry[e] = append(byEntry[e], pt)
	}
	for _, e := range order {
		pts := byEntry[e]
		sort.SliceStable(pts, func(i, j int) bool {
			a, _, _ := portRange(pts[i].ContainerPort)
			b, _, _ := portRange(pts[j].ContainerPort)
			return a < b
		})
		for i, pt := range pts {
			if n := len(out); i > 0 && adjacent(out[n-1].ports[len(out[n-1].ports)-1], pt) {
				out[n-1].ports = append(out[n-1].ports, pt)
				continue
			}
			out = append(out, portGroup{ports: []container.Port{pt}})
		}
	}
	return out
}

// adjacent reports whether b continues the range a belongs to.
func adjacent(a, b container.Port) bool {
	ac, _, ok1 := portRange(a.ContainerPort)
	bc, _, ok2 := portRange(b.ContainerPort)
	if !ok1 || !ok2 || bc != ac+1 {
		return false
	}
	ah, _, ok1 := portRange(a.HostPort)
	bh, _, ok2 := portRange(b.HostPort)
	return (!ok1 && !ok2) || (ok1 && ok2 && bh == ah+1)
}

// desc renders the group the way compose writes it.
func (g portGroup) desc() string {
	first, last := g.ports[0], g.ports[len(g.ports)-1]
	if len(g.ports) == 1 {
		return portDesc(first)
	}
	pt := first
	pt.ContainerPort = first.ContainerPort + "-" + last.ContainerPort
	if first.HostPort != "" {
		pt.HostPort = first.HostPort + "-" + last.HostPort
	}
	return portDesc(pt)
}

// lowest returns the lowest host and container port of the group (0 when
// not given).
func (g portGroup) lowest() (host, ctr int) {
	for _, pt := range g.ports {
		if h, _, ok := portRange(pt.HostPort); ok && (host == 0 || h < host) {
			host = h
		}
		if c, _, ok := portRange(pt.ContainerPort); ok && (ctr == 0 || c < ctr) {
			ctr = c
		}
	}
	return host, ctr
}
