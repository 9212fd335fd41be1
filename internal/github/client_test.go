package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
)

// TestTokenStaysWithTheAPI: a 307 from the API to another host is
// followed without the token.
func TestTokenStaysWithTheAPI(t *testing.T) {
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		fmt.Fprint(w, `{"full_name": "acme/widget"}`)
	}))
	defer other.Close()
	var atAPI string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atAPI = r.Header.Get("Authorization")
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	c, err := NewClient(ClientOptions{APIURL: api.URL, Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	repo, _, err := c.Repositories.Get(context.Background(), "acme", "widget")
	if err != nil || repo.GetFullName() != "acme/widget" {
		t.Fatalf("%v %v", repo, err)
	}
	if atAPI != "Bearer t0ken" {
		t.Errorf("the API got Authorization %q", atAPI)
	}
	if len(got) != 1 || got[0] != "" {
		t.Errorf("the other host got Authorization %q", got)
	}
}

// TestIngestStalledBody: a page whose body stops coming fails the run
// once the deadline has passed on every retry, and says so; what came
// before is kept.
func TestIngestStalledBody(t *testing.T) {
	a := newWidgetAPI(t)
	a.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if !strings.HasSuffix(r.URL.Path, "/issues") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4000")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, `[{"number":1,"state":"closed","title":"Cha`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		return true
	}
	_, _, err := ingestAndWrite(t, a, copyIngestLedger(t), IngestOptions{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, httpc.ErrTimeout) || !strings.Contains(err.Error(), "lumen/widget: listing issues: ") ||
		!strings.Contains(err.Error(), "no complete answer within 50ms") {
		t.Fatalf("%v, want a timeout listing the issues", err)
	}
}
