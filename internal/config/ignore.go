package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/patternmatcher"
	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IgnoreFileName is the ignore list read beside .shipshape.yaml (or on its
// own in a directory the discovery walk passes).
const IgnoreFileName = ".shipshapeignore.yaml"

// IgnoreEntry suppresses the findings of one rule or advisory, optionally
// only for one package or for paths matching a pattern, until it expires.
type IgnoreEntry struct {
	// ID is a rule ID (or alias) or an advisory ID (CVE, GHSA, GO-...).
	ID string `yaml:"id"`
	// Package limits the entry to one package (vulnerabilities): the
	// installed package's name or its distribution source package's.
	Package string `yaml:"package"`
	// Path limits the entry to files matching a gitignore-style pattern
	// relative to the ignore file's directory, or image paths.
	Path   string `yaml:"path"`
	Reason string `yaml:"reason"`
	// Expires is a date (YYYY-MM-DD) after which the entry no longer
	// suppresses and is itself reported.
	Expires string `yaml:"expires"`

	// File and Line locate the entry for messages.
	File    string    `yaml:"-"`
	Line    int       `yaml:"-"`
	expires time.Time `yaml:"-"`
	matcher *patternmatcher.PatternMatcher
}

// Expired reports whether the entry has passed its expiry date.
func (e IgnoreEntry) Expired(now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires.AddDate(0, 0, 1))
}

// LoadIgnores reads an ignore file: a YAML list of entries (or a mapping
// with an `ignores:` list). Every entry needs an id and a reason.
func LoadIgnores(path string) ([]IgnoreEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read ignore file: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: invalid YAML: %w", path, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	list := root.Content[0]
	if list.Kind == yaml.MappingNode {
		var found *yaml.Node
		for i := 0; i+1 < len(list.Content); i += 2 {
			if list.Content[i].Value == "ignores" {
				found = list.Content[i+1]
			} else {
				return nil, fmt.Errorf("%s:%d: unknown key %q (want a list of entries, or `ignores:`)", path, list.Content[i].Line, list.Content[i].Value)
			}
		}
		if found == nil {
			return nil, nil
		}
		list = found
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: want a list of {id, package, path, reason, expires} entries", path, list.Line)
	}
	var out []IgnoreEntry
	for _, n := range list.Content {
		var e IgnoreEntry
		dec := yaml.NewDecoder(bytes.NewReader(mustMarshal(n)))
		dec.KnownFields(true)
		if err := dec.Decode(&e); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: %v", path, n.Line, err)
		}
		e.File, e.Line = path, n.Line
		if strings.TrimSpace(e.ID) == "" {
			return nil, fmt.Errorf("%s:%d: entry has no id", path, n.Line)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("%s:%d: entry for %s has no reason; say why it is acceptable", path, n.Line, e.ID)
		}
		if e.Expires != "" {
			t, err := time.Parse("2006-01-02", e.Expires)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: expires %q is not a date (YYYY-MM-DD)", path, n.Line, e.Expires)
			}
			e.expires = t
		}
		if e.Path != "" {
			m, err := patternmatcher.New([]string{e.Path})
			if err != nil {
				return nil, fmt.Errorf("%s:%d: path %q: %v", path, n.Line, e.Path, err)
			}
			e.matcher = m
		}
		out = append(out, e)
	}
	return out, nil
}

func mustMarshal(n *yaml.Node) []byte {
	b, err := yaml.Marshal(n)
	if err != nil {
		return nil
	}
	return b
}

// ApplyIgnores marks the findings covered by the config's ignore entries as
// suppressed (kind "config", with the entry's reason). Expired entries do
// not suppress.
func (c *Config) ApplyIgnores(fs []rule.Finding, reg *rule.Registry, now time.Time) {
	if len(c.Ignores) == 0 {
		return
	}
	for i := range fs {
		f := &fs[i]
		if f.Suppression != nil {
			continue
		}
		for _, e := range c.Ignores {
			if e.Expired(now) || !c.ignoreMatches(e, f, reg) {
				continue
			}
			f.Suppression = &rule.Suppression{Kind: "config", Justification: e.Reason, Line: e.Line}
			break
		}
	}
}

// ExpiredIgnores lists the entries past their expiry date.
func (c *Config) ExpiredIgnores(now time.Time) []IgnoreEntry {
	var out []IgnoreEntry
	for _, e := range c.Ignores {
		if e.Expired(now) {
			out = append(out, e)
		}
	}
	return out
}

func (c *Config) ignoreMatches(e IgnoreEntry, f *rule.Finding, reg *rule.Registry) bool {
	id := strings.ToUpper(strings.TrimSpace(e.ID))
	match := strings.EqualFold(f.RuleID, id)
	if !match && reg != nil {
		if r, ok := reg.Get(id); ok && r.ID == f.RuleID {
			match = true
		}
	}
	if !match && f.Vuln != nil {
		for _, a := range f.Vuln.Aliases {
			if strings.EqualFold(a, id) {
				match = true
			}
		}
	}
	if !match {
		return false
	}
	if e.Package != "" && (f.Vuln == nil || !strings.EqualFold(e.Package, f.Vuln.Package) && !strings.EqualFold(e.Package, f.Vuln.SourcePackage)) {
		return false
	}
	if e.matcher != nil {
		p := ""
		if f.Image != nil {
			p = strings.TrimPrefix(f.Image.Path, "/")
		} else if f.File != "" {
			p = f.File
			if c.Dir != "" {
				if abs, err := filepath.Abs(f.File); err == nil {
					if rel, err := filepath.Rel(c.Dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
						p = rel
					}
				}
			}
			p = filepath.ToSlash(p)
		}
		ok, _ := e.matcher.MatchesOrParentMatches(p)
		if !ok {
			return false
		}
	}
	return true
}
