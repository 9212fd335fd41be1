package discussions

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/source/sourcetest"
)

// fakeDiscussion is a discussion of the fake API; Answer nil when it has
// none.
type fakeDiscussion struct {
	Number  int
	Title   string
	Updated time.Time
	Answer  *fakeAnswer
}

type fakeAnswer struct {
	ID      int64
	Login   string // "" for a deleted account
	Bot     bool
	Created time.Time
}

// fakeGitHub answers POST /graphql as GitHub does for the query of
// answered discussions: newest update first, pages of at most 100 with
// opaque cursors, errors with a 200, x-ratelimit headers and rateLimit.
type fakeGitHub struct {
	*sourcetest.Server
	token string

	mu    sync.Mutex
	repos map[string][]fakeDiscussion
	// fail, when set, answers request n (from 1) instead, if it says so.
	fail func(n int, w http.ResponseWriter) bool
	// ignoreAnswered lists unanswered discussions too.
	ignoreAnswered bool
}

func newFakeGitHub(t testing.TB, token string, repos map[string][]fakeDiscussion) *fakeGitHub {
	f := &fakeGitHub{token: token, repos: repos}
	f.Server = sourcetest.NewServer(t, f.serve)
	return f
}

// add adds discussions to a repository, as if they were opened since.
func (f *fakeGitHub) add(repo string, ds ...fakeDiscussion) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repos[repo] = append(f.repos[repo], ds...)
}

// reset is when the fake's rate limit window resets.
var reset = time.Date(2026, 11, 1, 12, 30, 0, 0, time.UTC)

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	n := f.Count() // this one included
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail != nil && fail(n, w) {
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.Method != http.MethodPost || r.URL.Path != "/graphql" {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/graphql"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/graphql"}`)
		return
	}
	var req struct {
		Query     string `json:"query"`
		Variables struct {
			Owner, Name string
			First       int
			After       *string
		} `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"Problems parsing JSON","documentation_url":"https://docs.github.com/graphql"}`)
		return
	}
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(5000-n))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	w.Header().Set("X-RateLimit-Resource", "graphql")
	v := req.Variables
	if v.First < 1 || v.First > 100 {
		fmt.Fprintf(w, `{"data":{"repository":null},"errors":[{"path":["query","repository","discussions","first"],"extensions":{"code":"argumentLiteralsIncompatible"},"locations":[{"line":3,"column":5}],"message":"Requesting %d records on the connection exceeds the first limit of 100 records."}]}`, v.First)
		return
	}
	repo := v.Owner + "/" + v.Name
	f.mu.Lock()
	all, ok := f.repos[repo]
	var list []fakeDiscussion
	for _, d := range all {
		if d.Answer != nil || f.ignoreAnswered || !strings.Contains(req.Query, "answered: true") {
			list = append(list, d)
		}
	}
	f.mu.Unlock()
	if !ok {
		fmt.Fprintf(w, `{"data":{"repository":null},"errors":[{"type":"NOT_FOUND","path":["repository"],"locations":[{"line":2,"column":3}],"message":"Could not resolve to a Repository with the name '%s'."}]}`, repo)
		return
	}
	slices.SortFunc(list, func(a, b fakeDiscussion) int { return cmp.Or(b.Updated.Compare(a.Updated), b.Number-a.Number) })
	offset := 0
	if v.After != nil {
		raw, _ := base64.StdEncoding.DecodeString(*v.After)
		offset, _ = strconv.Atoi(strings.TrimPrefix(string(raw), "cursor:"))
	}
	end := min(offset+v.First, len(list))
	page := list[min(offset, end):end]
	nodes := []any{}
	for _, d := range page {
		node := map[string]any{
			"number": d.Number, "title": d.Title, "updatedAt": d.Updated.Format(time.RFC3339),
			"url": fmt.Sprintf("https://github.com/%s/discussions/%d", repo, d.Number), "answer": nil,
		}
		if a := d.Answer; a != nil {
			var author any
			if a.Login != "" {
				author = map[string]any{"__typename": map[bool]string{false: "User", true: "Bot"}[a.Bot], "login": a.Login}
			}
			node["answer"] = map[string]any{
				"databaseId": a.ID, "createdAt": a.Created.Format(time.RFC3339), "author": author,
				"url": fmt.Sprintf("https://github.com/%s/discussions/%d#discussioncomment-%d", repo, d.Number, a.ID),
			}
		}
		nodes = append(nodes, node)
	}
	var endCursor any
	if end > 0 {
		endCursor = base64.StdEncoding.EncodeToString([]byte("cursor:" + strconv.Itoa(end)))
	}
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{
		"repository": map[string]any{"discussions": map[string]any{
			"totalCount": len(list),
			"pageInfo":   map[string]any{"hasNextPage": end < len(list), "endCursor": endCursor},
			"nodes":      nodes,
		}},
		"rateLimit": map[string]any{"limit": 5000, "cost": 1, "remaining": 5000 - n, "used": n, "resetAt": reset.Format(time.RFC3339)},
	}})
}
