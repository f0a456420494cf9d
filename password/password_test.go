package password

import (
	"strings"
	"testing"
)

func TestHashThenVerify(t *testing.T) {
	fast := Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	h, err := Hash("correct horse battery staple", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash does not carry its parameters: %s", h)
	}
	h2, _ := Hash("correct horse battery staple", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"the right password matches", "correct horse battery staple", true},
		{"a different password does not match", "correct horse battery stapler", false},
		{"an empty password does not match", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(h, tt.pw)
			if err != nil || ok != tt.want {
				t.Fatalf("Verify = %v, %v; want %v", ok, err, tt.want)
			}
		})
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "$argon2id$v=19$m=8,t=1,p=1$!!$AAAA"} {
		if _, err := Verify(h, "pw"); err != ErrMalformed {
			t.Errorf("Verify(%q) error = %v, want ErrMalformed", h, err)
		}
	}
}
