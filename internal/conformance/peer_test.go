package conformance

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// minAgreement is the bar for overall agreement over mapped cases; it
// leaves room for the documented deviations.
const minAgreement = 0.95

// corpora are the peer suites in table order.
var corpora = []string{"kics", "trivy", "checkov", "buildkit"}

// unit is one judged (sample, peer check) pair.
type unit struct {
	exp    corpus.Expectation
	sample *corpus.Sample
	rules  []*rule.Rule
	// got are the mapped rules' findings on the sample.
	got   []rule.Finding
	agree bool
	// pending is set when every mapped rule is still a stub.
	pending bool
	// located is set for a positive Checkov graph unit when a finding lies
	// within an instruction of a type the peer reports at.
	located bool
	// deviation is the entry that documents a disagreement, if any.
	deviation *Deviation
	// failed is set when the sample could not be linted at all.
	failed bool
}

// loadPeerSamples returns every sample of the four peer corpora and the
// catalogue of their checks, per corpus.
func loadPeerSamples(t *testing.T, dir string) ([]corpus.Sample, map[string][]corpus.Check) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	checks := map[string][]corpus.Check{}
	kq, err := corpus.KICSQueries(dir)
	must(err)
	for _, q := range kq {
		// Compose queries belong to the runtime rules; only Dockerfile
		// queries count here.
		if q.Platform == "dockerfile" {
			checks["kics"] = append(checks["kics"], q)
		}
	}
	checks["trivy"], err = corpus.TrivyChecks(dir)
	must(err)
	checks["checkov"], err = corpus.CheckovChecks(dir)
	must(err)
	checks["buildkit"], err = corpus.BuildKitRules(dir)
	must(err)

	var samples []corpus.Sample
	ks, err := corpus.KICSSamples(dir, "dockerfile")
	must(err)
	ts, err := corpus.TrivySamples(dir)
	must(err)
	cs, err := corpus.CheckovSamples(dir)
	must(err)
	var bkNames []string
	for _, c := range checks["buildkit"] {
		bkNames = append(bkNames, c.ID)
	}
	bs, err := corpus.BuildKitSamples(dir, bkNames)
	must(err)
	samples = slices.Concat(ks, ts, cs, bs)
	if len(ks) == 0 || len(ts) == 0 || len(cs) == 0 || len(bs) == 0 {
		t.Fatalf("a peer corpus is empty: kics %d, trivy %d, checkov %d, buildkit %d samples", len(ks), len(ts), len(cs), len(bs))
	}
	return samples, checks
}

// withoutSiblingFindings handles a shipshape rule that covers two BuildKit
// checks (DF1812 covers ConsistentInstructionCasing and FromAsCasing): a
// negative unit for one check must not count the finding the same sample
// expects for the other check. Findings at lines the sample expects for a
// sibling check of the same rule are attributed to that sibling.
func withoutSiblingFindings(u *unit) []rule.Finding {
	if u.exp.Tool != "buildkit" || u.sample == nil {
		return u.got
	}
	claimed := map[int]bool{}
	for _, e := range u.sample.Expect {
		if e.Tool != "buildkit" || !e.ShouldFire || e.PeerID == u.exp.PeerID {
			continue
		}
		for _, r := range u.rules {
			if slices.Contains(r.PeerIDs("buildkit"), e.PeerID) {
				for _, l := range e.Lines {
					claimed[l] = true
				}
			}
		}
	}
	var out []rule.Finding
	for _, f := range u.got {
		if !claimed[f.Range.Line] {
			out = append(out, f)
		}
	}
	return out
}

// judge decides one unit from the sample's findings, as
// ../shared/corpus/README.md counts agreement: a positive agrees when a
// mapped rule fires at every expected start line (or anywhere when the peer
// gives no lines); a negative agrees when no mapped rule fires.
func judge(u *unit, l linted) {
	ids := map[string]bool{}
	for _, r := range u.rules {
		ids[r.ID] = true
	}
	for _, f := range l.Findings {
		if ids[f.RuleID] {
			u.got = append(u.got, f)
		}
	}
	if !u.exp.ShouldFire {
		u.got = withoutSiblingFindings(u)
		u.agree = len(u.got) == 0
		return
	}
	lines := map[int]bool{}
	for _, f := range u.got {
		lines[f.Range.Line] = true
	}
	u.agree = len(u.got) > 0
	for _, want := range u.exp.Lines {
		if !lines[want] {
			u.agree = false
		}
	}
	if len(u.exp.Instructions) > 0 && l.File != nil {
		for _, in := range l.File.Instructions {
			if !slices.Contains(u.exp.Instructions, in.Keyword) {
				continue
			}
			r := in.Range.Normalized()
			for _, f := range u.got {
				if f.Range.Line >= r.Line && f.Range.Line <= r.EndLine {
					u.located = true
				}
			}
		}
	}
}

func TestPeerConformance(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := registry(t)
	samples, checks := loadPeerSamples(t, dir)

	// Lint each sample once; every expectation is judged against the same
	// findings.
	results := make([]linted, len(samples))
	parallel(len(samples), func(i int) {
		results[i] = lintSource(reg, samples[i].Name, samples[i].Text, samples[i].BuildArgs)
		if samples[i].Dockerignore != "" {
			results[i] = withBuildContext(t, reg, results[i], &samples[i])
		}
	})

	var units []*unit
	byLabel := map[string]*unit{}
	for i := range samples {
		s := &samples[i]
		l := results[i]
		failed := l.Panic != "" || l.Err != nil
		if failed {
			t.Errorf("%s %s: lint failed: panic=%q err=%v", s.Corpus, s.Name, l.Panic, l.Err)
		}
		for _, f := range l.Findings {
			if strings.Contains(f.Message, "crashed") {
				t.Errorf("%s %s: %s", s.Corpus, s.Name, f.Message)
			}
		}
		for _, e := range s.Expect {
			rules := reg.ByPeer(e.Tool, e.PeerID)
			if len(rules) == 0 {
				continue
			}
			u := &unit{exp: e, sample: s, rules: rules, pending: true}
			for _, r := range rules {
				if !isStub(r) {
					u.pending = false
				}
			}
			if failed {
				// A sample the engine cannot lint agrees with nothing.
				u.failed = true
			} else {
				judge(u, l)
			}
			if byLabel[normCase(e.Label)] != nil {
				t.Errorf("duplicate case label %q", e.Label)
			}
			byLabel[normCase(e.Label)] = u
			units = append(units, u)
		}
	}

	checkDeviations(t, dockerfileDeviations(loadDeviations(t)), byLabel)

	report := peerReport(reg, units, checks)
	t.Log("\n" + report)
	if p := os.Getenv("SHIPSHAPE_CONFORMANCE_REPORT"); p != "" {
		if err := os.WriteFile(p, []byte(report), 0o644); err != nil {
			t.Error(err)
		}
	}

	agree := 0
	for _, u := range units {
		if u.agree {
			agree++
		}
	}
	if len(units) == 0 {
		t.Fatal("no peer check is mapped by any rule")
	}
	if rate := float64(agree) / float64(len(units)); rate < minAgreement {
		t.Errorf("overall agreement %.1f%% (%d/%d mapped cases) is below %.0f%%; see the disagreements above",
			100*rate, agree, len(units), 100*minAgreement)
	}
}

// checkDeviations attaches each deviation to its unit and reports entries
// that are stale: naming no judged case, a different peer, or a case that
// now agrees.
func checkDeviations(t *testing.T, devs []Deviation, byLabel map[string]*unit) {
	t.Helper()
	seen := map[string]string{}
	for i := range devs {
		d := &devs[i]
		key := normCase(d.Case)
		if prev, dup := seen[key]; dup {
			t.Errorf("%s: deviation %q listed twice (also in %s)", d.file, d.Case, prev)
			continue
		}
		seen[key] = d.file
		if strings.TrimSpace(d.Reason) == "" {
			t.Errorf("%s: deviation %q has no reason", d.file, d.Case)
		}
		u, ok := byLabel[key]
		if !ok {
			t.Errorf("%s: stale deviation %q: no such case among the mapped peer cases "+
				"(a typo, a sample that no longer exists, or a peer check no rule maps any more)", d.file, d.Case)
			continue
		}
		if d.Peer != "" && !peerMatches(d.Peer, u.exp.Tool, u.exp.PeerID) {
			t.Errorf("%s: deviation %q names peer %q but the case is %s %s", d.file, d.Case, d.Peer, u.exp.Tool, u.exp.PeerID)
		}
		if u.agree {
			t.Errorf("%s: stale deviation %q: shipshape now agrees with the peer; remove the entry", d.file, d.Case)
			continue
		}
		u.deviation = d
	}
}

// peerReport renders the agreement table, the peer checks that agree least
// and every disagreement.
func peerReport(reg *rule.Registry, units []*unit, checks map[string][]corpus.Check) string {
	var b strings.Builder
	agreementTable(&b, reg, units, checks)
	peerCheckTable(&b, units)
	disagreementList(&b, units)
	return b.String()
}

// agreementTable writes the agreement per corpus and overall.
func agreementTable(b *strings.Builder, reg *rule.Registry, units []*unit, checks map[string][]corpus.Check) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "corpus\tchecks\tmapped\tcoverage\tcases\tagree\tagreement\tpositives\tnegatives\tdeviations\tpending\tagreement excl. pending\t")
	pct := func(a, b int) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	}
	type counts struct{ checks, mapped, cases, agree, pos, posAgree, neg, negAgree, dev, pending, impl, implAgree int }
	line := func(name string, c counts) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t%d\t%s\t%d/%d\t%d/%d\t%d\t%d\t%s\t\n", name, c.checks, c.mapped, pct(c.mapped, c.checks),
			c.cases, c.agree, pct(c.agree, c.cases), c.posAgree, c.pos, c.negAgree, c.neg, c.dev, c.pending, pct(c.implAgree, c.impl))
	}
	var tot counts
	for _, name := range corpora {
		var c counts
		c.checks = len(checks[name])
		for _, ch := range checks[name] {
			if len(reg.ByPeer(ch.Tool, ch.ID)) > 0 {
				c.mapped++
			}
		}
		for _, u := range units {
			if u.exp.Tool != name {
				continue
			}
			c.cases++
			ok := 0
			if u.agree {
				ok = 1
			}
			c.agree += ok
			if u.exp.ShouldFire {
				c.pos++
				c.posAgree += ok
			} else {
				c.neg++
				c.negAgree += ok
			}
			if u.deviation != nil {
				c.dev++
			}
			if u.pending {
				c.pending++
			} else {
				c.impl++
				c.implAgree += ok
			}
		}
		line(name, c)
		tot.checks += c.checks
		tot.mapped += c.mapped
		tot.cases += c.cases
		tot.agree += c.agree
		tot.pos += c.pos
		tot.posAgree += c.posAgree
		tot.neg += c.neg
		tot.negAgree += c.negAgree
		tot.dev += c.dev
		tot.pending += c.pending
		tot.impl += c.impl
		tot.implAgree += c.implAgree
	}
	line("overall", tot)
	tw.Flush()
	b.WriteString("cases: (sample, mapped peer check) pairs; positives/negatives: agreeing/all; " +
		"pending: cases whose mapped rules are all still stubs\n")
}

// peerCheckTable writes the peer checks with disagreements, worst first,
// so that disagreements can be routed to the rule that owns them.
func peerCheckTable(b *strings.Builder, units []*unit) {
	type row struct {
		tool, id, rules              string
		cases, agree, fp, fn, failed int
		pending, mislocated          int
	}
	rows := map[string]*row{}
	for _, u := range units {
		k := u.exp.Tool + " " + u.exp.PeerID
		r := rows[k]
		if r == nil {
			var names []string
			for _, x := range u.rules {
				n := x.ID
				if isStub(x) {
					n += "(stub)"
				}
				names = append(names, n)
			}
			r = &row{tool: u.exp.Tool, id: u.exp.PeerID, rules: strings.Join(names, ",")}
			rows[k] = r
		}
		r.cases++
		switch {
		case u.failed:
			r.failed++
		case u.agree:
			r.agree++
			if len(u.exp.Instructions) > 0 && u.exp.ShouldFire && !u.located {
				r.mislocated++
			}
		case u.exp.ShouldFire:
			r.fn++
		default:
			r.fp++
		}
		if u.pending {
			r.pending++
		}
	}
	var list []*row
	for _, r := range rows {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		di, dj := list[i].cases-list[i].agree, list[j].cases-list[j].agree
		if di != dj {
			return di > dj
		}
		if list[i].tool != list[j].tool {
			return list[i].tool < list[j].tool
		}
		return list[i].id < list[j].id
	})
	b.WriteString("\npeer checks by disagreements (missed = positive not found or not at the expected line; " +
		"extra = fired on a negative; lint failed = the engine could not lint the sample):\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tool\tpeer check\trules\tcases\tagree\tmissed\textra\tlint failed\tnote")
	for _, r := range list {
		if r.agree == r.cases && r.mislocated == 0 {
			continue
		}
		note := ""
		if r.mislocated > 0 {
			note = fmt.Sprintf("%d positive(s) found, but not within an instruction of the type the peer names", r.mislocated)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.tool, r.id, r.rules, r.cases, r.agree, r.fn, r.fp, r.failed, note)
	}
	tw.Flush()
}

// disagreementList writes every disagreeing case with what was found.
func disagreementList(b *strings.Builder, units []*unit) {
	var dis []*unit
	for _, u := range units {
		if !u.agree {
			dis = append(dis, u)
		}
	}
	sort.Slice(dis, func(i, j int) bool { return dis[i].exp.Label < dis[j].exp.Label })
	fmt.Fprintf(b, "\ndisagreements (%d):\n", len(dis))
	for _, u := range dis {
		var got []string
		for _, f := range u.got {
			got = append(got, fmt.Sprintf("%s@%d", f.RuleID, f.Range.Line))
		}
		tag := "DISAGREE"
		switch {
		case u.failed:
			tag = "LINTFAIL"
		case u.deviation != nil:
			tag = "DEVIATION"
		}
		fmt.Fprintf(b, "%s %s should_fire=%v expected_lines=%v got=[%s]", tag, u.exp.Label, u.exp.ShouldFire, u.exp.Lines, strings.Join(got, " "))
		if u.deviation != nil {
			fmt.Fprintf(b, " -- %s", u.deviation.Reason)
		}
		b.WriteByte('\n')
	}
}
