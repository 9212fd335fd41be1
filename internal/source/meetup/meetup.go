// Package meetup credits each host of a past event of a Meetup group,
// through Meetup's GraphQL API (gql-ext).
//
// For each group it lists the events whose status is PAST and that start
// after where the last run got (less a lookback, for hosts added after
// the event and events that end after a later one starts), with their
// hosts, a page of 100 a request. Upcoming events are never asked for,
// and one listed anyway is not credited. The listing's order is not
// documented, so the mark moves once a group's listing is complete.
package meetup

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/graphql"
	"github.com/tallyledger/tally/internal/words"
)

// Name is the source's name, and the platform of its who.
const Name = "meetup"

// PublicAPI is Meetup's GraphQL endpoint.
const PublicAPI = "https://api.meetup.com/gql-ext"

// lookback is how much earlier than the last run's mark the listing
// reaches.
const lookback = 7 * 24 * time.Hour

// pageSize is how many events a request asks for.
const pageSize = 100

const service = "the Meetup API"

// query lists a page of a group's past events, with their hosts' member
// ids (their names are not asked: the ledger is public).
const query = `query($urlname: String!, $first: Int!, $after: String, $from: DateTime, $to: DateTime) {
  groupByUrlname(urlname: $urlname) {
    urlname
    events(first: $first, after: $after, filter: {status: [PAST], afterDateTime: $from, beforeDateTime: $to}) {
      pageInfo { hasNextPage endCursor }
      edges { node { id title eventUrl dateTime status eventHosts { memberId } } }
    }
  }
}`

// Meetup is the connector.
type Meetup struct{}

func (Meetup) Name() string { return Name }

func (Meetup) Secrets() []source.Secret { return []source.Secret{{Env: "TALLY_MEETUP_TOKEN"}} }

func (Meetup) Open(s source.Setup) (*source.Job, error) {
	if len(s.Settings) != 1 {
		return nil, errors.New("sources.meetup: set it up in program.yaml: {groups: [acme-london], kind: meetup}")
	}
	e := s.Settings[0]
	groups, err := s.List(e, "groups")
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, s.Errorf(e.Pos, "sources.meetup: groups is missing; add the urlnames of the groups, as in https://www.meetup.com/<urlname>/: [acme-london]")
	}
	kind, err := s.String(e, "kind", true)
	if err != nil {
		return nil, err
	}
	token := s.Secret("TALLY_MEETUP_TOKEN")
	if token == "" {
		return nil, errors.New("sources.meetup: TALLY_MEETUP_TOKEN is not set; Meetup's API answers only with an OAuth access token")
	}
	endpoint, err := s.Endpoint(PublicAPI)
	if err != nil {
		return nil, err
	}
	c := &connector{endpoint: endpoint, kind: kind, groups: groups}
	return &source.Job{
		API: endpoint, Service: service, Streams: groups, Limit: limit, Fetch: c.fetch,
		Credentials: http.Header{"Authorization": {"Bearer " + token}},
	}, nil
}

type connector struct {
	endpoint, kind string
	groups         []string
}

// event is an event as the query lists it.
type event struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	EventURL string    `json:"eventUrl"`
	DateTime time.Time `json:"dateTime"`
	Status   string    `json:"status"`
	Hosts    []struct {
		MemberID string `json:"memberId"`
	} `json:"eventHosts"`
}

func (c *connector) fetch(ctx context.Context, r *source.Run) error {
	for _, g := range c.groups {
		if err := c.read(ctx, r, g); err != nil {
			return err
		}
	}
	return nil
}

// read lists the past events of group from where to begin, and hands
// over their hosts.
func (c *connector) read(ctx context.Context, r *source.Run, group string) error {
	r.Begin(group)
	from := r.Start(group)
	if !from.IsZero() && r.Since().IsZero() {
		from = from.Add(-lookback)
	}
	vars := map[string]any{"urlname": group, "first": pageSize, "after": nil, "from": nil, "to": nil}
	if !from.IsZero() {
		vars["from"] = from.UTC().Format(time.RFC3339)
	}
	if until := r.Until(); !until.IsZero() {
		vars["to"] = until.UTC().Format(time.RFC3339)
	}
	var newest time.Time
	listed, pages := 0, 0
	for {
		r.Progress("past events", listed, 0, "")
		var data struct {
			Group *struct {
				Events struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Edges []struct {
						Node event `json:"node"`
					} `json:"edges"`
				} `json:"events"`
			} `json:"groupByUrlname"`
		}
		if err := c.query(ctx, r, group, vars, &data); err != nil {
			return err
		}
		pages++
		if data.Group == nil {
			return fmt.Errorf("%s: Meetup has no group of that urlname, or the token may not see it; check sources.meetup.groups", group)
		}
		for _, edge := range data.Group.Events.Edges {
			ev := edge.Node
			if ev.Status != "PAST" {
				continue // upcoming, cancelled: nobody has hosted it
			}
			listed++
			if ev.DateTime.After(newest) {
				newest = ev.DateTime
			}
			for _, h := range ev.Hosts {
				r.Found(source.Item{
					Credit: ledger.Credit{
						ID:    fmt.Sprintf("%s:%s/%s", Name, ev.ID, h.MemberID),
						Who:   Name + ":" + h.MemberID, // none: a deleted account
						Kind:  c.kind,
						URL:   ev.EventURL,
						Title: ev.Title,
					},
					At: ev.DateTime,
				})
			}
		}
		page := data.Group.Events.PageInfo
		if !page.HasNextPage || page.EndCursor == "" {
			break
		}
		vars["after"] = page.EndCursor
	}
	r.Synced(group, newest)
	r.Say(words.Plural(listed, "past event")+" listed", words.Plural(pages, "page"))
	return nil
}

// query asks one page of group and explains the errors Meetup gives.
func (c *connector) query(ctx context.Context, r *source.Run, group string, vars map[string]any, data any) error {
	err := graphql.Query(ctx, r.Client, c.endpoint, query, vars, data)
	var es graphql.Errors
	var se *graphql.StatusError
	switch {
	case errors.As(err, &es):
		return fmt.Errorf("%s: %s refused the query: %v", group, service, es)
	case errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden):
		return fmt.Errorf("%s: Meetup refused TALLY_MEETUP_TOKEN (%d %s); get a new OAuth access token", group, se.Status, http.StatusText(se.Status))
	case errors.As(err, &se):
		return fmt.Errorf("%s: %s %v", group, service, se)
	case err != nil:
		return fmt.Errorf("%s: %w", group, err)
	}
	return nil
}

// limitWait is how long to wait for a limit that names no time: a
// minute, longer each time.
const limitWait = time.Minute

// limit is Meetup's rate limits, which it does not document: HTTP's 429,
// or a 200 whose errors say so (RATE_LIMITED, "too many requests"),
// waited for as Retry-After or the error's resetAt says.
func limit(resp *http.Response, body []byte, rate httpc.RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode != http.StatusOK {
		return httpc.StandardLimit(resp, body, rate, now, tries)
	}
	for _, e := range graphql.ErrorsOf(body) {
		msg := strings.ToLower(e.Message)
		if !strings.EqualFold(e.Kind(), "RATE_LIMITED") && !strings.Contains(msg, "rate limit") && !strings.Contains(msg, "too many requests") {
			continue
		}
		if wait, ok := httpc.RetryAfter(resp.Header, now); ok {
			return wait, "rate limit", true
		}
		if at, ok := e.Extensions["resetAt"].(string); ok {
			if t, err := time.Parse(time.RFC3339, at); err == nil {
				return max(t.Sub(now), 0), "rate limit", true
			}
		}
		return limitWait << tries, "rate limit", true
	}
	return 0, "", false
}
