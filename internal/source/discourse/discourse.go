// Package discourse credits the posts of a Discourse forum accepted as the
// solution of their topic (the solved plugin, part of Discourse since
// 2025) to their authors.
//
// It lists the solved topics, most recently bumped first (/latest.json?
// solved=yes, per category when the settings name some), down to where the
// last run got, then reads each new one (/t/ID.json), oldest first, for its
// accepted answers: the plugin's single accepted_answer, or core's list of
// accepted_answers. A solution is accepted after it is posted, often
// without a new post that would bump the topic, so the listing reaches a
// lookback further back; topics credited already are not read again.
package discourse

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
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
const Name = "discourse"

// lookback is how much earlier than the last run's mark the listing
// reaches, for solutions accepted since on topics with no new post: a
// week, which costs a busy forum a few pages of topics per run.
const lookback = 7 * 24 * time.Hour

// Discourse is the connector.
type Discourse struct{}

func (Discourse) Name() string { return Name }

func (Discourse) Secrets() []source.Secret {
	return []source.Secret{{Env: "TALLY_DISCOURSE_API_KEY", Optional: true}}
}

func (Discourse) Open(s source.Setup) (*source.Job, error) {
	e, err := s.One(Name, "{url: https://forum.example.org, kind: forum_solution}")
	if err != nil {
		return nil, err
	}
	forum, err := s.URL(e, "url")
	if err != nil {
		return nil, err
	}
	forum.Path = strings.TrimSuffix(forum.Path, "/")
	forum.RawQuery, forum.Fragment = "", ""
	kind, err := s.String(e, "kind", true)
	if err != nil {
		return nil, err
	}
	categories, err := s.List(e, "categories")
	if err != nil {
		return nil, err
	}
	server, err := s.Server(forum)
	if err != nil {
		return nil, err
	}
	c := &connector{forum: forum, server: server, kind: kind, id: Name + ":" + forum.Host + forum.Path}
	job := &source.Job{API: server.String(), Service: "the Discourse API", Limit: limit, Fetch: c.fetch}
	if key := s.Secret("TALLY_DISCOURSE_API_KEY"); key != "" {
		job.Credentials = http.Header{"Api-Key": {key}}
		// The user the key acts for is no secret (masking "system" would
		// blot the log), so it is read as a setting.
		if user := s.Getenv("TALLY_DISCOURSE_API_USERNAME"); user != "" {
			job.Credentials.Set("Api-Username", user)
		}
	}
	c.streams = []stream{{key: forum.String(), list: "latest.json"}}
	if len(categories) > 0 {
		c.streams = nil
		for _, cat := range categories {
			c.streams = append(c.streams, stream{key: forum.String() + "/c/" + cat, list: "c/" + cat + "/l/latest.json"})
		}
	}
	for _, st := range c.streams {
		job.Streams = append(job.Streams, st.key)
	}
	return job, nil
}

type connector struct {
	forum, server *url.URL
	kind          string
	id            string // the start of every credit id
	streams       []stream
}

// stream is the forum, or one category of it.
type stream struct{ key, list string }

// topic is a topic of a topic list.
type topic struct {
	ID                int       `json:"id"`
	Title             string    `json:"title"`
	Slug              string    `json:"slug"`
	BumpedAt          time.Time `json:"bumped_at"`
	Pinned            bool      `json:"pinned"`
	PinnedGlobally    bool      `json:"pinned_globally"`
	HasAcceptedAnswer bool      `json:"has_accepted_answer"`
}

// post is a post as topic views and /posts show it.
type post struct {
	ID             int       `json:"id"`
	PostNumber     int       `json:"post_number"`
	Username       string    `json:"username"`
	UserID         int       `json:"user_id"`
	CreatedAt      time.Time `json:"created_at"`
	UserDeleted    bool      `json:"user_deleted"`
	AcceptedAnswer bool      `json:"accepted_answer"`
}

func (c *connector) fetch(ctx context.Context, r *source.Run) error {
	for _, st := range c.streams {
		if err := c.read(ctx, r, st); err != nil {
			return err
		}
	}
	return nil
}

// read reads one stream: the list down to where to begin, then each topic
// to read, oldest first, moving the mark past each.
func (c *connector) read(ctx context.Context, r *source.Run, st stream) error {
	r.Begin(st.key)
	start, from := r.Start(st.key), r.StartBack(st.key, lookback)
	var topics []topic
	seen := map[int]bool{}
	pages := 0
	for page := 0; ; page++ {
		r.Progress("solved topics", len(topics), 0, "")
		u := c.server.JoinPath(st.list)
		q := url.Values{"solved": {"yes"}}
		if page > 0 {
			q.Set("page", strconv.Itoa(page))
		}
		u.RawQuery = q.Encode()
		var list struct {
			TopicList struct {
				MoreTopicsURL string  `json:"more_topics_url"`
				Topics        []topic `json:"topics"`
			} `json:"topic_list"`
		}
		if err := c.get(ctx, r, u.String(), &list); err != nil {
			return err
		}
		pages++
		reached := false
		for _, t := range list.TopicList.Topics {
			pinned := t.Pinned || t.PinnedGlobally
			if !from.IsZero() && t.BumpedAt.Before(from) {
				if !pinned {
					reached = true // bumped before: so is every later one
				}
				continue
			}
			if !t.HasAcceptedAnswer || seen[t.ID] {
				continue // a topic bumped while we read moves up a page
			}
			seen[t.ID] = true
			topics = append(topics, t)
		}
		if reached || list.TopicList.MoreTopicsURL == "" || len(list.TopicList.Topics) == 0 {
			break
		}
	}
	slices.SortStableFunc(topics, func(a, b topic) int { return cmp.Or(a.BumpedAt.Compare(b.BumpedAt), cmp.Compare(a.ID, b.ID)) })
	read := 0
	for i, t := range topics {
		// Credited before and not bumped since: nothing new to find. (One
		// read before that gave no credit, a bot's answer, is read again
		// while it is in the lookback.)
		if t.BumpedAt.Before(start) && r.HeldUnder(fmt.Sprintf("%s/t/%d/", c.id, t.ID)) {
			continue
		}
		r.Progress("topics", i, len(topics), "solved topics")
		if err := c.topic(ctx, r, t); err != nil {
			return err
		}
		read++
		r.Synced(st.key, t.BumpedAt)
	}
	r.Say(fmt.Sprintf("%s listed, %d read", words.Plural(len(topics), "solved topic"), read), fmt.Sprintf("%s of topics", words.Plural(pages, "page")))
	return nil
}

// topic reads one topic's accepted answers and hands them over.
func (c *connector) topic(ctx context.Context, r *source.Run, t topic) error {
	var view struct {
		Slug string `json:"slug"`
		// Core since 2025: every accepted answer, in full.
		AcceptedAnswers []post `json:"accepted_answers"`
		// The plugin before: the one accepted answer, without its date.
		AcceptedAnswer *struct {
			PostNumber int    `json:"post_number"`
			Username   string `json:"username"`
		} `json:"accepted_answer"`
		PostStream struct {
			Posts []post `json:"posts"`
		} `json:"post_stream"`
	}
	if err := c.get(ctx, r, c.server.JoinPath("t", strconv.Itoa(t.ID)+".json").String(), &view); err != nil {
		return err
	}
	answers := view.AcceptedAnswers
	if len(answers) == 0 && view.AcceptedAnswer != nil && view.AcceptedAnswer.PostNumber > 0 {
		n := view.AcceptedAnswer.PostNumber
		i := slices.IndexFunc(view.PostStream.Posts, func(p post) bool { return p.PostNumber == n })
		if i >= 0 {
			answers = append(answers, view.PostStream.Posts[i])
		} else {
			// Beyond the first posts the view holds: ask for it.
			var p post
			if err := c.get(ctx, r, c.server.JoinPath("posts", "by_number", strconv.Itoa(t.ID), strconv.Itoa(n)+".json").String(), &p); err != nil {
				return err
			}
			answers = append(answers, p)
		}
	}
	slug := cmp.Or(view.Slug, t.Slug, "topic")
	for _, p := range answers {
		who := Name + ":" + p.Username
		if p.UserDeleted {
			who = Name + ":" // nobody left to credit
		}
		r.Found(source.Item{
			Credit: ledger.Credit{
				ID:    fmt.Sprintf("%s/t/%d/%d", c.id, t.ID, p.PostNumber),
				Who:   who,
				Kind:  c.kind,
				URL:   c.forum.JoinPath("t", slug, strconv.Itoa(t.ID), strconv.Itoa(p.PostNumber)).String(),
				Title: t.Title,
			},
			At: p.CreatedAt,
			// Discourse's own accounts (system, discobot) have ids below 1.
			Bot: p.UserID < 0,
		})
	}
	return nil
}

// get asks the forum for u and decodes its JSON answer into v.
func (c *connector) get(ctx context.Context, r *source.Run, u string, v any) error {
	_, body, err := source.Get(ctx, r.Client, u, http.Header{"Accept": {"application/json"}})
	var se *source.StatusError
	switch {
	case errors.As(err, &se):
		var e struct {
			Errors []string `json:"errors"`
		}
		_ = json.Unmarshal(se.Body, &e)
		msg := cmp.Or(strings.Join(e.Errors, " "), source.Snippet(se.Body))
		switch se.Status {
		case http.StatusNotFound:
			return fmt.Errorf("%s: not found (404); check sources.discourse (url, categories)", se.Path)
		case http.StatusForbidden, http.StatusUnauthorized:
			return fmt.Errorf("%s: the forum refused (%d %s); a private forum needs TALLY_DISCOURSE_API_KEY and TALLY_DISCOURSE_API_USERNAME", se.Path, se.Status, msg)
		}
		return fmt.Errorf("%s: the forum answered %d %s", se.Path, se.Status, msg)
	case err != nil:
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: the forum's answer is not the JSON expected: %v", strings.SplitN(u, "?", 2)[0], err)
	}
	return nil
}

var retryIn = regexp.MustCompile(`retry again in (\d+) seconds`)

// limit is Discourse's rate limits: 429, with Retry-After, else the wait
// its body names (extras.wait_seconds in JSON, or the per-IP limit's
// plain text).
func limit(resp *http.Response, body []byte, rate httpc.RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0, "", false
	}
	if wait, ok := httpc.RetryAfter(resp.Header, now); ok {
		return wait, "rate limit", true
	}
	var e struct {
		Extras struct {
			WaitSeconds float64 `json:"wait_seconds"`
		} `json:"extras"`
	}
	if json.Unmarshal(body, &e) == nil && e.Extras.WaitSeconds > 0 {
		return time.Duration(e.Extras.WaitSeconds * float64(time.Second)), "rate limit", true
	}
	if m := retryIn.FindSubmatch(body); m != nil {
		secs, _ := strconv.Atoi(string(m[1]))
		return time.Duration(secs) * time.Second, "rate limit", true
	}
	return httpc.StandardLimit(resp, body, rate, now, tries)
}
