package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/sourcetest"
)

// fakeHost serves feeds as a web server does: with an ETag and a
// Last-Modified, and 304 Not Modified to a request that has them.
type fakeHost struct {
	*sourcetest.Server
	mu    sync.Mutex
	files map[string][]byte // path -> feed
	// fail lists answers to give before the real ones: "429", "503".
	fail []string
}

func newFakeHost(t *testing.T) *fakeHost {
	h := &fakeHost{files: map[string][]byte{}}
	for path, file := range map[string]string{"/blog/feed.xml": "blog.rss", "/podcast.xml": "podcast.rss", "/releases.atom": "releases.atom"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		h.files[path] = data
	}
	h.Server = sourcetest.NewServer(t, h.serve)
	return h
}

func (h *fakeHost) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.fail) > 0 {
		fail := h.fail[0]
		h.fail = h.fail[1:]
		if fail == "429" {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
		} else {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return
	}
	data, ok := h.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", "Mon, 02 Nov 2026 09:00:00 GMT")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(data)
}

func (h *fakeHost) put(path string, data []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.files[path] = data
}

const program = `name: Lumen
timezone: Europe/Berlin
leadership: [ruth]
scoring:
  - from: 2026-01-01
    kinds:
      blog_post: {weight: 3}
      podcast: {weight: 5}
      release_note: {weight: 1}
sources:
  feeds:
    - {url: https://lumen.example/blog/feed.xml, kind: blog_post}
    - {url: https://lumen.example/podcast.xml, kind: podcast}
    - {url: https://lumen.example/releases.atom, kind: release_note}
`

func feedLedger(t *testing.T, program string) string {
	return sourcetest.Ledger(t, program, map[string]string{"people/ruth.yaml": "name: Ruth Example\nidentities: {feed: Ruth Example}\n"})
}

func credits(res source.Result) []string {
	var out []string
	for _, c := range res.Credits {
		out = append(out, fmt.Sprintf("%s | %s | %s | %s | %s | %s", c.ID, c.Who, c.Kind, c.Date, c.URL, c.Title))
	}
	return out
}

func TestCredits(t *testing.T) {
	h := newFakeHost(t)
	dir := feedLedger(t, program)
	res := sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{
		"feeds:lumen.example/podcast.xml#lt-0011 | feed:The Lumen Team | podcast | 2026-09-29 |  | Episode 11: Trailer",
		"feeds:https://lumen.example/blog/a-name-in-the-author | feed:Matt Oduya | blog_post | 2026-10-01 | https://lumen.example/blog/a-name-in-the-author | A name in the author",
		"feeds:tag:code.lumen.example,2008:Repository/4411/v4.1.1 | feed:Lumen maintainers | release_note | 2026-10-05 | https://code.lumen.example/lumen/lumen/releases/tag/v4.1.1 | v4.1.1",
		"feeds:https://lumen.example/blog/funnels-faster | feed:Ruth Example | blog_post | 2026-10-06 | https://lumen.example/blog/funnels-faster | Funnels, faster",
		"feeds:lumen.example/podcast.xml#lt-0012 | feed:Aiko Tanaka | podcast | 2026-10-13 |  | Episode 12: Self-hosting at scale",
		"feeds:tag:code.lumen.example,2008:Repository/4411/v4.2.0 | feed:lena-v | release_note | 2026-10-19 | https://code.lumen.example/lumen/lumen/releases/tag/v4.2.0 | v4.2.0",
		// 23:30 in California on 31 October is 1 November in Berlin.
		"feeds:lumen.example/blog/feed.xml#post-2271 | feed:Tomás Varga | blog_post | 2026-11-01 | https://lumen.example/blog/consent-mode | Consent mode & you",
	}
	if got := credits(res); !slices.Equal(got, want) {
		t.Errorf("credits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if what := res.Streams[0].What; what != "5 items read, 1 without a date, 1 without an author" {
		t.Errorf("blog: %s", what)
	}
	// No e-mail address is written, and none is in the list of handles.
	for _, p := range []string{"credits/2026/09/feeds.yaml", "credits/2026/10/feeds.yaml", "credits/2026/11/feeds.yaml"} {
		if shard := sourcetest.Read(t, dir, p); shard == "" || strings.Contains(shard, "@") {
			t.Errorf("%s:\n%s", p, shard)
		}
	}
	if shard := sourcetest.Read(t, dir, "credits/2026/10/feeds.yaml"); !strings.Contains(shard, "    who: feed:Ruth Example\n") {
		t.Errorf("shard:\n%s", shard)
	}
	if _, ok := res.Unowned["feed:Ruth Example"]; ok || len(res.Unowned) != 6 {
		t.Errorf("unowned: %v", res.Unowned)
	}
	state := sourcetest.Read(t, dir, "sources/feeds.yaml")
	if !strings.Contains(state, "  https://lumen.example/podcast.xml:\n    etag: \"\\\"8babd765e5d37bfc\\\"\"\n    last_modified: \"Mon, 02 Nov 2026 09:00:00 GMT\"\n") {
		t.Errorf("state:\n%s", state)
	}

	// Again: one conditional request per feed, each answered 304.
	n := h.Count()
	again := sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL})
	if again.Err != nil || len(again.Credits) != 0 || again.Written.State || again.Stats.Requests != 3 {
		t.Errorf("second run: %+v", again)
	}
	for _, r := range h.Requests()[n:] {
		if r.Header.Get("If-None-Match") == "" || r.Header.Get("If-Modified-Since") != "Mon, 02 Nov 2026 09:00:00 GMT" {
			t.Errorf("not conditional: %v", r.Header)
		}
	}
	if again.Streams[0].What != "not changed since the last run" {
		t.Errorf("streams %+v", again.Streams)
	}
	// --since asks for everything again: no validators.
	n = h.Count()
	sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL, Since: time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC)})
	for _, r := range h.Requests()[n:] {
		if r.Header.Get("If-None-Match") != "" {
			t.Errorf("conditional with --since: %v", r.Header)
		}
	}
}

// TestAuthors: who an item's author is, by the rules.
func TestAuthors(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"Ruth Example", "Someone Else"}, "Ruth Example"},
		{[]string{"", "", "lawyer@boyer.example (Lawyer Boyer)"}, "Lawyer Boyer"},
		{[]string{"Lena Vogt <lena@lumen.example>"}, "Lena Vogt"},
		{[]string{"editor@lumen.example", "The Team"}, "The Team"},
		{[]string{"Omar (omar@lumen.example)"}, "Omar"},
		{[]string{"David Smith in Washington"}, "David Smith in Washington"},
		{[]string{"  Ines\n\tDuarte "}, "Ines Duarte"},
		{[]string{"press@lumen.example"}, ""},
	} {
		if got := author(c.in...); got != c.want {
			t.Errorf("author(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for s, want := range map[string]string{
		"Tue, 03 Jun 2003 09:39:21 GMT":  "2003-06-03T09:39:21Z",
		"Tue, 01 Oct 2019 14:30:00 PST":  "2019-10-01T22:30:00Z",
		"01 Oct 19 14:30 EDT":            "2019-10-01T18:30:00Z",
		"Tue, 6 Dec 2016 17:17:00 +0100": "2016-12-06T16:17:00Z",
		"yesterday":                      "0001-01-01T00:00:00Z",
	} {
		if got := rssDate(s).UTC().Format(time.RFC3339); got != want {
			t.Errorf("rssDate(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestFaults: a 429 is waited out and a 503 retried; a feed that cannot
// be read stops its source and says which.
func TestFaults(t *testing.T) {
	h := newFakeHost(t)
	h.fail = []string{"429", "503"}
	res := sourcetest.Ingest(t, feedLedger(t, program), Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err != nil || len(res.Credits) != 7 || res.Stats.Waited != 3*time.Second+time.Second {
		t.Errorf("%v, %d credits, waited %s", res.Err, len(res.Credits), res.Stats.Waited)
	}
	h.put("/podcast.xml", []byte("<html><body>Moved</body></html>"))
	res = sourcetest.Ingest(t, feedLedger(t, program), Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err == nil || res.Err.Error() != "https://lumen.example/podcast.xml: the document is <html>, not an RSS 2.0 <rss> or an Atom <feed>" || len(res.Credits) != 3 {
		t.Errorf("%v, %d credits", res.Err, len(res.Credits))
	}
	if strings.Join(res.NotReached, ",") != "https://lumen.example/releases.atom" {
		t.Errorf("not reached: %q", res.NotReached)
	}
}

// TestBudget: a run stopped by the budget saves the feeds it read; the
// next reads the rest.
func TestBudget(t *testing.T) {
	h := newFakeHost(t)
	dir := feedLedger(t, program)
	res := sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL, Budget: 1})
	if stop, ok := errors.AsType[*httpc.StoppedError](res.Err); !ok || stop.Reason != "budget" || len(res.Credits) != 3 {
		t.Fatalf("%v, %d credits", res.Err, len(res.Credits))
	}
	res = sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err != nil || len(res.Credits) != 4 || res.Streams[0].What != "not changed since the last run" {
		t.Errorf("%v, %d credits, %+v", res.Err, len(res.Credits), res.Streams)
	}
}

// TestLargeFeed: a feed of 1,000 items is one request; after 10 new
// items, one again; unchanged, one answered 304.
func TestLargeFeed(t *testing.T) {
	h := newFakeHost(t)
	episodes := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Big</title><itunes:author>Host</itunes:author>`)
		for i := n; i > 0; i-- {
			at := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * 24 * time.Hour)
			fmt.Fprintf(&b, `<item><title>Episode %d</title><guid isPermaLink="false">ep-%d</guid><pubDate>%s</pubDate></item>`, i, i, at.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		return []byte(b.String())
	}
	h.put("/podcast.xml", episodes(1000))
	p := strings.Replace(program, "2026-01-01", "2024-01-01", 1)
	dir := feedLedger(t, strings.Split(p, "    - {url: https://lumen.example/blog")[0]+"    - {url: https://lumen.example/podcast.xml, kind: podcast}\n")
	res := sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err != nil || len(res.Credits) != 1000 || res.Stats.Requests != 1 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	h.put("/podcast.xml", episodes(1010))
	res = sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err != nil || len(res.Credits) != 10 || res.Present != 1000 || res.Stats.Requests != 1 {
		t.Errorf("incremental run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	res = sourcetest.Ingest(t, dir, Feeds{}, sourcetest.Options{APIURL: h.URL})
	if res.Err != nil || res.Stats.Requests != 1 || res.Streams[0].What != "not changed since the last run" {
		t.Errorf("unchanged: %v, %d requests", res.Err, res.Stats.Requests)
	}
	t.Logf("feeds: a feed of 1,000 items: 1 request; after 10 new: 1; unchanged: 1 (304)")
}

// TestSharedFeeds reads the real feeds of ../shared/data, where they are.
func TestSharedFeeds(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "feeds")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/data is absent:", err)
	}
	base, _ := url.Parse("https://example.org/feed")
	for file, want := range map[string]string{
		"rss2sample.xml":                        "Star City | http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp | 2003-06-03T09:39:21Z | \n", // the editor is an address: no one
		"rss-parser_giantbomb-podcast.rss":      "| 2019-10-01T22:30:00Z | Giant Bomb",
		"rss-parser_guardian.rss":               "| David Smith in Washington",
		"rss-parser_medium-content-encoded.rss": "| Jeremy Puma",
		"perceval_couchbase-blog.rss":           "| Matthew Groves",
		"rss-parser_gulp-github-releases.atom":  "https://example.org/gulpjs/gulp/releases/tag/v3.9.0 | 2015-06-01T21:49:41Z | contra",
		"rss-parser_heise.atom":                 "| heise online",
	} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		items, err := parse(data, base)
		if err != nil || len(items) == 0 {
			t.Errorf("%s: %v", file, err)
			continue
		}
		var all []string
		for _, it := range items {
			if strings.Contains(it.author, "@") {
				t.Errorf("%s: author %q", file, it.author)
			}
			all = append(all, fmt.Sprintf("%s | %s | %s | %s", it.title, it.link, it.at.UTC().Format(time.RFC3339), it.author))
		}
		if !strings.Contains(strings.Join(all, "\n"), want) {
			t.Errorf("%s: no item has %q:\n%s", file, want, strings.Join(all, "\n"))
		}
	}
}
