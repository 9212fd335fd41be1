package github

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// PublicAPI is the public GitHub REST API.
const PublicAPI = "https://api.github.com/"

// NewClient returns a go-github client for the REST API at apiURL (the
// public API when empty; GitHub Enterprise Server's is
// https://HOST/api/v3/), authenticated with token when it is not empty,
// sending its requests through hc (a plain client when nil). The token is
// sent only in the Authorization header, never logged.
func NewClient(apiURL, token string, hc *http.Client) (*gh.Client, error) {
	if apiURL == "" {
		apiURL = PublicAPI
	}
	base, err := url.Parse(apiURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("API URL %q is not an http(s) URL such as %s or https://github.example.com/api/v3/", apiURL, PublicAPI)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/" // go-github resolves paths against the folder
	}
	c := gh.NewClient(hc)
	if token != "" {
		c = c.WithAuthToken(token)
	}
	c.BaseURL = base
	c.UserAgent = "tally"
	return c, nil
}
