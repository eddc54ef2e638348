// Command huanjie is the re-election work platform: server, command-line
// tool and migrator in one binary. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/huanjie/huanjie/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], app.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
