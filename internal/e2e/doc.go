// Package e2e holds the browser tests of huanjie: they start the real server
// (app.Serve) on a temporary SQLite database filled with the demo zone and
// click through its pages in headless Chromium, driven by chromedp.
//
// The tests need Debian's chromium package (/usr/bin/chromium) and skip
// without it. Run them with:
//
//	go test ./internal/e2e/ -count=1 -v
package e2e
