// Package scram computes and reads SCRAM-SHA-256 password verifiers (RFC
// 5802, RFC 7677) in PostgreSQL's stored form,
// "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>" with base64
// parts, so that the SQL engine can store a role's password the way
// PostgreSQL does and the protocol server can check a client's proof
// against it without ever keeping the password.
package scram

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Iterations is PostgreSQL's default PBKDF2 iteration count.
const Iterations = 4096

// Keys are what a server keeps of a password.
type Keys struct {
	Salt       []byte
	Iterations int
	StoredKey  []byte
	ServerKey  []byte
}

// Derive computes the keys of password with salt.
func Derive(password string, salt []byte, iterations int) (Keys, error) {
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return Keys{}, fmt.Errorf("derive scram key: %w", err)
	}
	clientKey := HMAC(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	return Keys{Salt: salt, Iterations: iterations, StoredKey: stored[:], ServerKey: HMAC(salted, "Server Key")}, nil
}

// New derives the keys of password with a fresh random salt.
func New(password string) (Keys, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return Keys{}, fmt.Errorf("scram salt: %w", err)
	}
	return Derive(password, salt, Iterations)
}

// HMAC is HMAC-SHA-256 of msg under key.
func HMAC(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// String returns the keys in PostgreSQL's stored form.
func (k Keys) String() string {
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", k.Iterations, enc(k.Salt), enc(k.StoredKey), enc(k.ServerKey))
}

// Parse reads a stored verifier; ok is false for anything else (such as
// an md5 hash or a plain password).
func Parse(s string) (k Keys, ok bool) {
	rest, found := strings.CutPrefix(s, "SCRAM-SHA-256$")
	if !found {
		return Keys{}, false
	}
	iterSalt, keys, found := strings.Cut(rest, "$")
	if !found {
		return Keys{}, false
	}
	iter, salt, found1 := strings.Cut(iterSalt, ":")
	stored, server, found2 := strings.Cut(keys, ":")
	if !found1 || !found2 {
		return Keys{}, false
	}
	n, err := strconv.Atoi(iter)
	if err != nil || n < 1 || n > 1<<24 {
		return Keys{}, false
	}
	dec := base64.StdEncoding.DecodeString
	var e1, e2, e3 error
	k.Iterations = n
	k.Salt, e1 = dec(salt)
	k.StoredKey, e2 = dec(stored)
	k.ServerKey, e3 = dec(server)
	if e1 != nil || e2 != nil || e3 != nil || len(k.StoredKey) != sha256.Size || len(k.ServerKey) != sha256.Size {
		return Keys{}, false
	}
	return k, true
}
