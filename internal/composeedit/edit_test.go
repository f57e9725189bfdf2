package composeedit

import (
	"strings"
	"testing"
)

// plan runs build on a fresh plan of src and returns the edited text, or
// the refusal.
func plan(t *testing.T, src string, build func(p *Plan)) (string, error) {
	t.Helper()
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	p := d.NewPlan()
	build(p)
	es, err := p.Edits()
	if err != nil {
		return "", err
	}
	return string(Apply([]byte(src), es)), nil
}

func TestEdits(t *testing.T) {
	nnp := func(p *Plan) { p.Service("web").AppendItems("security_opt", "no-new-privileges:true") }
	cases := []struct {
		name, src, want string
		build           func(p *Plan)
	}{
		{"add key, block, indented dashes", `services:
  web:
    image: nginx:1.27 # pinned later
    ports:
      - "8080:80"

  # the database
  db:
    image: postgres:16
`, `services:
  web:
    image: nginx:1.27 # pinned later
    ports:
      - "8080:80"
    security_opt:
      - no-new-privileges:true

  # the database
  db:
    image: postgres:16
`, nnp},
		{"add key, dashes level with the key, 4-space indent", `version: "3"
services:
    web:
        image: nginx
        volumes:
        - ./a:/a
`, `version: "3"
services:
    web:
        image: nginx
        volumes:
        - ./a:/a
        security_opt:
        - no-new-privileges:true
`, nnp},
		{"append to a block list", `services:
  web:
    security_opt:
      - seccomp=./p.json   # custom
    image: nginx
`, `services:
  web:
    security_opt:
      - seccomp=./p.json   # custom
      - no-new-privileges:true
    image: nginx
`, nnp},
		{"append to a flow list", `services:
  web:
    security_opt: ["apparmor=x"]
    image: nginx
`, `services:
  web:
    security_opt: ["apparmor=x", "no-new-privileges:true"]
    image: nginx
`, nnp},
		{"flow service", `services:
  web: {image: nginx, ports: ["80"]}
`, `services:
  web: {image: nginx, ports: ["80"], security_opt: ["no-new-privileges:true"]}
`, nnp},
		{"last line without newline", "services:\n  web:\n    image: nginx", "services:\n  web:\n    image: nginx\n    security_opt:\n      - no-new-privileges:true", nnp},
		{"legacy v1 file", "web:\n  image: nginx\n", "web:\n  image: nginx\n  security_opt:\n    - no-new-privileges:true\n", nnp},
		{"merge key without the key is fine", `x-base: &base
  restart: always
services:
  web:
    <<: *base
    image: nginx
`, `x-base: &base
  restart: always
services:
  web:
    <<: *base
    image: nginx
    security_opt:
      - no-new-privileges:true
`, nnp},
		{"replace a quoted port", `services:
  web:
    ports:
      - "8080:80"
      - 9000:9000
`, `services:
  web:
    ports:
      - "127.0.0.1:8080:80"
      - 9000:9000
`, func(p *Plan) { p.Service("web").ReplaceItem("ports", 0, "127.0.0.1:8080:80") }},
		{"host_ip into a long port", `services:
  web:
    ports:
      - target: 80
        published: 8080
`, `services:
  web:
    ports:
      - target: 80
        host_ip: 127.0.0.1
        published: 8080
`, func(p *Plan) { p.Service("web").SetItemField("ports", 0, "host_ip", "127.0.0.1") }},
		{"secret in a list environment, secrets section exists", `# app
services:
  db:
    image: postgres
    environment:
      - POSTGRES_PASSWORD=example
    secrets: [other]
secrets:
  other:
    file: ./other.txt
`, `# app
services:
  db:
    image: postgres
    environment:
      - POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password
    secrets: [other, postgres_password]
secrets:
  other:
    file: ./other.txt
  postgres_password:
    file: ./secrets/postgres_password.txt
`, func(p *Plan) {
			s := p.Service("db")
			s.SetEnv("POSTGRES_PASSWORD", "POSTGRES_PASSWORD_FILE", "/run/secrets/postgres_password")
			s.AppendItems("secrets", "postgres_password")
			p.AddTopEntries("secrets", []KV{{Key: "postgres_password", Value: []KV{{Key: "file", Value: "./secrets/postgres_password.txt"}}}})
		}},
		{"memory first in limits", `services:
  web:
    deploy:
      resources:
        limits: {cpus: "1"}
        reservations:
          memory: 64m
`, `services:
  web:
    deploy:
      resources:
        limits: {cpus: "1", memory: 1g}
        reservations:
          memory: 64m
`, func(p *Plan) {
			p.Service("web").AddKeyAt(AtStart, []string{"deploy", "resources", "limits"}, "memory", Raw("1g"))
		}},
		{"scalar false to true", "services:\n  web:\n    read_only: false # writable\n", "services:\n  web:\n    read_only: true # writable\n",
			func(p *Plan) { p.Service("web").SetScalar("read_only", Raw("true")) }},
		{"nested limits", `services:
  web:
    deploy:
      resources:
        limits:
          cpus: "1"
`, `services:
  web:
    deploy:
      resources:
        limits:
          cpus: "1"
          memory: 1g
`, func(p *Plan) { p.Service("web").AddKey([]string{"deploy", "resources", "limits"}, "memory", Raw("1g")) }},
		{"secret moved", `services:
  db:
    environment:
      POSTGRES_PASSWORD: example
`, `secrets:
  postgres_password:
    file: ./secrets/postgres_password.txt
services:
  db:
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password
    secrets:
      - postgres_password
`, func(p *Plan) {
			s := p.Service("db")
			s.RenameEntry("environment", "POSTGRES_PASSWORD", "POSTGRES_PASSWORD_FILE", "/run/secrets/postgres_password")
			s.AppendItems("secrets", "postgres_password")
			p.AddTopEntries("secrets", []KV{{Key: "postgres_password", Value: []KV{{Key: "file", Value: "./secrets/postgres_password.txt"}}}})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := plan(t, c.src, c.build)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	nnp := func(p *Plan) { p.Service("web").AppendItems("security_opt", "no-new-privileges:true") }
	cases := []struct{ name, src, reason string }{
		{"service is an alias", "x: &w\n  image: nginx\nservices:\n  web: *w\n", "is an alias"},
		{"service anchored and reused", "services:\n  web: &w\n    image: nginx\n  web2: *w\n", "anchored"},
		{"key from a merge key", "x: &b\n  security_opt: [seccomp=x]\nservices:\n  web:\n    <<: *b\n    image: nginx\n", "merge key"},
		{"list is an alias", "x: &o [seccomp=x]\nservices:\n  web:\n    security_opt: *o\n", "alias"},
		{"extends", "services:\n  web:\n    extends: {file: base.yaml, service: web}\n", "extends"},
		{"not defined here", "services:\n  api:\n    image: x\n", "not defined"},
		{"two documents", "services:\n  web:\n    image: x\n---\nfoo: 1\n", "more than one"},
		{"keep chomping scalar at the end", "services:\n  web:\n    command: |+\n      run\n\n\n", "cannot follow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := plan(t, c.src, nnp)
			if err == nil {
				t.Fatalf("not refused; got\n%s", got)
			}
			if !strings.Contains(err.Error(), c.reason) {
				t.Errorf("reason %q does not say %q", err, c.reason)
			}
		})
	}
}
