package dockerfile

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1402 reports COPY and ADD instructions whose source names a file that
// holds credentials: .env files, SSH and TLS private keys, keystores,
// package-manager and cloud credential files (.npmrc, .pypirc, .netrc,
// .aws, .docker/config.json, kubeconfig), service-account keys and
// Terraform state. Once copied, the file is part of a layer even if a later
// step deletes it. Copies from the build context are reported in every
// stage (the layer lands in the build cache); copies from another stage or
// image only when they land in the image the build produces, because the
// original copy is reported where it happened.
var DF1402 = &rule.Rule{
	ID:       "DF1402",
	Slug:     "secret-file-copied",
	Title:    "Secret file copied into the image",
	Severity: rule.High,
	Category: rule.CatSecrets,
	Rationale: "Every COPY or ADD creates a layer that keeps the file for good: removing it in a later RUN only hides it, " +
		"and `docker save` or any registry client can still extract it. Private keys, .env files, registry tokens in " +
		".npmrc or .pypirc and cloud credentials copied this way leak to everyone who can pull the image or read " +
		"the build cache. BuildKit secret mounts give a single RUN access to such a file without writing it to any layer.",
	Fix: "Do not copy the file: mount it for the one RUN that needs it with `RUN --mount=type=secret,id=NAME,target=PATH` " +
		"(`docker build --secret id=NAME,src=FILE`), list it in .dockerignore, and give runtime secrets to the container when it starts.",
	Bad:   "FROM node:22-slim\nWORKDIR /app\nCOPY .npmrc package*.json ./\nRUN npm ci && rm .npmrc",
	Good:  "# syntax=docker/dockerfile:1\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci",
	Peers: []rule.Peer{{Tool: "trivy", ID: "DS-0031"}, {Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{
		"https://docs.docker.com/build/building/secrets/",
		"https://docs.docker.com/build/concepts/context/#dockerignore-files",
	},
	Settings: []rule.Setting{{
		Name: "ignore-files", Type: "strings", Default: []string{},
		Doc: "Source paths or base names (glob patterns allowed) that are known not to hold secrets, e.g. a test fixture key.",
	}},
	Check: checkSecretFileCopied,
}

var (
	stsEnvTemplates  = map[string]bool{"example": true, "sample": true, "template": true, "tpl": true, "tmpl": true, "dist": true, "defaults": true, "default": true, "schema": true, "skeleton": true, "skel": true}
	stsCertWords     = map[string]bool{"ca": true, "cacert": true, "cacerts": true, "cert": true, "certs": true, "certificate": true, "crt": true, "chain": true, "fullchain": true, "bundle": true, "root": true, "rootca": true, "intermediate": true, "public": true, "pub": true, "trust": true, "truststore": true, "combined": true}
	stsPubKeyWords   = map[string]bool{"gpg": true, "pgp": true, "gnupg": true, "public": true, "pub": true, "signing": true, "sign": true, "apt": true, "repo": true, "release": true, "archive": true, "keyring": true, "asc": true, "trust": true, "truststore": true, "cacerts": true}
	stsSSHKeyNames   = map[string]bool{"id_rsa": true, "id_dsa": true, "id_ecdsa": true, "id_ed25519": true, "id_ecdsa_sk": true, "id_ed25519_sk": true, "identity": true}
	stsSSHPublic     = map[string]bool{"known_hosts": true, "config": true, "authorized_keys": true, "known_hosts.old": true}
	stsCredFileNames = map[string]string{
		".npmrc": "an npm credentials file", ".pypirc": "a PyPI credentials file", ".netrc": "a .netrc credentials file",
		"_netrc": "a .netrc credentials file", ".git-credentials": "a git credentials file", ".htpasswd": "an htpasswd password file",
		".pgpass": "a PostgreSQL password file", ".my.cnf": "a MySQL client config with credentials", ".dockercfg": "a Docker registry credentials file",
		"kubeconfig": "a Kubernetes kubeconfig", ".s3cfg": "an s3cmd credentials file", ".boto": "a boto credentials file",
	}
)

// stsNameParts splits a file name without its extension into lower-case
// words.
func stsNameParts(base string) []string {
	stem := strings.TrimSuffix(base, path.Ext(base))
	return strings.FieldsFunc(strings.ToLower(stem), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

func stsAnyWord(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

// stsSecretFile says what secret a COPY/ADD source names, or "".
func stsSecretFile(src string) string {
	if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") {
		return ""
	}
	p := strings.ToLower(strings.TrimRight(strings.ReplaceAll(src, `\`, "/"), "/"))
	base := path.Base(p)
	if base == "." || base == "/" || base == "*" || base == "" {
		return ""
	}
	dirs := strings.Split(path.Dir(p), "/")
	inDir := func(d string) bool {
		for _, x := range dirs {
			if x == d {
				return true
			}
		}
		return false
	}
	ext := path.Ext(base)
	words := stsNameParts(base)
	switch {
	case base == ".env" || base == ".env*" || base == ".env.*":
		return "a .env file"
	case strings.HasPrefix(base, ".env."):
		suffix := strings.TrimPrefix(base, ".env.")
		if stsEnvTemplates[suffix] || stsAnyWord(strings.Split(suffix, "."), stsEnvTemplates) {
			return ""
		}
		return "a .env file"
	case stsSSHKeyNames[base]:
		return "an SSH private key"
	case base == ".ssh":
		return "an .ssh directory"
	case inDir(".ssh"):
		if stsSSHPublic[base] || ext == ".pub" {
			return ""
		}
		return "a file from an .ssh directory"
	case base == ".aws":
		return "an AWS credentials directory"
	case inDir(".aws") && (base == "credentials" || base == "*"):
		return "AWS credentials"
	case base == ".docker" || (inDir(".docker") && base == "config.json"):
		return "Docker registry credentials"
	case base == ".kube" || (inDir(".kube") && base == "config"):
		return "a Kubernetes kubeconfig"
	case stsCredFileNames[base] != "":
		return stsCredFileNames[base]
	case strings.HasPrefix(base, "kubeconfig"):
		return "a Kubernetes kubeconfig"
	case ext == ".pem":
		// Certificates, bundles and Diffie-Hellman parameters are public.
		if stsAnyWord(words, stsCertWords) || strings.Contains(base, "cert") || strings.Contains(base, "dhparam") || strings.HasPrefix(base, "ffdhe") || strings.HasPrefix(base, "dh") {
			return ""
		}
		return "a PEM file that may hold a private key"
	case ext == ".key":
		if stsAnyWord(words, stsPubKeyWords) {
			return ""
		}
		return "a private key file"
	case ext == ".p12" || ext == ".pfx":
		return "a PKCS#12 keystore"
	case ext == ".jks" || ext == ".keystore":
		if stsAnyWord(words, stsPubKeyWords) || strings.Contains(base, "trust") || strings.Contains(base, "cacert") {
			return ""
		}
		return "a Java keystore"
	case ext == ".ppk":
		return "a PuTTY private key"
	case ext == ".tfstate" || strings.HasSuffix(base, ".tfstate.backup"):
		return "Terraform state"
	case strings.HasPrefix(base, "credentials") && (ext == "" || ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".xml" || ext == ".ini" || ext == ".csv"):
		return "a credentials file"
	case ext == ".json" && (strings.Contains(base, "service-account") || strings.Contains(base, "service_account") || strings.Contains(base, "serviceaccount") || strings.HasPrefix(base, "client_secret")):
		return "a service-account key"
	}
	return ""
}

func checkSecretFileCopied(p *rule.Pass) error {
	final := map[*df.Stage]bool{}
	for s := fileOf(p).Target; s != nil && !final[s]; s = s.BaseStage {
		final[s] = true
	}
	for _, st := range fileOf(p).Stages {
		for _, in := range st.Instructions {
			var srcs []string
			from := ""
			switch c := in.Command.(type) {
			case *instructions.CopyCommand:
				srcs, from = c.SourcePaths, c.From
			case *instructions.AddCommand:
				srcs = c.SourcePaths
			default:
				continue
			}
			if from != "" && !final[st] {
				continue
			}
			for _, raw := range srcs {
				src, _ := in.Expand(raw)
				what := stsSecretFile(src)
				if what == "" || settingLists(p, "ignore-files", src) || settingLists(p, "ignore-files", path.Base(src)) {
					continue
				}
				where := "a layer of the image"
				if !final[st] {
					where = "a layer of stage " + st.Label() + " (and the build cache)"
				}
				shown := raw
				if src != raw {
					shown = raw + " (" + src + ")"
				}
				if from != "" {
					shown += " from " + from
				}
				p.Reportf(in.Locate(raw), "%s copies %s, %s, into %s; mount it with RUN --mount=type=secret instead",
					in.Keyword, shown, what, where)
			}
		}
	}
	return nil
}
