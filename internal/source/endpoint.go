package source

import (
	"fmt"
	"net/url"
	"strings"
)

// Endpoint is where the requests of a source whose API has one public
// address (https://slack.com/api/) go: there, or to --api-url when it is
// given, with the public address's path when --api-url names none (a
// test's server, http://127.0.0.1:8080).
func (s Setup) Endpoint(public string) (string, error) {
	if s.APIURL == "" {
		return public, nil
	}
	u, err := s.Server(nil)
	if err != nil {
		return "", err
	}
	if strings.Trim(u.Path, "/") == "" {
		p, err := url.Parse(public)
		if err != nil {
			return "", fmt.Errorf("internal error: %v", err)
		}
		u.Path = p.Path
	}
	return u.String(), nil
}
