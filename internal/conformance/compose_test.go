package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	rtrules "github.com/shipshape-sec/shipshape/internal/rules/runtime"
)

// runtimeDeviationsFile holds the deviations of the runtime rules from the
// compose peers; TestPeerConformance (Dockerfile peers) leaves it alone.
const runtimeDeviationsFile = "runtime.yaml"

// dockerfileDeviations drops the runtime rules' deviations, which name
// compose cases the Dockerfile conformance does not judge.
func dockerfileDeviations(ds []Deviation) []Deviation {
	var out []Deviation
	for _, d := range ds {
		if filepath.Base(d.file) != runtimeDeviationsFile {
			out = append(out, d)
		}
	}
	return out
}

func runtimeRegistry(t testing.TB) *rule.Registry {
	t.Helper()
	reg, err := rtrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// composeLinted is one compose input after loading and linting.
type composeLinted struct {
	Project  *container.Project
	Findings []rule.Finding // unsuppressed
	Err      error
	Panic    string
}

// lintCompose loads one compose document from memory and lints it with
// every runtime rule.
func lintCompose(reg *rule.Registry, name string, data []byte) (out composeLinted) {
	defer func() {
		if r := recover(); r != nil {
			out.Panic = fmt.Sprint(r)
		}
	}()
	p, _, err := compose.LoadSources([]compose.Source{{Path: name, Data: data}},
		compose.Options{NoAutoOverride: true, Env: map[string]string{}})
	if err != nil {
		return composeLinted{Err: err}
	}
	out.Project = p
	for _, f := range rule.WithRelated(engine.LintRuntime(context.Background(), p, reg, config.Default(), testNow)) {
		if f.Suppression == nil {
			out.Findings = append(out.Findings, f)
		}
	}
	return out
}

// TestComposeConformance judges the runtime rules against the KICS compose
// queries' samples (lines as KICS expects them, see the deviations for
// where shipshape places a finding differently) and the compose-lint
// fixtures (by name: insecure_, safe_, invalid_, valid_).
func TestComposeConformance(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := runtimeRegistry(t)

	samples, err := corpus.KICSSamples(dir, "dockerCompose")
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no KICS compose samples in kics/cases.jsonl")
	}
	results := make([]composeLinted, len(samples))
	parallel(len(samples), func(i int) {
		results[i] = lintCompose(reg, samples[i].Name, samples[i].Text)
	})
	var units []*unit
	byLabel := map[string]*unit{}
	for i := range samples {
		s := &samples[i]
		l := results[i]
		if l.Panic != "" || l.Err != nil {
			t.Errorf("%s: lint failed: panic=%q err=%v", s.Name, l.Panic, l.Err)
		}
		for _, e := range s.Expect {
			rules := reg.ByPeer(e.Tool, e.PeerID)
			if len(rules) == 0 {
				t.Errorf("%s: KICS compose query %s is mapped by no runtime rule", s.Name, e.PeerID)
				continue
			}
			u := &unit{exp: e, sample: s, rules: rules}
			if l.Panic != "" || l.Err != nil {
				u.failed = true
			} else {
				judgeCompose(u, l.Findings)
			}
			byLabel[normCase(e.Label)] = u
			units = append(units, u)
		}
	}
	clUnits := composeLintConformance(t, dir, reg)
	for _, u := range clUnits {
		if byLabel[normCase(u.exp.Label)] != nil {
			t.Errorf("duplicate case label %q", u.exp.Label)
		}
		byLabel[normCase(u.exp.Label)] = u
	}
	var devs []Deviation
	for _, d := range loadDeviations(t) {
		if filepath.Base(d.file) == runtimeDeviationsFile {
			devs = append(devs, d)
		}
	}
	checkDeviations(t, devs, byLabel)

	queries, _ := corpus.KICSQueries(dir)
	nq, mapped := 0, 0
	for _, q := range queries {
		if q.Platform == "dockerCompose" {
			nq++
			if len(reg.ByPeer("kics", q.ID)) > 0 {
				mapped++
			}
		}
	}
	t.Logf("KICS dockerCompose: %d/%d queries mapped (%.0f%% coverage); compose-lint: uncovered concepts %v",
		mapped, nq, 100*float64(mapped)/float64(nq), slices.Sorted(mapsKeys(composeLintUncovered)))
	agree := composeAgreement(t, "KICS dockerCompose", units)
	clAgree := composeAgreement(t, "compose-lint", clUnits)
	all := len(units) + len(clUnits)
	overall := float64(agree+clAgree) / float64(all)
	t.Logf("compose peers overall: %d/%d agree (%.1f%%)", agree+clAgree, all, 100*overall)
	if overall < minAgreement {
		t.Errorf("compose agreement %.1f%% is below %.0f%%", 100*overall, 100*minAgreement)
	}
	for _, u := range append(units, clUnits...) {
		if !u.agree && u.deviation == nil {
			t.Errorf("undocumented disagreement: %s (add it to deviations/%s with a reason, or fix the rule)", u.exp.Label, runtimeDeviationsFile)
		}
	}
}

// composeAgreement logs one compose corpus's agreement and its
// disagreements, and returns how many cases agree.
func composeAgreement(t *testing.T, name string, us []*unit) (agree int) {
	pos, posAgree, nDev := 0, 0, 0
	var b strings.Builder
	for _, u := range us {
		if u.agree {
			agree++
		}
		if u.exp.ShouldFire {
			pos++
			if u.agree {
				posAgree++
			}
		}
		if u.deviation != nil {
			nDev++
		}
		if !u.agree {
			var got []string
			for _, f := range u.got {
				if f.RuleID != "" {
					got = append(got, fmt.Sprintf("%d %s", f.Range.Line, f.RuleID))
				} else {
					got = append(got, f.Message)
				}
			}
			mark := "DISAGREE"
			if u.deviation != nil {
				mark = "deviation"
			}
			fmt.Fprintf(&b, "  %s %s (fire=%v lines=%v) got [%s]\n", mark, u.exp.Label, u.exp.ShouldFire, u.exp.Lines, strings.Join(got, ", "))
		}
	}
	t.Logf("%s: %d cases, %d agree (%.1f%%): positives %d/%d, negatives %d/%d; %d documented deviations\n%s",
		name, len(us), agree, 100*float64(agree)/float64(max(len(us), 1)), posAgree, pos, agree-posAgree, len(us)-pos, nDev, b.String())
	return agree
}

// judgeCompose decides one KICS unit: a positive agrees when the mapped
// rules report at every expected line (anywhere when KICS gives none), a
// negative when they report nothing. KICS places a finding about one entry
// of a list (a port, a capability, a security option) at the list's key;
// shipshape places it on the entry itself (docs/contract.md, "Where a
// finding is"), which is the same key, more precisely: a finding on an
// entry counts at its key.
func judgeCompose(u *unit, fs []rule.Finding) {
	for _, f := range fs {
		for _, r := range u.rules {
			if f.RuleID == r.ID {
				u.got = append(u.got, f)
			}
		}
	}
	if !u.exp.ShouldFire {
		u.agree = len(u.got) == 0
		return
	}
	keyOf := keyOfEntry(u.sample.Text)
	lines := map[int]bool{}
	for _, f := range u.got {
		lines[f.Range.Line] = true
		if k, ok := keyOf[f.Range.Line]; ok {
			lines[k] = true
		}
	}
	u.agree = len(u.got) > 0
	for _, l := range u.exp.Lines {
		if !lines[l] {
			u.agree = false
		}
	}
}

// keyOfEntry maps the first line of each entry of a list-valued key to the
// line of the key.
func keyOfEntry(text []byte) map[int]int {
	out := map[int]int{}
	var doc yaml.Node
	if yaml.Unmarshal(text, &doc) != nil {
		return out
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 32 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.SequenceNode {
					for _, it := range v.Content {
						if it.Line != k.Line {
							out[it.Line] = k.Line
						}
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(&doc, 0)
	return out
}

// composeLintConcepts maps a compose-lint fixture concept to the rules
// that cover it. A concept mapped to nil is not covered (see the reason in
// composeLintUncovered).
var composeLintConcepts = map[string][]string{
	"cap_add":                  {"RT1005"},
	"cap_drop":                 {"RT1004"},
	"cap_hardened":             {"RT1004", "RT1005"},
	"connection_string_creds":  {"RT1029"},
	"credential_env":           {"RT1029"},
	"devices":                  {"RT1023"},
	"host_namespace":           {"RT1016", "RT1017", "RT1018", "RT1019"},
	"host_network":             {"RT1015"},
	"image_no_digest":          {"RT1030"},
	"image_tags":               {"RT1030"},
	"no_new_priv":              {"RT1006"},
	"no_new_priv_short":        {"RT1006"},
	"ports":                    {"RT1024"},
	"privileged":               {"RT1003"},
	"read_only":                {"RT1010"},
	"root_user":                {"RT1009"},
	"security_profile":         {"RT1007", "RT1008"},
	"sensitive_mount":          {"RT1021", "RT1020"}, // the host's /var/run holds the runtime sockets: RT1020
	"shared_mount":             {"RT1033"},
	"named_volume_propagation": {"RT1033", "RT1020", "RT1021", "RT1022"},
	"socket":                   {"RT1020"},
	"logging":                  {"RT1037"},
	// safe_self_hosted.yml is compose-lint's own hardened deployment: the
	// practices it demonstrates must all be quiet.
	"self_hosted": {"RT1003", "RT1004", "RT1006", "RT1009", "RT1010", "RT1012", "RT1014", "RT1030"},
}

// composeLintUncovered are compose-lint concepts no rule covers, with why.
var composeLintUncovered = map[string]string{}

// serviceTable lists, for one compose-lint fixture, the services its
// concept's rules must report (yes), must not report (no), and services
// not judged, with the reason (skip).
type serviceTable struct {
	yes, no []string
	skip    map[string]string
}

func (t serviceTable) fire(name string) (want, listed bool) {
	if slices.Contains(t.yes, name) {
		return true, true
	}
	return false, slices.Contains(t.no, name)
}

func names(s string) []string { return strings.Fields(s) }

// composeLintServices is the expectation table of the insecure_ and safe_
// fixtures, per service, read from the service names compose-lint gives
// them (literal_*, skip_*, exempt_*, safe_*, bound_*...).
var composeLintServices = map[string]serviceTable{
	"cap_add": {yes: names("sys_admin sys_ptrace net_admin multiple_dangerous lowercase_cap all_dangerous cap_all cap_all_lowercase"),
		no: names("safe_caps no_cap_add")},
	"cap_drop": {yes: names("no_cap_drop partial_cap_drop"), no: names("cap_drop_all cap_drop_all_lower")},
	"connection_string_creds": {
		yes: names("postgres_url_literal mongo_url_literal redis_url_literal airflow_sqlalchemy_conn innocuous_key_with_inline_creds list_form_inline_creds multiple_inline_creds detect_user_var_password_literal"),
		no:  names("skip_user_var_password_var skip_user_literal_password_var skip_no_password skip_empty_password skip_no_userinfo skip_pure_var_value skip_empty_value skip_no_environment list_form_skipped_when_var")},
	"credential_env": {
		yes: names("literal_postgres_password literal_password_decoy_value literal_token_map literal_secret_map literal_api_key literal_apikey_no_underscore literal_access_key literal_secret_key literal_credential literal_private_key literal_pass_suffix literal_pwd_suffix literal_passwd literal_salt literal_dsn list_form_password list_form_token_inline multiple_findings_one_service"),
		no:  names("exempt_password_file exempt_allow_empty_password exempt_random_root_password exempt_boolean_value_true exempt_boolean_value_one skip_pure_var_ref skip_pure_var_default skip_short_var skip_mixed_var_reference skip_empty_string skip_unrelated_key skip_bare_list_key skip_no_environment skip_passport_substring_false_positive skip_yaml_bool_value")},
	"devices": {yes: names("block_vda block_xvda block_mmcblk block_md block_sda block_sda1 block_nvme disk_symlink multiple dev_kmsg capability_gated unreachable_devices"),
		no: names("safe_device no_devices")},
	"host_namespace":  {yes: names("pid_host ipc_host userns_host all_host uts_host"), no: names("no_namespace_sharing ipc_shareable")},
	"host_network":    {yes: names("host_network"), no: names("bridge_network service_network no_network_mode")},
	"logging":         {yes: names("logging_none logging_none_uppercase"), no: names("logging_json logging_syslog no_logging_config")},
	"image_no_digest": {yes: names("version_tag alpine_tag registry_tag no_tag latest_tag stable_tag port_registry_pinned port_registry_no_tag"), no: names("digest_pinned build_only port_registry_digest")},
	"image_tags": {yes: names("no_tag latest_tag stable_tag registry_no_tag registry_latest port_registry_no_tag port_registry_latest"),
		no: names("pinned digest_pinned build_only registry_pinned port_registry_pinned port_registry_digest port_registry_pinned_digest")},
	"no_new_priv": {yes: names("missing empty_security_opt has_other_opt"), no: names("secure")},
	"ports": {yes: names("unbound_short unbound_long port_range ipv6_wildcard_short ipv4_wildcard_short long_ipv6_wildcard long_ipv4_wildcard"),
		no: names("bound_short bound_long no_ports ipv6_loopback_short long_ipv6_loopback"),
		skip: map[string]string{"bare_port": "a container port alone is published on a random host port of every interface; " +
			"shipshape reports it, the fixture's name does not say whether compose-lint does"}},
	"privileged": {yes: names("app"), no: names("clean")},
	"read_only":  {yes: names("writable explicit_false"), no: names("read_only_true")},
	"root_user": {yes: names("root_name root_uid root_with_group root_uid_gid root_colon_zero zero_colon_root root_nonroot_group zero_nonroot_group"),
		no: names("non_root nonroot_uid_root_group named_user"),
		skip: map[string]string{"no_user": "no user: key; shipshape reports it at medium (the image may set a non-root USER), " +
			"the explicit-root expectations are judged at high"}},
	"security_profile": {yes: names("seccomp_unconfined apparmor_unconfined both_unconfined selinux_disabled all_three_disabled"),
		no: names("custom_seccomp no_new_privs_only no_security_opt selinux_label_user")},
	"sensitive_mount": {yes: names("mounts_etc mounts_proc mounts_sys mounts_boot mounts_root mounts_etc_subpath mounts_multiple mounts_root_filesystem mounts_root_filesystem_ro mounts_var_lib_docker mounts_var_run mounts_home mounts_root_ssh mounts_etc_trailing_slash long_syntax_bind long_syntax_bind_no_type long_syntax_root_no_type"),
		no: names("safe_volume no_volumes long_syntax_named")},
	"shared_mount":             {yes: names("shared_short shared_with_ro shared_long"), no: names("rprivate_long normal_mount rw_mount no_volumes")},
	"socket":                   {yes: names("traefik portainer")},
	"cap_hardened":             {no: names("drop_all_add_safe drop_all_lower_add_safe drop_all_no_add")},
	"named_volume_propagation": {no: names("named_short named_long")},
	"no_new_priv_short":        {no: names("short_form short_form_with_others")},
	"self_hosted":              {no: names("compose-lint")},
}

// composeLintMinSeverity is the lowest severity that counts as reporting a
// concept, where compose-lint's concept is narrower than the rule: tag-only
// pins (low) are not what insecure_image_tags is about, and a service
// without user: (medium) is not an explicit root user.
var composeLintMinSeverity = map[string]rule.Severity{
	"image_tags": rule.Medium,
	"root_user":  rule.High,
}

// composeLintOther are expectations for the fixtures that are neither
// insecure_ nor safe_: rules that must fire, and a severity no finding may
// reach.
var composeLintOther = map[string]struct {
	fire    []string
	count   map[string]int
	below   rule.Severity
	noSpecs bool
}{
	"mixed":                       {fire: []string{"RT1003", "RT1020", "RT1024", "RT1030"}},
	"kics_comparison":             {fire: []string{"RT1003", "RT1020"}},
	"warnings_only":               {below: rule.High},
	"fragment_volumes_only":       {noSpecs: true},
	"ports_long_syntax_protocols": {count: map[string]int{"RT1024": 2}},
}

// composeLintConformance judges the compose-lint fixtures and returns how
// many expectations agree out of how many.
func composeLintConformance(t *testing.T, dir string, reg *rule.Registry) (units []*unit) {
	files, err := corpus.ComposeLintFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 42 {
		t.Errorf("compose_lint: %d files, the expectation table is written for 42", len(files))
	}
	// judge records one expectation as a unit labelled
	// "compose-lint <file> <what>", so that deviations/runtime.yaml can
	// document a disagreement like any other peer case.
	judge := func(f corpus.ComposeFile, fire, ok bool, format string, args ...any) {
		what, _, _ := strings.Cut(fmt.Sprintf(format, args...), ":")
		u := &unit{exp: corpus.Expectation{Tool: "compose-lint", PeerID: f.Concept, Label: "compose-lint " + f.Name + " " + what, ShouldFire: fire},
			agree: ok}
		if !ok {
			u.got = []rule.Finding{{Message: fmt.Sprintf(format, args...)}}
		}
		units = append(units, u)
	}
	for _, f := range files {
		if f.Kind == corpus.ComposeConfig {
			// The peer's configuration files: not compose files, which
			// input recognition decides; nothing to judge here.
			var doc map[string]any
			if err := yaml.Unmarshal(f.Text, &doc); err == nil && doc["services"] != nil {
				t.Errorf("%s: expected a compose-lint config file, found services", f.Name)
			}
			continue
		}
		l := lintCompose(reg, f.Name, f.Text)
		if l.Panic != "" || l.Err != nil {
			judge(f, false, false, "load: lint failed: panic=%q err=%v", l.Panic, l.Err)
			continue
		}
		count := map[string]int{}
		for _, fd := range l.Findings {
			count[fd.RuleID]++
		}
		switch f.Kind {
		case corpus.ComposeInvalid:
			judge(f, true, count["RT1000"] > 0, "invalid: not reported as RT1000")
		case corpus.ComposeValid:
			judge(f, false, count["RT1000"] == 0 && len(l.Project.Specs) > 0, "loads: RT1000 x%d, %d services loaded", count["RT1000"], len(l.Project.Specs))
		case corpus.ComposeInsecure, corpus.ComposeSafe:
			judgeConcept(t, f, l, judge)
		default:
			judgeOther(t, f, l, count, judge)
		}
	}
	return units
}

// judgeFunc records one compose-lint expectation.
type judgeFunc func(f corpus.ComposeFile, fire, ok bool, format string, args ...any)

// judgeConcept judges an insecure_ or safe_ fixture service by service:
// the concept's rules fire on the services the table lists as insecure and
// stay quiet on the others.
func judgeConcept(t *testing.T, f corpus.ComposeFile, l composeLinted, judge judgeFunc) {
	ids, ok := composeLintConcepts[f.Concept]
	if !ok {
		if _, unc := composeLintUncovered[f.Concept]; !unc {
			t.Errorf("%s: concept %q is in neither composeLintConcepts nor composeLintUncovered", f.Name, f.Concept)
		}
		return
	}
	table, ok := composeLintServices[f.Concept]
	if !ok {
		t.Errorf("%s: no per-service expectations in composeLintServices", f.Name)
		return
	}
	minSev, ok := composeLintMinSeverity[f.Concept]
	if !ok {
		minSev = rule.Info
	}
	judged := map[string]bool{}
	for _, spec := range l.Project.Specs {
		want, listed := table.fire(spec.Name)
		if !listed {
			if _, skip := table.skip[spec.Name]; !skip {
				t.Errorf("%s: service %s is in no expectation list", f.Name, spec.Name)
			}
			return
		}
		judged[spec.Name] = true
		var got []string
		for _, fd := range l.Findings {
			if slices.Contains(ids, fd.RuleID) && fd.Severity.AtLeast(minSev) && strings.Contains(fd.Message, fmt.Sprintf("service %q", spec.Name)) {
				got = append(got, fd.RuleID+" "+fd.Message)
			}
		}
		if want {
			judge(f, true, len(got) > 0, "%s: no finding of %v", spec.Name, ids)
		} else {
			judge(f, false, len(got) == 0, "%s: reported %v", spec.Name, got)
		}
	}
	for _, n := range append(append([]string{}, table.yes...), table.no...) {
		if !judged[n] {
			t.Errorf("%s: expectation for service %s, which did not load", f.Name, n)
		}
	}
}

// judgeOther judges the remaining fixtures against composeLintOther: they
// load, and the listed rules fire as often as expected.
func judgeOther(t *testing.T, f corpus.ComposeFile, l composeLinted, count map[string]int, judge judgeFunc) {
	exp, ok := composeLintOther[f.Concept]
	if !ok {
		t.Errorf("%s: no expectation for this file in composeLintOther", f.Name)
		return
	}
	judge(f, false, count["RT1000"] == 0 || exp.noSpecs, "loads: RT1000 x%d on a file that should load", count["RT1000"])
	for _, id := range exp.fire {
		judge(f, true, count[id] > 0, "%s: did not fire", id)
	}
	for id, n := range exp.count {
		judge(f, true, count[id] == n, "%s count: fired %d times, want %d", id, count[id], n)
	}
	if exp.below != 0 {
		var high []string
		for _, fd := range l.Findings {
			if fd.Severity.AtLeast(exp.below) {
				high = append(high, fd.RuleID+" "+fd.Message)
			}
		}
		judge(f, false, len(high) == 0, "below %s: findings at or above it: %v", exp.below, high)
	}
	if exp.noSpecs {
		judge(f, false, len(l.Project.Specs) == 0, "no services: a fragment loaded %d services", len(l.Project.Specs))
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// runtimePeerChecks are the peer checks the runtime rules account for:
// the KICS compose queries and the CIS Docker Benchmark section 5
// (container runtime) controls.
func runtimePeerChecks(t testing.TB, dir string) []corpus.Check {
	t.Helper()
	var out []corpus.Check
	kq, err := corpus.KICSQueries(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range kq {
		if q.Platform == "dockerCompose" {
			out = append(out, q)
		}
	}
	cis, err := corpus.CISControls(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cis {
		if strings.HasPrefix(c.ID, "5.") {
			out = append(out, c)
		}
	}
	return out
}

// TestRuntimeUnmapped checks that every KICS compose query and every CIS
// section 5 control is either a runtime rule's peer or listed in
// unmapped.yaml with a reason, and not both; and that every peer a
// runtime rule declares exists.
func TestRuntimeUnmapped(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := runtimeRegistry(t)
	data, err := os.ReadFile("unmapped.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var entries []unmappedEntry
	if err := yaml.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range entries {
		listed[checkKey(e.Tool, e.ID)] = true
	}
	known := map[string]bool{}
	var covered []string
	for _, c := range runtimePeerChecks(t, dir) {
		k := checkKey(c.Tool, c.ID)
		known[k] = true
		rules := reg.ByPeer(c.Tool, c.ID)
		switch {
		case len(rules) > 0 && listed[k]:
			t.Errorf("unmapped.yaml: stale entry %s %s (%s): mapped by %s", c.Tool, c.ID, c.Title, rules[0].ID)
		case len(rules) == 0 && !listed[k]:
			t.Errorf("peer check %s %s (%s) is neither a runtime rule's peer nor listed in unmapped.yaml", c.Tool, c.ID, c.Title)
		}
		if c.Tool == "cis-docker-1.6.0" && len(rules) > 0 {
			var ids []string
			for _, r := range rules {
				ids = append(ids, r.ID)
			}
			covered = append(covered, c.ID+" "+strings.Join(ids, "+"))
		}
	}
	sort.Slice(covered, func(i, j int) bool { return cisLess(covered[i], covered[j]) })
	t.Logf("CIS section 5 covered: %s", strings.Join(covered, ", "))

	cis, err := corpus.CISControls(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cis {
		known[checkKey(c.Tool, c.ID)] = true
	}
	// The corpus table holds sections 4 and 5; the daemon rules of
	// shipshape audit map to section 2 (daemon configuration).
	for id := range cisDaemonControls {
		known[checkKey("cis-docker-1.6.0", id)] = true
	}
	for _, r := range reg.All() {
		for _, p := range r.Peers {
			if (p.Tool == "kics" || p.Tool == "cis-docker-1.6.0") && !known[checkKey(p.Tool, p.ID)] {
				t.Errorf("%s declares peer %s %q, which is not a KICS compose query or CIS control", r.ID, p.Tool, p.ID)
			}
		}
	}
}

// cisDaemonControls are the CIS Docker Benchmark 1.6.0 section 2 (Docker
// daemon configuration) controls the daemon rules declare as peers.
var cisDaemonControls = map[string]string{
	"2.1":  "Run the Docker daemon as a non-root user, if possible",
	"2.2":  "Ensure network traffic is restricted between containers on the default bridge",
	"2.5":  "Ensure insecure registries are not used",
	"2.7":  "Ensure TLS authentication for Docker daemon is configured",
	"2.9":  "Enable user namespace support",
	"2.13": "Ensure centralized and remote logging is configured",
	"2.14": "Ensure containers are restricted from acquiring new privileges",
	"2.15": "Ensure live restore is enabled",
	"2.16": "Ensure Userland Proxy is Disabled",
	"2.17": "Ensure that a daemon-wide custom seccomp profile is applied if appropriate",
}

// cisLess orders "5.9 ..." before "5.10 ...".
func cisLess(a, b string) bool {
	var a1, a2, b1, b2 int
	fmt.Sscanf(a, "%d.%d", &a1, &a2)
	fmt.Sscanf(b, "%d.%d", &b1, &b2)
	if a1 != b1 {
		return a1 < b1
	}
	return a2 < b2
}
