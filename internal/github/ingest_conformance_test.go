package github

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/github/githubtest"
)

// TestRecordedPagination replays a real recording of the issues list over
// five pages, whose next links take the /repositories/{id}/issues form.
// Every issue in it was updated in the same second, so asking from the
// last update read would give the first page again: ingestion takes the
// next page by number and reads every page once.
func TestRecordedPagination(t *testing.T) {
	dir := githubtest.SharedData(t, "octokit-fixtures", "paginate-issues", "pages")
	var srv *httptest.Server
	var asked []string
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.RequestURI())
		if r.URL.Path != "/repos/octokit-fixture-org/paginate-issues/issues" && r.URL.Path != "/repositories/1000/issues" {
			http.NotFound(w, r)
			return
		}
		page := r.URL.Query().Get("page")
		if page == "" {
			page = "1"
		}
		var meta struct {
			Headers map[string]any `json:"headers"`
		}
		githubtest.ReadJSON(t, filepath.Join(dir, "page-"+page+".meta.json"), &meta)
		body, err := os.ReadFile(filepath.Join(dir, "page-"+page+".body.json"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		for _, h := range []string{"link", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-resource"} {
			if v, ok := meta.Headers[h]; ok {
				w.Header().Set(h, strings.ReplaceAll(fmt.Sprint(v), "https://api.github.com", srv.URL))
			}
		}
		w.Header().Set("x-ratelimit-reset", "1507651200") // the recording's, in seconds
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
	defer srv.Close()

	l, err := LoadIngestLedger(filepath.Join("testdata", "ledger"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := newIngestion(IngestOptions{Repos: []string{"octokit-fixture-org/paginate-issues"}, APIURL: srv.URL, Ledger: l, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	var rs IngestRepo
	wm, err := in.issues(context.Background(), "octokit-fixture-org", "paginate-issues", "", &rs)
	if err != nil {
		t.Fatal(err)
	}
	if rs.IssueRequests != 5 || len(asked) != 5 {
		t.Errorf("%d requests, want 5:\n%s", rs.IssueRequests, strings.Join(asked, "\n"))
	}
	for i, a := range asked[1:] {
		if !strings.Contains(a, fmt.Sprintf("page=%d", i+2)) {
			t.Errorf("request %d: %s", i+2, a)
		}
	}
	if wm != "2017-10-10T16:00:00Z" {
		t.Errorf("watermark %q", wm)
	}
	rate := in.hc.Stats().Rate
	if !rate.Known || rate.Limit != 5000 || rate.Remaining != 4999 || !rate.Reset.Equal(time.Unix(1507651200, 0)) {
		t.Errorf("rate %+v", rate)
	}
}

// TestExampleLedgerState checks that the watermarks file of the bundled
// ledger is written back byte for byte when nothing moved, so that a run
// with nothing new changes nothing.
func TestExampleLedgerState(t *testing.T) {
	dir := filepath.Join("..", "..", "ledger")
	l, err := LoadIngestLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(filepath.Join(dir, "sources", "github.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := renderState(old, mergeState(l, nil))
	if err != nil || string(got) != string(old) {
		t.Errorf("%v\n%s\nwant:\n%s", err, got, old)
	}
}
