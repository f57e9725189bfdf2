package fixproof

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// reviewProof is one Dockerfile of the fix proof: built before and after
// `shipshape fix --apply --level review`, its smoke command (the image's
// own CMD/ENTRYPOINT) run in both, and both images scanned.
type reviewProof struct {
	name       string
	dockerfile string // BASE stands for the base image
	// want are texts the fixed Dockerfile must hold, gone texts it must
	// not hold any more.
	want, gone []string
	// scratch cases COPY the static hello binary instead of run.sh.
	scratch bool
	// buildKit cases use RUN --mount after the fix and build only where
	// BuildKit works; buildArgs are given before the fix, secretEnv
	// passed as a secret after it.
	buildKit  bool
	buildArgs []string
	secretEnv []string
}

// runScript is the smoke command of the shell cases: it reads what the
// build wrote, as any program would, and exits 3 so that the exit code is
// compared too.
const runScript = `#!/bin/sh
echo "args: $*"
cat /app/greeting.txt
if [ -f /app/data.bin ]; then sha256sum /app/data.bin; fi
if [ -f /app/len.txt ]; then cat /app/len.txt; fi
exit 3
`

// helloGo is the static binary of the scratch case.
const helloGo = `package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from scratch", len(os.Args))
	os.Exit(3)
}
`

// eolAlias is the end-of-life reference of the DF1204 case. Nothing can be
// pulled here, so it and the tag the fix moves it to are local names of
// the same bookworm base: the case proves the rewritten reference builds,
// and that the findings about the old release go, not how a newer
// release behaves.
const eolAlias = "public.ecr.aws/docker/library/debian:buster-slim"

func reviewProofs() []reviewProof {
	return []reviewProof{
		{name: "apt-recommends", dockerfile: "FROM BASE\nRUN apt-get install -y sed coreutils\nCOPY run.sh greeting.txt /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"apt-get install --no-install-recommends -y sed", "USER app"}},
		{name: "user-after-last-run", dockerfile: "FROM BASE\nWORKDIR /app\nCOPY run.sh greeting.txt ./\nRUN head -c 4096 /dev/zero | tr '\\0' x > data.bin && chmod 0644 data.bin\nCMD [\"/app/run.sh\"]\n",
			want: []string{"chmod 0644 data.bin\nRUN groupadd --system --gid 10001 app", "USER app"}},
		{name: "last-user-root", dockerfile: "FROM BASE\nUSER root\nRUN mkdir -p /app && echo hello > /app/greeting.txt\nCOPY run.sh /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"USER root\nRUN mkdir -p /app && echo hello > /app/greeting.txt\nRUN groupadd", "USER app"}},
		{name: "existing-account", dockerfile: "FROM BASE\nRUN useradd --system --no-log-init -u 2000 worker\nCOPY run.sh greeting.txt /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"USER worker"}, gone: []string{"groupadd"}},
		{name: "multi-stage", dockerfile: "FROM BASE AS build\nRUN mkdir /out && echo built > /out/greeting.txt\nFROM BASE\nCOPY --from=build /out/greeting.txt /app/greeting.txt\nCOPY run.sh /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"USER app\nCMD"}},
		{name: "scratch", scratch: true, dockerfile: "FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n",
			want: []string{"USER 10001:10001\nENTRYPOINT"}},
		{name: "eol-base", dockerfile: "FROM " + eolAlias + "\nRUN mkdir -p /app && echo eol > /app/greeting.txt\nCOPY run.sh /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"FROM public.ecr.aws/docker/library/debian:", "USER app"}, gone: []string{"buster"}},
		{name: "unused-secret-arg", dockerfile: "FROM BASE\nRUN mkdir -p /app && echo hi > /app/greeting.txt\nCOPY run.sh /app/\nARG API_TOKEN\nCMD [\"/app/run.sh\"]\n",
			want: []string{"USER app"}, gone: []string{"ARG API_TOKEN"}},
		{name: "entrypoint-and-args", dockerfile: "FROM BASE\nCOPY run.sh greeting.txt /app/\nENTRYPOINT [\"/app/run.sh\"]\nCMD [\"one\", \"two\"]\n",
			want: []string{"COPY run.sh greeting.txt /app/\nRUN groupadd", "USER app\nENTRYPOINT"}},
		{name: "root-again-after-account", dockerfile: "FROM BASE\nRUN useradd --system --no-log-init svc\nUSER svc\nUSER 0\nCOPY run.sh greeting.txt /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"USER 0\nUSER svc\nCOPY"}},
		{name: "secret-mount", buildKit: true, dockerfile: "FROM BASE\nARG NPM_TOKEN\nRUN mkdir -p /app && echo \"token length ${#NPM_TOKEN}\" > /app/len.txt\nCOPY run.sh greeting.txt /app/\nCMD [\"/app/run.sh\"]\n",
			want: []string{"RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN mkdir"}, gone: []string{"ARG NPM_TOKEN"},
			buildArgs: []string{"--build-arg", "NPM_TOKEN=s3cr3t-value"}, secretEnv: []string{"NPM_TOKEN=s3cr3t-value"}},
	}
}

// TestReviewFixesKeepImagesWorking is the Docker Engine proof of the
// review fixes: Dockerfiles on a debootstrap bookworm base are built
// before and after `shipshape fix --apply --level review`; each image's
// smoke command gives the same exit code and output in both, and
// `shipshape image` reports fewer findings (at low and above) on the fixed
// build, none of a rule it did not report before. The repository's
// examples are not among them: they build FROM node images, which cannot
// be pulled here.
func TestReviewFixesKeepImagesWorking(t *testing.T) {
	if err := exec.Command("docker", "info").Run(); err != nil {
		skipOrFail(t, "no Docker Engine reachable (docker info failed)")
	}
	root := corpus.BookwormRootfs(t)
	// Every case's image shares the base layer: a result cache of the
	// run's own lets `shipshape image` read it once rather than 20 times.
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	id := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
	// "bookworm" in the name tells the fixes the base is Debian, as a
	// real debian:bookworm reference would.
	base := "shipshape-fixreview-bookworm:" + id
	importBase(t, root, base)
	hello := buildHello(t)
	buildKit := buildKitWorks(t, base)

	var mu sync.Mutex
	var before, after int
	for _, c := range reviewProofs() {
		t.Run(c.name, func(t *testing.T) {
			if c.buildKit && !buildKit {
				t.Skip("BuildKit does not work here (DOCKER_BUILDKIT=1 docker build fails: no buildx), so RUN --mount=type=secret cannot be built; the secret fix is proven by its fixture tests only")
			}
			t.Parallel()
			if strings.Contains(c.dockerfile, eolAlias) {
				tagOnce(t, base, eolAlias)
			}
			dir := t.TempDir()
			writeCase(t, dir, c, base, hello)
			tagBefore := "shipshape-fixreview-case:" + c.name + "-before-" + id
			tagAfter := "shipshape-fixreview-case:" + c.name + "-after-" + id
			dockerBuild(t, dir, tagBefore, c.buildKit, c.buildArgs, nil)
			outBefore, codeBefore := smoke(t, tagBefore)

			fixed := fixReview(t, filepath.Join(dir, "Dockerfile"))
			for _, w := range c.want {
				if !strings.Contains(fixed, w) {
					t.Errorf("fixed Dockerfile lacks %q:\n%s", w, fixed)
				}
			}
			for _, g := range c.gone {
				if strings.Contains(fixed, g) {
					t.Errorf("fixed Dockerfile still holds %q:\n%s", g, fixed)
				}
			}
			for _, ref := range fromRefs(fixed) {
				if strings.HasPrefix(ref, "public.ecr.aws/docker/library/debian:") {
					tagOnce(t, base, ref)
				}
			}
			dockerBuild(t, dir, tagAfter, c.buildKit, nil, c.secretEnv)
			outAfter, codeAfter := smoke(t, tagAfter)
			if codeBefore != codeAfter || outBefore != outAfter {
				t.Errorf("smoke command differs after the fix:\nbefore (exit %d):\n%s\nafter (exit %d):\n%s", codeBefore, outBefore, codeAfter, outAfter)
			}

			// Findings at low and above, what a gate counts: creating the
			// account rewrites /etc/passwd in a later layer, which the
			// info-level IM1301 reports as a few reclaimable kB.
			scan := func(tag string) []jsonFinding {
				return shipshape(t, "image", "--scanners", "config,secret,files,bloat", "--severity", "critical,high,medium,low", "docker:"+tag)
			}
			fb, fa := scan(tagBefore), scan(tagAfter)
			if len(fa) >= len(fb) {
				t.Errorf("shipshape image: %d findings after the fix, %d before", len(fa), len(fb))
			}
			had := map[string]bool{}
			for _, f := range fb {
				had[f.RuleID] = true
			}
			for _, f := range fa {
				if !had[f.RuleID] {
					t.Errorf("the fixed image has a finding of a new rule: %s %s", f.RuleID, f.Message)
				}
			}
			t.Logf("%s: smoke exit %d both; image findings %d -> %d", c.name, codeAfter, len(fb), len(fa))
			mu.Lock()
			before, after = before+len(fb), after+len(fa)
			mu.Unlock()
		})
	}
	t.Cleanup(func() { t.Logf("image findings over all cases: %d before the fixes, %d after", before, after) })
}

// importBase imports the root filesystem as a local image, without the
// apt lists and caches, documentation and locales (the cases install only
// packages that are there already, so nothing is downloaded), which keeps
// every build and scan small.
func importBase(t *testing.T, root, name string) {
	t.Helper()
	tr := exec.Command("tar", "-C", root, "--exclude=./var/lib/apt/lists", "--exclude=./var/cache/apt",
		"--exclude=./usr/share/doc", "--exclude=./usr/share/man", "--exclude=./usr/share/locale", "--exclude=./usr/share/info", "-c", ".")
	imp := exec.Command("docker", "import", "-", name)
	pipe, err := tr.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	imp.Stdin = pipe
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	if err := tr.Wait(); err != nil {
		t.Fatalf("tar of the root filesystem: %v", err)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", name).Run() })
}

var tagMu sync.Mutex

// tagOnce gives the base another local name (removed at the end).
func tagOnce(t *testing.T, base, ref string) {
	t.Helper()
	tagMu.Lock()
	defer tagMu.Unlock()
	if exec.Command("docker", "image", "inspect", ref).Run() == nil {
		return
	}
	if out, err := exec.Command("docker", "tag", base, ref).CombinedOutput(); err != nil {
		t.Fatalf("docker tag: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", ref).Run() })
}

// buildHello builds the static binary of the scratch case.
func buildHello(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte(helloGo), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", bin, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build hello: %v\n%s", err, out)
	}
	return bin
}

// buildKitWorks reports whether `DOCKER_BUILDKIT=1 docker build` runs here
// (it needs the buildx plugin with Docker 23 and later, and with this
// engine's CLI).
func buildKitWorks(t *testing.T, base string) bool {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM "+base+"\nRUN true\n"), 0o644)
	cmd := exec.Command("docker", "build", "-q", dir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Logf("BuildKit unavailable: %s", bytes.TrimSpace(out))
		return false
	}
	if id := strings.TrimSpace(string(out)); id != "" {
		_ = exec.Command("docker", "rmi", "-f", id).Run()
	}
	return true
}

func writeCase(t *testing.T, dir string, c reviewProof, base, hello string) {
	t.Helper()
	df := strings.ReplaceAll(c.dockerfile, "BASE", base)
	files := map[string]string{"Dockerfile": df, "greeting.txt": "hello from " + c.name + "\n", ".dockerignore": "Dockerfile\n"}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "run.sh"), []byte(runScript), 0o755); err != nil {
		t.Fatal(err)
	}
	if c.scratch {
		data, err := os.ReadFile(hello)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "hello"), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func dockerBuild(t *testing.T, dir, tag string, buildKit bool, args, secretEnv []string) {
	t.Helper()
	argv := append([]string{"build", "-q", "-t", tag}, args...)
	env := append(os.Environ(), "DOCKER_BUILDKIT=0")
	if buildKit {
		env = append(os.Environ(), "DOCKER_BUILDKIT=1")
		env = append(env, secretEnv...)
		for _, kv := range secretEnv {
			k, _, _ := strings.Cut(kv, "=")
			argv = append(argv, "--secret", "id="+strings.ToLower(k)+",env="+k)
		}
	}
	cmd := exec.Command("docker", append(argv, dir)...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		df, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
		t.Fatalf("docker build %s: %v\n%s\nDockerfile:\n%s", tag, err, out, df)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", tag).Run() })
}

// smoke runs the image's own command without a network and returns its
// output and exit code.
func smoke(t *testing.T, tag string) (string, int) {
	t.Helper()
	cmd := exec.Command("docker", "run", "--rm", "--network", "none", tag)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("docker run %s: %v", tag, err)
	}
	if code == 125 || code == 126 || code == 127 {
		t.Fatalf("docker run %s could not start the command (exit %d):\n%s", tag, code, out)
	}
	return string(out), code
}

// fixReview applies the fixes up to review level to a Dockerfile the way
// a user does and returns the fixed text.
func fixReview(t *testing.T, path string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Execute(context.Background(), []string{"fix", "--apply", "--level", "review", "--fail-on", "none", path}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("shipshape fix --apply --level review: exit %d\n%s", code, errb.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var fromLine = regexp.MustCompile(`(?m)^FROM\s+(?:--\S+\s+)*(\S+)`)

func fromRefs(df string) []string {
	var out []string
	for _, m := range fromLine.FindAllStringSubmatch(df, -1) {
		out = append(out, m[1])
	}
	return out
}
