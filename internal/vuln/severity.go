package vuln

import (
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// CVSSScore computes the base score of a CVSS vector (v2, v3.0, v3.1 or
// v4.0) with github.com/pandatix/go-cvss. ok is false for anything else.
func CVSSScore(vector string) (score float64, version string, ok bool) {
	v := strings.TrimSpace(vector)
	switch {
	case strings.HasPrefix(v, "CVSS:4.0/"):
		c, err := gocvss40.ParseVector(v)
		if err != nil {
			return 0, "", false
		}
		return c.Score(), "4.0", true
	case strings.HasPrefix(v, "CVSS:3.1/"):
		c, err := gocvss31.ParseVector(v)
		if err != nil {
			return 0, "", false
		}
		return c.BaseScore(), "3.1", true
	case strings.HasPrefix(v, "CVSS:3.0/"):
		c, err := gocvss30.ParseVector(v)
		if err != nil {
			return 0, "", false
		}
		return c.BaseScore(), "3.0", true
	case strings.HasPrefix(v, "AV:"):
		c, err := gocvss20.ParseVector(v)
		if err != nil {
			return 0, "", false
		}
		return c.BaseScore(), "2.0", true
	}
	return 0, "", false
}

// RatingOf maps a CVSS base score to a severity level (docs/contract.md) (the CVSS v3/v4
// qualitative scale; 0.0 "none" becomes info).
func RatingOf(score float64) rule.Severity {
	switch {
	case score >= 9.0:
		return rule.Critical
	case score >= 7.0:
		return rule.High
	case score >= 4.0:
		return rule.Medium
	case score >= 0.1:
		return rule.Low
	}
	return rule.Info
}

// AdvisorySeverity decides an advisory's severity: the highest-version
// CVSS vector it carries (v4 over v3 over v2), computed; else the
// record's own severity word; else unknown. score is 0 when not computed.
func AdvisorySeverity(a Advisory) (severity rule.Severity, score float64) {
	best, bestVer := -1.0, ""
	for _, s := range a.Severity {
		if !strings.HasPrefix(s.Type, "CVSS") {
			continue
		}
		sc, ver, ok := CVSSScore(s.Score)
		if !ok {
			continue
		}
		if bestVer == "" || ver > bestVer {
			best, bestVer = sc, ver
		}
	}
	if bestVer != "" {
		return RatingOf(best), best
	}
	for _, s := range a.Severity {
		if w := wordSeverity(s.Score); w != 0 {
			return w, 0
		}
	}
	for _, af := range a.Affected {
		if w, ok := af.EcosystemSpecific["severity"].(string); ok {
			if w := wordSeverity(w); w != 0 {
				return w, 0
			}
		}
	}
	return rule.Unknown, 0
}

// wordSeverity reads the severity words feeds use (GHSA's MODERATE,
// Ubuntu's negligible, Debian's urgencies).
func wordSeverity(w string) rule.Severity {
	switch strings.ToLower(strings.TrimSpace(w)) {
	case "critical":
		return rule.Critical
	case "high", "important":
		return rule.High
	case "medium", "moderate":
		return rule.Medium
	case "low", "negligible", "unimportant":
		return rule.Low
	}
	return 0
}
