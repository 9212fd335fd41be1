// Package health measures a community's health from its ledger, in the
// terms of CHAOSS (chaoss.community), the metrics GrimoireLab and Cauldron
// show: how long pull requests wait for a first review and to be merged,
// issues to be closed and questions to be answered (medians and 90th
// percentiles); how often each project releases; how the contributors
// split into the onion's core, regulars and casual contributors, who is
// new and who came back, month by month; every project side by side; and
// an organisation's own contributions across projects, as an open source
// program office shows them. Everything is a pure function of a scored
// ledger.
package health

import (
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// Metric is one of the time metrics.
type Metric uint8

const (
	FirstReview Metric = iota
	Merge
	Close
	Answer
	metrics
)

// MetricInfo describes a time metric: its JSON key, its name in words,
// and the CHAOSS metric it follows.
type MetricInfo struct {
	Key, Name, CHAOSS, CHAOSSURL string
}

// Metrics holds every time metric's description, by Metric.
var Metrics = [metrics]MetricInfo{
	FirstReview: {"time_to_first_review", "Time to first review", "Time to First Response", "https://chaoss.community/kb/metric-time-to-first-response/"},
	Merge:       {"time_to_merge", "Time to merge", "Change Requests Duration", "https://chaoss.community/kb/metric-change-requests-duration/"},
	Close:       {"time_to_close", "Time to close an issue", "Issue Resolution Duration", "https://chaoss.community/kb/metric-issue-resolution-duration/"},
	Answer:      {"time_to_answer", "Time to accepted answer", "Time to Close", "https://chaoss.community/kb/metric-time-to-close/"},
}

// The facts the time metrics read, by name (see Measure). A value is an
// RFC 3339 time (2026-09-30T10:00:00Z) or a date (2026-09-30).
const (
	// FactOpened is when a pull request or an issue was opened, or a
	// question asked: the start of every time metric.
	FactOpened = "opened"
	// FactMerged is when a pull request was merged; without it, the
	// credit's date.
	FactMerged = "merged"
	// FactFirstReview is when a pull request was first reviewed; without
	// it, the date of its earliest review credit.
	FactFirstReview = "first_review"
	// FactClosed is when an issue was closed; without it, the credit's
	// date.
	FactClosed = "closed"
	// FactAnswered is when the accepted answer was posted; without it,
	// the credit's date.
	FactAnswered = "answered"
)

// Kinds of credit the metrics measure, as tally's sources write them.
const (
	KindPullRequest = "pull_request"
	KindReview      = "review"
	KindRelease     = "release"
)

// measured maps the kinds that time metrics measure to their metric;
// pull requests give FirstReview too.
var measured = map[string]Metric{
	KindPullRequest:        Merge,
	"issue":                Close,
	"task":                 Close,
	"forum_solution":       Answer,
	"stackexchange_answer": Answer,
	"discussion_answer":    Answer,
}

// reviewOf is the id of the pull request a review credit is about: its id
// up to "/review/", as ingestion writes them (github:acme/widget#12/review/alice).
func reviewOf(id string) (string, bool) {
	i := strings.Index(id, "/review/")
	if i < 0 {
		return "", false
	}
	return id[:i], true
}

// Health holds a scored ledger's time measurements and releases, indexed
// for any period. Build it once with New; its methods only read it.
type Health struct {
	book *score.Book
	loc  *time.Location
	// projects lists the projects of the credits, sorted; events and
	// releases point into it (-1: no project).
	projects []string
	project  map[string]int32
	// events holds each metric's measurements, by end date.
	events [metrics][]event
	// releases holds the releases, by date.
	releases []release
}

// event is one measurement: something that ended on a day (a merge, a
// first review, a close, an answer) and how long it took.
type event struct {
	end     ledger.Date
	project int32
	org     string
	seconds int64
}

type release struct {
	date    ledger.Date
	project int32
}
