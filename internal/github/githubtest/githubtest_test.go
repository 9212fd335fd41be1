package githubtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/github/githubtest"
)

// get asks the fake for path and decodes the answer into v.
func get(t *testing.T, s *githubtest.Server, path string, v any) http.Header {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.Header
}

// TestPagesAsRecorded asks for the pages of a recording of
// api.github.com as the client that recorded it did, and gets the same
// Link headers, the same issues in the same order, shaped as the real
// ones.
func TestPagesAsRecorded(t *testing.T) {
	dir := githubtest.SharedData(t, "octokit-fixtures", "paginate-issues", "pages")
	s := githubtest.New(t, "octokit-fixture-org", "paginate-issues")
	s.Token = "t0ken"
	s.ID = 1000
	at := time.Date(2017, 10, 10, 16, 0, 0, 0, time.UTC)
	for n := 1; n <= 13; n++ {
		s.PutIssue(githubtest.Issue{Number: n, Title: fmt.Sprintf("Test issue %d", n), Author: "octokit-fixture-user", Created: at})
	}
	for page := 1; page <= 5; page++ {
		var meta struct {
			Request struct{ Path string }
			Headers map[string]any
		}
		githubtest.ReadJSON(t, filepath.Join(dir, fmt.Sprintf("page-%d.meta.json", page)), &meta)
		var real, ours []map[string]any
		githubtest.ReadJSON(t, filepath.Join(dir, fmt.Sprintf("page-%d.body.json", page)), &real)
		h := get(t, s, meta.Request.Path, &ours)
		if want := strings.ReplaceAll(meta.Headers["link"].(string), "https://api.github.com", s.URL); h.Get("Link") != want {
			t.Errorf("page %d: Link\n%s\nwant\n%s", page, h.Get("Link"), want)
		}
		if len(ours) != len(real) {
			t.Fatalf("page %d: %d issues, want %d", page, len(ours), len(real))
		}
		for i := range real {
			if ours[i]["number"] != real[i]["number"] {
				t.Errorf("page %d, item %d: #%v, want #%v", page, i, ours[i]["number"], real[i]["number"])
			}
			sameShape(t, fmt.Sprintf("page %d: issue", page), ours[i], real[i])
		}
	}
}

// TestShapesAsDocumented checks what the fake answers against the API
// description's examples: every field it gives, the real API has, with
// the same JSON type.
func TestShapesAsDocumented(t *testing.T) {
	dir := githubtest.SharedData(t, "rest-api-description")
	s := githubtest.New(t, "lumen", "widget")
	at := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	s.PutPull(githubtest.Pull{Number: 1, State: "closed", Title: "A change", Author: "someone", Head: "change", Base: "main",
		Assignees: []string{"helper"}, Merged: at})
	s.PutReview(1, githubtest.Review{Login: "reviewer", State: "APPROVED"})
	s.PutIssue(githubtest.Issue{Number: 2, Title: "A problem", Author: "reporter", StateReason: "completed", Closed: at, Assignees: []string{"helper"}})
	s.AddComment(2, "reporter", "Still there")
	for _, c := range []struct{ path, example string }{
		{"/repos/lumen/widget/pulls?state=all", "pulls__list.json"},
		{"/repos/lumen/widget/pulls/1/reviews", "pulls__list-reviews.json"},
		{"/repos/lumen/widget/issues?state=all", "issues__list-for-repo.json"},
		{"/repos/lumen/widget/issues/2/comments", "issues__list-comments.json"},
	} {
		var real, ours []map[string]any
		githubtest.ReadJSON(t, filepath.Join(dir, c.example), &real)
		get(t, s, c.path, &ours)
		if len(ours) == 0 {
			t.Fatalf("%s: nothing", c.path)
		}
		for _, item := range ours {
			sameShape(t, c.path, item, real[0])
		}
	}
	for _, c := range []struct{ path, example string }{
		{"/repos/lumen/widget/pulls/1", "pulls__get.json"},
		{"/repos/lumen/widget/issues/2", "issues__get.json"},
	} {
		var real, ours map[string]any
		githubtest.ReadJSON(t, filepath.Join(dir, c.example), &real)
		get(t, s, c.path, &ours)
		sameShape(t, c.path, ours, real)
	}
}

// send makes a request with a JSON body and returns its status.
func send(t *testing.T, s *githubtest.Server, method, path, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestConversationPerRepository: each repository numbers its issues and
// pull requests in one sequence and keeps its own comments and review
// requests; a review takes its reviewer off the requests, and a
// read-only token changes nothing.
func TestConversationPerRepository(t *testing.T) {
	s := githubtest.New(t, "lumen", "widget")
	other := s.In("lumen/docs")
	if n := s.AddPull("felix", "a", "main"); n != 1 {
		t.Fatalf("first pull request #%d", n)
	}
	if n := s.AddIssue("maya", "A problem", "text"); n != 2 {
		t.Fatalf("the issue after it #%d", n)
	}
	if n := other.AddIssue("maya", "Elsewhere", ""); n != 1 {
		t.Fatalf("another repository's first issue #%d", n)
	}
	if code := send(t, s, "POST", "/repos/lumen/widget/issues/1/comments", `{"body":"on the pull request"}`); code != 201 {
		t.Fatalf("comment: %d", code)
	}
	var one map[string]any
	get(t, s, fmt.Sprintf("/repos/lumen/widget/issues/comments/%d", s.Comments(1)[0].ID), &one)
	if one["body"] != "on the pull request" || len(other.Comments(1)) != 0 {
		t.Errorf("the comment: %v; the other repository's: %v", one, other.Comments(1))
	}
	s.SetCollaborators("aiko", "dave")
	for _, c := range []struct {
		method, body string
		code         int
		requested    []string
	}{
		{"POST", `{"reviewers":["aiko","dave"]}`, 201, []string{"aiko", "dave"}},
		{"POST", `{"reviewers":["aiko","mallory"]}`, 422, []string{"aiko", "dave"}},
		{"DELETE", `{"reviewers":["Dave"]}`, 200, []string{"aiko"}},
	} {
		if code := send(t, s, c.method, "/repos/lumen/widget/pulls/1/requested_reviewers", c.body); code != c.code || !slices.Equal(s.Requested(1), c.requested) {
			t.Errorf("%s %s: %d, requested %v; want %d, %v", c.method, c.body, code, s.Requested(1), c.code, c.requested)
		}
	}
	s.AddReview(1, "Aiko", "APPROVED")
	var req struct{ Users []struct{ Login string } }
	get(t, s, "/repos/lumen/widget/pulls/1/requested_reviewers", &req)
	if len(req.Users) != 0 || !slices.Equal(s.Asked(1), []string{"aiko", "dave"}) {
		t.Errorf("after the review, requested %v, asked %v", req.Users, s.Asked(1))
	}
	s.SetReadOnly(true)
	if code := send(t, s, "PATCH", "/repos/lumen/widget/issues/2", `{"state":"closed"}`); code != 403 || s.Issues()[0].State != "open" {
		t.Errorf("read-only: %d, the issue is %s", code, s.Issues()[0].State)
	}
}

func sameShape(t *testing.T, at string, ours, real map[string]any) {
	t.Helper()
	for k, v := range ours {
		rv, ok := real[k]
		if !ok {
			t.Errorf("%s.%s: the real API has no such field", at, k)
			continue
		}
		if v == nil || rv == nil {
			continue // nullable
		}
		if fmt.Sprintf("%T", v) != fmt.Sprintf("%T", rv) {
			t.Errorf("%s.%s: %T here, %T in the real API", at, k, v, rv)
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			sameShape(t, at+"."+k, v, rv.(map[string]any))
		case []any:
			r := rv.([]any)
			if len(v) > 0 && len(r) > 0 {
				if m, ok := v[0].(map[string]any); ok {
					sameShape(t, at+"."+k+"[0]", m, r[0].(map[string]any))
				}
			}
		}
	}
}

// TestRateLimit: each answer says what is left of the hour; once it is
// spent, GitHub's 403 until the window resets. Requests without a token
// have a window of their own, of 60.
func TestRateLimit(t *testing.T) {
	s := githubtest.New(t, "lumen", "widget")
	s.RateLimit = 2
	status := func(token string) (int, http.Header) {
		req, _ := http.NewRequest("GET", s.URL+"/repos/lumen/widget/releases", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header
	}
	reset := fmt.Sprint(s.Clock.Now().Add(time.Hour).Unix())
	for i, want := range []struct {
		code             int
		remaining, reset string
	}{{200, "1", reset}, {200, "0", reset}, {403, "0", reset}} {
		code, h := status("t0ken")
		if code != want.code || h.Get("X-RateLimit-Remaining") != want.remaining || h.Get("X-RateLimit-Limit") != "2" || h.Get("X-RateLimit-Reset") != want.reset {
			t.Errorf("request %d: %d, remaining %s of %s, reset %s; want %d, %s of 2, %s", i+1, code,
				h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Reset"), want.code, want.remaining, want.reset)
		}
	}
	if code, h := status(""); code != 200 || h.Get("X-RateLimit-Limit") != "60" || h.Get("X-RateLimit-Remaining") != "59" {
		t.Errorf("without a token: %d, %s of %s", code, h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Limit"))
	}
	s.Clock.Sleep(t.Context(), time.Hour)
	if code, h := status("t0ken"); code != 200 || h.Get("X-RateLimit-Remaining") != "1" {
		t.Errorf("after the reset: %d, %s left", code, h.Get("X-RateLimit-Remaining"))
	}
	s.Exhaust()
	if code, _ := status("t0ken"); code != 403 {
		t.Errorf("after Exhaust: %d", code)
	}
}
