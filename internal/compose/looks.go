package compose

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/schema"
	"gopkg.in/yaml.v3"
)

// reServicesTop is a cheap first test: a top-level `services:` key.
var reServicesTop = regexp.MustCompile(`(?m)^services:[ \t]*(#.*)?\r?$`)

// Looks reports whether YAML content is a compose file, judged strictly
// enough for a directory walk to take a file whatever its name
// (docs/contract.md, "What counts as an input"): the top level is a
// mapping of compose's top-level keys (or x- extensions) and holds a
// `services:` mapping with at least one service, and every service is a
// mapping of compose service attributes (or x- extensions). An overlay
// that only sets a service's environment looks like one; a GitLab CI file
// (its services are a list), a Helm values file (other top-level keys, or
// services with keys compose does not know) or an Ansible playbook (a
// list) does not. Legacy v1 files, which have no `services:` key, are
// taken by name only.
func Looks(data []byte) bool {
	if len(data) > MaxFileSize || !reServicesTop.Match(data) {
		return false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return false
	}
	root := deref(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		return false
	}
	var services *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i].Value
		if !topLevelKeys[k] && !strings.HasPrefix(k, "x-") {
			return false
		}
		if k == "services" {
			services = deref(root.Content[i+1])
		}
	}
	if services == nil || services.Kind != yaml.MappingNode || len(services.Content) == 0 {
		return false
	}
	attrs := serviceAttributes()
	for i := 0; i+1 < len(services.Content); i += 2 {
		svc := deref(services.Content[i+1])
		if svc.Kind == yaml.ScalarNode && svc.Tag == "!!null" {
			continue
		}
		if svc.Kind != yaml.MappingNode {
			return false
		}
		for j := 0; j+1 < len(svc.Content); j += 2 {
			k := svc.Content[j].Value
			if !attrs[k] && !strings.HasPrefix(k, "x-") && k != "<<" {
				return false
			}
		}
	}
	return true
}

var (
	attrsOnce sync.Once
	attrs     map[string]bool
)

// serviceAttributes are the keys the compose specification allows in a
// service, read from the schema compose-go validates with, so that the
// sniff follows the specification as compose-go is updated.
func serviceAttributes() map[string]bool {
	attrsOnce.Do(func() {
		attrs = map[string]bool{}
		type def struct {
			Properties map[string]json.RawMessage `json:"properties"`
			AllOf      []struct {
				Ref string `json:"$ref"`
			} `json:"allOf"`
		}
		var s struct {
			Defs map[string]def `json:"$defs"`
		}
		// TestLooks fails when the schema's layout changes and this
		// finds too few attributes.
		if err := json.Unmarshal([]byte(schema.Schema), &s); err != nil {
			return
		}
		// A service is its own properties and those of the definitions
		// it is made of (container_spec, workload_spec).
		svc := s.Defs["service"]
		defs := []def{svc}
		for _, a := range svc.AllOf {
			if d, ok := s.Defs[strings.TrimPrefix(a.Ref, "#/$defs/")]; ok {
				defs = append(defs, d)
			}
		}
		for _, d := range defs {
			for k := range d.Properties {
				attrs[k] = true
			}
		}
	})
	return attrs
}
