// Package graphql asks GraphQL APIs (GitHub's, Meetup's) for data: one
// POST of the query and its variables, marked as safe to send again so
// that the client retries it like a GET, and the answer's errors, which
// come with a 200, as a Go error.
package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Error is one of an answer's errors.
type Error struct {
	Message string `json:"message"`
	// Type is GitHub's: NOT_FOUND, FORBIDDEN, RATE_LIMITED...
	Type string `json:"type"`
	Path []any  `json:"path"`
	// Extensions hold Meetup's classification (ValidationError) and
	// other servers' code.
	Extensions map[string]any `json:"extensions"`
}

// Kind is what the error says it is: its type, else its extensions'
// code or classification.
func (e Error) Kind() string {
	if e.Type != "" {
		return e.Type
	}
	for _, k := range []string{"code", "classification"} {
		if s, ok := e.Extensions[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// Errors are the errors of an answer: the query failed, in whole or in
// part.
type Errors []Error

func (es Errors) Error() string {
	var msgs []string
	for _, e := range es {
		msg := e.Message
		if k := e.Kind(); k != "" {
			msg += " (" + k + ")"
		}
		msgs = append(msgs, msg)
	}
	return strings.Join(msgs, "; ")
}

// Has tells whether one of the errors is of the kind.
func (es Errors) Has(kind string) bool {
	for _, e := range es {
		if strings.EqualFold(e.Kind(), kind) {
			return true
		}
	}
	return false
}

// ErrorsOf are the errors in an answer's body (none when it has none, or
// is not JSON).
func ErrorsOf(body []byte) Errors {
	var a struct {
		Errors Errors `json:"errors"`
	}
	_ = json.Unmarshal(body, &a)
	return a.Errors
}

// StatusError is an answer whose HTTP status is not 2xx.
type StatusError struct {
	Status int
	Body   []byte
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("answered %d %s", e.Status, http.StatusText(e.Status))
	if body := []rune(strings.Join(strings.Fields(string(e.Body)), " ")); len(body) > 200 {
		msg += ": " + string(body[:200]) + "..."
	} else if len(body) > 0 {
		msg += ": " + string(body)
	}
	return msg
}

// Query posts query with its variables to endpoint and decodes the
// answer's data into data. An answer with errors is an Errors, returned
// after data is decoded (GitHub sends the parts that worked); one whose
// status is not 2xx, a *StatusError.
func Query(ctx context.Context, c *http.Client, endpoint, query string, variables map[string]any, data any) error {
	payload, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "tally")
	// A query changes nothing: it may be sent again (see httpc), and the
	// nil value is not sent.
	req.Header["Idempotency-Key"] = nil
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return &StatusError{Status: resp.StatusCode, Body: body}
	}
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors Errors          `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("the answer is not GraphQL's JSON: %v", err)
	}
	if len(answer.Data) > 0 && string(answer.Data) != "null" {
		if err := json.Unmarshal(answer.Data, data); err != nil {
			return fmt.Errorf("the answer's data is not as asked: %v", err)
		}
	}
	if len(answer.Errors) > 0 {
		return answer.Errors
	}
	return nil
}
