package sourcetest

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// Lines are credits as "id who kind date", one a line, to compare with
// what a test expects.
func Lines(credits []ledger.Credit) string {
	var b strings.Builder
	for _, c := range credits {
		fmt.Fprintf(&b, "%s %s %s %s\n", c.ID, c.Who, c.Kind, c.Date)
	}
	return b.String()
}

// Written is what ingestion writes into the ledger at dir, credits/ and
// sources/, as one text: two ledgers that got the same credits and marks
// read the same.
func Written(tb testing.TB, dir string) string {
	tb.Helper()
	var b strings.Builder
	for _, sub := range []string{"credits", "sources"} {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(&b, "-- %s --\n%s", filepath.ToSlash(rel), data)
			return err
		})
		if err != nil && !os.IsNotExist(err) {
			tb.Fatal(err)
		}
	}
	return b.String()
}

// Elsewhere is a server on another origin than a fake API's, for the
// fake to redirect to: it answers 502 Bad Gateway.
func Elsewhere(tb testing.TB) *Server {
	return NewServer(tb, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
}

// CheckSecret checks where a run sent secret: in every request to api as
// the header name, whose value is want, nowhere else in them, and never
// to other, which api redirected a request to.
func CheckSecret(tb testing.TB, api, other *Server, secret, name, want string) {
	tb.Helper()
	if w := api.Where(secret); strings.Join(w, ",") != "header "+http.CanonicalHeaderKey(name) {
		tb.Errorf("the secret went to %v", w)
	}
	for _, r := range api.Requests() {
		if r.Header.Get(name) != want {
			tb.Errorf("%s %s: %s is %q", r.Method, r.Path, name, r.Header.Get(name))
		}
	}
	if other.Count() == 0 || len(other.Where(secret)) != 0 {
		tb.Errorf("the other origin got %d requests, the secret in %v", other.Count(), other.Where(secret))
	}
}
