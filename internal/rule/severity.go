package rule

import (
	"fmt"
	"strings"
)

// Severity orders findings for display and for the --fail-on gate. Higher
// values are more severe so that comparisons read naturally.
type Severity int

// The levels are fixed by docs/contract.md; Unknown exists for vulnerabilities
// without severity data and gates as High unless configured otherwise.
const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
	Unknown
)

var severityNames = map[Severity]string{
	Info: "info", Low: "low", Medium: "medium", High: "high", Critical: "critical", Unknown: "unknown",
}

// String returns the lower-case name used in every output format.
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Rank is the position used for gating and sorting. Unknown ranks as High,
// because silence about severity is not evidence of safety.
func (s Severity) Rank() int {
	if s == Unknown {
		return int(High)
	}
	return int(s)
}

// AtLeast reports whether s is at or above the gate threshold.
func (s Severity) AtLeast(gate Severity) bool { return s.Rank() >= gate.Rank() }

// ParseSeverity accepts the names case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	ls := strings.ToLower(strings.TrimSpace(s))
	for k, v := range severityNames {
		if v == ls {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low, info or unknown)", s)
}

// AllSeverities lists the levels from most to least severe.
func AllSeverities() []Severity { return []Severity{Critical, High, Medium, Low, Info, Unknown} }

// MarshalText lets severities appear by name in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// SARIFLevel maps a severity onto SARIF's three result levels as docs/contract.md fixes.
func (s Severity) SARIFLevel() string {
	switch s {
	case Critical, High, Unknown:
		return "error"
	case Medium:
		return "warning"
	default:
		return "note"
	}
}

// SecurityScore is the numeric security-severity GitHub code scanning reads.
func (s Severity) SecurityScore() string {
	switch s {
	case Critical:
		return "9.5"
	case High, Unknown:
		return "8.0"
	case Medium:
		return "5.5"
	case Low:
		return "3.0"
	default:
		return "1.0"
	}
}
