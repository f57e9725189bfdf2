package trust_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

func verify(t *testing.T, ref string, keyPaths ...string) *trust.Result {
	t.Helper()
	var keys []trust.Key
	for _, p := range keyPaths {
		k, err := trust.LoadKey("", p)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	res, err := trust.Verify(context.Background(), ref, trust.Policy{Keys: keys}, trust.Options{Name: []name.Option{name.Insecure}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestVerify(t *testing.T) {
	host := trusttest.Registry(t)
	key, other := trusttest.NewKey(t), trusttest.NewKey(t)
	repo := host + "/acme/app"

	signed := trusttest.PushImage(t, repo+":signed")
	trusttest.PushTagSignature(t, repo, signed, trusttest.Signature(t, key, repo, signed, nil))

	referred := trusttest.PushImage(t, repo+":referred")
	trusttest.PushReferrerSignature(t, repo, referred, trusttest.Signature(t, key, repo, referred, nil))

	unsigned := trusttest.PushImage(t, repo+":unsigned")
	_ = unsigned

	wrongKey := trusttest.PushImage(t, repo+":wrongkey")
	trusttest.PushTagSignature(t, repo, wrongKey, trusttest.Signature(t, other, repo, wrongKey, nil))

	// A valid signature of another image copied under this image's tag.
	copied := trusttest.PushImage(t, repo+":copied")
	trusttest.PushTagSignature(t, repo, copied, trusttest.Signature(t, key, repo, signed, nil))

	// A payload altered after signing.
	tampered := trusttest.PushImage(t, repo+":tampered")
	good := trusttest.Signature(t, key, repo, tampered, nil)
	m, _ := good.Manifest()
	payload, _ := trust.NewPayload(repo+"-evil", tampered)
	trusttest.PushTagSignature(t, repo, tampered, trusttest.SignatureWith(t, payload, m.Layers[0].Annotations[trust.SignatureAnnotation]))

	cases := []struct {
		tag, want string
		ok        bool
	}{
		{"signed", "", true},
		{"referred", "", true},
		{"unsigned", "no cosign signature found", false},
		{"wrongkey", "does not verify under any trusted key", false},
		{"copied", "but the payload names " + signed, false},
		{"tampered", "does not verify under any trusted key", false},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			res := verify(t, repo+":"+c.tag, key.PubPath)
			if res.Verified() != c.ok {
				t.Fatalf("Verified() = %v, want %v (%s)", res.Verified(), c.ok, res.Problem())
			}
			if !strings.Contains(res.Problem(), c.want) {
				t.Fatalf("Problem() = %q, want it to contain %q", res.Problem(), c.want)
			}
		})
	}
	// Either of two keys is enough.
	if res := verify(t, repo+":wrongkey", key.PubPath, other.PubPath); !res.Verified() {
		t.Fatalf("wrongkey with both keys: %s", res.Problem())
	}
}

func TestVerifyErrors(t *testing.T) {
	host := trusttest.Registry(t)
	key := trusttest.NewKey(t)
	k, err := trust.LoadKey("", key.PubPath)
	if err != nil {
		t.Fatal(err)
	}
	o := trust.Options{Name: []name.Option{name.Insecure}}
	if _, err := trust.Verify(context.Background(), host+"/missing:1", trust.Policy{Keys: []trust.Key{k}}, o); err == nil {
		t.Fatal("missing image: want an error")
	}
	if _, err := trust.Verify(context.Background(), "127.0.0.1:1/x:1", trust.Policy{Keys: []trust.Key{k}}, o); err == nil {
		t.Fatal("unreachable registry: want an error")
	}
	if _, err := trust.Verify(context.Background(), host+"/x:1", trust.Policy{}, o); err == nil {
		t.Fatal("no keys: want an error")
	}
	if _, err := trust.ParseKey("k", []byte("not pem")); err == nil {
		t.Fatal("garbage key: want an error")
	}
}
