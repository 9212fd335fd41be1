// Package slack credits the Slack messages that a team lead or a member
// of the leadership marked as help, by reacting with the program's
// reaction, to their authors. A lead's reaction to their own message does
// not count.
//
// For each channel it reads the history (conversations.history, newest
// first, 200 messages a page, reactions included) down to where the last
// run got, less a lookback of a week for reactions given since; then the
// replies of each thread with a reply in that time (conversations.replies,
// a request a thread), since help is mostly given in threads. A reply to
// a thread started before the lookback is not seen. The history lists at
// most a few of a reaction's users, with their count: when the reaction
// has more users than listed and none of them is a lead, the message's
// full reactions are asked for (reactions.get). The mark moves once a
// channel is read whole. Texts are never written: the ledger is public.
package slack

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/words"
)

// Name is the source's name, and the platform of its who.
const Name = "slack"

// PublicAPI is the Web API's root.
const PublicAPI = "https://slack.com/api/"

// lookback is how much earlier than the last run's mark the history is
// read again, for reactions given since.
const lookback = 7 * 24 * time.Hour

// pageSize is the messages a page; Slack advises no more than 200.
const pageSize = 200

const service = "the Slack API"

// Slack is the connector.
type Slack struct{}

func (Slack) Name() string { return Name }

func (Slack) Secrets() []source.Secret { return []source.Secret{{Env: "TALLY_SLACK_TOKEN"}} }

func (Slack) Open(s source.Setup) (*source.Job, error) {
	if len(s.Settings) != 1 {
		return nil, errors.New("sources.slack: set it up in program.yaml: {channels: [C01ABCD2EFG], reaction: white_check_mark, kind: chat_help}")
	}
	e := s.Settings[0]
	channels, err := s.List(e, "channels")
	if err != nil {
		return nil, err
	}
	if len(channels) == 0 {
		return nil, s.Errorf(e.Pos, "sources.slack: channels is missing; add the ids of the channels to read (in a channel's details, such as C01ABCD2EFG)")
	}
	reaction, err := s.String(e, "reaction", true)
	if err != nil {
		return nil, err
	}
	reaction = strings.Trim(reaction, ":")
	kind, err := s.String(e, "kind", true)
	if err != nil {
		return nil, err
	}
	leads := leadIDs(s.Ledger)
	if len(leads) == 0 {
		return nil, s.Errorf(e.Pos, "sources.slack: no team lead or member of the leadership has a slack identity, so no reaction can count; add slack: <their member id> to their identities in people/")
	}
	token := s.Secret("TALLY_SLACK_TOKEN")
	if token == "" {
		return nil, errors.New("sources.slack: TALLY_SLACK_TOKEN is not set; give it the token of a Slack app in the channels (scopes channels:history, groups:history, reactions:read)")
	}
	api, err := s.Endpoint(PublicAPI)
	if err != nil {
		return nil, err
	}
	root, _ := url.Parse(api)
	c := &connector{api: root, kind: kind, reaction: reaction, leads: leads, channels: channels}
	return &source.Job{
		API: api, Service: service, Streams: channels, Limit: limit, Fetch: c.fetch,
		Credentials: http.Header{"Authorization": {"Bearer " + token}},
	}, nil
}

// leadIDs are the Slack member ids of the team leads and the members of
// the leadership, upper-cased.
func leadIDs(l *ledger.Ledger) map[string]bool {
	refs, _ := l.Program.ClaimReviewers("")
	ids := map[string]bool{}
	for _, p := range l.People {
		if !slices.ContainsFunc(refs, func(r ledger.Ref) bool { return r.ID == p.ID }) {
			continue
		}
		for _, id := range p.Identities {
			if strings.EqualFold(id.Platform, Name) {
				ids[strings.ToUpper(id.Handle)] = true
			}
		}
	}
	return ids
}

type connector struct {
	api            *url.URL
	kind, reaction string
	leads          map[string]bool
	channels       []string
	// workspace is the workspace's address, for links to messages.
	workspace string
	asked     asked
}

// message is a message as the history and a thread's replies give it.
type message struct {
	Type        string     `json:"type"`
	Subtype     string     `json:"subtype"`
	TS          string     `json:"ts"`
	User        string     `json:"user"`
	BotID       string     `json:"bot_id"`
	ThreadTS    string     `json:"thread_ts"`
	ReplyCount  int        `json:"reply_count"`
	LatestReply string     `json:"latest_reply"`
	Reactions   []reaction `json:"reactions"`
}

type reaction struct {
	Name  string   `json:"name"`
	Users []string `json:"users"`
	Count int      `json:"count"`
}

func (c *connector) fetch(ctx context.Context, r *source.Run) error {
	var who struct {
		URL string `json:"url"`
	}
	if err := c.call(ctx, r, "auth.test", nil, &who); err != nil {
		return err
	}
	c.workspace = strings.TrimSuffix(who.URL, "/")
	for _, ch := range c.channels {
		if err := c.read(ctx, r, ch); err != nil {
			return err
		}
	}
	return nil
}

// read reads a channel's history from where to begin, then the replies of
// its threads active since, handing over the messages marked as help; the
// mark moves to the newest message once all are read.
func (c *connector) read(ctx context.Context, r *source.Run, channel string) error {
	r.Begin(channel)
	c.asked = asked{}
	from := r.Start(channel)
	if !from.IsZero() && r.Since().IsZero() {
		from = from.Add(-lookback)
	}
	newest, threads, err := c.history(ctx, r, channel, from)
	if err != nil {
		return err
	}
	for i, t := range threads {
		r.Progress("threads", i, len(threads), "threads")
		if err := c.replies(ctx, r, channel, from, t.TS); err != nil {
			return err
		}
	}
	if until := r.Until(); !until.IsZero() && newest.After(until) {
		newest = until
	}
	r.Synced(channel, newest)
	a := c.asked
	r.Say(words.Plural(a.messages, "message")+" read", fmt.Sprintf("history %d, threads %d, reactions %d", a.history, a.threads, a.reactions))
	return nil
}

// asked counts what a channel's reading asked for.
type asked struct{ messages, history, threads, reactions int }

// history reads the channel's messages from from, newest first, and
// returns the time of the newest and the threads with a reply since.
func (c *connector) history(ctx context.Context, r *source.Run, channel string, from time.Time) (time.Time, []message, error) {
	q := url.Values{"channel": {channel}, "limit": {strconv.Itoa(pageSize)}}
	if !from.IsZero() {
		q.Set("oldest", ts(from))
	}
	if until := r.Until(); !until.IsZero() {
		q.Set("latest", ts(until))
	}
	var newest time.Time
	var threads []message
	for {
		r.Progress("messages", c.asked.messages, 0, "")
		var page struct {
			Messages []message `json:"messages"`
			HasMore  bool      `json:"has_more"`
			Meta     struct {
				NextCursor string `json:"next_cursor"`
			} `json:"response_metadata"`
		}
		if err := c.call(ctx, r, "conversations.history", q, &page); err != nil {
			return newest, nil, fmt.Errorf("%s: %w", channel, err)
		}
		c.asked.history++
		for _, m := range page.Messages {
			c.asked.messages++
			if at := when(m.TS); at.After(newest) {
				newest = at
			}
			if m.ReplyCount > 0 && m.ThreadTS == m.TS && (from.IsZero() || m.LatestReply == "" || !when(m.LatestReply).Before(from)) {
				threads = append(threads, m)
			}
			if err := c.judge(ctx, r, channel, m); err != nil {
				return newest, nil, err
			}
		}
		switch {
		case page.Meta.NextCursor != "":
			q.Set("cursor", page.Meta.NextCursor)
		case page.HasMore && len(page.Messages) > 0:
			// The older way to page: below the oldest message read.
			q.Set("latest", page.Messages[len(page.Messages)-1].TS)
		default:
			return newest, threads, nil
		}
	}
}

// replies reads the replies of the thread threadTS from from.
func (c *connector) replies(ctx context.Context, r *source.Run, channel string, from time.Time, threadTS string) error {
	q := url.Values{"channel": {channel}, "ts": {threadTS}, "limit": {strconv.Itoa(pageSize)}}
	if !from.IsZero() {
		q.Set("oldest", ts(from))
	}
	for {
		var page struct {
			Messages []message `json:"messages"`
			Meta     struct {
				NextCursor string `json:"next_cursor"`
			} `json:"response_metadata"`
		}
		if err := c.call(ctx, r, "conversations.replies", q, &page); err != nil {
			return fmt.Errorf("%s: thread %s: %w", channel, threadTS, err)
		}
		c.asked.threads++
		for _, m := range page.Messages {
			if m.TS == threadTS {
				continue // the thread's first message, read in the history
			}
			c.asked.messages++
			if err := c.judge(ctx, r, channel, m); err != nil {
				return err
			}
		}
		if page.Meta.NextCursor == "" {
			return nil
		}
		q.Set("cursor", page.Meta.NextCursor)
	}
}

// judge hands m over when a lead other than its author marked it with the
// reaction.
func (c *connector) judge(ctx context.Context, r *source.Run, channel string, m message) error {
	switch {
	case m.Type != "message" || m.User == "":
		return nil // not a message, or one of an integration
	case m.Subtype != "" && m.Subtype != "thread_broadcast" && m.Subtype != "file_share" && m.Subtype != "me_message":
		return nil // joins, topics, bots' messages...
	}
	it := source.Item{
		Credit: ledger.Credit{ID: fmt.Sprintf("%s:%s/%s", Name, channel, m.TS), Who: Name + ":" + m.User, Kind: c.kind, URL: c.link(channel, m)},
		At:     when(m.TS),
		Bot:    m.BotID != "",
	}
	if r.Held(it.ID) {
		r.Found(it) // marked before: no need to look again
		return nil
	}
	marked, partial := c.marked(m)
	if !marked && partial {
		full, err := c.reactions(ctx, r, channel, m.TS)
		if err != nil {
			return err
		}
		m.Reactions = full
		marked, _ = c.marked(m)
	}
	if marked {
		r.Found(it)
	}
	return nil
}

// marked tells whether a lead other than m's author reacted to m with the
// reaction (a skin tone of it counts), and whether its users are listed
// in part, some of them left out.
func (c *connector) marked(m message) (marked, partial bool) {
	for _, re := range m.Reactions {
		if re.Name != c.reaction && !strings.HasPrefix(re.Name, c.reaction+"::") {
			continue
		}
		for _, u := range re.Users {
			if c.leads[strings.ToUpper(u)] && !strings.EqualFold(u, m.User) {
				return true, false
			}
		}
		partial = partial || re.Count > len(re.Users)
	}
	return false, partial
}

// reactions asks for every reaction of one message.
func (c *connector) reactions(ctx context.Context, r *source.Run, channel, msgTS string) ([]reaction, error) {
	var got struct {
		Message struct {
			Reactions []reaction `json:"reactions"`
		} `json:"message"`
	}
	q := url.Values{"channel": {channel}, "timestamp": {msgTS}, "full": {"true"}}
	if err := c.call(ctx, r, "reactions.get", q, &got); err != nil {
		return nil, fmt.Errorf("%s: message %s: %w", channel, msgTS, err)
	}
	c.asked.reactions++
	return got.Message.Reactions, nil
}

// link is the address of a message in the workspace, a reply's within
// its thread.
func (c *connector) link(channel string, m message) string {
	if c.workspace == "" {
		return ""
	}
	u := fmt.Sprintf("%s/archives/%s/p%s", c.workspace, channel, strings.ReplaceAll(m.TS, ".", ""))
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		u += "?" + url.Values{"thread_ts": {m.ThreadTS}, "cid": {channel}}.Encode()
	}
	return u
}

// call asks for a method of the Web API and decodes its answer into v.
// Slack answers most errors with a 200 and ok false.
func (c *connector) call(ctx context.Context, r *source.Run, method string, q url.Values, v any) error {
	u := c.api.JoinPath(method)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "tally")
	resp, err := r.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		OK     bool   `json:"ok"`
		Error  string `json:"error"`
		Needed string `json:"needed"`
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s: %s answered %d %s", method, service, resp.StatusCode, http.StatusText(resp.StatusCode))
		}
		return fmt.Errorf("%s: the answer is not the JSON expected: %v", method, err)
	}
	if !answer.OK {
		return explain(method, answer.Error, answer.Needed)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: the answer is not the JSON expected: %v", method, err)
	}
	return nil
}

// explain says what an error of the Web API means, and what to do.
func explain(method, code, needed string) error {
	switch code {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired":
		return fmt.Errorf("%s: Slack refused TALLY_SLACK_TOKEN (%s); set the token of an installed Slack app", method, code)
	case "channel_not_found":
		return fmt.Errorf("%s: no such channel, or the app may not see it (%s); check sources.slack.channels", method, code)
	case "not_in_channel":
		return fmt.Errorf("%s: the app is not in the channel (%s); invite it to the channel", method, code)
	case "missing_scope":
		return fmt.Errorf("%s: the token lacks the scope %s (%s); add it to the app and install it again", method, cmp.Or(needed, "it needs"), code)
	}
	return fmt.Errorf("%s: %s answered %s", method, service, cmp.Or(code, "ok: false"))
}

// limitWait is how long to wait for a rate limit that names no time: a
// minute, longer each time.
const limitWait = time.Minute

// limit is Slack's rate limits: a 429 with Retry-After, or an answer
// whose error is ratelimited.
func limit(resp *http.Response, body []byte, _ httpc.RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		var answer struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &answer) != nil || answer.OK || answer.Error != "ratelimited" {
			return 0, "", false
		}
	}
	if wait, ok := httpc.RetryAfter(resp.Header, now); ok {
		return wait, "rate limit", true
	}
	return limitWait << tries, "rate limit", true
}

// when is the time of a message's ts ("1512085950.000216").
func when(msgTS string) time.Time {
	secs, frac, _ := strings.Cut(msgTS, ".")
	s, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}
	}
	frac = (frac + "000000")[:6]
	us, _ := strconv.ParseInt(frac, 10, 64)
	return time.Unix(s, us*1000).UTC()
}

// ts is t as a ts, for oldest and latest.
func ts(t time.Time) string { return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000) }
