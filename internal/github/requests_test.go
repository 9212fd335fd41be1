package github

import (
	"fmt"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/github/githubtest"
)

// TestRequestsAtScale: a first run over 1,000 merged pull requests (every
// other one reviewed) costs a list request per 100 and one review request
// each; a run after 10 new ones costs what they need and no more.
func TestRequestsAtScale(t *testing.T) {
	a := newIngestAPI(t, ingestNow)
	a.RateLimit = 1 << 30
	add := func(from, n int) {
		for i := from; i < from+n; i++ {
			at := ingestBase.Add(time.Duration(i) * 40 * time.Minute)
			a.PutPull(mergedPull(i, fmt.Sprintf("dev%d", i%50), fmt.Sprintf("Change %d", i), at))
			if i%2 == 0 {
				a.PutReview(i, githubtest.Review{ID: 10000 + i, Login: fmt.Sprintf("dev%d", (i+1)%50), State: "APPROVED", Submitted: at.Add(-time.Minute)})
			}
		}
	}
	add(1, 1000)
	dir := copyIngestLedger(t)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil || sum.Requests != 10+1000+1+1 {
		t.Fatalf("first run: %v, %d requests", err, sum.Requests)
	}
	add(1001, 10)
	sum, _, err = ingestAndWrite(t, a, dir, IngestOptions{})
	// One list page, the reviews of the 10 and of the one at the
	// watermark, the issues and the releases.
	if err != nil || sum.Requests != 1+11+1+1 {
		t.Errorf("incremental run: %v, %d requests", err, sum.Requests)
	}
	t.Logf("github: first run over 1,000 pull requests: %d requests; after 10 new: %d", 10+1000+1+1, sum.Requests)
}
