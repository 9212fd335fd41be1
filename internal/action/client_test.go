package action

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestClientRetriesAServerError: the action's client asks again after a
// 502, as ingestion does, and the second answer is the one it reads.
func TestClientRetriesAServerError(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, `{"full_name": "acme/ledger", "default_branch": "main"}`)
	}))
	defer srv.Close()
	rt, _ := newTestRuntime(t, env{"INPUT_COMMAND": "monthly", "INPUT_GITHUB_TOKEN": "s3cret", "GITHUB_REPOSITORY": "acme/ledger", "GITHUB_API_URL": srv.URL})
	var slept []time.Duration
	e := &Env{Runtime: rt, HTTPClient: srv.Client(),
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	c, err := e.config()
	if err != nil {
		t.Fatal(err)
	}
	client, err := e.client(c)
	if err != nil {
		t.Fatal(err)
	}
	repo, _, err := client.Repositories.Get(context.Background(), "acme", "ledger")
	if err != nil || repo.GetDefaultBranch() != "main" {
		t.Fatalf("%v %v", repo, err)
	}
	if calls.Load() != 2 || !slices.Equal(slept, []time.Duration{time.Second}) {
		t.Errorf("%d requests, slept %v; want 2 and one second", calls.Load(), slept)
	}
}
