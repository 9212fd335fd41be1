// Package jira credits the resolved issues of a Jira Cloud site that match
// the program's JQL to their assignees, dated when they were resolved.
//
// It asks the enhanced search (/rest/api/3/search/jql), ordered by
// resolution date, oldest first, from where the last run got, following
// nextPageToken page by page; the mark moves past each page. JQL reads
// dates in the time zone of the account that asks, which tally does not
// know, so the search starts a day before the mark; issues credited
// already are not credited again.
package jira

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/words"
)

// Name is the source's name, and the platform of its who.
const Name = "jira"

// pageSize is the most issues the search gives in one page with fields.
const pageSize = 100

// overlap is how much earlier than the mark the search starts: more than
// any time zone is from UTC.
const overlap = 24 * time.Hour

// Jira is the connector.
type Jira struct{}

func (Jira) Name() string { return Name }

func (Jira) Secrets() []source.Secret {
	return []source.Secret{{Env: "TALLY_JIRA_EMAIL", Optional: true}, {Env: "TALLY_JIRA_TOKEN", Optional: true}}
}

var orderBy = regexp.MustCompile(`(?i)\border\s+by\b`)

func (Jira) Open(s source.Setup) (*source.Job, error) {
	e, err := s.One(Name, "{url: https://acme.atlassian.net, jql: project = COMM AND statusCategory = Done, kind: task}")
	if err != nil {
		return nil, err
	}
	site, err := s.URL(e, "url")
	if err != nil {
		return nil, err
	}
	site.Path = strings.TrimSuffix(site.Path, "/")
	jql, err := s.String(e, "jql", true)
	if err != nil {
		return nil, err
	}
	if orderBy.MatchString(jql) {
		v, _ := e.Get("jql")
		return nil, s.Errorf(v.Pos, "sources.jira.jql: leave ORDER BY out; tally orders by the resolution date itself")
	}
	kind, err := s.String(e, "kind", true)
	if err != nil {
		return nil, err
	}
	server, err := s.Server(site)
	if err != nil {
		return nil, err
	}
	c := &connector{site: site, server: server, jql: jql, kind: kind, key: site.String()}
	job := &source.Job{API: server.String(), Service: "the Jira API", Limit: limit, Streams: []string{c.key}, Fetch: c.fetch}
	email, token := s.Secret("TALLY_JIRA_EMAIL"), s.Secret("TALLY_JIRA_TOKEN")
	switch {
	case email != "" && token != "":
		job.Credentials = http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(email+":"+token))}}
	case email != "" || token != "":
		return nil, errors.New("sources.jira: set both TALLY_JIRA_EMAIL and TALLY_JIRA_TOKEN (an API token of that account), or neither for a public project")
	}
	return job, nil
}

type connector struct {
	site, server *url.URL
	jql, kind    string
	key          string
}

// issue is an issue of a search, with the fields asked for.
type issue struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Fields struct {
		Summary        string `json:"summary"`
		ResolutionDate string `json:"resolutiondate"`
		Assignee       *struct {
			AccountID   string `json:"accountId"`
			AccountType string `json:"accountType"`
			DisplayName string `json:"displayName"`
		} `json:"assignee"`
	} `json:"fields"`
}

// resolutionLayout is how Jira writes times: an offset with no colon,
// which RFC 3339 does not allow.
const resolutionLayout = "2006-01-02T15:04:05.000-0700"

func (c *connector) fetch(ctx context.Context, r *source.Run) error {
	r.Begin(c.key)
	jql := "(" + c.jql + ") AND resolved IS NOT EMPTY"
	if from := r.StartBack(c.key, overlap); !from.IsZero() {
		jql += fmt.Sprintf(" AND resolved >= %q", from.UTC().Format("2006/01/02 15:04"))
	}
	jql += " ORDER BY resolved ASC, key ASC"
	read, unassigned, token := 0, 0, ""
	for {
		r.Progress("resolved issues", read, 0, "")
		q := url.Values{"jql": {jql}, "fields": {"summary,assignee,resolutiondate"}, "maxResults": {strconv.Itoa(pageSize)}}
		if token != "" {
			q.Set("nextPageToken", token)
		}
		var page struct {
			Issues        []issue `json:"issues"`
			IsLast        bool    `json:"isLast"`
			NextPageToken string  `json:"nextPageToken"`
		}
		if err := c.get(ctx, r, q, &page); err != nil {
			return err
		}
		var last time.Time
		for _, is := range page.Issues {
			resolved, err := time.Parse(resolutionLayout, is.Fields.ResolutionDate)
			if err != nil {
				continue // unresolved since the search began
			}
			read++
			last = resolved
			a := is.Fields.Assignee
			if a == nil || a.AccountID == "" {
				unassigned++
				continue
			}
			r.Found(source.Item{
				Credit: ledger.Credit{
					ID:    fmt.Sprintf("%s:%s%s/%s", Name, c.site.Host, c.site.Path, is.ID),
					Who:   Name + ":" + a.AccountID,
					Kind:  c.kind,
					URL:   c.site.JoinPath("browse", is.Key).String(),
					Title: strings.TrimSpace(is.Fields.Summary),
					Facts: []ledger.Fact{{Key: "issue", Value: is.Key}},
				},
				At:   resolved,
				Bot:  a.AccountType == "app",
				Name: a.DisplayName,
			})
		}
		r.Synced(c.key, last)
		if page.IsLast || page.NextPageToken == "" || len(page.Issues) == 0 {
			break
		}
		token = page.NextPageToken
	}
	what := words.Plural(read, "resolved issue") + " read"
	if unassigned > 0 {
		what += fmt.Sprintf(", %d unassigned", unassigned)
	}
	r.Say(what, "")
	return nil
}

// get asks the search for q and decodes its answer.
func (c *connector) get(ctx context.Context, r *source.Run, q url.Values, v any) error {
	u := c.server.JoinPath("rest", "api", "3", "search", "jql")
	u.RawQuery = q.Encode()
	_, body, err := source.Get(ctx, r.Client, u.String(), http.Header{"Accept": {"application/json"}})
	if se, ok := errors.AsType[*source.StatusError](err); ok {
		var e struct {
			ErrorMessages []string          `json:"errorMessages"`
			Errors        map[string]string `json:"errors"`
		}
		_ = json.Unmarshal(se.Body, &e)
		msgs := e.ErrorMessages
		for k, m := range e.Errors {
			msgs = append(msgs, k+": "+m)
		}
		msg := cmp.Or(strings.Join(msgs, "; "), source.Snippet(se.Body))
		switch se.Status {
		case http.StatusBadRequest:
			return fmt.Errorf("Jira refused the search: %s; check sources.jira.jql", msg)
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("Jira refused the credentials (%d %s); check TALLY_JIRA_EMAIL and TALLY_JIRA_TOKEN", se.Status, msg)
		}
		return fmt.Errorf("%s: Jira answered %d %s", se.Path, se.Status, msg)
	} else if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: the answer is not the JSON expected: %v", u.Path, err)
	}
	return nil
}

// limit is Jira's: 429, and a 503 that says when to come back
// (Retry-After), waited for as long as it says.
func limit(resp *http.Response, body []byte, rate httpc.RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode == http.StatusServiceUnavailable {
		if wait, ok := httpc.RetryAfter(resp.Header, now); ok {
			return wait, "rate limit", true
		}
	}
	return httpc.StandardLimit(resp, body, rate, now, tries)
}
