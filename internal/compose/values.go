package compose

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"
)

// lenientVolume reads a short volume spec that compose rejects, typically
// because an unset variable left a part empty (`${DATA}:/data:ro`).
func lenientVolume(v string) (types.ServiceVolumeConfig, error) {
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[1] == "" {
		return types.ServiceVolumeConfig{}, fmt.Errorf("invalid volume %q", v)
	}
	vc := types.ServiceVolumeConfig{Type: "bind", Source: parts[0], Target: parts[1]}
	if parts[0] != "" && !strings.ContainsAny(parts[0][:1], "/.~$") {
		vc.Type = "volume"
	}
	if len(parts) == 3 {
		for _, o := range strings.Split(parts[2], ",") {
			switch o {
			case "ro":
				vc.ReadOnly = true
			case "shared", "rshared", "slave", "rslave", "private", "rprivate":
				vc.Bind = &types.ServiceVolumeBind{Propagation: o}
			}
		}
	}
	return vc, nil
}

// lenientPort reads a short port spec that compose rejects, typically
// because an unset variable left the host port empty (`${PORT}:80`).
func lenientPort(v string) ([]types.ServicePortConfig, error) {
	spec, proto, _ := strings.Cut(v, "/")
	parts := strings.Split(spec, ":")
	target, err := strconv.ParseUint(strings.SplitN(parts[len(parts)-1], "-", 2)[0], 10, 16)
	if err != nil {
		return nil, fmt.Errorf("invalid port %q", v)
	}
	pc := types.ServicePortConfig{Target: uint32(target), Protocol: proto}
	if len(parts) >= 2 {
		pc.Published = parts[len(parts)-2]
	}
	if len(parts) >= 3 {
		pc.HostIP = strings.Trim(strings.Join(parts[:len(parts)-2], ":"), "[]")
	}
	return []types.ServicePortConfig{pc}, nil
}

// str renders a scalar as the string compose would see.
func str(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(t), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}

func boolish(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "yes", "y", "on", "1":
			return true
		}
	case int:
		return t != 0
	}
	return false
}

func num(v any) float64 {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	case float64:
		return t
	case float32:
		return float64(t)
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err == nil {
			return f
		}
		return 0
	case nil:
		return 0
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return float64(rv.Int())
	case rv.CanUint():
		return float64(rv.Uint())
	case rv.CanFloat():
		return rv.Float()
	}
	return 0
}

func list(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case nil:
		return nil
	case map[string]any:
		return nil
	}
	return []any{v}
}

// bytesOf reads a memory size: a number of bytes or a string with a unit
// (512m, 1g, 1.5GB).
func bytesOf(v any) int64 {
	switch t := v.(type) {
	case nil:
		return 0
	case string:
		b, err := units.RAMInBytes(strings.TrimSpace(t))
		if err != nil {
			return 0
		}
		return b
	}
	return int64(num(v))
}

// cpusOf reads a CPU count as nano CPUs.
func cpusOf(v any) int64 {
	f := num(v)
	if f <= 0 || math.IsNaN(f) || f > 1e6 {
		return 0
	}
	return int64(math.Round(f * 1e9))
}
