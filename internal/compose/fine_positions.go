package compose

import (
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/container"
)

// finePositions records, in Spec.Where, the places of keys that the model
// has no field for but that runtime rules point at: the deploy block and
// its resources and limits (where a missing limit belongs), and the source
// and propagation lines of long-syntax volume entries. The key names are
// the ones internal/rules/runtime looks up (see its util.go).
func (l *load) finePositions(s *container.Spec, refs []svcRef) {
	for _, p := range [][]string{{"deploy"}, {"deploy", "resources"}, {"deploy", "resources", "limits"}} {
		if pos, ok := where(refs, p...); ok {
			key := p[0]
			for _, x := range p[1:] {
				key += "." + x
			}
			s.Where[key] = pos
		}
	}
	for _, r := range refs {
		_, seq := lookup(r.node, "volumes")
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		for _, it := range seq.Content {
			it = deref(it)
			if it.Kind != yaml.MappingNode {
				continue
			}
			target := l.volumeTarget(it)
			for field, path := range map[string][]string{"source": {"source"}, "propagation": {"bind", "propagation"}} {
				key := container.KeyVolumes + ":" + target + ":" + field
				if _, done := s.Where[key]; done {
					continue
				}
				if k, v := lookupPath(it, path...); k != nil {
					s.Where[key] = r.file.keyPos(k, v)
				}
			}
		}
	}
}

// portCache remembers the last port spec parsed by portMatches: a range
// such as "70-8000" expands to thousands of ports, and matching each of
// them against its own item re-parsed the item every time (quadratic,
// minutes for one line).
var portCache struct {
	sync.Mutex
	spec  string
	ports []types.ServicePortConfig
	err   error
}

func parsePortsCached(spec string) ([]types.ServicePortConfig, error) {
	portCache.Lock()
	defer portCache.Unlock()
	if portCache.spec != spec || (portCache.ports == nil && portCache.err == nil) {
		portCache.ports, portCache.err = types.ParsePortConfig(spec)
		portCache.spec = spec
	}
	return portCache.ports, portCache.err
}
