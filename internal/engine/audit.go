package engine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// AuditOptions say which engine and containers to audit.
type AuditOptions struct {
	// Host is the engine address (unix:// or tcp://); "" means DOCKER_HOST,
	// else the Docker socket.
	Host string
	// TLS is how to speak to a tcp:// Host (--tlsverify and friends).
	TLS engineapi.TLS
	// All takes stopped and created containers too; Names limits the
	// audit to these containers.
	All   bool
	Names []string
	// NoDrift skips reading each container's filesystem changes.
	NoDrift bool
	// ContentTrust is DOCKER_CONTENT_TRUST=1 in the caller's environment.
	ContentTrust bool
	// DaemonConfig is daemon.json on a local engine ("" means
	// /etc/docker/daemon.json); ProcRoot the host's /proc.
	DaemonConfig, ProcRoot string
	Rules                  *rule.Registry
	Config                 *config.Config
	Now                    time.Time
	// Signature, when set, verifies the cosign signatures of the image of
	// every container audited in its registry (--require-signature);
	// RT1106 reports the verdicts. Nil: no registry is contacted.
	Signature *SignatureCheck
}

// ErrEngine is an engine that could not be reached or answered wrongly:
// the audit did not happen (exit 2).
var ErrEngine = errors.New("engine")

// Audit reads every container asked for from a live engine, with its
// daemon, and checks them with the runtime rules: the configuration in
// force, what only a live engine shows (PID 1's user, the confinement in
// force, health, drift) and the daemon's settings. An engine that cannot
// be reached is an error wrapping ErrEngine; a run cut short by ctx is
// returned marked Interrupted.
func Audit(ctx context.Context, o AuditOptions) (*Result, error) {
	host := o.Host
	if host == "" {
		host = engineapi.DefaultHost()
	}
	c, err := engineapi.New(host, o.TLS)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEngine, err)
	}
	snap, notes, err := c.Snapshot(ctx, engineapi.Options{All: o.All, Names: o.Names, Drift: !o.NoDrift,
		ContentTrust: o.ContentTrust, DaemonConfig: o.DaemonConfig, ProcRoot: o.ProcRoot})
	if err != nil {
		if ctx.Err() != nil {
			return &Result{Interrupted: true}, nil
		}
		return nil, fmt.Errorf("%w: %w", ErrEngine, err)
	}
	if o.Signature != nil {
		verifyContainers(ctx, c, snap, o.Signature)
	}
	res := AuditSnapshot(ctx, snap, o)
	for _, n := range notes {
		file := ""
		if n.Container != "" {
			file = live.ContainerFile(n.Container)
		}
		res.addWarning(file, n.Message)
	}
	return res, nil
}

// AuditSnapshot checks a snapshot already read: the part of Audit that
// does no I/O besides reading the compose files containers came from.
func AuditSnapshot(ctx context.Context, snap *live.Snapshot, o AuditOptions) *Result {
	res := &Result{}
	p, errs := live.Build(snap)
	for _, err := range errs {
		res.addError("", err)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	rel := composeRelations(p, res)
	res.Findings = LintRuntime(ctx, p, o.Rules, o.Config, now)
	relocateLive(res.Findings, p, rel)
	res.Files = append(res.Files, p.Daemon.Self.File)
	for _, s := range p.Specs {
		res.Files = append(res.Files, s.Self.File)
	}
	if ctx.Err() != nil {
		res.Interrupted = true
	}
	return res
}

// relation is what lets a live container's findings point at the compose
// file line that set the value: positions inside the container's
// pseudo-file stand each for one compose position.
type relation struct {
	byLine map[int]container.Pos
}

// composeRelations loads, for each container made by compose whose files
// are readable, its service from those files and gives every position of
// the container's model a distinct line in the container's pseudo-file,
// remembering which compose position each line stands for. A compose file
// that cannot be read only costs the related location (a warning).
func composeRelations(p *container.Project, res *Result) map[string]*relation {
	out := map[string]*relation{}
	loaded := map[string]*container.Project{}
	warned := map[string]bool{}
	for _, s := range p.Specs {
		lv := s.Live
		if lv == nil || len(lv.ComposeFiles) == 0 || lv.ComposeService == "" {
			continue
		}
		key := strings.Join(lv.ComposeFiles, "\x00")
		cp, ok := loaded[key]
		if !ok {
			var err error
			cp, err = compose.Load(lv.ComposeFiles, compose.Options{NoAutoOverride: true, Env: map[string]string{}})
			if err != nil {
				cp = nil
				if !warned[key] {
					warned[key] = true
					res.addWarning(s.Self.File, "compose file not read, findings are not related to its lines: "+err.Error())
				}
			}
			loaded[key] = cp
		}
		if cp == nil {
			continue
		}
		for _, cs := range cp.Specs {
			if cs.Name == lv.ComposeService {
				out[s.Self.File] = relate(s, cs)
				break
			}
		}
	}
	return out
}

// relate numbers the positions of s after those of its compose service cs.
func relate(s, cs *container.Spec) *relation {
	r := &relation{byLine: map[int]container.Pos{1: cs.Self}}
	file := s.Self.File
	next := 2
	stand := func(cp container.Pos) container.Pos {
		r.byLine[next] = cp
		next++
		return container.Pos{File: file, Range: loc.Line(next - 1)}
	}
	keys := make([]string, 0, len(cs.Where))
	for k := range cs.Where {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.Where[k] = stand(cs.Where[k])
	}
	for i := range s.Mounts {
		for _, cm := range cs.Mounts {
			if cm.Target == s.Mounts[i].Target && cm.Where.Range.Line > 0 {
				s.Mounts[i].Where = stand(cm.Where)
			}
		}
	}
	for i := range s.Ports {
		for _, cp := range cs.Ports {
			if cp.ContainerPort == s.Ports[i].ContainerPort && cp.Where.Range.Line > 0 {
				s.Ports[i].Where = stand(cp.Where)
			}
		}
	}
	for i := range s.Env {
		for _, ce := range cs.Env {
			if ce.Name == s.Env[i].Name && ce.Where.Range.Line > 0 {
				s.Env[i].Where = stand(ce.Where)
			}
		}
	}
	if s.Healthcheck != nil && cs.Healthcheck != nil && cs.Healthcheck.Where.Range.Line > 0 {
		s.Healthcheck.Where = stand(cs.Healthcheck.Where)
	}
	if cs.Restart.Where.Range.Line > 0 {
		s.Restart.Where = stand(cs.Restart.Where)
	}
	return r
}

// relocateLive puts every finding about a live container at the container
// (line 1 of its pseudo-file, with its name, id, image digest and compose
// project and service) and, when the value came from a compose file, adds
// that file's line as a related location.
func relocateLive(fs []rule.Finding, p *container.Project, rel map[string]*relation) {
	byFile := map[string]*container.Spec{}
	for _, s := range p.Specs {
		byFile[s.Self.File] = s
	}
	for i := range fs {
		f := &fs[i]
		s, ok := byFile[f.File]
		if !ok {
			continue
		}
		lv := s.Live
		f.Container = &rule.ContainerLocation{Name: s.Name, ID: lv.ID, ImageDigest: lv.ImageDigest,
			Project: lv.ComposeProject, Service: lv.ComposeService}
		if f.Scope == "" {
			f.Scope = "container " + s.Name
		}
		if r := rel[f.File]; r != nil {
			// A live fact (PID 1, drift, health: RT11xx) is not set by the
			// compose file; only what the configuration holds points there.
			if cp, ok := r.byLine[f.Range.Line]; ok && !(f.Range.Line == 1 && strings.HasPrefix(f.RuleID, "RT11")) {
				msg := "set here, in the compose file of service " + lv.ComposeService
				if f.Range.Line == 1 {
					msg = "service " + lv.ComposeService + " is defined here"
				}
				f.Related = append(f.Related, rule.Related{RuleID: f.RuleID, Message: msg,
					Location: rule.Location{File: cp.File, Range: cp.Range}})
			}
		}
		f.Range = loc.Line(1)
		for j := range f.Related {
			x := &f.Related[j]
			if x.File != f.File {
				continue
			}
			if r := rel[x.File]; r != nil {
				if cp, ok := r.byLine[x.Range.Line]; ok {
					x.File, x.Range = cp.File, cp.Range
					continue
				}
			}
			x.Range = loc.Line(1)
		}
	}
}
