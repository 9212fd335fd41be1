package github

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// NewClient returns a GitHub REST client for the API at apiURL (such as
// https://api.github.com or a test server's URL) that authenticates with
// token. hc may be nil for http.DefaultClient.
func NewClient(apiURL, token string, hc *http.Client) (*gh.Client, error) {
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	base, err := url.Parse(apiURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("the GitHub API URL %q is not an absolute URL", apiURL)
	}
	c := gh.NewClient(hc)
	if token != "" {
		c = c.WithAuthToken(token)
	}
	c.BaseURL = base
	c.UserAgent = "tally"
	return c, nil
}
