// Package browsertest drives Debian's Chromium headless for the browser
// tests of the web pages (chromedp): open a page, click, read text, run
// JavaScript, save screenshots, and check that no page opened a dialog,
// threw or broke its Content-Security-Policy. Without chromium a test
// skips, except in CI (CI=true), where it fails. It is for tests only.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium, installed by scripts/setup.d/web-chromium.sh.
const chromiumPath = "/usr/bin/chromium"

// Browser is one headless Chromium for a test, with what it saw: dialogs
// opened (an alert is a script that ran), exceptions thrown, and the
// Content-Security-Policy violations of every page.
type Browser struct {
	t    testing.TB
	ctx  context.Context
	base string
	Dir  string // where screenshots go

	mu         sync.Mutex
	dialogs    []string
	exceptions []string
}

// New starts Chromium headless, as root on this machine needs it
// (no sandbox, no GPU, no network of its own, an empty profile). Without
// chromium the test skips, except in CI (CI=true), where it fails.
func New(t testing.TB, base string, javascript bool) *Browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing; scripts/setup.d/web-chromium.sh installs it: %v", chromiumPath, err)
		}
		t.Skipf("browser test skipped: %s is not installed (bash scripts/setup.d/web-chromium.sh installs Debian's chromium; CI fails here instead)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &Browser{t: t, ctx: ctx, base: base, Dir: screenshotDir(t)}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdppage.EventJavascriptDialogOpening:
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			go chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		case *runtime.EventExceptionThrown:
			b.mu.Lock()
			b.exceptions = append(b.exceptions, fmt.Sprintf("%s (%s:%d)", exceptionText(ev.ExceptionDetails), ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber))
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Record CSP violations in the page (a script added through the
	// DevTools protocol runs whatever the page's policy says).
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if !javascript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

// screenshotDir is $MARKET_SCREENSHOTS (kept) or a directory removed
// after the test.
func screenshotDir(t testing.TB) string {
	dir := os.Getenv("MARKET_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
		t.Logf("screenshots go to %s, removed after the test; set MARKET_SCREENSHOTS=<dir> to keep them", dir)
		return dir
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a path and waits for its main element.
func (b *Browser) Open(path string) {
	b.t.Helper()
	b.Do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

func (b *Browser) Location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// clickAndWait clicks sel and waits for the location to change and the
// next page to be loaded.
func (b *Browser) ClickAndWait(sel string) string {
	b.t.Helper()
	before := b.Location()
	b.Do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	deadline := time.Now().Add(15 * time.Second)
	for {
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		if err == nil && loc != before {
			state, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.readyState`))
			if err == nil && state == "complete" {
				return loc
			}
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("clicking %s did not load another page (still %s)", sel, before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *Browser) Text(sel string) string {
	b.t.Helper()
	b.Do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// WaitFor polls the page until the JavaScript expression js gives a
// non-empty string, and returns it; after 30 s the test fails, naming
// what it waited for and what the page reads.
func (b *Browser) WaitFor(what, js string) string {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
		if err == nil && s != "" {
			return s
		}
		if time.Now().After(deadline) {
			page, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			b.t.Fatalf("waiting for %s: nothing after 30 s (%v); the page reads: %s", what, err, page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](b *Browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// screenshot saves the whole page as name.png.
func (b *Browser) Screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.Dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// clean fails the test if a page opened a dialog, threw, or broke its CSP.
func (b *Browser) Clean(where string) {
	b.t.Helper()
	csp := Eval[[]string](b, `window.__csp || []`)
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		b.t.Errorf("%s: a dialog opened (a script ran): %q", where, b.dialogs)
	}
	if len(b.exceptions) > 0 {
		b.t.Errorf("%s: JavaScript exceptions: %q", where, b.exceptions)
	}
	if len(csp) > 0 {
		b.t.Errorf("%s: Content-Security-Policy violations: %q", where, csp)
	}
}

// Ctx is the browser's context, for chromedp actions of a test's own.
func (b *Browser) Ctx() context.Context { return b.ctx }
