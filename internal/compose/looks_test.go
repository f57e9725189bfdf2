package compose

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

func TestLooks(t *testing.T) {
	if n := len(serviceAttributes()); n < 80 || !serviceAttributes()["hostname"] || !serviceAttributes()["use_api_socket"] {
		t.Fatalf("%d service attributes read from compose-go's schema; its layout changed", n)
	}
	yes := map[string]string{
		"service":      "services:\n  web:\n    image: nginx:1.27\n",
		"overlay":      "---\nservices:\n  zulip:\n    environment:\n      A: b\n",
		"stack":        "version: \"3.8\"\nservices:\n  web:\n    image: w\n    deploy:\n      replicas: 2\nnetworks:\n  front:\n",
		"anchors":      "x-base: &base\n  restart: always\nservices:\n  a:\n    <<: *base\n    image: a\n",
		"null service": "services:\n  a:\n  b:\n    build: .\n",
	}
	no := map[string]string{
		"gitlab ci":    "image: docker:27\nservices:\n  - docker:27-dind\nbuild:\n  script: [docker build .]\n",
		"helm values":  "replicaCount: 1\nservices:\n  api:\n    type: ClusterIP\n    port: 80\n",
		"helm only":    "services:\n  api:\n    type: ClusterIP\n    port: 80\n",
		"ansible":      "- hosts: all\n  tasks:\n    - name: x\n",
		"drone":        "kind: pipeline\nservices:\n  - name: db\n    image: postgres\n",
		"no services":  "networks:\n  front:\n",
		"empty":        "services:\n",
		"broken":       "services:\n  web: [\n",
		"v1 (by name)": "web:\n  image: nginx\n",
		"config":       "rules:\n  CL-0003:\n    enabled: false\n",
	}
	for name, src := range yes {
		if !Looks([]byte(src)) {
			t.Errorf("%s: not taken for compose:\n%s", name, src)
		}
	}
	for name, src := range no {
		if Looks([]byte(src)) {
			t.Errorf("%s: taken for compose:\n%s", name, src)
		}
	}
}

// TestLooksRealWorld: every real-world compose file with a services key
// looks like one, and none of the compose-lint peer's configuration
// files does.
func TestLooksRealWorld(t *testing.T) {
	root := filepath.Join(corpus.Corpus(t), "realworld", "compose")
	n := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !reServicesTop.Match(data) {
			return nil
		}
		n++
		if !Looks(data) {
			t.Errorf("%s: has services but does not look like compose", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 150 {
		t.Errorf("only %d files with services under %s", n, root)
	}
	cl := filepath.Join(corpus.Corpus(t), "compose_lint", "tests", "compose_files")
	for _, name := range []string{"compose_lint_config.yml", "suppress_config.yml"} {
		data, err := os.ReadFile(filepath.Join(cl, name))
		if err != nil {
			t.Fatal(err)
		}
		if Looks(data) {
			t.Errorf("%s: a compose-lint configuration taken for compose", name)
		}
	}
}
