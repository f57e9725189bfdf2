package image_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
)

// The image rules are tested as `shipshape image` runs them: every case is
// an image built with imagetest, written as a docker-archive, read by the
// real streaming layer pass (imageread.Open and Scan with the options the
// engine derives from the configuration) and checked by engine.ScanImage.

// fixtureNow is the clock every case runs with.
var fixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// sized pads s with a comment line to exactly n bytes, so that file sizes
// (and the byte counts of size and waste messages) stay round.
func sized(s string, n int) string {
	if pad := n - len(s) - 2; pad >= 0 {
		return s + "#" + strings.Repeat("x", pad) + "\n"
	}
	panic("sized: content longer than its size")
}

const (
	debian12  = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
	nonroot   = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"
	baseLayer = 0 // ADD file:0123abcd in / (os-release, passwd)
	appLayer  = 1 // COPY app /app (the server)
	newLayer  = 2 // the first layer a case appends
)

// clean describes a small, well-behaved image that no rule objects to
// except the two summaries (IM1302 size, IM1500 identity): a non-root
// user, a healthcheck, a named base, Debian 12, no shells. Its files are
// 200 + 100 + 4000 bytes.
func clean() imagetest.Image {
	return imagetest.Image{
		Created: fixtureNow.AddDate(0, -1, 0),
		Config: imagetest.Config{
			User: "10001", Healthcheck: []string{"CMD", "/app/server", "health"},
			Labels:     map[string]string{"org.opencontainers.image.base.name": "gcr.io/distroless/static-debian12"},
			Entrypoint: []string{"/app/server"}, Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin"},
		},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD file:0123abcd in /", Entries: []imagetest.Entry{
				imagetest.File("etc/os-release", sized(debian12, 200)),
				imagetest.File("etc/passwd", sized(nonroot, 100)),
			}},
			{CreatedBy: "COPY app /app # buildkit", Entries: []imagetest.Entry{
				imagetest.File("app/server", "\x7fELF"+strings.Repeat("\x00", 3996)).WithMode(0o755),
			}},
			{CreatedBy: "USER 10001", EmptyLayer: true},
		},
	}
}

// layerAt returns the step of im that produced layer i (empty-layer steps
// do not count).
func layerAt(im *imagetest.Image, i int) *imagetest.Layer {
	for j := range im.Layers {
		if im.Layers[j].EmptyLayer {
			continue
		}
		if i == 0 {
			return &im.Layers[j]
		}
		i--
	}
	panic("no such layer")
}

// add puts entries in layer i of im, replacing entries of the same path.
func add(im *imagetest.Image, i int, es ...imagetest.Entry) {
	l := layerAt(im, i)
	for _, e := range es {
		remove(im, i, e.Path)
		l.Entries = append(l.Entries, e)
	}
}

// remove takes path p out of layer i of im.
func remove(im *imagetest.Image, i int, p string) {
	l := layerAt(im, i)
	kept := l.Entries[:0:0]
	for _, e := range l.Entries {
		if e.Path != p {
			kept = append(kept, e)
		}
	}
	l.Entries = kept
}

// appendLayer adds a layer made by instruction with entries.
func appendLayer(im *imagetest.Image, instruction string, es ...imagetest.Entry) {
	im.Layers = append(im.Layers, imagetest.Layer{CreatedBy: instruction, Entries: es})
}

// want is one expected finding: its message (a regexp), and the layer
// index (-1: the configuration), path and, when set, instruction of its
// image location.
type want struct {
	msg   string
	layer int
	path  string
	instr string
}

// via sets the instruction the finding must name.
func (w want) via(instr string) want { w.instr = instr; return w }

// inConfig is a finding about the configuration.
func inConfig(msg string) want { return want{msg: msg, layer: -1} }

// at is a finding about path p of layer.
func at(msg string, layer int, p string) want { return want{msg: msg, layer: layer, path: p} }

type tcase struct {
	name string
	// edit changes the description of the clean image before it is built.
	edit     func(im *imagetest.Image)
	settings map[string]any
	// scanned, when set, changes the scanned image before the rules run,
	// as the engine does with verdicts it fetched (signatures).
	scanned func(img *image.Image)
	// want lists the rule's expected findings; none means the rule must
	// stay quiet.
	want []want
}

// cases are the fixtures of every rule: configuration and history rules
// in config_cases_test.go, file rules in file_cases_test.go.
var cases = merge(configCases, fileCases, contentCases)

func merge(ms ...map[string][]tcase) map[string][]tcase {
	out := map[string][]tcase{}
	for _, m := range ms {
		for id, cs := range m {
			out[id] = append(out[id], cs...)
		}
	}
	return out
}

// scanRef reads ref with the real pass and runs the image rules over it,
// as `shipshape image --no-cache` does with every scanner selected.
func scanRef(t *testing.T, reg *rule.Registry, cfg *config.Config, ref string, hooks ...func(*image.Image)) []rule.Finding {
	t.Helper()
	ctx := context.Background()
	src, err := imageread.Open(ctx, ref, imageread.OpenOptions{NoDaemon: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	opts := engine.ImageScanOptions(reg, cfg, nil)
	opts.NoCache = true
	img, err := imageread.Scan(ctx, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		h(img)
	}
	return engine.ScanImage(ctx, img, reg, cfg, nil, fixtureNow)
}

// runCase builds a case's image and returns the findings of rule id, and
// the reference the image was read from.
func runCase(t *testing.T, reg *rule.Registry, id string, c tcase) ([]rule.Finding, string) {
	t.Helper()
	im := clean()
	if c.edit != nil {
		c.edit(&im)
	}
	ref := "docker-archive:" + imagetest.DockerArchive(t, imagetest.Build(t, im), "")
	cfg := config.Default()
	if c.settings != nil {
		cfg.Rules[id] = config.RuleConfig{Settings: c.settings}
	}
	var hooks []func(*image.Image)
	if c.scanned != nil {
		hooks = append(hooks, c.scanned)
	}
	var out []rule.Finding
	for _, f := range scanRef(t, reg, cfg, ref, hooks...) {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out, ref
}

// run returns the findings of rule id on a case's image.
func run(t *testing.T, reg *rule.Registry, id string, c tcase) []rule.Finding {
	t.Helper()
	fs, _ := runCase(t, reg, id, c)
	return fs
}

func TestRegistryIsValid(t *testing.T) {
	if _, err := imrules.Registry(); err != nil {
		t.Fatal(err)
	}
}

func TestRules(t *testing.T) {
	reg, err := imrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	for id := range cases {
		if _, ok := reg.Get(id); !ok {
			t.Errorf("cases for %s, which is no image rule", id)
		}
	}
	for _, r := range reg.All() {
		t.Run(r.ID, func(t *testing.T) {
			bad, ok := 0, 0
			for _, c := range cases[r.ID] {
				if len(c.want) > 0 {
					bad++
				} else {
					ok++
				}
				got, ref := runCase(t, reg, r.ID, c)
				check(t, c, got, ref)
				for _, f := range got {
					if !r.Allows(f.Severity) {
						t.Errorf("%s: %s reports %s, which is neither its severity (%s) nor one of its Levels", c.name, r.ID, f.Severity, r.Severity)
					}
				}
			}
			if bad == 0 || ok == 0 {
				t.Errorf("rule %s needs cases that fire and cases that stay quiet (have %d, %d)", r.ID, bad, ok)
			}
		})
	}
}

// check matches findings to wants one to one: message, layer and path.
func check(t *testing.T, c tcase, got []rule.Finding, ref string) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range c.want {
		re := regexp.MustCompile(w.msg)
		hit := false
		for i, f := range got {
			if !used[i] && re.MatchString(f.Message) && f.Image != nil && f.Image.LayerIndex == w.layer && f.Image.Path == w.path &&
				(w.instr == "" || f.Image.Instruction == w.instr) {
				used[i], hit = true, true
				break
			}
		}
		if !hit {
			t.Errorf("%s: missing finding %q at layer %d %q; got %v", c.name, w.msg, w.layer, w.path, describe(got))
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("%s: unexpected finding %s", c.name, describe(got[i:i+1]))
		}
		if f.Image == nil || f.Image.Image != ref {
			t.Errorf("%s: finding without image location: %+v", c.name, f)
		}
	}
}

// describe lists findings with their locations, for failure messages.
func describe(fs []rule.Finding) []string {
	var out []string
	for i, m := range messages(fs) {
		if f := fs[i]; f.Image != nil {
			m += " @layer " + strconv.Itoa(f.Image.LayerIndex) + " " + f.Image.Path
		}
		out = append(out, m)
	}
	return out
}

func messages(fs []rule.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Message)
	}
	return out
}
