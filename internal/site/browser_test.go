package site

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/words"
)

// The browser tests open the example ledger's site in a real headless
// Chromium. Without a browser they are skipped, unless
// TALLY_BROWSER_TESTS=1 (as CI sets it) makes that a failure.

// browserPath finds a Chromium to drive.
func browserPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("TALLY_BROWSER_TESTS") == "1" {
		t.Fatal("TALLY_BROWSER_TESTS=1 but no browser was found: install chromium (apt-get install chromium)")
	}
	t.Skip("no browser found (chromium): skipping the browser tests; set TALLY_BROWSER_TESTS=1 to make this a failure")
	return ""
}

// browser is one headless Chromium, with every console message and every
// request of its tab recorded.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	console  []string
	requests []string
}

func newBrowser(t *testing.T) *browser {
	exe := browserPath(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelTab := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", exe, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				b.mu.Lock()
				b.console = append(b.console, fmt.Sprintf("%s:%d: %s", m.URL, m.Line+1, m))
				b.mu.Unlock()
			}
		}
	}()
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func eval[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// open shows a page of the site at a width, as a phone or a desktop.
func (b *browser) open(url string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 900), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer")))
}

// screenshot saves the whole page where the test's artefacts go.
func (b *browser) screenshot(dir, name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// checkQuiet fails on any console error or warning, and on any request
// that leaves the site's folder.
func (b *browser) checkQuiet(root string) {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		b.t.Errorf("console: %s", m)
	}
	for _, u := range b.requests {
		if !strings.HasPrefix(u, root) {
			b.t.Errorf("a page requested %s, outside the site", u)
		}
	}
}

// audit lists what makes the open page hard to use with assistive
// technology or hard to read: missing landmarks, headings out of order,
// images and charts without a text alternative, and text with less than
// 4.5:1 contrast against its background (WCAG AA).
const audit = `(() => {
  const problems = ` + contrastAudit + `;
  for (const tag of ['header', 'nav', 'main', 'footer']) {
    if (!document.querySelector(tag)) problems.push('no <' + tag + '>');
  }
  if (document.querySelectorAll('main').length !== 1) problems.push('not one <main>');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not one <h1>');
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (level > last + 1) problems.push(h.tagName + ' "' + h.textContent + '" comes after h' + last);
    last = level;
  }
  // alt="" marks a picture that adds nothing to the text beside it, as a
  // logo beside its organisation's name.
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('image without alt text: ' + img.src);
    else if (!img.alt && !img.classList.contains('logo')) problems.push('image without alt text: ' + img.src);
  }
  for (const svg of document.querySelectorAll('svg')) {
    const ids = (svg.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    if (svg.getAttribute('role') !== 'img' || ids.length === 0 || ids.some(id => !document.getElementById(id))) {
      problems.push('chart without a text alternative');
    }
  }
  return problems;
})()`

// contrastAudit lists the text of the open page, or of a block embedded
// in another, with less than 4.5:1 contrast against its background.
const contrastAudit = `(() => {
  const problems = [];
  const parse = c => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const luminance = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || seen.has(el) || el.closest('svg') || el.getClientRects().length === 0) continue;
    seen.add(el);
    const a = luminance(parse(getComputedStyle(el).color)), b = luminance(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) problems.push('contrast ' + ratio.toFixed(2) + ':1 for "' + text.slice(0, 40) + '"');
  }
  return problems;
})()`

// checkContrast fails on text of the open page below 4.5:1.
func (b *browser) checkContrast(page string) {
	b.t.Helper()
	for _, p := range eval[[]string](b, contrastAudit) {
		b.t.Errorf("%s: %s", page, p)
	}
}

// checkAccessible fails on anything audit finds on the open page.
func (b *browser) checkAccessible(page string) {
	b.t.Helper()
	for _, p := range eval[[]string](b, audit) {
		b.t.Errorf("%s: %s", page, p)
	}
}

// artefacts is where screenshots go: TALLY_ARTIFACTS, else a new
// temporary folder shared by the tests of a run, never the repository.
func artefacts(t *testing.T) string {
	artefactsOnce.Do(func() {
		artefactsDir = os.Getenv("TALLY_ARTIFACTS")
		if artefactsDir == "" {
			artefactsDir, artefactsErr = os.MkdirTemp("", "tally-site-artefacts-")
		} else {
			artefactsErr = os.MkdirAll(artefactsDir, 0o755)
		}
	})
	if artefactsErr != nil {
		t.Fatal(artefactsErr)
	}
	t.Logf("screenshots in %s", artefactsDir)
	return artefactsDir
}

var (
	artefactsOnce sync.Once
	artefactsDir  string
	artefactsErr  error
)

// exampleSite writes the example ledger's site as of October 2026, with
// tiers and a lapsed partner, so that the featured partners are not simply
// the first ranked.
func exampleSite(t *testing.T) (Input, string) {
	b := book(t, "../../ledger")
	entries := []PartnerEntry{
		{ID: "northwind", Rank: 1, Featured: true, Standing: Good, Tier: "gold", Since: ledger.MustDate("2025-02-24")},
		{ID: "kieselstein", Rank: 2, Standing: Lapsed, Tier: "silver", Since: ledger.MustDate("2025-04-22")},
		{ID: "saffron-stack", Rank: 3, Featured: true, Standing: Good, Tier: "silver", Since: ledger.MustDate("2025-06-18")},
		{ID: "atelier-cobalt", Rank: 4, Featured: true, Standing: Warning, Tier: "bronze", Since: ledger.MustDate("2025-03-19")},
	}
	for _, e := range Entries(partner.NewEvaluator(b).NewDirectory(october)) { // their roadmaps, as the ledger has them
		for i := range entries {
			if entries[i].ID == e.ID {
				entries[i].Roadmap, entries[i].RoadmapLeft = e.Roadmap, e.RoadmapLeft
			}
		}
	}
	in, err := FromLedger(b, october, entries)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(in, dir, ""); err != nil {
		t.Fatal(err)
	}
	return in, dir
}

// visible lists the partners the directory shows, in order.
const visible = `Array.from(document.querySelectorAll('#directory [data-partner]'))
	.filter(e => e.getClientRects().length > 0).map(e => e.dataset.partner)`

func TestBrowserDirectory(t *testing.T) {
	b := newBrowser(t)
	in, dir := exampleSite(t)
	shots := artefacts(t)
	index := "file://" + dir + "/index.html"

	b.open(index, 1280)
	all := []string{"northwind", "saffron-stack", "atelier-cobalt", "kieselstein"} // featured first
	if got := eval[[]string](b, visible); !slices.Equal(got, all) {
		t.Fatalf("directory shows %v, want %v", got, all)
	}
	featured := eval[[]string](b, `Array.from(document.querySelectorAll('#directory .featured')).map(e => e.dataset.partner)`)
	if !slices.Equal(featured, all[:3]) {
		t.Errorf("featured cards %v, want %v", featured, all[:3])
	}
	// Featured cards are larger than the others.
	if w := eval[[]float64](b, `['northwind', 'kieselstein'].map(id => document.querySelector('[data-partner="'+id+'"]').getBoundingClientRect().width)`); w[0] <= w[1] {
		t.Errorf("a featured card is %.0f px wide, an ordinary one %.0f", w[0], w[1])
	}
	b.checkAccessible("index.html")
	b.screenshot(shots, "directory-1280.png")

	// Each option of each filter shows exactly the partners that have it.
	orgs := map[string]*ledger.Organization{}
	for _, p := range in.Partners {
		orgs[p.ID] = p.Org
	}
	for _, dim := range dimensions {
		options := eval[[]string](b, `Array.from(document.querySelectorAll('#filter-`+dim.Name+` option')).map(o => o.value).filter(v => v)`)
		if len(options) == 0 {
			t.Errorf("filter %s has no options", dim.Name)
		}
		for _, value := range options {
			b.do(chromedp.SetValue(chromedp.ID("filter-"+dim.Name), value),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('filter-`+dim.Name+`').dispatchEvent(new Event('change', {bubbles: true}))`))
			var want []string
			for _, id := range all {
				if slices.ContainsFunc(dim.values(orgs[id]), func(v string) bool { return token(v) == value }) {
					want = append(want, id)
				}
			}
			if got := eval[[]string](b, visible); !slices.Equal(got, want) {
				t.Errorf("%s = %s shows %v, want %v", dim.Name, value, got, want)
			}
			count := eval[string](b, `document.getElementById('filter-count').textContent`)
			if wantCount := fmt.Sprintf("%d of %d partners", len(want), len(all)); len(want) < len(all) && count != wantCount {
				t.Errorf("%s = %s: count says %q, want %q", dim.Name, value, count, wantCount)
			}
		}
		b.do(chromedp.Click(chromedp.CSS(`#filters button[type="reset"]`)))
		if got := eval[[]string](b, visible); !slices.Equal(got, all) {
			t.Errorf("after clearing %s the directory shows %v", dim.Name, got)
		}
	}

	// Two filters together: the partners that have both.
	b.do(chromedp.SetValue(chromedp.ID("filter-offering"), "saas"),
		chromedp.SetValue(chromedp.ID("filter-language"), "de"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('filter-language').dispatchEvent(new Event('change', {bubbles: true}))`))
	if got := eval[[]string](b, visible); !slices.Equal(got, []string{"kieselstein"}) {
		t.Errorf("SaaS in German shows %v, want [kieselstein]", got)
	}
	b.do(chromedp.SetValue(chromedp.ID("filter-language"), "hi"),
		chromedp.SetValue(chromedp.ID("filter-region"), "europe"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('filter-region').dispatchEvent(new Event('change', {bubbles: true}))`))
	if got := eval[[]string](b, visible); len(got) != 0 || !eval[bool](b, `!document.getElementById('filter-empty').hidden`) {
		t.Errorf("an impossible combination shows %v and no message", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#filters button[type="reset"]`)))
	if got := eval[[]string](b, visible); !slices.Equal(got, all) {
		t.Errorf("after clearing every filter the directory shows %v", got)
	}
	if values := eval[[]string](b, `Array.from(document.querySelectorAll('#filters select')).map(s => s.value)`); slices.ContainsFunc(values, func(v string) bool { return v != "" }) {
		t.Errorf("clearing left filters set: %q", values)
	}

	b.open(index, 390)
	if scroll := eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`); scroll {
		t.Error("the directory scrolls sideways on a phone")
	}
	b.screenshot(shots, "directory-390.png")

	// Without JavaScript there are no filters, and every partner is listed.
	if _, err := chromedp.Run(b.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	})); err != nil {
		t.Fatal(err)
	}
	b.open(index, 1280)
	if got := eval[[]string](b, visible); !slices.Equal(got, all) {
		t.Errorf("without JavaScript the directory shows %v", got)
	}
	if eval[bool](b, `document.getElementById('filters').getClientRects().length > 0`) {
		t.Error("without JavaScript the filters show, and cannot work")
	}
	b.checkQuiet("file://" + dir)
}

func TestBrowserPartnerPage(t *testing.T) {
	b := newBrowser(t)
	in, dir := exampleSite(t)
	shots := artefacts(t)
	for _, p := range in.Partners {
		b.open("file://"+dir+"/partners/"+p.ID+".html", 1280)
		b.checkAccessible("partners/" + p.ID + ".html")
		charts := eval[[]string](b, `Array.from(document.querySelectorAll('svg.chart')).filter(s => s.getBoundingClientRect().height > 50)
			.map(s => s.querySelector('title').textContent + ' | ' + s.querySelector('desc').textContent)`)
		if len(charts) != 2 || !strings.Contains(charts[0], "last quarter") || !strings.Contains(charts[1], "last 12 months") {
			t.Errorf("%s: charts %q", p.ID, charts)
		}
		if bars := eval[int](b, `document.querySelectorAll('svg.chart rect').length`); bars != 15 {
			t.Errorf("%s: %d bars, want 3 + 12", p.ID, bars)
		}
		people := eval[[]string](b, `Array.from(document.querySelectorAll('ul.people li')).map(li => li.textContent)`)
		var want []string
		for _, a := range p.Active {
			want = append(want, a.Name)
		}
		if !slices.Equal(people, want) || (p.ID == "northwind" && len(people) == 0) {
			t.Errorf("%s: active people %q, want %q", p.ID, people, want)
		}
		// Anja Keller is hidden: she contributed for Kieselstein, and
		// appears nowhere.
		if html := eval[string](b, `document.documentElement.outerHTML`); strings.Contains(html, "Anja Keller") || strings.Contains(html, "akeller") {
			t.Errorf("%s: the page shows a hidden person", p.ID)
		}
		if p.ID == "kieselstein" {
			b.screenshot(shots, "partner-1280.png")
			b.open("file://"+dir+"/partners/"+p.ID+".html", 390)
			if scroll := eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`); scroll {
				t.Error("the partner page scrolls sideways on a phone")
			}
			b.screenshot(shots, "partner-390.png")
		}
	}
	for _, page := range []string{"shout-out.html", "rules.html"} {
		b.open("file://"+dir+"/"+page, 1280)
		b.checkAccessible(page)
		if html := eval[string](b, `document.documentElement.outerHTML`); strings.Contains(html, "Anja Keller") {
			t.Errorf("%s shows a hidden person", page)
		}
		b.screenshot(shots, strings.TrimSuffix(page, ".html")+"-1280.png")
		b.open("file://"+dir+"/"+page, 390)
		if scroll := eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`); scroll {
			t.Errorf("%s scrolls sideways on a phone", page)
		}
		b.screenshot(shots, strings.TrimSuffix(page, ".html")+"-390.png")
	}
	b.checkQuiet("file://" + dir)
}

// TestBrowserSubPath serves the site under a sub-path, as GitHub Pages
// serves a project's site, and checks that its style sheet, script, pages
// and badges all load from there.
func TestBrowserSubPath(t *testing.T) {
	b := newBrowser(t)
	_, dir := exampleSite(t)
	srv := httptest.NewServer(http.StripPrefix("/lumen/", http.FileServer(http.Dir(dir))))
	defer srv.Close()
	root := srv.URL + "/lumen/"

	b.open(root+"index.html", 1280)
	if bg := eval[string](b, `getComputedStyle(document.querySelector('header')).backgroundColor`); bg != "rgb(31, 35, 40)" {
		t.Errorf("the style sheet did not apply: the header's background is %s", bg)
	}
	if eval[bool](b, `document.getElementById('filters').hidden`) {
		t.Error("the filter script did not run")
	}
	b.do(chromedp.Click(chromedp.CSS(`#directory [data-partner="saffron-stack"] h3 a`)), chromedp.WaitReady(chromedp.CSS("svg.chart")))
	if u := eval[string](b, `location.href`); u != root+"partners/saffron-stack.html" {
		t.Errorf("the card's link led to %s", u)
	}
	loaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`new Promise(done => {
		const img = document.querySelector('img[src$="saffron-stack.svg"]');
		if (img.complete) return done(img.naturalWidth > 0);
		img.addEventListener('load', () => done(true));
		img.addEventListener('error', () => done(false));
	})`, chromedp.EvalAwaitPromise))
	if err != nil || !loaded {
		t.Errorf("the badge did not load (%v)", err)
	}
	b.do(chromedp.Click(chromedp.CSS(`nav a[href$="rules.html"]`)), chromedp.WaitReady(chromedp.ID("apply")))
	if u := eval[string](b, `location.href`); u != root+"rules.html" {
		t.Errorf("the navigation led to %s", u)
	}
	b.checkQuiet(root)
}

// TestBrowserHealth opens the community health pages: their charts have
// text alternatives, every project is compared, an organisation's page
// names no hidden person, and each reads on a phone.
func TestBrowserHealth(t *testing.T) {
	b := newBrowser(t)
	in, dir := exampleSite(t)
	shots := artefacts(t)
	pages := []string{"health.html", "projects.html", "organizations.html", "organizations/kieselstein.html"}
	for _, page := range pages {
		url := "file://" + dir + "/" + page
		b.open(url, 1280)
		b.checkAccessible(page)
		if html := eval[string](b, `document.documentElement.outerHTML`); strings.Contains(html, "Anja Keller") || strings.Contains(html, "akeller") {
			t.Errorf("%s shows a hidden person", page)
		}
		name := strings.TrimSuffix(strings.ReplaceAll(page, "/", "-"), ".html")
		b.screenshot(shots, name+"-1280.png")
		b.open(url, 390)
		if scroll := eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`); scroll {
			t.Errorf("%s scrolls sideways on a phone", page)
		}
		b.screenshot(shots, name+"-390.png")
	}

	b.open("file://"+dir+"/health.html", 1280)
	charts := eval[[]string](b, `Array.from(document.querySelectorAll('svg.chart')).filter(s => s.getBoundingClientRect().height > 50)
		.map(s => s.querySelector('title').textContent + ' | ' + s.querySelector('desc').textContent)`)
	if len(charts) != 3 || !strings.HasPrefix(charts[0], "Time to merge") || !strings.HasPrefix(charts[1], "Contributors by onion layer") ||
		!strings.HasPrefix(charts[2], "New and returning") {
		t.Fatalf("health charts: %q", charts)
	}
	// The onion chart describes every month of the two years.
	for _, m := range in.Health.Overview.Months {
		if !strings.Contains(charts[1], words.Month(m.Month)+": "+strconv.Itoa(m.Core)+" core") {
			t.Errorf("the onion chart's description misses %s", words.Month(m.Month))
		}
	}
	if got := eval[int](b, `document.querySelectorAll('svg.chart')[1].querySelectorAll('rect').length`); got == 0 {
		t.Error("the onion chart has no bars")
	}

	b.open("file://"+dir+"/projects.html", 1280)
	var want []string
	for _, p := range in.Health.Overview.Projects {
		want = append(want, p.Project)
	}
	if got := eval[[]string](b, `Array.from(document.querySelectorAll('#compare ~ .scroll tbody th')).map(th => th.textContent)`); !slices.Equal(got, want) {
		t.Errorf("projects compared: %q, want %q", got, want)
	}

	// Every organisation's page is reached from the list.
	b.open("file://"+dir+"/organizations.html", 1280)
	links := eval[[]string](b, `Array.from(document.querySelectorAll('main tbody a')).map(a => a.getAttribute('href'))`)
	if len(links) != len(in.Health.Orgs) || len(links) == 0 {
		t.Errorf("organisations listed: %q", links)
	}
	b.do(chromedp.Click(chromedp.CSS(`main tbody a[href$="kieselstein.html"]`)), chromedp.WaitReady(chromedp.CSS("svg.chart")))
	if rows := eval[int](b, `document.querySelectorAll('#people ~ .scroll tbody tr').length`); rows == 0 {
		t.Error("Kieselstein's page lists nobody")
	}
	if !strings.Contains(eval[string](b, `document.querySelector('main').textContent`), "chose not to be listed") {
		t.Error("Kieselstein's page does not say that someone chose not to be listed")
	}
	b.checkQuiet("file://" + dir)
}

// noScript turns JavaScript off in the tab, for the pages that must work
// without it.
func (b *browser) noScript() {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	})); err != nil {
		b.t.Fatal(err)
	}
}

// colourScheme makes the tab prefer a light or dark colour scheme.
func (b *browser) colourScheme(scheme string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
	})); err != nil {
		b.t.Fatal(err)
	}
}

// openBare shows a page that is not one of the site's own (no footer to
// wait for).
func (b *browser) openBare(url string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 900), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS(".tally-featured")))
}

// loadedImages lists the images of the open page that have loaded, by
// their address, and fails on any that did not.
func (b *browser) loadedImages(page string) []string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[][]string](`Promise.all(Array.from(document.images).map(img =>
		img.decode().then(() => [img.getAttribute('src'), String(img.naturalWidth)], () => [img.getAttribute('src'), '0'])))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatal(err)
	}
	var out []string
	for _, img := range v {
		if img[1] == "0" {
			b.t.Errorf("%s: the image %s did not load", page, img[0])
			continue
		}
		out = append(out, img[0])
	}
	return out
}

// TestBrowserLogos: every partner shows its logo on its card and its page,
// the ledger's own or its initials drawn when it has none.
func TestBrowserLogos(t *testing.T) {
	b := newBrowser(t)
	in, dir := exampleSite(t)
	b.open("file://"+dir+"/index.html", 1280)
	got := b.loadedImages("index.html")
	want := []string{"logos/northwind.svg", "logos/saffron-stack.svg", "logos/atelier-cobalt.svg", "logos/kieselstein.svg"}
	if !slices.Equal(got, want) {
		t.Errorf("the cards show the logos %q, want %q", got, want)
	}
	for _, p := range in.Partners {
		b.open("file://"+dir+"/partners/"+p.ID+".html", 390)
		if got := b.loadedImages(p.ID); !slices.Contains(got, "../"+LogoPath(p.ID, p.Logo)) {
			t.Errorf("%s: its page shows %q, not its logo", p.ID, got)
		}
	}
	// Atelier Cobalt has no logo: its initials, white on a colour of its own.
	logo, err := os.ReadFile(filepath.Join(dir, "logos", "atelier-cobalt.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logo), ">AC</text>") || !strings.Contains(string(logo), LogoColour("atelier-cobalt")) {
		t.Errorf("Atelier Cobalt's drawn logo:\n%s", logo)
	}
	// Northwind's is the ledger's file, as it was checked.
	mine, _ := os.ReadFile("../../ledger/organizations/northwind.svg")
	if copied, _ := os.ReadFile(filepath.Join(dir, "logos", "northwind.svg")); len(mine) == 0 || !bytes.Equal(copied, mine) {
		t.Error("Northwind's logo is not the ledger's file")
	}
	b.checkQuiet("file://" + dir)
}

// TestBrowserEmbed: the featured partners to show on another site work
// without a script, in a frame and pasted into a page, on a phone, light
// or dark, and load nothing from outside the site.
func TestBrowserEmbed(t *testing.T) {
	b := newBrowser(t)
	_, dir := exampleSite(t)
	shots := artefacts(t)
	b.noScript()
	featured := []string{"Northwind Analytics Ltd", "Saffron Stack Technologies", "Atelier Cobalt"}
	names := `Array.from(document.querySelectorAll('.tally-featured li')).map(li => li.textContent)`
	links := `Array.from(document.querySelectorAll('.tally-featured li a')).map(a => a.href)`
	for _, scheme := range []string{"light", "dark"} {
		b.colourScheme(scheme)
		for _, width := range []int64{1280, 390} {
			b.openBare("file://"+dir+"/featured.html", width)
			if got := eval[[]string](b, names); !slices.Equal(got, featured) {
				t.Errorf("featured.html shows %q, want %q", got, featured)
			}
			if got := eval[[]string](b, links); len(got) != 3 || got[0] != "https://northwind.example/" {
				t.Errorf("featured.html links to %q", got)
			}
			if len(b.loadedImages("featured.html")) != 3 {
				t.Error("featured.html does not show three logos")
			}
			if eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`) {
				t.Errorf("featured.html scrolls sideways at %d px", width)
			}
			b.checkContrast("featured.html (" + scheme + ")")
			b.screenshot(shots, fmt.Sprintf("featured-%s-%d.png", scheme, width))
		}
	}
	b.colourScheme("light")

	// The embed page shows the frame and the code to copy.
	for _, width := range []int64{1280, 390} {
		b.open("file://"+dir+"/embed.html", width)
		b.checkAccessible("embed.html")
		if eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`) {
			t.Errorf("embed.html scrolls sideways at %d px", width)
		}
		b.screenshot(shots, fmt.Sprintf("embed-%d.png", width))
	}
	codes := eval[[]string](b, `Array.from(document.querySelectorAll('pre.copy code')).map(c => c.textContent)`)
	if len(codes) != 3 || !strings.HasPrefix(codes[0], `<iframe src="featured.html"`) || !strings.HasPrefix(codes[1], `<div class="tally-featured">`) {
		t.Fatalf("the embed page's code: %q", codes)
	}

	// Pasted into another page, the block takes that page's font and
	// colours.
	host := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head>
<body style="font-family: Georgia, serif; color: rgb(40, 20, 90); background: rgb(250, 248, 240)"><main><h1>Our project</h1>` + codes[1] + `</main></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "host.html"), []byte(host), 0o644); err != nil {
		t.Fatal(err)
	}
	b.openBare("file://"+dir+"/host.html", 390)
	if got := eval[[]string](b, names); !slices.Equal(got, featured) {
		t.Errorf("the pasted block shows %q", got)
	}
	style := eval[[]string](b, `(() => { const s = getComputedStyle(document.querySelector('.tally-featured li span')); return [s.fontFamily, s.color]; })()`)
	if !slices.Equal(style, []string{"Georgia, serif", "rgb(40, 20, 90)"}) {
		t.Errorf("the pasted block's font and colour are %q, not the page's", style)
	}
	if len(b.loadedImages("host.html")) != 3 {
		t.Error("the pasted block does not show three logos")
	}
	b.checkContrast("host.html")
	b.screenshot(shots, "pasted-390.png")
	b.checkQuiet("file://" + dir)
}

// TestBrowserShoutOuts: every month has its shout-out page, which leads
// to the months around it; the latest lists them all.
func TestBrowserShoutOuts(t *testing.T) {
	b := newBrowser(t)
	in, dir := exampleSite(t)
	shots := artefacts(t)
	b.open("file://"+dir+"/shout-out.html", 1280)
	months := eval[[]string](b, `Array.from(document.querySelectorAll('.months a')).map(a => a.getAttribute('href'))`)
	if len(months) != len(in.ShoutOuts) || months[0] != "shout-outs/2026-10.html" {
		t.Fatalf("the latest shout-out links to %q", months)
	}
	b.open("file://"+dir+"/shout-outs/2026-09.html", 1280)
	if h1 := eval[string](b, `document.querySelector('h1').textContent`); h1 != "Shout-outs for September 2026" {
		t.Errorf("September's page is titled %q", h1)
	}
	nav := eval[[]string](b, `Array.from(document.querySelectorAll('nav.months a')).map(a => a.textContent + ' ' + a.getAttribute('href'))`)
	if want := []string{"← August 2026 ../shout-outs/2026-08.html", "Every month ../shout-out.html#archive", "October 2026 → ../shout-outs/2026-10.html"}; !slices.Equal(nav, want) {
		t.Errorf("September's page leads to %q, want %q", nav, want)
	}
	b.checkAccessible("shout-outs/2026-09.html")
	// Links from a month's page lead back into the site.
	for _, href := range eval[[]string](b, `Array.from(document.querySelectorAll('main a')).map(a => a.href).filter(h => h.startsWith('file:'))`) {
		path := strings.TrimPrefix(strings.SplitN(href, "#", 2)[0], "file://")
		if _, err := os.Stat(path); err != nil {
			t.Errorf("September's page links to %s, which does not exist", href)
		}
	}
	b.open("file://"+dir+"/shout-outs/2026-09.html", 390)
	if eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Error("a month's shout-out scrolls sideways on a phone")
	}
	b.screenshot(shots, "shout-out-month-390.png")
	b.checkQuiet("file://" + dir)
}
