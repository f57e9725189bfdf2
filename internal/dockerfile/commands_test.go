package dockerfile_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

func TestUnwrapped(t *testing.T) {
	f := parse(t, "FROM alpine\nRUN [\"sudo\", \"-u\", \"app\", \"apk\", \"add\", \"x\"]\nRUN [\"sudo yum\", \"install\"]\nRUN [\"env\"]\nRUN sudo apk add y\n")
	rs := runs(f)
	got := func(in *dockerfile.Instruction) []string {
		var out []string
		for _, c := range in.Script.Unwrapped() {
			out = append(out, c.Name+" "+strings.Join(c.Args, " "))
		}
		return out
	}
	if g := got(rs[0]); !slices.Equal(g, []string{"apk add x"}) {
		t.Errorf("exec sudo -u: %v", g)
	}
	if g := got(rs[1]); !slices.Equal(g, []string{"yum install"}) {
		t.Errorf("exec \"sudo yum\": %v", g)
	}
	if g := got(rs[2]); len(g) != 0 {
		t.Errorf("exec env alone: %v", g)
	}
	if u := rs[3].Script.Unwrapped(); len(u) != 1 || u[0] != rs[3].Script.Commands[0] {
		t.Error("shell form: Unwrapped is not the model's own command list")
	}
	if rs[0].Script.Commands[0].Name != "sudo" {
		t.Error("Unwrapped modified the shared model")
	}
}

func TestSubshell(t *testing.T) {
	_, cs := firstRun(t, parse(t, "FROM alpine\nRUN (cd /x && make) && cd /y && sh -c '(cd /z)'\n"))
	var got []string
	for _, c := range cs {
		if c.Subshell {
			got = append(got, strings.TrimSpace(c.Name+" "+strings.Join(c.Args, " ")))
		}
	}
	if !slices.Equal(got, []string{"cd /x", "make", "cd /z"}) {
		t.Errorf("commands in subshells = %v", got)
	}
}

func TestFlagIndex(t *testing.T) {
	_, cs := firstRun(t, parse(t, "FROM alpine\nRUN apt-get -qy --allow-unauthenticated=1 install x -- -y\n"))
	c := cs[0]
	for flags, want := range map[string]int{"-y": 0, "--allow-unauthenticated": 1, "--yes": -1, "-x": -1} {
		if got := c.FlagIndex(flags); got != want {
			t.Errorf("FlagIndex(%s) = %d, want %d", flags, got, want)
		}
	}
}

func TestWordsAndStripWrappers(t *testing.T) {
	_, cs := firstRun(t, parse(t, "FROM alpine\nRUN echo \"a\\$b\" 'c d' e\\ f $(id)\n"))
	if got, want := dockerfile.Words(cs[0].Call()), []string{"echo", "a$b", "c d", "e f", "$(id)"}; !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if got := dockerfile.WordText(cs[0].Call().Args[2]); got != "c d" {
		t.Errorf("WordText = %q", got)
	}
	for argv, want := range map[string]string{
		"sudo -u app env A=1 curl x": "curl x",
		"nice -n 5 make":             "make",
		"gosu app sh -c x":           "sh -c x",
		"curl x":                     "curl x",
		"sudo":                       "",
	} {
		if got := strings.Join(dockerfile.StripWrappers(strings.Fields(argv)), " "); got != want {
			t.Errorf("StripWrappers(%s) = %q, want %q", argv, got, want)
		}
	}
}

func TestWrites(t *testing.T) {
	cases := map[string][]string{
		"echo x > /a 2>/dev/null >> /b":          {"/a", "/b"},
		"echo x 1>/c &> /d":                      {"/c", "/d"},
		"echo x | tee -a /e | tee /f >/dev/null": {"/e", "/f"},
		"echo x 2>/g":                            nil,
		"echo x":                                 nil,
	}
	for line, want := range cases {
		_, cs := firstRun(t, parse(t, "FROM alpine\nRUN "+line+"\n"))
		if got := cs[0].Writes(); !slices.Equal(got, want) {
			t.Errorf("%s: Writes = %q, want %q", line, got, want)
		}
	}
}

func TestWrittenText(t *testing.T) {
	cases := []struct {
		line, text string
		files      []string
		ok         bool
	}{
		{"echo sslverify=0 >> /etc/yum.conf", "sslverify=0", []string{"/etc/yum.conf"}, true},
		{"sed -i -e s/a/b/ -e s/c/d/ /etc/x /etc/y", "s/a/b/\ns/c/d/", []string{"/etc/x", "/etc/y"}, true},
		{"sed -i.bak s/a/b/ /etc/z", "s/a/b/", []string{"/etc/z"}, true},
		{"cat <<EOF > /etc/apt/apt.conf.d/x\nAcquire::Check-Valid-Until false;\nEOF", "Acquire::Check-Valid-Until false;\n", []string{"/etc/apt/apt.conf.d/x"}, true},
		{"echo sslverify=0", "", nil, false},
		{"sed s/a/b/ /etc/x", "", nil, false},
		{"cat /etc/x > /etc/y", "", nil, false},
	}
	for _, c := range cases {
		_, cs := firstRun(t, parse(t, "FROM alpine\nRUN "+c.line+"\n"))
		text, files, ok := cs[0].WrittenText()
		if text != c.text || !slices.Equal(files, c.files) || ok != c.ok {
			t.Errorf("%q: WrittenText = %q %q %v, want %q %q %v", c.line, text, files, ok, c.text, c.files, c.ok)
		}
	}
	_, cs := firstRun(t, parse(t, "FROM alpine\nRUN cat <<EOF | sh\nid\nEOF\n"))
	if docs := cs[0].Heredocs(); len(docs) != 1 || docs[0] != "id\n" {
		t.Errorf("Heredocs = %q", docs)
	}
}

func TestAptOptionsAndSetopts(t *testing.T) {
	_, cs := firstRun(t, parse(t, "FROM alpine\nRUN apt-get -o A=1 -oB=2 --option C=3 --option=D=4 -q install x && dnf --setopt=a=1 --setopt b=2 -y install y\n"))
	want := []dockerfile.CmdOption{{Index: 0, Value: "A=1"}, {Index: 2, Value: "B=2"}, {Index: 3, Value: "C=3"}, {Index: 5, Value: "D=4"}}
	if got := cs[0].AptOptions(); !slices.Equal(got, want) {
		t.Errorf("AptOptions = %v, want %v", got, want)
	}
	if got := cs[1].AptOptions(); len(got) != 0 {
		t.Errorf("dnf has apt options %v", got)
	}
	wantSet := []dockerfile.CmdOption{{Index: 0, Value: "a=1"}, {Index: 1, Value: "b=2"}}
	if got := cs[1].Setopts(); !slices.Equal(got, wantSet) {
		t.Errorf("Setopts = %v, want %v", got, wantSet)
	}
	if got := cs[0].Setopts(); len(got) != 0 {
		t.Errorf("apt-get has setopts %v", got)
	}
}

func TestExpandKnown(t *testing.T) {
	f := parse(t, "FROM alpine\nARG DIR=/opt\nARG EMPTY\nENV PKGS=\"a b\"\nRUN x\n")
	in, _ := firstRun(t, f)
	cases := []struct {
		word, want string
		ok         bool
	}{
		{"$DIR/bin", "/opt/bin", true},
		{"${DIR}", "/opt", true},
		{"plain", "plain", true},
		{"$EMPTY/x", "$EMPTY/x", false},
		{"$HOME/x", "$HOME/x", false},
		{"$(pwd)", "$(pwd)", false},
	}
	for _, c := range cases {
		got, ok := in.ExpandKnown(c.word)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ExpandKnown(%q) = %q %v, want %q %v", c.word, got, ok, c.want, c.ok)
		}
		if r := in.Resolve(c.word); r != c.want {
			t.Errorf("Resolve(%q) = %q, want %q", c.word, r, c.want)
		}
	}
	c := &dockerfile.Cmd{Name: "apk", Args: []string{"add", "$PKGS", "${DIR}/x.apk", "$nope"}}
	x, unknown := in.ExpandCmd(c)
	if !unknown || !slices.Equal(x.Args, []string{"add", "a", "b", "/opt/x.apk", "$nope"}) {
		t.Errorf("ExpandCmd = %q unknown=%v", x.Args, unknown)
	}
	if len(c.Args) != 4 {
		t.Error("ExpandCmd modified its input")
	}
	if _, unknown := in.ExpandCmd(&dockerfile.Cmd{Args: []string{"$DIR"}}); unknown {
		t.Error("ExpandCmd of known variables reports unknown")
	}
}

func TestScopeValue(t *testing.T) {
	f := parse(t, "FROM alpine\nARG A=1\nARG B\nRUN x\n")
	in, _ := firstRun(t, f)
	if v, ok := in.Vars.Value("A"); !ok || v != "1" {
		t.Errorf("Value(A) = %q %v", v, ok)
	}
	for _, n := range []string{"B", "C"} {
		if _, ok := in.Vars.Value(n); ok {
			t.Errorf("Value(%s) has a value", n)
		}
	}
}

func TestYarnSubcommand(t *testing.T) {
	for line, want := range map[string]string{"yarn": "install", "yarn --cwd app add x": "add", "yarn --version": "", "yarn install --frozen-lockfile": "install"} {
		_, cs := firstRun(t, parse(t, "FROM alpine\nRUN "+line+"\n"))
		if got, _ := cs[0].YarnSubcommand("--cwd"); got != want {
			t.Errorf("%s: YarnSubcommand = %q, want %q", line, got, want)
		}
	}
}

func TestNumericFlagValue(t *testing.T) {
	for line, want := range map[string]string{
		"useradd -u 10001 app":     "10001",
		"useradd --uid=7 app":      "7",
		"useradd -u10001 app":      "10001",
		"mkdir -m0777 -m0755 /x":   "0755",
		"useradd -ufoo app":        "",
		"useradd --user-group app": "",
	} {
		_, cs := firstRun(t, parse(t, "FROM alpine\nRUN "+line+"\n"))
		flag, long := "-u", "--uid"
		if cs[0].Name == "mkdir" {
			flag, long = "-m", "--mode"
		}
		got, ok := cs[0].NumericFlagValue(flag, long)
		if got != want || ok != (want != "") {
			t.Errorf("%s: NumericFlagValue = %q %v, want %q", line, got, ok, want)
		}
	}
}
