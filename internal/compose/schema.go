package compose

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// compose-go reports one schema violation per file: the most specific
// one of the validator's error tree. Among violations equally specific
// (two services with the same mistake) the one it reports depends on the
// order the validator walked a Go map in, so the same file gave a
// different finding, line and fingerprint from run to run. steadyViolation
// makes that choice stable: of the violations compose-go could have
// reported, the one it reports when it meets them in the file's order.

// composeSchema is compose-go's own schema, compiled once per process; it
// never changes after that.
var composeSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.Schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("compose-spec.json", doc); err != nil {
		return nil, err
	}
	// compose-go checks this format with time.ParseDuration; the message
	// choice only needs the violations compose-go could report, and a
	// duration it rejects would be one of them.
	c.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: func(any) error { return nil }})
	return c.Compile("compose-spec.json")
})

// steadyViolation returns msg, compose-go's message for file f, or, when
// compose-go could as well have reported another violation, the one
// compose-go reports when the validator's causes are taken in the order
// of the file. msg stands when the file as decoded here does not show it
// among its most specific violations (an include or extends changed what
// compose-go validated).
func (l *load) steadyViolation(f *yfile, msg string) string {
	verr := l.validate(f)
	if verr == nil {
		return msg
	}
	var leaves []*jsonschema.ValidationError
	top := -1
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		for _, c := range e.Causes {
			walk(c)
		}
		if len(e.Causes) > 0 {
			return
		}
		switch s := specificity(e); {
		case s > top:
			top, leaves = s, []*jsonschema.ValidationError{e}
		case s == top:
			leaves = append(leaves, e)
		}
	}
	walk(verr)
	if !slices.ContainsFunc(leaves, func(e *jsonschema.ValidationError) bool { return violationMessage(e) == msg }) {
		return msg
	}
	return violationMessage(l.mostSpecific(verr))
}

// mostSpecific is compose-go's choice of the violation to report (the
// first of the deepest), with each node's causes in the order of the
// file rather than of a map; causes at one place keep the validator's
// order, which follows the schema.
func (l *load) mostSpecific(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return e
	}
	type placed struct {
		e    *jsonschema.ValidationError
		line int
		col  int
		path string
	}
	causes := make([]placed, len(e.Causes))
	for i, c := range e.Causes {
		pos, _ := l.locatePath(c.InstanceLocation)
		causes[i] = placed{c, pos.Range.Line, pos.Range.Col, strings.Join(c.InstanceLocation, "\x00")}
	}
	slices.SortStableFunc(causes, func(a, b placed) int {
		if a.line != b.line {
			return a.line - b.line
		}
		if a.col != b.col {
			return a.col - b.col
		}
		return strings.Compare(a.path, b.path)
	})
	var best *jsonschema.ValidationError
	for _, c := range causes {
		m := l.mostSpecific(c.e)
		if best == nil || specificity(m) > specificity(best) {
			best = m
		}
	}
	return best
}

// validate validates one file, as compose-go sees it before validating
// (decoded, v1 lifted, interpolated), against compose-go's schema; nil
// when it is valid or cannot be prepared.
func (l *load) validate(f *yfile) *jsonschema.ValidationError {
	sch, err := composeSchema()
	if err != nil || f.root == nil {
		return nil
	}
	m, err := decodeNode(f.root)
	if err != nil || m == nil {
		return nil
	}
	if f.lifted {
		liftV1(m)
		m = map[string]any{"services": m}
	}
	if im, err := interp.Interpolate(m, interp.Options{Substitute: l.substitute, LookupValue: l.lookupEnv}); err == nil {
		m = im
	} else {
		m = l.interpolateAll(m).(map[string]any)
	}
	// The validator wants JSON's types, as compose-go gives it.
	data, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(sch.Validate(raw), &verr) {
		return nil
	}
	return verr
}

// specificity ranks a violation as compose-go does: deeper is more
// specific, and an unexpected property outranks its siblings.
func specificity(e *jsonschema.ValidationError) int {
	if _, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
		return len(e.InstanceLocation) + 1
	}
	return len(e.InstanceLocation)
}

// violationMessage words a violation as compose-go's schema package does.
func violationMessage(e *jsonschema.ValidationError) string {
	path := strings.Join(e.InstanceLocation, ".")
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return fmt.Sprintf("%s must be a %s", path, typeWords(slices.Clone(k.Want)))
	case *kind.Minimum:
		return fmt.Sprintf("%s must be greater than or equal to %s", path, k.Want.Num())
	case *kind.Maximum:
		return fmt.Sprintf("%s must be less than or equal to %s", path, k.Want.Num())
	}
	return fmt.Sprintf("%s %s", path, e.ErrorKind.LocalizedString(message.NewPrinter(language.English)))
}

// typeWords names JSON types as compose-go does: "object" is a mapping,
// several are listed sorted.
func typeWords(want []string) string {
	for i, s := range want {
		if s == "object" {
			want[i] = "mapping"
		}
	}
	if len(want) == 1 {
		return want[0]
	}
	slices.Sort(want)
	return strings.Join(want[:len(want)-1], ", ") + " or " + want[len(want)-1]
}
