// Package stackexchange credits the accepted answers to questions with one
// of the program's tags on a Stack Exchange site to their authors.
//
// For each tag it lists the questions with an accepted answer, by last
// activity, oldest first (/search/advanced?accepted=True), from where the
// last run got, and reads the accepted answers of each page in one request
// (/answers/{ids}, up to 100 ids). An answer is accepted after it is
// posted, and accepting moves no activity date, so the listing starts a
// week before the last run's mark; answers credited already are not read
// again. The site's backoff is kept, its HTTP 400 error bodies explained,
// and a spent daily quota stops the run (exit 3).
package stackexchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
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
const Name = "stackexchange"

// API is the Stack Exchange API.
const API = "https://api.stackexchange.com/2.3/"

// pageSize is the most items the API gives in one request, and the most
// ids it takes in one.
const pageSize = 100

// lookback is how much earlier than the last run's mark the listing
// starts, for answers accepted since on questions with no activity.
const lookback = 7 * 24 * time.Hour

// StackExchange is the connector.
type StackExchange struct{}

func (StackExchange) Name() string { return Name }

func (StackExchange) Secrets() []source.Secret {
	return []source.Secret{{Env: "TALLY_STACKEXCHANGE_KEY", Optional: true}}
}

func (StackExchange) Open(s source.Setup) (*source.Job, error) {
	e, err := s.One(Name, "{site: stackoverflow, tags: [acme], kind: stackexchange_answer}")
	if err != nil {
		return nil, err
	}
	site, err := s.String(e, "site", true)
	if err != nil {
		return nil, err
	}
	tags, err := s.List(e, "tags")
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, s.Errorf(e.Pos, "sources.stackexchange: tags is missing; list the tags whose questions count")
	}
	kind, err := s.String(e, "kind", true)
	if err != nil {
		return nil, err
	}
	api, _ := url.Parse(API)
	if api, err = s.Server(api); err != nil {
		return nil, err
	}
	c := &connector{api: api, site: site, kind: kind, tags: tags}
	job := &source.Job{API: api.String(), Service: "the Stack Exchange API", Limit: limit, Pace: pace, Fetch: c.fetch}
	if key := s.Secret("TALLY_STACKEXCHANGE_KEY"); key != "" {
		job.Query = url.Values{"key": {key}}
	} else {
		job.Notes = []string{"No TALLY_STACKEXCHANGE_KEY is set: without an app key Stack Exchange allows 300 requests a day."}
	}
	for _, t := range tags {
		job.Streams = append(job.Streams, c.key(t))
	}
	return job, nil
}

type connector struct {
	api        *url.URL
	site, kind string
	tags       []string
}

func (c *connector) key(tag string) string { return c.site + "/" + tag }

// question is a question of a listing, in the default filter.
type question struct {
	QuestionID       int    `json:"question_id"`
	AcceptedAnswerID int    `json:"accepted_answer_id"`
	LastActivityDate int64  `json:"last_activity_date"`
	Title            string `json:"title"`
	Link             string `json:"link"`
}

// answer is an answer, in the default filter (which has no link).
type answer struct {
	AnswerID     int   `json:"answer_id"`
	QuestionID   int   `json:"question_id"`
	IsAccepted   bool  `json:"is_accepted"`
	CreationDate int64 `json:"creation_date"`
	Owner        struct {
		UserID      int    `json:"user_id"`
		UserType    string `json:"user_type"`
		DisplayName string `json:"display_name"`
	} `json:"owner"`
}

func (c *connector) fetch(ctx context.Context, r *source.Run) error {
	for _, tag := range c.tags {
		if err := c.read(ctx, r, tag); err != nil {
			return err
		}
	}
	return nil
}

// read lists one tag's questions with an accepted answer, oldest activity
// first, and reads the answers of each page before the next. Each next
// page is asked from the last activity read (min is inclusive), not by
// number: a question active while the list is read moves to its end, and
// paging by number would skip the one that moves up into a page read
// already. Only when a whole page has the activity of one second is the
// next taken by number.
func (c *connector) read(ctx context.Context, r *source.Run, tag string) error {
	key := c.key(tag)
	r.Begin(key)
	min := r.StartBack(key, lookback)
	read := map[int]int64{} // question -> its activity when read
	listed, answers := 0, 0
	page, first := 1, int64(0)
	for {
		r.Progress("questions", len(read), 0, "")
		q := url.Values{"site": {c.site}, "tagged": {tag}, "accepted": {"True"}, "sort": {"activity"}, "order": {"asc"},
			"pagesize": {strconv.Itoa(pageSize)}, "page": {strconv.Itoa(page)}}
		if !min.IsZero() {
			q.Set("min", strconv.FormatInt(min.Unix(), 10))
		}
		var list struct {
			Items   []question `json:"items"`
			HasMore bool       `json:"has_more"`
		}
		if err := c.get(ctx, r, "search/advanced", q, &list); err != nil {
			return err
		}
		var toRead []question
		for _, it := range list.Items {
			if at, ok := read[it.QuestionID]; ok && it.LastActivityDate <= at {
				continue
			}
			read[it.QuestionID] = it.LastActivityDate
			listed++
			if it.AcceptedAnswerID != 0 && !r.Held(c.answerID(it.AcceptedAnswerID)) {
				toRead = append(toRead, it)
			}
		}
		n, err := c.answers(ctx, r, toRead)
		answers += n
		if err != nil {
			return err
		}
		if len(list.Items) == 0 {
			break
		}
		last := list.Items[len(list.Items)-1].LastActivityDate
		r.Synced(key, time.Unix(last, 0))
		if !list.HasMore {
			break
		}
		if page == 1 {
			first = list.Items[0].LastActivityDate
		}
		if last <= first {
			page++ // every question so far was active in one second
			continue
		}
		min, page = time.Unix(last, 0), 1
	}
	r.Say(fmt.Sprintf("%s with an accepted answer listed, %s read", words.Plural(listed, "question"), words.Plural(answers, "answer")), "")
	return nil
}

func (c *connector) answerID(id int) string { return fmt.Sprintf("%s:%s/a/%d", Name, c.site, id) }

// answers reads the accepted answers of questions, 100 a request, and
// hands them over.
func (c *connector) answers(ctx context.Context, r *source.Run, questions []question) (int, error) {
	byAnswer := map[int]question{}
	var ids []string
	for _, q := range questions {
		byAnswer[q.AcceptedAnswerID] = q
		ids = append(ids, strconv.Itoa(q.AcceptedAnswerID))
	}
	read := 0
	for len(ids) > 0 {
		batch := ids[:min(pageSize, len(ids))]
		ids = ids[len(batch):]
		var list struct {
			Items []answer `json:"items"`
		}
		q := url.Values{"site": {c.site}, "pagesize": {strconv.Itoa(pageSize)}}
		if err := c.get(ctx, r, "answers/"+strings.Join(batch, ";"), q, &list); err != nil {
			return read, err
		}
		for _, a := range list.Items {
			qu, ok := byAnswer[a.AnswerID]
			if !ok || !a.IsAccepted {
				continue // no longer the accepted one
			}
			read++
			who := Name + ":"
			if a.Owner.UserID != 0 && a.Owner.UserType != "does_not_exist" {
				who += strconv.Itoa(a.Owner.UserID)
			}
			r.Found(source.Item{
				Credit: ledger.Credit{
					ID:    c.answerID(a.AnswerID),
					Who:   who,
					Kind:  c.kind,
					URL:   answerURL(qu.Link, a.AnswerID),
					Title: html.UnescapeString(qu.Title),
				},
				At: time.Unix(a.CreationDate, 0),
				// The Community user (-1) owns what no one does.
				Bot:  a.Owner.UserID < 0,
				Name: html.UnescapeString(a.Owner.DisplayName),
			})
		}
	}
	return read, nil
}

// answerURL is an answer's short link, on the site of its question.
func answerURL(questionLink string, id int) string {
	u, err := url.Parse(questionLink)
	if err != nil || u.Host == "" {
		return ""
	}
	return (&url.URL{Scheme: "https", Host: u.Host, Path: fmt.Sprintf("/a/%d", id)}).String()
}

// apiError is the body of every error the API gives.
type apiError struct {
	ID      int    `json:"error_id"`
	Name    string `json:"error_name"`
	Message string `json:"error_message"`
}

// get asks for the API method with the query q, and decodes its answer.
func (c *connector) get(ctx context.Context, r *source.Run, method string, q url.Values, v any) error {
	u := c.api.JoinPath(method)
	u.RawQuery = q.Encode()
	_, body, err := source.Get(ctx, r.Client, u.String(), nil)
	var se *source.StatusError
	switch {
	case errors.As(err, &se):
		var e apiError
		if json.Unmarshal(se.Body, &e) == nil && e.Name != "" {
			msg := fmt.Sprintf("/%s: Stack Exchange refused the request: %s (%d): %s", method, e.Name, e.ID, html.UnescapeString(e.Message))
			switch e.Name {
			case "key_required", "invalid_access_token", "access_denied":
				msg += "; check TALLY_STACKEXCHANGE_KEY"
			case "bad_parameter", "no_method":
				msg += "; check sources.stackexchange (site, tags)"
			}
			return errors.New(msg)
		}
		return fmt.Errorf("/%s: Stack Exchange answered %d %s", method, se.Status, source.Snippet(se.Body))
	case err != nil:
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("/%s: the answer is not the JSON expected: %v", method, err)
	}
	return nil
}

var availableIn = regexp.MustCompile(`available in (\d+) seconds`)

// limit is the API's throttle: error 502 throttle_violation (sent with
// HTTP 400), for a backoff not kept or a spent quota, whose message may
// say when requests are available again; and HTTP's own 429.
func limit(resp *http.Response, body []byte, rate httpc.RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	var e apiError
	if resp.StatusCode == http.StatusBadRequest && json.Unmarshal(body, &e) == nil && e.Name == "throttle_violation" {
		if m := availableIn.FindStringSubmatch(e.Message); m != nil {
			secs, _ := strconv.Atoi(m[1])
			return time.Duration(secs) * time.Second, "throttle", true
		}
		return time.Minute << tries, "throttle", true
	}
	return httpc.StandardLimit(resp, body, rate, now, tries)
}

// pace reads the wrapper every answer has: backoff (seconds before the
// method may be asked again) and the daily quota.
func pace(resp *http.Response, body []byte, now time.Time) httpc.Pacing {
	var w struct {
		Backoff        float64 `json:"backoff"`
		QuotaMax       *int    `json:"quota_max"`
		QuotaRemaining *int    `json:"quota_remaining"`
	}
	if json.Unmarshal(body, &w) != nil {
		return httpc.Pacing{}
	}
	var p httpc.Pacing
	if w.Backoff > 0 {
		p.Wait, p.Reason = time.Duration(w.Backoff*float64(time.Second)), "backoff"
	}
	if w.QuotaMax != nil && w.QuotaRemaining != nil {
		p.Rate = httpc.RateLimit{Limit: *w.QuotaMax, Remaining: *w.QuotaRemaining, Known: true}
		if *w.QuotaRemaining <= 0 {
			p.Spent, p.Reason = true, "daily quota"
		}
	}
	return p
}
