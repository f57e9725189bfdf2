package dockerfile_test

import (
	"slices"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

func TestHomeAndCleanPath(t *testing.T) {
	for p, want := range map[string]string{
		"~/.cache/pip":       "~/.cache/pip",
		"$HOME/.npm":         "~/.npm",
		"${HOME}":            "~",
		"/root/.cache//pip/": "~/.cache/pip",
		"/home/app/.m2":      "~/.m2",
		"/var/cache/apk/":    "/var/cache/apk",
		".":                  "",
		"":                   "",
	} {
		if got := dockerfile.CleanPath(p); got != want {
			t.Errorf("CleanPath(%q) = %q, want %q", p, got, want)
		}
	}
	if got := dockerfile.HomePath("/home/app"); got != "~" {
		t.Errorf("HomePath(/home/app) = %q", got)
	}
}

func TestPathCovers(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/var/lib/apt/lists", "/var/lib/apt/lists", true},
		{"/var/lib/apt", "/var/lib/apt/lists", true},
		{"/var/lib/apt/lists/*", "/var/lib/apt/lists", true},
		{"/var/cache/*", "/var/cache/apk", true},
		{"/root/.cache", "~/.cache/pip", true},
		{"/var/lib/apt/lists/partial", "/var/lib/apt/lists", false},
		{"/var/lib/ap", "/var/lib/apt", false},
		{"/tmp/*", "/var/tmp", false},
		{"", "/x", false},
	}
	for _, c := range cases {
		if got := dockerfile.PathCovers(c.pattern, c.path); got != c.want {
			t.Errorf("PathCovers(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestDeletesAndMounted(t *testing.T) {
	f := parse(t, `FROM alpine
ARG CACHE=/var/cache/apk
RUN --mount=type=cache,target=/root/.cache/pip apk add x && rm -rf $CACHE/* $UNKNOWN /tmp/a && find /var/log -name '*.log' -delete
RUN --mount=type=bind,target=/var/cache/dnf dnf install y && find /srv -name x
`)
	rs := runs(f)
	var deleted []string
	for _, c := range rs[0].Script.Commands {
		deleted = append(deleted, rs[0].DeletedPaths(c)...)
	}
	if want := []string{"/var/cache/apk/*", "/tmp/a", "/var/log"}; !slices.Equal(deleted, want) {
		t.Errorf("DeletedPaths = %q, want %q", deleted, want)
	}
	if !rs[0].Deletes("/var/cache/apk") || !rs[0].Deletes("/var/log/dpkg.log") || rs[0].Deletes("/var/cache/dnf") {
		t.Error("Deletes answers wrongly")
	}
	if !rs[0].Script.Mounted("~/.cache/pip") || rs[0].Script.Mounted("/var/cache/apk") {
		t.Error("Mounted answers wrongly on a cache mount")
	}
	if rs[1].Script.Mounted("/var/cache/dnf") || rs[1].Deletes("/srv") {
		t.Error("a bind mount or a find without -delete counts")
	}
	if !rs[0].Discards("/root/.cache/pip") || !rs[0].Discards("/var/cache/apk") || rs[1].Discards("/var/cache/dnf") {
		t.Error("Discards answers wrongly")
	}
}

func TestIsURLAndGitRef(t *testing.T) {
	for s, want := range map[string][2]bool{
		"https://example.com/a.tar.gz":          {true, false},
		"HTTP://example.com/x":                  {true, false},
		"ftp://mirror/x":                        {true, false},
		"https://github.com/a/b.git#v1":         {true, true},
		"git@github.com:a/b.git":                {false, true},
		"ssh://git@host/repo":                   {false, true},
		"git+https://example.com/a":             {false, true},
		"./src":                                 {false, false},
		"s3://bucket/key":                       {false, false},
		"https://github.com/a/b.git?ref=v1&x=y": {true, true},
	} {
		if u, g := dockerfile.IsURL(s), dockerfile.IsGitRef(s); u != want[0] || g != want[1] {
			t.Errorf("%s: IsURL=%v IsGitRef=%v, want %v", s, u, g, want)
		}
	}
}
