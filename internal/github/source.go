package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/words"
)

// GitHub is GitHub as a source of credits: the repositories of
// program.yaml's sources.github, and those --repo adds.
type GitHub struct{}

func (GitHub) Name() string { return Source }

// Secrets: GITHUB_TOKEN, else GH_TOKEN (the gh command's).
func (GitHub) Secrets() []source.Secret {
	return []source.Secret{{Env: "GITHUB_TOKEN", Optional: true}, {Env: "GH_TOKEN", Optional: true}}
}

func (GitHub) Open(s source.Setup) (*source.Job, error) {
	var repos []string
	seen := map[string]bool{}
	for _, e := range s.Settings {
		list, err := s.List(e, "repositories")
		if err != nil {
			return nil, err
		}
		v, _ := e.Get("repositories")
		for _, r := range list {
			if _, _, err := SplitRepo(r); err != nil {
				return nil, s.Errorf(v.Pos, "sources.github.repositories: %v", err)
			}
			if !seen[strings.ToLower(r)] {
				seen[strings.ToLower(r)] = true
				repos = append(repos, r)
			}
		}
	}
	if len(repos) == 0 {
		return nil, fmt.Errorf("name a repository: --repo OWNER/NAME, or sources.github.repositories in program.yaml")
	}
	token := s.Secret("GITHUB_TOKEN")
	if token == "" {
		token = s.Secret("GH_TOKEN")
	}
	apiURL := s.APIURL
	if apiURL == "" {
		apiURL = s.Getenv("GITHUB_API_URL")
	}
	base, err := apiBase(apiURL)
	if err != nil {
		return nil, err
	}
	job := &source.Job{API: base.String(), Service: service, Limit: Limit, Streams: repos}
	if token != "" {
		job.Credentials = http.Header{"Authorization": {"Bearer " + token}}
	} else {
		job.Notes = []string{"No GITHUB_TOKEN or GH_TOKEN is set: without a token GitHub allows 60 requests an hour."}
	}
	var states []ledger.RepoState
	job.Fetch = func(ctx context.Context, r *source.Run) error {
		c := gh.NewClient(r.Client)
		c.BaseURL, c.UserAgent = base, "tally"
		in := &ingestion{
			repos: repos, gh: c, since: r.Since(), until: r.Until(), prev: repoStates(s.Ledger), bots: botLogins(s.Ledger), found: r.Found,
			progress: func(p IngestProgress) { r.Progress(p.Stage, p.Done, p.Total, "pull requests") },
		}
		return in.run(ctx, r.Begin, func(rs IngestRepo, st ledger.RepoState) {
			states = append(states, st)
			r.Say(words.Plural(rs.PullRequests, "pull request")+" updated",
				fmt.Sprintf("pull requests %d, reviews %d, issues %d, releases %d",
					rs.PullRequestRequests, rs.ReviewRequests, rs.IssueRequests, rs.ReleaseRequests))
		})
	}
	job.State = func(old []byte) ([]byte, error) { return stateWriter(s.Ledger, states)(old) }
	return job, nil
}
