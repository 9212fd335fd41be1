package source

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// StatusError is an answer whose status says the request failed.
type StatusError struct {
	Status int
	// Path is the request's path (never its query, which may hold a
	// credential); Body the answer's, for the connector to explain.
	Path string
	Body []byte
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d %s", e.Path, e.Status, http.StatusText(e.Status))
}

// Get asks for u with the headers h and returns the answer with its whole
// body. An answer that is not 2xx or 304 Not Modified is a *StatusError.
func Get(ctx context.Context, c *http.Client, u string, h http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "tally")
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotModified {
		return resp, body, &StatusError{Status: resp.StatusCode, Path: req.URL.Path, Body: body}
	}
	return resp, body, nil
}

// Snippet is the start of an answer's body, on one line, for a message.
func Snippet(body []byte) string {
	s := []rune(strings.Join(strings.Fields(string(body)), " "))
	if len(s) > 200 {
		return string(s[:200]) + "..."
	}
	return string(s)
}
