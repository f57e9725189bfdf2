package live

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/inspect"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Compose labels the compose CLI puts on the containers it creates.
const (
	labelProject     = "com.docker.compose.project"
	labelService     = "com.docker.compose.service"
	labelConfigFiles = "com.docker.compose.project.config_files"
)

// liveDoc is the part of an inspect answer only a live engine fills.
type liveDoc struct {
	ID    string `json:"Id"`
	Name  string
	Image string
	State struct {
		Status  string
		Running bool
		Pid     int
		Health  *struct {
			Status        string
			FailingStreak int
		}
	}
	RestartCount int
	Config       struct {
		Labels map[string]string
	}
}

// ContainerFile is the pseudo-file a live container's findings are
// located in: the container, named as the engine names it.
func ContainerFile(name string) string { return "container/" + name }

// Build maps a snapshot into the runtime model: one project holding every
// container (so that rules comparing containers see them all) and the
// daemon. A container whose inspect answer cannot be read is left out and
// returned as an error; the others are still mapped.
func Build(s *Snapshot) (*container.Project, []error) {
	d := daemon(s)
	p := &container.Project{Source: container.SourceInspect, File: d.Self.File, Where: d.Self, Daemon: d}
	var errs []error
	for i := range s.Containers {
		spec, err := buildContainer(&s.Containers[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Specs = append(p.Specs, spec)
	}
	return p, errs
}

func buildContainer(c *Container) (*container.Spec, error) {
	var ld liveDoc
	if err := json.Unmarshal(c.Inspect, &ld); err != nil {
		return nil, fmt.Errorf("inspect answer: %w", err)
	}
	name := strings.TrimPrefix(ld.Name, "/")
	if name == "" {
		name = shortID(ld.ID)
	}
	spec, err := inspect.Container(ContainerFile(name), c.Inspect)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", name, err)
	}
	spec.Name = name
	lv := &container.Live{
		ID: ld.ID, ImageDigest: ld.Image, Status: ld.State.Status, Running: ld.State.Running, Pid: ld.State.Pid,
		PID1UID: -1, RestartCount: ld.RestartCount,
		ComposeProject: ld.Config.Labels[labelProject], ComposeService: ld.Config.Labels[labelService],
		Signature: c.Signature,
	}
	if f := ld.Config.Labels[labelConfigFiles]; f != "" {
		for _, x := range strings.Split(f, ",") {
			if x = strings.TrimSpace(x); x != "" {
				lv.ComposeFiles = append(lv.ComposeFiles, x)
			}
		}
	}
	if h := ld.State.Health; h != nil {
		lv.Health, lv.FailingStreak = h.Status, h.FailingStreak
	}
	if !lv.Running {
		lv.Pid = 0
	}
	if lv.Running {
		processFacts(lv, c)
	}
	lv.ChangesRead = c.ChangesRead
	for _, ch := range c.Changes {
		x := change(ch, c.Modes)
		if !mountPoint(spec, x.Path) {
			lv.Changes = append(lv.Changes, x)
		}
	}
	spec.Live = lv
	return spec, nil
}

// mountPoint reports whether a changed path is a mount's target or lies
// under one: the engine creates mount points in the container's layer,
// and what is under a mount is not the container's filesystem.
func mountPoint(s *container.Spec, p string) bool {
	for _, m := range s.Mounts {
		t := path.Clean("/" + m.Target)
		if p == t || strings.HasPrefix(p, t+"/") {
			return true
		}
	}
	return false
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// processFacts reads PID 1's user, seccomp mode and AppArmor label from
// /proc when the snapshot has it, else PID 1's user from the engine's top.
func processFacts(lv *container.Live, c *Container) {
	if c.Proc != nil {
		for _, line := range strings.Split(c.Proc.Status, "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			f := strings.Fields(v)
			switch k {
			case "Uid":
				// Real, effective, saved, filesystem: the effective one
				// decides what the process may do.
				if len(f) > 1 {
					if uid, err := strconv.Atoi(f[1]); err == nil {
						lv.PID1UID = uid
					}
				}
			case "Seccomp":
				if len(f) > 0 {
					lv.Seccomp = map[string]string{"0": "disabled", "1": "strict", "2": "filter"}[f[0]]
				}
			}
		}
		lv.AppArmor = strings.TrimSpace(strings.TrimRight(c.Proc.AppArmor, "\x00"))
	}
	if c.Top == nil {
		return
	}
	userCol, pidCol, cmdCol := -1, -1, -1
	for i, t := range c.Top.Titles {
		switch strings.ToUpper(t) {
		case "UID", "USER":
			userCol = i
		case "PID":
			pidCol = i
		case "CMD", "COMMAND":
			cmdCol = i
		}
	}
	for _, row := range c.Top.Processes {
		if cmdCol >= 0 && cmdCol < len(row) {
			lv.Processes = append(lv.Processes, row[cmdCol])
		}
	}
	if userCol < 0 || pidCol < 0 {
		return
	}
	for _, row := range c.Top.Processes {
		if max(userCol, pidCol) >= len(row) {
			continue
		}
		// Docker's top shows host PIDs, Podman's the container's own.
		if pid := row[pidCol]; pid == strconv.Itoa(lv.Pid) || pid == "1" {
			lv.PID1User = row[userCol]
			if lv.PID1UID < 0 {
				if uid, err := strconv.Atoi(lv.PID1User); err == nil {
					lv.PID1UID = uid
				} else if lv.PID1User == "root" {
					lv.PID1UID = 0
				}
			}
			return
		}
	}
}

// change maps one /changes entry, with the file's mode when it is known.
func change(ch EngineChange, modes map[string]uint32) container.Change {
	out := container.Change{Path: path.Clean("/" + ch.Path)}
	switch ch.Kind {
	case 1:
		out.Kind = container.Added
	case 2:
		out.Kind = container.Deleted
	default:
		out.Kind = container.Modified
	}
	if m, ok := modes[out.Path]; ok && out.Kind != container.Deleted {
		fm := fs.FileMode(m)
		out.Mode, out.ModeKnown, out.Regular = m, true, fm.IsRegular()
	}
	return out
}

// daemonSelf is where daemon findings without a daemon.json line are
// located: the daemon, named by its host.
func daemonSelf(name string) container.Pos {
	if name == "" {
		name = "engine"
	}
	return container.Pos{File: "daemon/" + name, Range: loc.Line(1)}
}
