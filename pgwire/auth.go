package pgwire

// Authentication: a role's stored password verifier, the server's
// password, or trust for loopback clients; SCRAM-SHA-256 (RFC 5802, RFC
// 7677) or md5.

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/internal/scram"
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// authenticate runs the authentication exchange. A role created with a
// password (CREATE ROLE ... PASSWORD) authenticates with its stored
// verifier; otherwise Config.Password applies to every user; without
// either, loopback clients (or all, with TrustRemote) are trusted. It
// returns false, with the FATAL error already sent, when the client is
// refused.
func (c *conn) authenticate() (bool, error) {
	cfg := c.srv.cfg
	ctx, cancel := context.WithTimeout(c.srv.ctx, 10*time.Second)
	role, err := cfg.Engine.LookupRole(ctx, c.user)
	cancel()
	if err != nil {
		c.fatal(sqlerr.New("57P03", "the database system is not accepting connections: %v", err))
		return false, nil
	}
	if role.Exists && !role.Login {
		c.fatal(sqlerr.New("28000", "role %q is not permitted to log in", c.user))
		return false, nil
	}
	var ok bool
	switch {
	case role.Verifier != "":
		if keys, isScram := scram.Parse(role.Verifier); isScram {
			ok, err = c.authSCRAM(keys)
		} else {
			ok, err = c.authMD5(strings.TrimPrefix(role.Verifier, "md5"))
		}
	case cfg.Password != "":
		if cfg.AuthMethod == "md5" {
			inner := md5.Sum([]byte(cfg.Password + c.user))
			ok, err = c.authMD5(hex.EncodeToString(inner[:]))
			break
		}
		var keys scram.Keys
		if keys, err = scram.New(cfg.Password); err == nil {
			ok, err = c.authSCRAM(keys)
		}
	case cfg.TrustRemote || isLoopback(c.nc.RemoteAddr()):
		return true, nil
	default:
		host, _, _ := net.SplitHostPort(c.nc.RemoteAddr().String())
		c.fatal(sqlerr.New("28000", "no pg_hba.conf entry for host %q, user %q, database %q, no encryption", host, c.user, c.db))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !ok {
		c.fatal(sqlerr.New("28P01", "password authentication failed for user %q", c.user))
	}
	return ok, nil
}

func isLoopback(a net.Addr) bool {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

// authMD5 asks for md5(md5(password || user) || salt); inner is the hex
// of md5(password || user), as pg_authid stores it after "md5".
func (c *conn) authMD5(inner string) (bool, error) {
	var salt [4]byte
	rand.Read(salt[:])
	c.be.Send(&pgproto3.AuthenticationMD5Password{Salt: salt})
	if err := c.be.Flush(); err != nil {
		return false, err
	}
	c.be.SetAuthType(pgproto3.AuthTypeMD5Password)
	msg, err := c.be.Receive()
	if err != nil {
		return false, err
	}
	pm, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "expected password response, got message type %T", msg))
		return false, nil
	}
	outer := md5.Sum(append([]byte(inner), salt[:]...))
	want := "md5" + hex.EncodeToString(outer[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(pm.Password)) == 1, nil
}

// authSCRAM runs SCRAM-SHA-256 without channel binding against keys.
func (c *conn) authSCRAM(keys scram.Keys) (bool, error) {
	c.be.Send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{"SCRAM-SHA-256"}})
	if err := c.be.Flush(); err != nil {
		return false, err
	}
	c.be.SetAuthType(pgproto3.AuthTypeSASL)
	msg, err := c.be.Receive()
	if err != nil {
		return false, err
	}
	init, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok || init.AuthMechanism != "SCRAM-SHA-256" {
		c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism"))
		return false, nil
	}
	gs2, clientFirstBare, clientNonce, perr := parseClientFirst(string(init.Data))
	if perr != nil {
		c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "malformed SCRAM message: %s", perr.Error()))
		return false, nil
	}
	nonceBytes := make([]byte, 18)
	rand.Read(nonceBytes)
	nonce := clientNonce + base64.StdEncoding.EncodeToString(nonceBytes)
	serverFirst := fmt.Sprintf("r=%s,s=%s,i=%d", nonce, base64.StdEncoding.EncodeToString(keys.Salt), keys.Iterations)
	c.be.Send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	if err := c.be.Flush(); err != nil {
		return false, err
	}
	c.be.SetAuthType(pgproto3.AuthTypeSASLContinue)
	msg, err = c.be.Receive()
	if err != nil {
		return false, err
	}
	final, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "expected SASL response, got message type %T", msg))
		return false, nil
	}
	withoutProof, proof, perr := parseClientFinal(string(final.Data), gs2, nonce)
	if perr != nil {
		c.fatal(sqlerr.New(sqlerr.ProtocolViolation, "malformed SCRAM message: %s", perr.Error()))
		return false, nil
	}
	authMessage := clientFirstBare + "," + serverFirst + "," + withoutProof
	clientSig := scram.HMAC(keys.StoredKey, authMessage)
	if len(proof) != len(clientSig) {
		return false, nil
	}
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ clientSig[i]
	}
	got := sha256.Sum256(clientKey)
	if subtle.ConstantTimeCompare(got[:], keys.StoredKey) != 1 {
		return false, nil
	}
	serverSig := scram.HMAC(keys.ServerKey, authMessage)
	c.be.Send(&pgproto3.AuthenticationSASLFinal{Data: []byte("v=" + base64.StdEncoding.EncodeToString(serverSig))})
	return true, nil
}

// parseClientFirst splits "n,,n=user,r=nonce" into the GS2 header, the
// bare message and the client nonce. Channel binding is not offered, so
// the header must be "n,," or "y,,".
func parseClientFirst(s string) (gs2, bare, nonce string, err error) {
	switch {
	case strings.HasPrefix(s, "n,,"), strings.HasPrefix(s, "y,,"):
		gs2, bare = s[:3], s[3:]
	case strings.HasPrefix(s, "p="):
		return "", "", "", fmt.Errorf("channel binding is not supported")
	default:
		return "", "", "", fmt.Errorf("unexpected GS2 header")
	}
	for _, attr := range strings.Split(bare, ",") {
		if v, ok := strings.CutPrefix(attr, "r="); ok {
			nonce = v
		}
	}
	if nonce == "" {
		return "", "", "", fmt.Errorf("missing nonce")
	}
	return gs2, bare, nonce, nil
}

// parseClientFinal checks "c=<gs2 base64>,r=<nonce>,p=<proof>" and returns
// the message without the proof, and the proof.
func parseClientFinal(s, gs2, nonce string) (withoutProof string, proof []byte, err error) {
	at := strings.LastIndex(s, ",p=")
	if at < 0 {
		return "", nil, fmt.Errorf("missing proof")
	}
	withoutProof = s[:at]
	proof, err = base64.StdEncoding.DecodeString(s[at+3:])
	if err != nil {
		return "", nil, fmt.Errorf("invalid proof encoding")
	}
	var gotBinding, gotNonce string
	for _, attr := range strings.Split(withoutProof, ",") {
		switch {
		case strings.HasPrefix(attr, "c="):
			gotBinding = attr[2:]
		case strings.HasPrefix(attr, "r="):
			gotNonce = attr[2:]
		}
	}
	if gotBinding != base64.StdEncoding.EncodeToString([]byte(gs2)) {
		return "", nil, fmt.Errorf("unexpected channel binding")
	}
	if gotNonce != nonce {
		return "", nil, fmt.Errorf("nonce does not match")
	}
	return withoutProof, proof, nil
}
