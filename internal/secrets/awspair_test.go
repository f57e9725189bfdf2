package secrets

import (
	"strings"
	"testing"
)

// TestAWSSecretPairLengthGuard: the length guard in awsSecretPair changes
// no answer of the expression it fronts: values of 39 characters and less
// never match, 40 and more may.
func TestAWSSecretPairLengthGuard(t *testing.T) {
	key := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9Qk3Tt5v" // 40 characters, high entropy
	if len(key) != 40 {
		t.Fatal("the sample key must be 40 characters")
	}
	for _, name := range []string{"AWS_SECRET_ACCESS_KEY", "aws_secret_key", "SECRET_ACCESS_KEY", "aws_secret_access_key"} {
		for n := 0; n <= len(key)+2; n++ {
			value := (key + "ab")[:n]
			_, got := awsSecretPair(name, value)
			line := name + "=" + value
			m := reAWSSecret.FindStringSubmatchIndex(line)
			exprSays := m != nil && m[2] >= len(name)+1
			if n < 40 && (got || exprSays) {
				t.Errorf("%s=%q (%d characters): matched", name, value, n)
			}
			if n == 40 && !got {
				t.Errorf("%s=%q: the 40-character key is not found", name, value)
			}
		}
	}
	if _, ok := awsSecretPair("AWS_SECRET_ACCESS_KEY", strings.Repeat("a", 39)); ok {
		t.Error("a 39-character value matched")
	}
}
