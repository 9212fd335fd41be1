package httpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// ErrTimeout says that an attempt ran past its deadline.
var ErrTimeout = errors.New("timed out")

// attempt sends one request: with the credentials when it goes to the
// API's origin (home), without any anywhere else, and within the deadline.
// It sits below the http.Client, so that a redirect is judged by where it
// goes, and below the governor, so that each retry gets a deadline of its
// own.
type attempt struct {
	next        http.RoundTripper
	home        string
	credentials http.Header
	query       url.Values
	strip       []string // removed from requests to other origins
	timeout     time.Duration
}

// errDeadline is the cause of an attempt's own deadline, to tell it from
// the caller's.
var errDeadline = errors.New("attempt deadline")

func (a *attempt) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeoutCause(req.Context(), a.timeout, errDeadline)
	out := req.Clone(ctx)
	if a.home != "" && origin(req.URL) == a.home {
		for k, v := range a.credentials {
			out.Header[k] = slices.Clone(v)
		}
		if len(a.query) > 0 {
			q := out.URL.Query()
			for k, v := range a.query {
				q[k] = slices.Clone(v)
			}
			u := *out.URL
			u.RawQuery = q.Encode()
			out.URL = &u
		}
	} else {
		for _, k := range a.strip {
			out.Header.Del(k)
		}
	}
	resp, err := a.next.RoundTrip(out)
	if err != nil {
		err = a.explain(ctx, err)
		cancel()
		return nil, err
	}
	resp.Body = &deadlineBody{ReadCloser: resp.Body, a: a, ctx: ctx, cancel: cancel}
	return resp, nil
}

// explain says so when an error comes from the attempt's deadline.
func (a *attempt) explain(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errDeadline) {
		return fmt.Errorf("no complete answer within %s: %w", a.timeout, ErrTimeout)
	}
	return err
}

// deadlineBody ends the attempt's deadline when it is closed, and says
// when a read failed because of it.
type deadlineBody struct {
	io.ReadCloser
	a      *attempt
	ctx    context.Context
	cancel context.CancelFunc
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = b.a.explain(b.ctx, err)
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
