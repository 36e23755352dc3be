// Command ferretdb-embedded runs FerretDB 1.24 (SQLite backend) as a small
// MongoDB-wire-compatible server for development and tests.
//
// It is built against FerretDB v1.24.2 with our local patches applied (patches/, applied by
// tools/build-embedded-store.mjs through a `replace` in a temporary copy of this module): the
// stock SQLite backend uses no index, the patched one pushes _id, equality and $in down to its
// expression indexes. Building this directory with plain `go build` gives the stock server, which
// does not have the -disable-pushdown flag's Config field and so does not compile: use the script.
//
// Why a wrapper of our own: `go install github.com/FerretDB/FerretDB/cmd/ferretdb`
// panics at start-up because the release-time version file is missing from the
// module; importing the embeddable package from our own main module avoids that.
//
// Protocol with the Node launcher (src/store/embedded-store.ts):
//   - on success it prints exactly one JSON line to stdout: {"uri":"mongodb://..."}
//   - it exits when it gets SIGINT/SIGTERM, or when its stdin reaches EOF, so the
//     server never outlives the Node process that started it (no orphans, even
//     after SIGKILL of the parent).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data-dir", "./data", "directory holding the SQLite files (created if missing)")
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 0, "TCP port; 0 picks a free one")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-eof", true, "exit when stdin closes (the parent died)")
	disablePushdown := flag.Bool("disable-pushdown", false,
		"pass no filter to SQLite: every query reads the whole collection (reference answers for tests)")
	flag.Parse()

	if err := run(*dataDir, *host, *port, *logLevel, *watchStdin, *disablePushdown); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded:", err)
		os.Exit(1)
	}
}

func run(dataDir, host string, port int, logLevel string, watchStdin, disablePushdown bool) error {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return err
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// SQLite URL must be a directory URI with a trailing slash. DisablePushdown comes from our
	// patch (patches/*.patch), as does the index use it turns off.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: net.JoinHostPort(host, strconv.Itoa(port))},
		Logger:   logger,
		Handler:  "sqlite",
		// secure_delete: a deleted document's bytes are overwritten with zeros in the database
		// file, not left in a free page (disposal of a record must leave nothing to recover);
		// compact also truncates the write-ahead log (our patch), which holds earlier pages.
		SQLiteURL:       "file:" + abs + "/?_pragma=secure_delete(1)",
		DisablePushdown: disablePushdown,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if watchStdin {
		go func() {
			// Blocks until the parent closes the pipe or dies.
			_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI waits for the listener and reports the real port when 0 was asked.
	uri := f.MongoDBURI()
	line, _ := json.Marshal(map[string]string{"uri": uri, "dataDir": abs})
	fmt.Println(string(line))

	select {
	case err := <-done:
		if err != nil && ctx.Err() == nil {
			return err
		}
	case <-ctx.Done():
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("did not stop within 10s")
		}
	}
	return nil
}
