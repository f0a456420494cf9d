// Package webtest drives a headless Chromium from Go tests, through
// chromedp, against a server the test started: the browser tests of the
// pages. A test starts one Browser for its server, opens a Tab per user
// (each tab has its own cookies), walks the pages with the keyboard and the
// mouse, checks what they show, and writes screenshots as test artefacts.
//
// Chromium is found in $INCONTRO_CHROMIUM or on PATH (chromium,
// chromium-browser, google-chrome); `make test` installs Debian's chromium
// when it is missing. Without Chromium the tests fail, saying what to
// install, unless INCONTRO_BROWSER_TESTS=optional, which makes them skip.
// Screenshots go to $INCONTRO_ARTIFACTS/browser, or var/test-artifacts/browser
// in the module's root.
package webtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Environment variables of the browser tests.
const (
	// EnvChromium names the browser's executable.
	EnvChromium = "INCONTRO_CHROMIUM"
	// EnvBrowserTests set to "optional" lets the browser tests skip when
	// Chromium is missing; otherwise they fail.
	EnvBrowserTests = "INCONTRO_BROWSER_TESTS"
	// EnvArtifacts is the directory of test artefacts (screenshots go to
	// its browser/ subdirectory).
	EnvArtifacts = "INCONTRO_ARTIFACTS"
)

// StepTimeout bounds every step of a tab: a page that never loads fails
// the test instead of hanging it.
const StepTimeout = 20 * time.Second

// Viewport is the size of the browser window.
var Viewport = struct{ Width, Height int }{1280, 900}

// FindChromium returns the path of the Chromium to drive.
func FindChromium() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%s=%s is not an executable: %w", EnvChromium, p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser or google-chrome on PATH")
}

// Browser is a headless Chromium serving one test.
type Browser struct {
	t    testing.TB
	base string
	// alloc is the context of the browser's first tab, parent of the others.
	alloc     context.Context
	artefacts string

	mu    sync.Mutex
	shots int
}

// Start launches a headless Chromium for the server at baseURL (such as
// httptest.Server.URL), closed when the test ends. Without Chromium it fails
// the test with what to install, or skips it when INCONTRO_BROWSER_TESTS is
// "optional".
func Start(t testing.TB, baseURL string) *Browser {
	t.Helper()
	path, err := FindChromium()
	if err != nil {
		msg := fmt.Sprintf("browser tests need Chromium: %v. `make test` installs Debian's chromium (as root); "+
			"otherwise install it (apt-get install chromium) or set %s to the browser's executable. "+
			"To run the other tests without a browser, set %s=optional.", err, EnvChromium, EnvBrowserTests)
		if os.Getenv(EnvBrowserTests) == "optional" {
			t.Skip(msg)
		}
		t.Fatal(msg)
	}
	dir := artefactDir(t)
	logFile, err := os.Create(filepath.Join(dir, "chromium.log"))
	if err != nil {
		t.Fatalf("webtest: %v", err)
	}
	t.Cleanup(func() { logFile.Close() })
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0], chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root, as CI does
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "it-IT"),
		chromedp.Flag("accept-lang", "it-IT,it"), // the pages speak Italian first
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Viewport.Width, Viewport.Height),
		chromedp.CombinedOutput(logFile),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	// The browser starts with a first tab; the tabs of the test open in
	// browser contexts of their own beside it.
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	// The first run starts the browser, which lives as long as the context
	// of that run: the browser's own, not one with a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("webtest: start %s: %v (see %s)", path, err, filepath.Join(dir, "chromium.log"))
	}
	return &Browser{t: t, base: strings.TrimSuffix(baseURL, "/"), alloc: ctx, artefacts: dir}
}

// Artefacts returns the directory where the test's screenshots go.
func (b *Browser) Artefacts() string { return b.artefacts }

// artefactDir makes the test's artefact directory, emptied first.
func artefactDir(t testing.TB) string {
	root := os.Getenv(EnvArtifacts)
	if root == "" {
		root = filepath.Join(moduleRoot(), "var", "test-artifacts")
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	dir := filepath.Join(root, "browser", name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatalf("webtest: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("webtest: %v", err)
	}
	return dir
}

// moduleRoot is the directory of go.mod above the working directory (a
// test runs in its package's directory).
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// Tab is a browser tab with cookies of its own: one user.
type Tab struct {
	t    testing.TB
	b    *Browser
	name string
	ctx  context.Context

	mu     sync.Mutex
	loads  int
	status int
	// problems are asset loads that failed and script errors.
	problems []string
}

// NewTab opens a tab in a new browser context (a fresh cookie jar); name
// prefixes its screenshots.
func (b *Browser) NewTab(t testing.TB, name string) *Tab {
	t.Helper()
	p := &Tab{t: t, b: b, name: name}
	ctx, cancel := chromedp.NewContext(b.alloc, chromedp.WithNewBrowserContext(), chromedp.WithListener(p.listen))
	t.Cleanup(cancel)
	p.ctx = ctx
	enable := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		if _, err := cdp.Call(ctx, tg, page.Enable, page.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, tg, runtime.Enable, cdp.Empty{})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, enable); err != nil {
		t.Fatalf("webtest: start a tab: %v (see %s)", err, filepath.Join(b.artefacts, "chromium.log"))
	}
	return p
}

// listen records page loads, the status of each document, failed assets,
// script errors, and accepts confirmation dialogs (the pages ask before
// destructive actions).
func (p *Tab) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *page.EventLoadEventFired:
		p.loads++
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument {
			p.status = int(ev.Response.Status)
		} else if ev.Response.Status >= 400 {
			p.problems = append(p.problems, fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL))
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled && ev.Type != network.ResourceTypeDocument {
			p.problems = append(p.problems, fmt.Sprintf("failed %s: %s", ev.Type, ev.ErrorText))
		}
	case *runtime.EventExceptionThrown:
		text := ev.ExceptionDetails.Text
		if ex := ev.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
			text += " " + ex.Description
		}
		p.problems = append(p.problems, "script error: "+text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value))
			}
			p.problems = append(p.problems, "console error: "+strings.Join(parts, " "))
		}
	case *page.EventJavascriptDialogOpening:
		go func() {
			_, _ = chromedp.Call(p.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}()
	}
}

// Do runs chromedp actions within StepTimeout, failing the test on error.
func (p *Tab) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.Screenshot("failed")
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
}

// Run runs a chromedp action that returns a value within StepTimeout,
// failing the test on error.
func Run[T any](p *Tab, what string, action chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		p.Screenshot("failed")
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
	return v
}

func (p *Tab) loadCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.loads
}

// Navigating runs fn, which makes the tab load a page (a click on a link,
// Enter in a form), and waits until the new page has loaded.
func (p *Tab) Navigating(fn func()) {
	p.t.Helper()
	before := p.loadCount()
	fn()
	deadline := time.Now().Add(StepTimeout)
	for p.loadCount() == before {
		if time.Now().After(deadline) {
			p.Screenshot("failed")
			p.t.Fatalf("%s: no page loaded within %s", p.name, StepTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Do("wait for the page", chromedp.WaitReady(chromedp.CSS("body")))
}

// Open loads a path of the server and returns the document's HTTP status.
func (p *Tab) Open(path string) int {
	p.t.Helper()
	p.Navigating(func() { p.Do("open "+path, chromedp.Navigate(p.b.base+path)) })
	return p.Status()
}

// Status returns the HTTP status of the current document.
func (p *Tab) Status() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

// Path returns the path and query of the current page.
func (p *Tab) Path() string {
	p.t.Helper()
	return Run(p, "read the location", chromedp.Evaluate[string](`location.pathname + location.search`))
}

// Click activates the first element matching a CSS selector, as a click
// does (a link is followed, a form submitted with the button's name and
// value), and waits for the page it loads. It activates the element
// itself rather than sending a mouse click at its coordinates: on a loaded
// machine the mouse event sometimes landed before the layout settled and
// nothing happened.
func (p *Tab) Click(sel string) {
	p.t.Helper()
	p.Do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	q, err := json.Marshal(sel)
	if err != nil {
		p.t.Fatal(err)
	}
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return false; e.scrollIntoView({block: "center"}); e.click(); return true })()`, q)
	p.Navigating(func() {
		if !Run(p, "click "+sel, chromedp.Evaluate[bool](js)) {
			p.t.Fatalf("%s: nothing matches %s", p.name, sel)
		}
	})
}

// Tap clicks the first element matching a CSS selector that changes the
// page in place (a disclosure, a copy button): nothing is loaded.
func (p *Tab) Tap(sel string) {
	p.t.Helper()
	p.Do("tap "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// Fill replaces the value of the input matching sel by typing value.
func (p *Tab) Fill(sel, value string) {
	p.t.Helper()
	p.Do("fill "+sel, chromedp.Focus(chromedp.CSS(sel)), chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// Select chooses the option of value in the select matching sel.
func (p *Tab) Select(sel, value string) {
	p.t.Helper()
	p.Do("select "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// Keys types text (and keys such as kb.Tab or kb.Enter) into the focused
// element, as a user at the keyboard does.
func (p *Tab) Keys(text string) {
	p.t.Helper()
	p.Do("type", chromedp.KeyEvent(text))
}

// Keys to use with Keys.
const (
	KeyTab   = kb.Tab
	KeyEnter = kb.Enter
)

// Focused describes the focused element: its id, or its tag and text.
func (p *Tab) Focused() string {
	p.t.Helper()
	return Run(p, "read the focus", chromedp.Evaluate[string](`(function(){var e=document.activeElement;if(!e)return "";return e.id?"#"+e.id:e.tagName.toLowerCase()+" "+(e.textContent||"").trim().slice(0,60);})()`))
}

// Text returns the visible text of the page.
func (p *Tab) Text() string {
	p.t.Helper()
	return Run(p, "read the page", chromedp.Evaluate[string](`document.body.innerText`))
}

// Has fails the test unless the page's visible text contains each of want.
func (p *Tab) Has(want ...string) {
	p.t.Helper()
	text := p.Text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			p.Screenshot("failed")
			p.t.Fatalf("%s: %s lacks %q; it says:\n%s", p.name, p.Path(), w, text)
		}
	}
}

// Value returns the value of the input matching sel.
func (p *Tab) Value(sel string) string {
	p.t.Helper()
	return Run(p, "read "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Eval evaluates a JavaScript expression of type T (a promise is awaited).
func Eval[T any](p *Tab, expr string) T {
	p.t.Helper()
	return Run(p, "evaluate "+expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Screenshot writes a PNG of the whole page to the artefact directory as
// NN-<tab>-<name>.png (NN counts the test's screenshots) and returns its
// path.
func (p *Tab) Screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("%s: screenshot %s: %v", p.name, name, err)
		return ""
	}
	p.b.mu.Lock()
	p.b.shots++
	n := p.b.shots
	p.b.mu.Unlock()
	path := filepath.Join(p.b.artefacts, fmt.Sprintf("%02d-%s-%s.png", n, p.name, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Errorf("webtest: %v", err)
	}
	return path
}

// NoProblems fails the test if an asset failed to load or a script threw
// since the tab opened (or since the last call).
func (p *Tab) NoProblems() {
	p.t.Helper()
	p.mu.Lock()
	problems := p.problems
	p.problems = nil
	p.mu.Unlock()
	if len(problems) > 0 {
		p.t.Errorf("%s: assets or scripts failed:\n  %s", p.name, strings.Join(problems, "\n  "))
	}
}
