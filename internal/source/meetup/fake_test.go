package meetup

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/source/sourcetest"
)

// fakeEvent is an event of the fake API; a host "" is a deleted account.
type fakeEvent struct {
	ID, Title, Status string
	At                time.Time // in the group's time zone, as Meetup gives it
	Hosts             []string
}

// fakeMeetup answers POST /gql-ext as Meetup does for groupByUrlname's
// events: oldest first, filtered by status and time, pages with opaque
// cursors, and errors with a 200 (a ValidationError for a time without a
// zone).
type fakeMeetup struct {
	*sourcetest.Server
	token string

	mu     sync.Mutex
	groups map[string][]fakeEvent
	// fail, when set, answers request n (from 1) instead, if it says so.
	fail func(n int, w http.ResponseWriter) bool
}

func newFakeMeetup(t testing.TB, token string, groups map[string][]fakeEvent) *fakeMeetup {
	f := &fakeMeetup{token: token, groups: groups}
	f.Server = sourcetest.NewServer(t, f.serve)
	return f
}

func (f *fakeMeetup) add(group string, evs ...fakeEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groups[group] = append(f.groups[group], evs...)
}

var (
	afterVar  = regexp.MustCompile(`afterDateTime:\s*\$(\w+)`)
	beforeVar = regexp.MustCompile(`beforeDateTime:\s*\$(\w+)`)
	statusArg = regexp.MustCompile(`status:\s*\[([A-Z_, ]*)\]`)
)

func (f *fakeMeetup) serve(w http.ResponseWriter, r *http.Request) {
	n := f.Count() // this one included
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail != nil && fail(n, w) {
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	if r.Method != http.MethodPost || r.URL.Path != "/gql-ext" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"errors":[{"message":"Not authorized","extensions":{"code":"UNAUTHENTICATED"}}]}`)
		return
	}
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	zoned := func(name string) (time.Time, bool, bool) {
		s, _ := req.Variables[name].(string)
		if s == "" {
			return time.Time{}, false, true
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fmt.Fprintf(w, `{"errors":[{"message":"Variable '%s' has an invalid value: Failed to parse input value %s as ZonedDateTime","locations":[{"line":1,"column":1}],"extensions":{"classification":"ValidationError"}}]}`, name, s)
			return t, false, false
		}
		return t, true, true
	}
	var after, before time.Time
	var hasAfter, hasBefore, ok bool
	if m := afterVar.FindStringSubmatch(req.Query); m != nil {
		if after, hasAfter, ok = zoned(m[1]); !ok {
			return
		}
	}
	if m := beforeVar.FindStringSubmatch(req.Query); m != nil {
		if before, hasBefore, ok = zoned(m[1]); !ok {
			return
		}
	}
	var statuses []string
	if m := statusArg.FindStringSubmatch(req.Query); m != nil {
		statuses = strings.Fields(strings.ReplaceAll(m[1], ",", " "))
	}
	urlname, _ := req.Variables["urlname"].(string)
	first, _ := req.Variables["first"].(float64)
	cursor, _ := req.Variables["after"].(string)

	f.mu.Lock()
	all, found := f.groups[urlname]
	var list []fakeEvent
	for _, ev := range all {
		if (len(statuses) == 0 || slices.Contains(statuses, ev.Status)) && (!hasAfter || ev.At.After(after)) && (!hasBefore || ev.At.Before(before)) {
			list = append(list, ev)
		}
	}
	f.mu.Unlock()
	if !found {
		fmt.Fprint(w, `{"data":{"groupByUrlname":null}}`)
		return
	}
	slices.SortFunc(list, func(a, b fakeEvent) int { return a.At.Compare(b.At) })
	start := 0
	if cursor != "" {
		raw, _ := base64.StdEncoding.DecodeString(cursor)
		id, _, _ := strings.Cut(string(raw), ":")
		start = slices.IndexFunc(list, func(ev fakeEvent) bool { return ev.ID == id }) + 1
	}
	end := min(start+int(first), len(list))
	edges := []any{}
	endCursor := ""
	for _, ev := range list[start:end] {
		hosts := []any{}
		for _, h := range ev.Hosts {
			if h == "" {
				hosts = append(hosts, map[string]any{"memberId": nil, "name": "Former member", "member": nil})
				continue
			}
			hosts = append(hosts, map[string]any{"memberId": h, "name": "Host " + h, "member": map[string]any{"id": h}})
		}
		endCursor = cursorOf(ev)
		edges = append(edges, map[string]any{"cursor": endCursor, "node": map[string]any{
			"id": ev.ID, "title": ev.Title, "status": ev.Status, "dateTime": ev.At.Format(time.RFC3339),
			"eventUrl":   fmt.Sprintf("https://www.meetup.com/%s/events/%s/", urlname, ev.ID),
			"eventHosts": hosts,
		}})
	}
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"groupByUrlname": map[string]any{
		"urlname": urlname,
		"events": map[string]any{
			"pageInfo":   map[string]any{"hasNextPage": end < len(list), "endCursor": endCursor},
			"totalCount": len(list),
			"edges":      edges,
		},
	}}})
}

// cursorOf is the opaque cursor of an event's edge.
func cursorOf(ev fakeEvent) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d", ev.ID, ev.At.UnixMilli()))
}
