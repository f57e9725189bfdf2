package rule

import (
	"fmt"
	"strconv"
	"strings"
)

// Settings are a rule's configured option values, keyed by setting name.
// Values come from YAML, so they are converted on access; declared defaults
// fill the gaps.
type Settings struct {
	rule   *Rule
	values map[string]any
}

// NewSettings binds values to a rule's declarations.
func NewSettings(r *Rule, values map[string]any) Settings {
	return Settings{rule: r, values: values}
}

func (s Settings) get(name string) any {
	if v, ok := s.values[name]; ok {
		return v
	}
	if s.rule != nil {
		if d, ok := s.rule.Setting(name); ok {
			return d.Default
		}
	}
	return nil
}

// Strings returns a list setting; a single string is a one-element list.
func (s Settings) Strings(name string) []string {
	switch v := s.get(name).(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	}
	return nil
}

// String returns a string setting.
func (s Settings) String(name string) string {
	if v := s.get(name); v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// Bool returns a boolean setting.
func (s Settings) Bool(name string) bool {
	switch v := s.get(name).(type) {
	case bool:
		return v
	case string:
		b, _ := strconv.ParseBool(v)
		return b
	}
	return false
}

// Int returns an integer setting.
func (s Settings) Int(name string) int {
	switch v := s.get(name).(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// CheckValue validates a configured value against a setting's declared type.
func CheckValue(st Setting, v any) error {
	ok := false
	switch st.Type {
	case "bool":
		_, ok = v.(bool)
	case "int":
		switch v.(type) {
		case int, int64, float64:
			ok = true
		}
	case "string":
		_, ok = v.(string)
	case "strings":
		switch x := v.(type) {
		case string:
			ok = true
		case []any:
			ok = true
			for _, e := range x {
				if _, isStr := e.(string); !isStr {
					ok = false
				}
			}
		case []string:
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("setting %s wants %s, got %v", st.Name, strings.TrimSuffix(st.Type, "s")+map[bool]string{true: " list", false: ""}[st.Type == "strings"], v)
	}
	return nil
}
