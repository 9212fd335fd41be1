package slack

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

// fakeMessage is a message of the fake workspace; its Replies make it a
// thread.
type fakeMessage struct {
	At                   time.Time
	User, BotID, Subtype string
	Reactions            []fakeReaction
	Replies              []fakeMessage
}

type fakeReaction struct {
	Name  string
	Users []string
}

// listed is how many of a reaction's users the history and replies list;
// reactions.get with full=true lists them all.
const listed = 3

// fakeSlack answers the Web API's GET methods as Slack does: auth.test,
// conversations.history (newest first, cursors, oldest and latest
// exclusive), conversations.replies (the thread's first message, then the
// replies, oldest first) and reactions.get; every error is a 200 with ok
// false.
type fakeSlack struct {
	*sourcetest.Server
	token string

	mu       sync.Mutex
	channels map[string][]fakeMessage
	// fail, when set, answers request n (from 1) instead, if it says so.
	fail func(n int, w http.ResponseWriter) bool
}

func newFakeSlack(t testing.TB, token string, channels map[string][]fakeMessage) *fakeSlack {
	f := &fakeSlack{token: token, channels: channels}
	f.Server = sourcetest.NewServer(t, f.serve)
	return f
}

func (f *fakeSlack) add(channel string, ms ...fakeMessage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.channels[channel] = append(f.channels[channel], ms...)
}

// tsOf is a time as Slack's ts, unique to the microsecond.
func tsOf(t time.Time) string { return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000) }

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil && f.fail(f.Count(), w) { // this one included
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	answer := func(v map[string]any) {
		v["ok"] = true
		json.NewEncoder(w).Encode(v)
	}
	fail := func(code string) { fmt.Fprintf(w, `{"ok":false,"error":%q}`, code) }
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/api/")
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	switch auth := r.Header.Get("Authorization"); {
	case auth == "":
		fail("not_authed")
		return
	case auth != "Bearer "+f.token:
		fail("invalid_auth")
		return
	}
	q := r.URL.Query()
	if method == "auth.test" {
		answer(map[string]any{"url": "https://acme.slack.com/", "team": "Acme", "user": "tally", "team_id": "T0ACME", "user_id": "U0TALLY"})
		return
	}
	msgs, found := f.channels[q.Get("channel")]
	if !found {
		fail("channel_not_found")
		return
	}
	bound := func(name string) float64 {
		v, _ := strconv.ParseFloat(q.Get(name), 64)
		return v
	}
	oldest, latest := bound("oldest"), bound("latest")
	in := func(m fakeMessage) bool {
		t := float64(m.At.UnixMicro()) / 1e6
		return (oldest == 0 || t > oldest) && (latest == 0 || t < latest)
	}
	switch method {
	case "conversations.history":
		var list []fakeMessage
		for _, m := range msgs {
			if in(m) {
				list = append(list, m)
			}
		}
		slices.SortFunc(list, func(a, b fakeMessage) int { return b.At.Compare(a.At) })
		page, next := paged(list, q)
		out := []any{}
		for _, m := range page {
			out = append(out, render(m, false, ""))
		}
		answer(map[string]any{"messages": out, "has_more": next != "", "pin_count": 0, "response_metadata": map[string]any{"next_cursor": next}})
	case "conversations.replies":
		i := slices.IndexFunc(msgs, func(m fakeMessage) bool { return tsOf(m.At) == q.Get("ts") })
		if i < 0 {
			fail("thread_not_found")
			return
		}
		parent := msgs[i]
		list := []fakeMessage{parent} // the first message, whatever oldest says
		for _, m := range parent.Replies {
			if in(m) {
				list = append(list, m)
			}
		}
		page, next := paged(list, q)
		out := []any{}
		for _, m := range page {
			out = append(out, render(m, false, tsOf(parent.At)))
		}
		answer(map[string]any{"messages": out, "has_more": next != "", "response_metadata": map[string]any{"next_cursor": next}})
	case "reactions.get":
		for _, m := range msgs {
			for _, c := range append([]fakeMessage{m}, m.Replies...) {
				if tsOf(c.At) == q.Get("timestamp") {
					answer(map[string]any{"type": "message", "channel": q.Get("channel"), "message": render(c, q.Get("full") == "true", "")})
					return
				}
			}
		}
		fail("message_not_found")
	default:
		fail("unknown_method")
	}
}

// paged is the page of list the cursor and limit ask for, and the next
// page's cursor ("" for none).
func paged(list []fakeMessage, q map[string][]string) ([]fakeMessage, string) {
	limit, _ := strconv.Atoi(first(q["limit"]))
	limit = cmp.Or(min(limit, 999), 100)
	start := 0
	if c := first(q["cursor"]); c != "" {
		raw, _ := base64.StdEncoding.DecodeString(c)
		start, _ = strconv.Atoi(strings.TrimPrefix(string(raw), "next_ts:"))
	}
	end := min(start+limit, len(list))
	next := ""
	if end < len(list) {
		next = base64.StdEncoding.EncodeToString([]byte("next_ts:" + strconv.Itoa(end)))
	}
	return list[min(start, end):end], next
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// render is a message as the API gives it; thread is its thread's ts for
// a reply.
func render(m fakeMessage, allUsers bool, thread string) map[string]any {
	out := map[string]any{"type": "message", "ts": tsOf(m.At), "text": "(words)"}
	if m.User != "" {
		out["user"] = m.User
	}
	if m.BotID != "" {
		out["bot_id"] = m.BotID
	}
	if m.Subtype != "" {
		out["subtype"] = m.Subtype
	}
	if len(m.Replies) > 0 {
		latest := slices.MaxFunc(m.Replies, func(a, b fakeMessage) int { return a.At.Compare(b.At) })
		out["thread_ts"], out["reply_count"], out["latest_reply"] = tsOf(m.At), len(m.Replies), tsOf(latest.At)
	}
	if thread != "" && thread != tsOf(m.At) {
		out["thread_ts"], out["parent_user_id"] = thread, "U0PARENT"
	}
	var reactions []any
	for _, re := range m.Reactions {
		users := re.Users
		if !allUsers && len(users) > listed {
			users = users[:listed]
		}
		reactions = append(reactions, map[string]any{"name": re.Name, "users": users, "count": len(re.Users)})
	}
	if reactions != nil {
		out["reactions"] = reactions
	}
	return out
}
