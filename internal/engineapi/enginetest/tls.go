// Package enginetest gives tests real engines to talk to: the Docker
// engine behind TLS (a loopback TLS listener, crypto/tls with a CA and
// certificates generated in the test, that demands a client certificate
// and forwards each connection to the engine's unix socket, as a dockerd
// started with --tlsverify would answer), and podman's Docker-compatible
// API on a socket of the test's own.
package enginetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Certs are the PEM files a client is given: the CA that signed the
// engine's certificate, a client certificate and key that CA signed, and
// an unrelated CA (for the wrong-CA case). Dir holds them under docker's
// names (ca.pem, cert.pem, key.pem), for DOCKER_CERT_PATH.
type Certs struct {
	Dir, CA, Cert, Key, OtherCA string
}

type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCA(t testing.TB, name string) authority {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return authority{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// leaf issues a certificate for usage (server: for 127.0.0.1).
func (a authority) leaf(t testing.TB, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "shipshape-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
	}
	if usage == x509.ExtKeyUsageServerAuth {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// TLSProxy serves the engine at socket over TLS on loopback, requiring a
// client certificate from the CA it generates, and returns its tcp://
// address and the client's files. It stops when the test ends.
func TLSProxy(t testing.TB, socket string) (host string, c Certs) {
	t.Helper()
	ca, other := newCA(t, "shipshape test engine CA"), newCA(t, "unrelated CA")
	srvCert, srvKey := ca.leaf(t, x509.ExtKeyUsageServerAuth)
	cliCert, cliKey := ca.leaf(t, x509.ExtKeyUsageClientAuth)
	dir := t.TempDir()
	c = Certs{Dir: dir, CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"),
		OtherCA: filepath.Join(t.TempDir(), "other-ca.pem")}
	for p, b := range map[string][]byte{c.CA: ca.pem, c.Cert: cliCert, c.Key: cliKey, c.OtherCA: other.pem} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pair, err := tls.X509KeyPair(srvCert, srvKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12,
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				forward(conn, socket)
			}()
		}
	}()
	return "tcp://" + ln.Addr().String(), c
}

// forward copies one client connection to the engine and back; a client
// whose handshake fails is dropped.
func forward(conn net.Conn, socket string) {
	defer conn.Close()
	if err := conn.(*tls.Conn).Handshake(); err != nil {
		return
	}
	up, err := net.Dial("unix", socket)
	if err != nil {
		return
	}
	defer up.Close()
	// When either side finishes, both connections close (the deferred
	// Closes), which ends the other copy.
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, conn); done <- struct{}{} }()
	go func() { _, _ = io.Copy(conn, up); done <- struct{}{} }()
	<-done
}
