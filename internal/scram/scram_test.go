package scram

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// TestRFC7677Vector checks the derivation with the test vector of RFC
// 7677 (user "user", password "pencil").
func TestRFC7677Vector(t *testing.T) {
	salt := []byte{0x5b, 0x6d, 0x99, 0x68, 0x9d, 0x12, 0x35, 0x8e, 0xec, 0xa0, 0x4b, 0x14, 0x12, 0x36, 0xfa, 0x81}
	k, err := Derive("pencil", salt, 4096)
	if err != nil {
		t.Fatal(err)
	}
	// The RFC's server signature is HMAC(ServerKey, AuthMessage).
	auth := "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	if got := k.String(); got[:len("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")] != "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$" {
		t.Errorf("stored form %s", got)
	}
	sig := HMAC(k.ServerKey, auth)
	// server-final-message of the RFC: v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=
	if got := base64.StdEncoding.EncodeToString(sig); got != "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Errorf("server signature %s", got)
	}
}

func TestParseRoundTrip(t *testing.T) {
	k, err := New("secret")
	if err != nil {
		t.Fatal(err)
	}
	back, ok := Parse(k.String())
	if !ok || !bytes.Equal(back.Salt, k.Salt) || back.Iterations != k.Iterations || !bytes.Equal(back.StoredKey, k.StoredKey) || !bytes.Equal(back.ServerKey, k.ServerKey) {
		t.Fatalf("round trip: %+v, %v", back, ok)
	}
	for _, bad := range []string{"", "secret", "md5abc", "SCRAM-SHA-256$x:AA==$AA==:AA==", "SCRAM-SHA-256$4096:!!$AA==:AA==", "SCRAM-SHA-256$4096:AA==$AA==:AA=="} {
		if _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
