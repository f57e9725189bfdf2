package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// scanFlags are shared by every scanning command (docs/contract.md).
type scanFlags struct {
	format   string
	severity string
	failOn   string
	config   string
	db       string
	output   string
	color    string
	baseline string
	// base is --baseline read, by checkFormat, before any work is done.
	base *engine.Baseline
}

func (f *scanFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVar(&f.severity, "severity", "", "only show findings of these severities (comma list, e.g. critical,high)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a shown, unsuppressed finding is at or above this severity: critical, high, medium, low, info, none (default high, or fail-on from .shipshape.yaml)")
	fl.StringVar(&f.config, "config", "", "use this config file instead of discovering .shipshape.yaml")
	fl.StringVar(&f.db, "db", "", "vulnerability database path (accepted by every scanning command; lint reads no vulnerability data)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file (written atomically) instead of stdout")
	fl.StringVar(&f.color, "color", "auto", "colour in text output: auto (only on a terminal), always, never")
	fl.StringVar(&f.baseline, "baseline", "", "a previous JSON report (shipshape baseline): its findings are marked suppressed and only new ones count")
}

// severityFilter parses --severity.
func (f *scanFlags) severityFilter() (map[rule.Severity]bool, error) {
	if strings.TrimSpace(f.severity) == "" {
		return nil, nil
	}
	m := map[rule.Severity]bool{}
	for _, s := range strings.Split(f.severity, ",") {
		v, err := rule.ParseSeverity(s)
		if err != nil {
			return nil, usageErr("--severity: %v", err)
		}
		m[v] = true
	}
	return m, nil
}

// gate parses --fail-on, falling back to the config's fail-on, then high.
// Zero means never fail.
func (f *scanFlags) gate(cfgDefault string) (rule.Severity, error) {
	v := f.failOn
	if v == "" {
		v = cfgDefault
	}
	if v == "" {
		return rule.High, nil
	}
	if strings.EqualFold(v, "none") {
		return 0, nil
	}
	s, err := rule.ParseSeverity(v)
	if err != nil {
		return 0, usageErr("--fail-on: %v", err)
	}
	return s, nil
}

func (f *scanFlags) checkFormat() error {
	b, err := readBaseline(f.baseline)
	if err != nil {
		return err
	}
	f.base = b
	for _, x := range report.Formats {
		if strings.EqualFold(f.format, x) {
			return nil
		}
	}
	return usageErr("--format: unknown format %q (want %s)", f.format, strings.Join(report.Formats, ", "))
}

// finder builds the config finder, honouring --config.
func (f *scanFlags) finder(reg *rule.Registry) (*config.Finder, error) {
	fd := config.NewFinder(reg)
	if f.config != "" {
		c, err := config.Load(f.config, reg)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		fd.Fixed = c
	}
	return fd, nil
}

// emit renders the report to stdout or, with --output, to a file written
// through a temporary file and rename so that it is complete or absent.
func (f *scanFlags) emit(e *env, rep *report.Report) error {
	var buf chunks
	if err := report.Write(&buf, f.format, rep); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if f.output == "" {
		return buf.writeTo(e.stdout)
	}
	return writeAtomic("report", f.output, buf.bytes())
}

// chunks holds a rendered report in pieces of up to chunkSize bytes until it
// is complete. A bytes.Buffer doubled its way to the size of a large report
// (8 MB of JSON for the real-world corpus), allocating, faulting in and
// copying about four times that in the serial end of a lint.
type chunks struct {
	list [][]byte
	n    int
}

const chunkSize = 256 << 10

func (c *chunks) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(c.list) == 0 || len(c.list[len(c.list)-1]) == chunkSize {
			c.list = append(c.list, make([]byte, 0, chunkSize))
		}
		last := &c.list[len(c.list)-1]
		k := min(len(p), chunkSize-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
	c.n += n
	return n, nil
}

// writeTo writes the pieces in order; it stops at the first error.
func (c *chunks) writeTo(w io.Writer) error {
	if len(c.list) == 0 {
		// As before: one (empty) write.
		_, err := w.Write(nil)
		return err
	}
	for _, b := range c.list {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// bytes returns the whole report in one slice.
func (c *chunks) bytes() []byte {
	if len(c.list) == 1 {
		return c.list[0]
	}
	out := make([]byte, 0, c.n)
	for _, b := range c.list {
		out = append(out, b...)
	}
	return out
}

// writeAtomic writes data through a temporary file in the same directory
// renamed into place, so that a report or SBOM file is complete or absent.
//
// A name that exists and is not a regular file (/dev/null, /dev/stdout, a
// FIFO or a process substitution) is written to directly: renaming over
// it would replace the device with a file.
func writeAtomic(what, name string, data []byte) error {
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write %s %s: %w", what, name, err)}
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".shipshape-*")
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write %s %s: %w", what, name, err)}
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return &exitError{code: ExitError, err: fmt.Errorf("write %s %s: %w", what, name, werr)}
	}
	return nil
}

// newReport is the report of an engine result: the findings --severity
// shows, the run's notifications and the gate. Text on stdout leaves the
// notifications out, since they were printed to stderr already; text
// written with --output keeps them.
func newReport(e *env, sf *scanFlags, res *engine.Result, filter map[rule.Severity]bool, gate rule.Severity) *report.Report {
	if sf.base != nil {
		n := sf.base.Apply(res.Findings)
		fmt.Fprintf(e.stderr, "shipshape: %d finding(s) accepted by the baseline %s\n", n, sf.base.Source)
	}
	shown := res.Findings[:0:0]
	if res.Findings != nil {
		// Sized once: appending 10,000 findings one by one copied them
		// over and over in the serial end of a lint.
		shown = make([]rule.Finding, 0, len(res.Findings))
	}
	for _, f := range res.Findings {
		if filter == nil || filter[f.Severity] {
			shown = append(shown, f)
		}
	}
	rep := &report.Report{
		Tool: "shipshape", Version: e.build.Version, Findings: shown, Files: res.Files,
		Notifications: res.Notifications, Rules: e.rules, Gate: gate, Incomplete: res.Incomplete(),
		Color: sf.output == "" && colorWanted(sf.color, e.stdout),
	}
	if strings.EqualFold(sf.format, "text") && sf.output == "" {
		rep.Notifications = nil
	}
	return rep
}
