// Package inspect reads `docker inspect` and `podman inspect` output (an
// array of containers, or one container object) into the runtime model,
// one Spec per container, each located at the line of its object.
package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// doc is the part of an inspect document shipshape reads.
type doc struct {
	ID         string `json:"Id"`
	Name       string
	Image      string
	ImageName  string // podman
	Config     *config
	HostConfig *hostConfig
	Mounts     []mountPoint
	// AppArmorProfile is the profile the engine applied; nil when the key
	// is absent (a hand-written document), "" when none was applied.
	AppArmorProfile *string
	ProcessLabel    string
	MountLabel      string
}

type config struct {
	User        string
	Image       string
	Env         []string
	Healthcheck *struct{ Test []string }
	// Podman reports ExposedPorts like Docker.
	ExposedPorts map[string]any
}

type hostConfig struct {
	Privileged     bool
	CapAdd         []string
	CapDrop        []string
	ReadonlyRootfs bool
	Tmpfs          map[string]string
	SecurityOpt    []string
	NetworkMode    string
	PidMode        string
	IpcMode        string
	UTSMode        string
	UsernsMode     string
	CgroupParent   string
	LogConfig      struct{ Type string }
	Binds          []string
	Devices        []struct{ PathOnHost, PathInContainer, CgroupPermissions string }
	PortBindings   map[string][]struct{ HostIp, HostPort string }
	Memory         int64
	NanoCpus       int64
	CpuQuota       int64
	CpuPeriod      int64
	PidsLimit      *int64
	RestartPolicy  struct {
		Name              string
		MaximumRetryCount int
	}
	Ulimits []struct {
		Name       string
		Soft, Hard int64
	}
}

type mountPoint struct {
	Type        string
	Name        string
	Source      string
	Destination string
	RW          bool
	Propagation string
}

// Error is a document that cannot be read as inspect output, with the
// line where reading stopped.
type Error struct {
	Line    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// Looks reports whether data is an inspect document: a JSON array whose
// first element, or an object that, has a HostConfig.
func Looks(data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || (t[0] != '[' && t[0] != '{') {
		return false
	}
	head := t[:min(len(t), 1<<16)]
	return bytes.Contains(head, []byte(`"HostConfig"`))
}

// Load reads an inspect document. The error, an *Error, is for a document
// that is not valid JSON or holds no container.
func Load(path string, data []byte) (*container.Project, error) {
	p := &container.Project{Source: container.SourceInspect, File: path, Where: container.Pos{File: path, Range: loc.Line(1)}}
	lines := newLineIndex(data)
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return nil, &Error{1, "empty inspect document"}
	}
	var raws []json.RawMessage
	var starts []int64
	dec := json.NewDecoder(bytes.NewReader(data))
	switch t[0] {
	case '[':
		if _, err := dec.Token(); err != nil {
			return nil, jsonErr(err, lines, data)
		}
		for dec.More() {
			off := dec.InputOffset()
			var r json.RawMessage
			if err := dec.Decode(&r); err != nil {
				return nil, jsonErr(withOffset(err, dec.InputOffset()), lines, data)
			}
			raws = append(raws, r)
			starts = append(starts, skipSpace(data, off))
		}
	case '{':
		off := dec.InputOffset()
		var r json.RawMessage
		if err := dec.Decode(&r); err != nil {
			return nil, jsonErr(err, lines, data)
		}
		raws = append(raws, r)
		starts = append(starts, skipSpace(data, off))
	default:
		return nil, &Error{1, "not an inspect document: want a JSON array or object"}
	}
	for i, r := range raws {
		var d doc
		if err := json.Unmarshal(r, &d); err != nil {
			return nil, &Error{lines.line(starts[i]), err.Error()}
		}
		if d.HostConfig == nil {
			continue // an image or volume inspect: nothing to check here
		}
		line := lines.line(starts[i])
		at := func(keys ...string) int { return keyLine(r, lines, starts[i], keys...) }
		p.Specs = append(p.Specs, toSpec(path, &d, line, at))
	}
	if len(p.Specs) == 0 {
		return nil, &Error{1, "no container in the inspect document (no HostConfig)"}
	}
	return p, nil
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && (data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t' || data[off] == ',') {
		off++
	}
	return off
}

type offsetErr struct {
	err error
	off int64
}

func (e offsetErr) Error() string { return e.err.Error() }

func withOffset(err error, off int64) error { return offsetErr{err, off} }

func jsonErr(err error, lines lineIndex, data []byte) error {
	// A streaming decoder's offsets are those of its buffer; a whole-
	// document parse names the place exactly.
	var whole any
	if e := json.Unmarshal(data, &whole); e != nil {
		err = e
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &Error{lines.line(se.Offset), "invalid JSON: " + se.Error()}
	}
	var oe offsetErr
	if errors.As(err, &oe) {
		return &Error{lines.line(oe.off), "invalid JSON: " + oe.err.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{lines.line(int64(lines.size)), "invalid JSON: unexpected end"}
	}
	return &Error{1, "invalid JSON: " + err.Error()}
}

// lineIndex maps byte offsets to lines.
type lineIndex struct {
	starts []int64
	size   int
}

func newLineIndex(data []byte) lineIndex {
	li := lineIndex{starts: []int64{0}, size: len(data)}
	for i, c := range data {
		if c == '\n' {
			li.starts = append(li.starts, int64(i+1))
		}
	}
	return li
}

func (li lineIndex) line(off int64) int {
	return sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off })
}

// keyLine finds the line of a key path inside one container object (such
// as HostConfig, Privileged) by searching the text for each key in turn;
// inspect output is machine-written, so key names are unambiguous enough
// for a location. It returns 0 when a key is not found.
func keyLine(r json.RawMessage, lines lineIndex, base int64, path ...string) int {
	off := 0
	for _, k := range path {
		needle := []byte(`"` + k + `"`)
		for {
			i := bytes.Index(r[off:], needle)
			if i < 0 {
				return 0
			}
			off += i + len(needle)
			rest := bytes.TrimLeft(r[off:], " \t\r\n")
			if len(rest) > 0 && rest[0] == ':' {
				break
			}
		}
	}
	return lines.line(base + int64(off))
}

// Container maps one container object of the Engine API's inspect answer
// (GET /containers/{id}/json) into the runtime model, the way Load maps a
// document, with every position at line 1 of file: an answer read from a
// live engine has no lines worth pointing at. It is the mapping shipshape
// audit applies to what is in force.
func Container(file string, raw []byte) (*container.Spec, error) {
	var d doc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("inspect answer: %w", err)
	}
	if d.HostConfig == nil {
		return nil, errors.New("inspect answer: no HostConfig")
	}
	return toSpec(file, &d, 1, func(...string) int { return 0 }), nil
}
