// Package fleettest starts what the fleet tests need: a throw-away
// PostgreSQL cluster on loopback, from the server binaries of the machine
// (Debian's postgresql-15), owned by the test process.
package fleettest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvPostgresBin names the directory holding initdb and postgres; the
// default is Debian's.
const EnvPostgresBin = "SHIPSHAPE_POSTGRES_BIN"

// EnvPostgresFsync set to "on" runs the test cluster with fsync on.
const EnvPostgresFsync = "SHIPSHAPE_POSTGRES_FSYNC"

const defaultBin = "/usr/lib/postgresql/15/bin"

// cluster is the one PostgreSQL server of a test binary.
type cluster struct {
	once sync.Once
	err  error
	dir  string
	port int
	cmd  *exec.Cmd
	n    atomic.Int64
}

var pg cluster

// Main runs a package's tests and afterwards stops the cluster and
// removes the databases VulnDB made; call it from TestMain:
// os.Exit(fleettest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	pg.stop()
	removeVulnDBs()
	return code
}

// PostgresURL returns the URL of a new, empty database on the test
// cluster, starting the cluster on first use. Without the PostgreSQL
// binaries the test skips, or fails when CI is set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(EnvPostgresBin)
	if bin == "" {
		bin = defaultBin
	}
	if _, err := os.Stat(filepath.Join(bin, "postgres")); err != nil {
		msg := fmt.Sprintf("no PostgreSQL server binaries in %s (apt-get install postgresql-15, or set %s)", bin, EnvPostgresBin)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI is set, so PostgreSQL tests must run)")
		}
		t.Skip("skipping: " + msg)
	}
	pg.once.Do(func() { pg.err = pg.start(bin) })
	if pg.err != nil {
		t.Fatalf("start PostgreSQL: %v", pg.err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), pg.n.Add(1))
	admin, err := sql.Open("pgx", pg.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return pg.url(name)
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// start makes a cluster in a temporary directory and runs postgres on a
// free loopback port. PostgreSQL refuses to run as root, so under root
// the server runs as the postgres user (or nobody). The server dies with
// the test process (parent-death signal), so a crashed test leaves none
// behind.
func (c *cluster) start(bin string) error {
	dir, err := os.MkdirTemp("", "shipshape-pg-")
	if err != nil {
		return err
	}
	c.dir = dir
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			return fmt.Errorf("running as root and no postgres or nobody user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return err
	}
	// A throw-away cluster need not survive a power cut: fsync is off
	// unless SHIPSHAPE_POSTGRES_FSYNC=on (benchmarks of durable commits).
	fsync := "off"
	if os.Getenv(EnvPostgresFsync) == "on" {
		fsync = "on"
	}
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(c.port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "fsync="+fsync)
	c.cmd.Dir = dir
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", c.url("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		if err := db.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			return fmt.Errorf("postgres did not accept connections in 30 s: %s", log)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		// SIGINT is PostgreSQL's fast shutdown.
		c.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { c.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			c.cmd.Process.Kill()
			<-done
		}
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}
