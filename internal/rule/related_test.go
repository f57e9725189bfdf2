package rule

import (
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

func relRule(id string, subs ...Subsumption) *Rule {
	r := testRule(id, func(*Pass) error { return nil })
	r.Subsumes = subs
	return r
}

func TestFoldRelated(t *testing.T) {
	reg := MustRegistry(
		relRule("DF1901", Subsumption{IDs: []string{"DF1902"}, Same: SameLine}, Subsumption{IDs: []string{"DF1903"}, Same: SameInstruction}),
		relRule("DF1902"),
		relRule("DF1903"),
		relRule("RT1901", Subsumption{IDs: []string{"RT1902"}, Same: SameScope}),
		relRule("RT1902"),
	)
	at := func(id, file string, line int, scope string) Finding {
		return Finding{RuleID: id, Message: id + " here", Scope: scope, Location: Location{File: file, Range: loc.Line(line)}}
	}
	// A RUN from line 3 to line 5.
	span := func(file string, line int) (int, int) {
		if file == "Dockerfile" && line >= 3 && line <= 5 {
			return 3, 5
		}
		return line, line
	}
	fs := []Finding{
		at("DF1901", "Dockerfile", 3, "stage a"),
		at("DF1902", "Dockerfile", 3, "stage a"), // same line: folded
		at("DF1902", "Dockerfile", 4, "stage a"), // other line: kept
		at("DF1903", "Dockerfile", 5, "stage a"), // same instruction: folded
		at("DF1903", "Dockerfile", 7, "stage a"), // other instruction: kept
		at("DF1903", "other/Dockerfile", 3, ""),  // other file: kept
		at("RT1901", "compose.yaml", 9, "service web"),
		at("RT1902", "compose.yaml", 4, "service web"), // same service: folded
		at("RT1902", "compose.yaml", 12, "service db"), // other service: kept
	}
	sup := at("DF1902", "Dockerfile", 3, "stage a")
	sup.Suppression = &Suppression{Kind: "inline"}
	fs = append(fs, sup) // suppressed: neither folds nor is folded
	Sort(fs)
	out := FoldRelated(fs, reg, span)
	var got []string
	for _, f := range out {
		var rel []string
		for _, r := range f.Related {
			rel = append(rel, r.RuleID+"@"+r.Range.String())
		}
		got = append(got, f.RuleID+"@"+f.File+":"+f.Range.String()+"["+strings.Join(rel, ",")+"]")
	}
	want := []string{
		"DF1901@Dockerfile:3[DF1902@3,DF1903@5]", "DF1902@Dockerfile:3[]", "DF1902@Dockerfile:4[]", "DF1903@Dockerfile:7[]",
		"RT1901@compose.yaml:9[RT1902@4]", "RT1902@compose.yaml:12[]", "DF1903@other/Dockerfile:3[]",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("folded:\n got %v\nwant %v", got, want)
	}
	if n := len(WithRelated(out)); n != len(fs) {
		t.Errorf("WithRelated gives %d findings, want all %d detections back", n, len(fs))
	}
}

func TestSubsumptionsValidated(t *testing.T) {
	if _, err := NewRegistry(relRule("DF1901", Subsumption{IDs: []string{"DF1999"}, Same: SameLine})); err == nil || !strings.Contains(err.Error(), "unknown rule DF1999") {
		t.Errorf("unknown subsumed rule: %v", err)
	}
	_, err := NewRegistry(relRule("DF1901", Subsumption{IDs: []string{"DF1902"}, Same: SameLine}), relRule("DF1902", Subsumption{IDs: []string{"DF1901"}, Same: SameLine}))
	if err == nil || !strings.Contains(err.Error(), "subsume each other") {
		t.Errorf("mutual subsumption: %v", err)
	}
}

func TestFoldRelatedSameSubject(t *testing.T) {
	reg := MustRegistry(
		relRule("DF1901", Subsumption{IDs: []string{"DF1902", "DF1903"}, Same: SameSubject}),
		relRule("DF1902"),
		relRule("DF1903", Subsumption{IDs: []string{"DF1902"}, Same: SameSubject}),
	)
	about := func(id string, line int, subject string) Finding {
		return Finding{RuleID: id, Message: id, Subject: subject, Location: Location{File: "Dockerfile", Range: loc.Line(line)}}
	}
	// One index stored at line 2: seen where it is stored (DF1902), where
	// a later RUN deletes it (DF1903) and where an install relies on it
	// (DF1901). A finding about another subject or none stays apart.
	fs := []Finding{
		about("DF1902", 2, "index@2"),
		about("DF1903", 3, "index@2"),
		about("DF1901", 9, "index@2"),
		about("DF1902", 5, "index@5"),
		about("DF1902", 6, ""),
		about("DF1903", 7, ""),
	}
	Sort(fs)
	out := FoldRelated(fs, reg, nil)
	var got []string
	for _, f := range out {
		var rel []string
		for _, r := range f.Related {
			rel = append(rel, r.RuleID+"@"+r.Range.String())
		}
		got = append(got, f.RuleID+"@"+f.Range.String()+"["+strings.Join(rel, ",")+"]")
	}
	// DF1903 at line 3 folds DF1902 first; DF1901 then takes it with what
	// it had folded.
	want := "DF1902@5[] DF1902@6[] DF1903@7[] DF1901@9[DF1903@3,DF1902@2]"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("folded:\n got %s\nwant %s", g, want)
	}
}
