// Package config loads .shipshape.yaml (version 1): which rules run, their
// severities and settings, and which paths are excluded. Discovery walks up
// from each scanned file to the nearest config, stopping at a directory that
// holds .git or at the filesystem root, as docs/contract.md fixes.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"
	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// FileName is the configuration file discovered next to scanned files.
const FileName = ".shipshape.yaml"

// alternate names accepted during discovery.
var fileNames = []string{".shipshape.yaml", ".shipshape.yml"}

// Config is one loaded configuration file.
type Config struct {
	// Path is the file it was read from ("" for the built-in default).
	Path string
	// Dir is the directory paths in the file are relative to.
	Dir   string
	Rules map[string]RuleConfig
	// Exclude holds gitignore-style patterns relative to Dir.
	Exclude []string
	// UnknownSeverity is how vulnerabilities without severity gate.
	UnknownSeverity rule.Severity
	// FailOn, when set, is the default gate for runs using this config.
	FailOn string
	// Ignores are the entries of the .shipshapeignore.yaml beside the
	// config (or found on its own during discovery).
	Ignores []IgnoreEntry
	// Trust is the supply-chain policy: registries images may come from
	// and keys their signatures must verify under.
	Trust Trust

	matcher *patternmatcher.PatternMatcher
}

// RuleConfig is the per-rule section.
type RuleConfig struct {
	Enabled  *bool
	Severity rule.Severity
	Settings map[string]any
}

// Default returns the configuration used when no file is found.
func Default() *Config { return &Config{Rules: map[string]RuleConfig{}, UnknownSeverity: rule.High} }

type rawConfig struct {
	Version         int                       `yaml:"version"`
	Disable         []string                  `yaml:"disable"`
	Enable          []string                  `yaml:"enable"`
	Rules           map[string]map[string]any `yaml:"rules"`
	Exclude         []string                  `yaml:"exclude"`
	UnknownSeverity string                    `yaml:"unknown-severity"`
	FailOn          string                    `yaml:"fail-on"`
	Trust           rawTrust                  `yaml:"trust"`
}

type rawTrust struct {
	Registries  []string          `yaml:"registries"`
	Keys        map[string]string `yaml:"keys"`
	TrustedRoot string            `yaml:"trusted-root"`
	Identities  []TrustIdentity   `yaml:"identities"`
}

// TrustIdentity is a keyless signer allowed by trust.identities: the OIDC
// issuer and the certificate subject, each exact or as a regexp.
type TrustIdentity struct {
	Issuer        string `yaml:"issuer"`
	IssuerRegexp  string `yaml:"issuer-regexp"`
	Subject       string `yaml:"subject"`
	SubjectRegexp string `yaml:"subject-regexp"`
}

// Trust is the `trust:` section. Registries feed every rule that declares
// a trusted-registries setting (when the rule's own setting is not given),
// so one list governs Dockerfile bases, compose images and image checks.
// Keys name PEM public keys (cosign.pub) by a label; their paths are
// resolved against the config's directory. TrustedRoot (a Sigstore
// trusted_root.json) and Identities allow keyless signatures; they go
// together, since an identity means nothing without the root that
// certifies it.
type Trust struct {
	Registries  []string
	Keys        map[string]string
	TrustedRoot string
	Identities  []TrustIdentity
}

// TrustedRootPath is trust.trusted-root resolved against the config's
// directory ("" when not set).
func (c *Config) TrustedRootPath() string {
	p := c.Trust.TrustedRoot
	if p != "" && !filepath.IsAbs(p) && c.Dir != "" {
		p = filepath.Join(c.Dir, p)
	}
	return p
}

// KeyPaths returns the trust keys as label -> path, relative paths
// resolved against the config's directory.
func (c *Config) KeyPaths() map[string]string {
	out := map[string]string{}
	for k, p := range c.Trust.Keys {
		if !filepath.IsAbs(p) && c.Dir != "" {
			p = filepath.Join(c.Dir, p)
		}
		out[k] = p
	}
	return out
}

// Load reads and validates a config file against the known rules.
func Load(path string, reg *rule.Registry) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(data, reg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Path = path
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	c.Dir = abs
	if ig := filepath.Join(abs, IgnoreFileName); fileExists(ig) {
		if c.Ignores, err = LoadIgnores(ig); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Parse decodes config bytes; unknown keys, rules and settings are errors so
// that a typo never silently disables a check.
func Parse(data []byte, reg *rule.Registry) (*Config, error) {
	var raw rawConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("invalid config: %w", err)
	}
	if raw.Version != 1 {
		return nil, fmt.Errorf("invalid config: `version: 1` is required (got %d)", raw.Version)
	}
	c := Default()
	c.Exclude = raw.Exclude
	c.FailOn = raw.FailOn
	c.Trust = Trust{Registries: raw.Trust.Registries, Keys: raw.Trust.Keys, TrustedRoot: raw.Trust.TrustedRoot, Identities: raw.Trust.Identities}
	if (c.Trust.TrustedRoot == "") != (len(c.Trust.Identities) == 0) {
		return nil, errors.New("invalid config: trust.trusted-root and trust.identities go together (a keyless identity is only trusted under a root)")
	}
	for i, id := range c.Trust.Identities {
		if id.Issuer == "" && id.IssuerRegexp == "" {
			return nil, fmt.Errorf("invalid config: trust.identities[%d] has no issuer (or issuer-regexp)", i)
		}
		if id.Subject == "" && id.SubjectRegexp == "" {
			return nil, fmt.Errorf("invalid config: trust.identities[%d] has no subject (or subject-regexp)", i)
		}
	}
	for i, r := range c.Trust.Registries {
		if strings.TrimSpace(r) == "" {
			return nil, fmt.Errorf("invalid config: trust.registries[%d] is empty", i)
		}
	}
	for k, p := range c.Trust.Keys {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("invalid config: trust.keys.%s has no path", k)
		}
	}
	if raw.FailOn != "" && !strings.EqualFold(raw.FailOn, "none") {
		if _, err := rule.ParseSeverity(raw.FailOn); err != nil {
			return nil, fmt.Errorf("invalid config: fail-on: %w", err)
		}
	}
	if raw.UnknownSeverity != "" {
		s, err := rule.ParseSeverity(raw.UnknownSeverity)
		if err != nil {
			return nil, fmt.Errorf("invalid config: unknown-severity: %w", err)
		}
		c.UnknownSeverity = s
	}
	lookup := func(id string) (*rule.Rule, error) {
		r, ok := reg.Get(id)
		if !ok {
			return nil, fmt.Errorf("invalid config: unknown rule %q (see `shipshape rules`)", id)
		}
		return r, nil
	}
	set := func(id string, on bool) error {
		r, err := lookup(id)
		if err != nil {
			return err
		}
		rc := c.Rules[r.ID]
		rc.Enabled = &on
		c.Rules[r.ID] = rc
		return nil
	}
	for _, id := range raw.Disable {
		if err := set(id, false); err != nil {
			return nil, err
		}
	}
	for _, id := range raw.Enable {
		if err := set(id, true); err != nil {
			return nil, err
		}
	}
	for id, body := range raw.Rules {
		r, err := lookup(id)
		if err != nil {
			return nil, err
		}
		rc, err := ruleConfig(r, id, c.Rules[r.ID], body)
		if err != nil {
			return nil, err
		}
		c.Rules[r.ID] = rc
	}
	if len(c.Exclude) > 0 {
		m, err := patternmatcher.New(c.Exclude)
		if err != nil {
			return nil, fmt.Errorf("invalid config: exclude: %w", err)
		}
		c.matcher = m
	}
	return c, nil
}

// ruleConfig applies one `rules.<id>:` block of the config to rc: enabled,
// severity and the rule's declared settings, each checked against its
// declaration so that a typo is an error rather than a silent no-op.
func ruleConfig(r *rule.Rule, id string, rc RuleConfig, body map[string]any) (RuleConfig, error) {
	for k, v := range body {
		switch k {
		case "enabled":
			b, ok := v.(bool)
			if !ok {
				return rc, fmt.Errorf("invalid config: rules.%s.enabled must be true or false", id)
			}
			rc.Enabled = &b
		case "severity":
			s, err := rule.ParseSeverity(fmt.Sprint(v))
			if err != nil {
				return rc, fmt.Errorf("invalid config: rules.%s.severity: %w", id, err)
			}
			rc.Severity = s
		default:
			st, ok := r.Setting(k)
			if !ok {
				var names []string
				for _, s := range r.Settings {
					names = append(names, s.Name)
				}
				hint := "it has no settings"
				if len(names) > 0 {
					hint = "its settings are " + strings.Join(names, ", ")
				}
				return rc, fmt.Errorf("invalid config: rule %s has no setting %q (%s)", r.ID, k, hint)
			}
			if err := rule.CheckValue(st, v); err != nil {
				return rc, fmt.Errorf("invalid config: rules.%s: %w", id, err)
			}
			if rc.Settings == nil {
				rc.Settings = map[string]any{}
			}
			rc.Settings[k] = v
		}
	}
	return rc, nil
}

// Enabled reports whether a rule runs under this config.
func (c *Config) Enabled(r *rule.Rule) bool {
	if rc, ok := c.Rules[r.ID]; ok && rc.Enabled != nil {
		return *rc.Enabled
	}
	return true
}

// SeverityOf returns the configured severity of a rule.
func (c *Config) SeverityOf(r *rule.Rule) rule.Severity {
	if rc, ok := c.Rules[r.ID]; ok && rc.Severity != 0 {
		return rc.Severity
	}
	return r.Severity
}

// Settings returns the rule's settings under this config.
// A rule declaring trusted-registries takes trust.registries unless the
// rule's own setting is given.
func (c *Config) Settings(r *rule.Rule) rule.Settings {
	set := c.Rules[r.ID].Settings
	if _, declared := r.Setting(TrustedRegistriesSetting); declared && len(c.Trust.Registries) > 0 {
		if _, own := set[TrustedRegistriesSetting]; !own {
			merged := map[string]any{TrustedRegistriesSetting: c.Trust.Registries}
			for k, v := range set {
				merged[k] = v
			}
			set = merged
		}
	}
	return rule.NewSettings(r, set)
}

// TrustedRegistriesSetting is the rule setting trust.registries feeds.
const TrustedRegistriesSetting = "trusted-registries"

// Excluded reports whether a file is excluded by the config's patterns.
func (c *Config) Excluded(path string) bool {
	if c.matcher == nil || c.Dir == "" {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	ok, _ := c.matcher.MatchesOrParentMatches(filepath.ToSlash(rel))
	return ok
}

// Finder discovers and caches configs per directory. It is safe for
// concurrent use.
type Finder struct {
	reg *rule.Registry
	// Fixed, when set (--config), is used for every file.
	Fixed *Config
	mu    sync.Mutex
	byDir map[string]result
	// dirOf is the directory whose config governs each path asked.
	dirOf map[string]string
	// listing, when set (UseListing), answers the existence checks of
	// directories a discovery walk has read.
	listing *Listing
	// wd is the working directory, read once: a lint asks For of every
	// file, and filepath.Abs would read it (two stat calls) each time.
	wdOnce sync.Once
	wd     string
	wdErr  error
}

type result struct {
	c   *Config
	err error
}

// NewFinder returns a discovering finder.
func NewFinder(reg *rule.Registry) *Finder {
	return &Finder{reg: reg, byDir: map[string]result{}, dirOf: map[string]string{}}
}

// For returns the config governing a file (or a directory's files).
func (f *Finder) For(path string) (*Config, error) {
	if f.Fixed != nil {
		return f.Fixed, nil
	}
	abs, err := f.abs(path)
	if err != nil {
		return nil, err
	}
	// A lint asks For of each input twice (to lint it, then for its
	// expired ignore entries); the stat that tells a file from a
	// directory is made once per path.
	f.mu.Lock()
	dir, ok := f.dirOf[abs]
	lst := f.listing
	f.mu.Unlock()
	if !ok {
		dir = abs
		if _, isDir := lst.Stat(abs); !isDir {
			dir = filepath.Dir(abs)
		}
		f.mu.Lock()
		f.dirOf[abs] = dir
		f.mu.Unlock()
	}
	return f.forDir(dir)
}

// UseListing lets the finder answer its existence checks from the
// directory listings of a discovery walk (see Listing).
func (f *Finder) UseListing(l *Listing) {
	f.mu.Lock()
	f.listing = l
	f.mu.Unlock()
}

// abs is filepath.Abs with the working directory read once per Finder.
func (f *Finder) abs(path string) (string, error) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	f.wdOnce.Do(func() { f.wd, f.wdErr = os.Getwd() })
	if f.wdErr != nil {
		return "", f.wdErr
	}
	return filepath.Join(f.wd, path), nil
}

func (f *Finder) forDir(dir string) (*Config, error) {
	f.mu.Lock()
	if r, ok := f.byDir[dir]; ok {
		f.mu.Unlock()
		return r.c, r.err
	}
	lst := f.listing
	f.mu.Unlock()
	var res result
	found := false
	for _, n := range fileNames {
		p := filepath.Join(dir, n)
		if exists, isDir := lst.Stat(p); exists && !isDir {
			c, err := Load(p, f.reg)
			res, found = result{c, err}, true
			break
		}
	}
	// An ignore file on its own (no config beside it) still applies, with
	// the default configuration.
	if ig := filepath.Join(dir, IgnoreFileName); !found && lst.fileExists(ig) {
		c := Default()
		c.Dir = dir
		var err error
		c.Ignores, err = LoadIgnores(ig)
		res, found = result{c, err}, true
	}
	if !found {
		parent := filepath.Dir(dir)
		if exists, _ := lst.Stat(filepath.Join(dir, ".git")); exists || parent == dir {
			res = result{c: Default()}
		} else {
			c, err := f.forDir(parent)
			res = result{c, err}
		}
	}
	f.mu.Lock()
	f.byDir[dir] = res
	f.mu.Unlock()
	return res.c, res.err
}
