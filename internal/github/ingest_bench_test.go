package github

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/ledger"
)

// BenchmarkIngest ingests a month of a busy repository from the fake API:
// 1,000 pull requests updated, every other one reviewed, 200 issues, and
// reports the requests a run takes.
func BenchmarkIngest(b *testing.B) {
	a := newIngestAPI(b, ingestNow)
	a.RateLimit = 1 << 30 // many runs in one window
	for i := 1; i <= 1000; i++ {
		at := ingestBase.Add(time.Duration(i) * 40 * time.Minute)
		a.PutPull(mergedPull(i, fmt.Sprintf("dev%d", i%50), fmt.Sprintf("Change %d", i), at))
		if i%2 == 0 {
			a.PutReview(i, githubtest.Review{ID: 10000 + i, Login: fmt.Sprintf("dev%d", (i+1)%50), State: "APPROVED", Submitted: at.Add(-time.Minute)})
		}
	}
	for i := 1; i <= 200; i++ {
		at := ingestBase.Add(time.Duration(i) * 3 * time.Hour)
		a.PutIssue(closedIssue(5000+i, "An issue", "completed", at, fmt.Sprintf("dev%d", i%50)))
	}
	l, err := LoadIngestLedger(filepath.Join("testdata", "ledger"))
	if err != nil {
		b.Fatal(err)
	}
	opt := IngestOptions{Repos: []string{widgetRepo}, APIURL: a.URL, Token: ingestToken, HTTPClient: a.Client(),
		Ledger: l, Now: a.Clock.Now, Sleep: a.Clock.Sleep}
	b.ReportAllocs()
	var requests int
	for b.Loop() {
		sum, err := Ingest(context.Background(), opt)
		if err != nil {
			b.Fatal(err)
		}
		requests = sum.Requests
	}
	b.ReportMetric(float64(requests), "requests/op")
}

const creditsSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/credits.schema.json"

// BenchmarkWriteIngest splices 1,000 new credits into a month's shard that
// holds 10,000.
func BenchmarkWriteIngest(b *testing.B) {
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "ledger"))); err != nil {
		b.Fatal(err)
	}
	var old []ledger.ShardEntry
	var add []ledger.Credit
	for i := range 11000 {
		c := ledger.Credit{ID: fmt.Sprintf("github:lumen/widget#%d", i+100), Who: "github:dev", Kind: KindPullRequest,
			Date: ledger.Date(20261001 + i%28), URL: fmt.Sprintf("https://github.com/lumen/widget/pull/%d", i+100),
			Title: "A change", Project: widgetRepo}
		if i%11 == 0 {
			add = append(add, c)
		} else {
			old = append(old, ledger.CreditEntry(c))
		}
	}
	sortIngestEntries(old)
	text, err := ledger.SpliceShard(nil, "credits", creditsSchema, old)
	if err != nil {
		b.Fatal(err)
	}
	shard := filepath.Join(dir, "credits", "2026", "10", "github.yaml")
	l, err := LoadIngestLedger(dir)
	if err != nil {
		b.Fatal(err)
	}
	sortIngestCredits(add)
	b.ReportAllocs()
	for b.Loop() {
		if err := os.WriteFile(shard, text, 0o644); err != nil {
			b.Fatal(err)
		}
		if _, err := WriteIngest(dir, l, IngestSummary{Credits: add}); err != nil {
			b.Fatal(err)
		}
	}
}

func sortIngestEntries(es []ledger.ShardEntry) {
	slices.SortFunc(es, func(a, b ledger.ShardEntry) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.ID, b.ID))
	})
}

func sortIngestCredits(cs []ledger.Credit) {
	slices.SortFunc(cs, func(a, b ledger.Credit) int { return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.ID, b.ID)) })
}
