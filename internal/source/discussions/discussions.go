// Package discussions credits the comments of GitHub Discussions marked as
// the answer to their authors, through the GraphQL API.
//
// For each repository it lists the answered discussions, most recently
// updated first, with their answer and its author in the same query (one
// request a page of 100, never one a discussion), down to where the last
// run got. An answer may be marked well after the discussion's last
// comment, so the listing reaches a lookback further back; the answers
// credited already are counted, not written again.
package discussions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/graphql"
	"github.com/tallyledger/tally/internal/words"
)

// Name is the source's name; its credits are to github:<login>.
const Name = "discussions"

// PublicAPI is the public GraphQL endpoint.
const PublicAPI = "https://api.github.com/graphql"

// lookback is how much earlier than the last run's mark the listing
// reaches, for answers marked since on discussions not updated since.
const lookback = 7 * 24 * time.Hour

// pageSize is the most a GraphQL connection gives at a time.
const pageSize = 100

const service = "the GitHub GraphQL API"

// query lists a page of a repository's answered discussions, newest
// update first, with each answer and its author.
const query = `query($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: $first, after: $after, answered: true, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        title
        updatedAt
        answer { databaseId url createdAt author { __typename login } }
      }
    }
  }
  rateLimit { limit remaining resetAt }
}`

// Discussions is the connector.
type Discussions struct{}

func (Discussions) Name() string { return Name }

func (Discussions) Secrets() []source.Secret { return []source.Secret{{Env: "GITHUB_TOKEN"}} }

func (Discussions) Open(s source.Setup) (*source.Job, error) {
	if len(s.Settings) != 1 {
		return nil, errors.New("sources.discussions: set it up in program.yaml: {repositories: [acme/widget], kind: discussion_answer}")
	}
	e := s.Settings[0]
	repos, err := s.List(e, "repositories")
	if err != nil {
		return nil, err
	}
	if len(repos) == 0 {
		return nil, s.Errorf(e.Pos, "sources.discussions: repositories is missing; add the repositories whose discussions count: [acme/widget]")
	}
	v, _ := e.Get("repositories")
	for _, r := range repos {
		if _, _, err := github.SplitRepo(r); err != nil {
			return nil, s.Errorf(v.Pos, "sources.discussions.repositories: %v", err)
		}
	}
	kind, err := s.String(e, "kind", true)
	if err != nil {
		return nil, err
	}
	token := s.Secret("GITHUB_TOKEN")
	if token == "" {
		return nil, errors.New("sources.discussions: GITHUB_TOKEN is not set; GitHub's GraphQL API answers only with a token (one that may read the repositories)")
	}
	public := PublicAPI
	if env := s.Getenv("GITHUB_GRAPHQL_URL"); env != "" {
		if u, err := url.Parse(env); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("GITHUB_GRAPHQL_URL %q is not an http(s) URL such as %s", env, PublicAPI)
		}
		public = env // GitHub Enterprise's, in its Actions
	}
	endpoint, err := s.Endpoint(public)
	if err != nil {
		return nil, err
	}
	c := &connector{endpoint: endpoint, kind: kind, repos: repos}
	return &source.Job{
		API: endpoint, Service: service, Streams: repos, Limit: limit, Pace: pace, Fetch: c.fetch,
		Credentials: http.Header{"Authorization": {"Bearer " + token}},
	}, nil
}

type connector struct {
	endpoint, kind string
	repos          []string
}

// discussion is a discussion as the query lists it.
type discussion struct {
	Number    int       `json:"number"`
	Title     string    `json:"title"`
	UpdatedAt time.Time `json:"updatedAt"`
	Answer    *struct {
		DatabaseID int64     `json:"databaseId"`
		URL        string    `json:"url"`
		CreatedAt  time.Time `json:"createdAt"`
		Author     *struct {
			Typename string `json:"__typename"`
			Login    string `json:"login"`
		} `json:"author"`
	} `json:"answer"`
}

func (c *connector) fetch(ctx context.Context, r *source.Run) error {
	for _, repo := range c.repos {
		if err := c.read(ctx, r, repo); err != nil {
			return err
		}
	}
	return nil
}

// read lists the answered discussions of repo down to where to begin, and
// hands over their answers. The listing is newest first, so the mark moves
// once it is complete: to the newest update listed, or --until.
func (c *connector) read(ctx context.Context, r *source.Run, repo string) error {
	r.Begin(repo)
	owner, name, _ := strings.Cut(repo, "/")
	from := r.Start(repo)
	if !from.IsZero() && r.Since().IsZero() {
		from = from.Add(-lookback)
	}
	var newest time.Time
	listed, pages := 0, 0
	vars := map[string]any{"owner": owner, "name": name, "first": pageSize, "after": nil}
	for {
		r.Progress("answered discussions", listed, 0, "")
		var data struct {
			Repository *struct {
				Discussions struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []discussion `json:"nodes"`
				} `json:"discussions"`
			} `json:"repository"`
		}
		if err := c.query(ctx, r, repo, vars, &data); err != nil {
			return err
		}
		pages++
		if data.Repository == nil {
			return fmt.Errorf("%s: GitHub answered without the repository; check sources.discussions.repositories", repo)
		}
		page := data.Repository.Discussions
		reached := false
		for _, d := range page.Nodes {
			if !from.IsZero() && d.UpdatedAt.Before(from) {
				reached = true // updated before: so is every later one
				break
			}
			listed++
			if d.UpdatedAt.After(newest) {
				newest = d.UpdatedAt
			}
			c.found(r, repo, d)
		}
		if reached || !page.PageInfo.HasNextPage || page.PageInfo.EndCursor == "" {
			break
		}
		vars["after"] = page.PageInfo.EndCursor
	}
	if until := r.Until(); !until.IsZero() && newest.After(until) {
		newest = until // what was answered after it is for a later run
	}
	r.Synced(repo, newest)
	r.Say(words.Plural(listed, "answered discussion")+" listed", words.Plural(pages, "page"))
	return nil
}

// found hands over the answer of d, if it has one.
func (c *connector) found(r *source.Run, repo string, d discussion) {
	a := d.Answer
	if a == nil {
		return // unanswered (listed by a server that ignores answered)
	}
	who, bot := "github:", false // a deleted account: nobody to credit
	if a.Author != nil {
		who = "github:" + a.Author.Login
		bot = a.Author.Typename == "Bot" || strings.HasSuffix(a.Author.Login, "[bot]")
	}
	r.Found(source.Item{
		Credit: ledger.Credit{
			ID:      fmt.Sprintf("%s:%s#%d/%d", Name, repo, d.Number, a.DatabaseID),
			Who:     who,
			Kind:    c.kind,
			URL:     a.URL,
			Title:   d.Title,
			Project: repo,
		},
		At:  a.CreatedAt,
		Bot: bot,
	})
}

// query asks one page of repo and explains the errors GitHub gives.
func (c *connector) query(ctx context.Context, r *source.Run, repo string, vars map[string]any, data any) error {
	err := graphql.Query(ctx, r.Client, c.endpoint, query, vars, data)
	var es graphql.Errors
	var se *graphql.StatusError
	switch {
	case errors.As(err, &es) && es.Has("NOT_FOUND"):
		return fmt.Errorf("%s: GitHub has no such repository, or the token may not read it (%v); check sources.discussions.repositories and GITHUB_TOKEN", repo, es)
	case errors.As(err, &es) && (es.Has("FORBIDDEN") || es.Has("INSUFFICIENT_SCOPES")):
		return fmt.Errorf("%s: GitHub refused (%v); the token needs read access to the repository (public_repo, or repo for a private one)", repo, es)
	case errors.As(err, &es):
		return fmt.Errorf("%s: %s answered with errors: %v", repo, service, es)
	case errors.As(err, &se) && se.Status == http.StatusUnauthorized:
		return fmt.Errorf("%s: GitHub refused GITHUB_TOKEN (401 Bad credentials); set a valid token", repo)
	case errors.As(err, &se):
		return fmt.Errorf("%s: %s %v", repo, service, se)
	case err != nil:
		return fmt.Errorf("%s: %w", repo, err)
	}
	return nil
}

// limit is GitHub's rate limits: its REST API's, and the GraphQL API's
// primary limit, which answers 200 with an error of type RATE_LIMITED.
func limit(resp *http.Response, body []byte, rate httpc.RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode == http.StatusOK && graphql.ErrorsOf(body).Has("RATE_LIMITED") {
		if rate.Known && rate.Remaining == 0 {
			return rate.Wait(now), "rate limit", true
		}
		return time.Minute << tries, "rate limit", true
	}
	return github.Limit(resp, body, rate, now, tries)
}

// pace reads the rate limit the answer's rateLimit tells, so that a run
// waits for its reset before a request that would be refused.
func pace(_ *http.Response, body []byte, _ time.Time) httpc.Pacing {
	var a struct {
		Data struct {
			RateLimit *struct {
				Limit     int       `json:"limit"`
				Remaining int       `json:"remaining"`
				ResetAt   time.Time `json:"resetAt"`
			} `json:"rateLimit"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &a) != nil || a.Data.RateLimit == nil {
		return httpc.Pacing{}
	}
	rl := a.Data.RateLimit
	return httpc.Pacing{Rate: httpc.RateLimit{Limit: rl.Limit, Remaining: rl.Remaining, Reset: rl.ResetAt, Known: true}}
}
