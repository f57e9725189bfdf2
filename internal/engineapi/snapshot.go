package engineapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/live"
)

// maxStats caps the changed paths examined one by one through the engine
// per container; a container that rewrote a whole tree still gets its
// first paths classified and the rest judged by where they are.
const maxStats = 2000

// Options say what to gather.
type Options struct {
	// All takes stopped and created containers too.
	All bool
	// Names are the containers to audit (names or ids); empty means all
	// running ones (or all with All).
	Names []string
	// DaemonConfig is daemon.json to read on a local engine; "" means
	// /etc/docker/daemon.json.
	DaemonConfig string
	// ProcRoot is the host's /proc; "" means /proc.
	ProcRoot string
	// ContentTrust is DOCKER_CONTENT_TRUST=1 in the auditing environment.
	ContentTrust bool
	// Drift reads each container's filesystem changes.
	Drift bool
}

// Note is something the gathering skipped and the user should know: a
// container removed while it was audited, a fact that could not be read.
type Note struct {
	Container string
	Message   string
}

// Snapshot gathers one snapshot: the daemon's facts, then every container
// asked for. A container named in Options.Names that does not exist is an
// error; one removed between listing and inspecting is skipped with a
// note, as are facts that cannot be read (a /proc without access).
func (c *Client) Snapshot(ctx context.Context, o Options) (*live.Snapshot, []Note, error) {
	eng, err := c.Ping(ctx)
	if err != nil {
		return nil, nil, err
	}
	s := &live.Snapshot{Host: c.Host, Engine: eng, PlainTCP: c.PlainTCP, ContentTrust: o.ContentTrust}
	var notes []Note
	if s.Info, err = c.Info(ctx); err != nil {
		return nil, nil, err
	}
	if s.BridgeOptions, err = c.BridgeOptions(ctx); err != nil {
		notes = append(notes, Note{Message: "default bridge network: " + err.Error()})
	}
	if c.Local {
		c.readDaemonFiles(s, o, &notes)
	}
	ids, err := c.targets(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range ids {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		cs, n, err := c.Container(ctx, t.id, o)
		notes = append(notes, n...)
		switch {
		case errors.Is(err, ErrNotFound) && !t.named:
			notes = append(notes, Note{Container: t.name, Message: "removed while it was audited; skipped"})
		case err != nil:
			return nil, nil, fmt.Errorf("container %s: %w", t.name, err)
		default:
			s.Containers = append(s.Containers, *cs)
		}
	}
	return s, notes, nil
}

type target struct {
	id, name string
	named    bool
}

func (c *Client) targets(ctx context.Context, o Options) ([]target, error) {
	if len(o.Names) > 0 {
		out := make([]target, len(o.Names))
		for i, n := range o.Names {
			out[i] = target{id: n, name: n, named: true}
		}
		return out, nil
	}
	list, err := c.List(ctx, o.All)
	if err != nil {
		return nil, err
	}
	out := make([]target, len(list))
	for i, x := range list {
		out[i] = target{id: x.ID, name: x.Name()}
	}
	return out, nil
}

// Container gathers one container's answers: inspect, and for a running
// one its processes, PID 1's /proc facts on a local engine, and its drift.
func (c *Client) Container(ctx context.Context, id string, o Options) (*live.Container, []Note, error) {
	raw, err := c.Inspect(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var d struct {
		Name  string
		State struct {
			Running bool
			Pid     int
		}
		GraphDriver struct{ Data map[string]string }
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, nil, fmt.Errorf("inspect answer: %w", err)
	}
	name := strings.TrimPrefix(d.Name, "/")
	out := &live.Container{Inspect: raw}
	var notes []Note
	note := func(format string, args ...any) {
		notes = append(notes, Note{Container: name, Message: fmt.Sprintf(format, args...)})
	}
	if d.State.Running {
		if out.Top, err = c.Top(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
			note("process list: %v", err)
		}
		if c.Local && d.State.Pid > 0 {
			out.Proc = readProc(o.ProcRoot, d.State.Pid)
		}
	}
	if o.Drift {
		ch, err := c.Changes(ctx, id)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, nil, err
			}
			note("filesystem changes: %v", err)
		} else {
			out.Changes, out.ChangesRead = ch, true
			out.Modes = c.modes(ctx, id, d.GraphDriver.Data["UpperDir"], ch)
		}
	}
	return out, notes, nil
}

// modes stats the added and modified paths: in the container's upper layer
// when this host can read it (the overlay driver's UpperDir), else through
// the engine's archive stat, which works for any engine and driver.
func (c *Client) modes(ctx context.Context, id, upper string, ch []live.EngineChange) map[string]uint32 {
	out := map[string]uint32{}
	readable := false
	if c.Local && upper != "" {
		if _, err := os.Stat(upper); err == nil {
			readable = true
		}
	}
	n := 0
	for _, x := range ch {
		if x.Kind == 2 {
			continue
		}
		p := filepath.Clean("/" + x.Path)
		if readable {
			// Lstat inside the upper layer; the path comes from the engine
			// and is cleaned, so it stays under upper.
			if st, err := os.Lstat(filepath.Join(upper, p)); err == nil {
				out[p] = uint32(st.Mode())
				continue
			}
		}
		if n >= maxStats || ctx.Err() != nil {
			continue
		}
		n++
		if m, err := c.StatPath(ctx, id, p); err == nil {
			out[p] = m
		}
	}
	return out
}

// readProc reads PID 1's status and AppArmor label from the host's /proc;
// nil when the process is not visible (another PID namespace, no access).
func readProc(root string, pid int) *live.Proc {
	if root == "" {
		root = "/proc"
	}
	dir := filepath.Join(root, strconv.Itoa(pid))
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return nil
	}
	p := &live.Proc{Status: string(status)}
	if aa, err := os.ReadFile(filepath.Join(dir, "attr", "current")); err == nil {
		p.AppArmor = string(aa)
	}
	return p
}

// readDaemonFiles reads daemon.json and the daemon's command line on a
// local Docker engine.
func (c *Client) readDaemonFiles(s *live.Snapshot, o Options, notes *[]Note) {
	if s.Engine != "docker" {
		return
	}
	path := o.DaemonConfig
	if path == "" {
		path = "/etc/docker/daemon.json"
	}
	if data, err := os.ReadFile(path); err == nil {
		s.DaemonConfig = &live.File{Path: path, Data: string(data)}
	} else if !errors.Is(err, fs.ErrNotExist) {
		*notes = append(*notes, Note{Message: "daemon configuration: " + err.Error()})
	} else if o.DaemonConfig == "" {
		// No daemon.json is the all-defaults configuration.
		s.DaemonConfig = &live.File{Path: path, Data: "{}"}
	}
	root := o.ProcRoot
	if root == "" {
		root = "/proc"
	}
	pidData, err := os.ReadFile("/var/run/docker.pid")
	if err != nil {
		return
	}
	cmd, err := os.ReadFile(filepath.Join(root, strings.TrimSpace(string(pidData)), "cmdline"))
	if err != nil {
		return
	}
	s.DaemonArgs = strings.Split(strings.TrimRight(string(cmd), "\x00"), "\x00")
}
