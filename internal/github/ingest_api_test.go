package github

import (
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/github/githubtest"
)

// ingestToken is the token the ingestion tests send, and their fake
// GitHub requires.
const ingestToken = "test-token-value"

// newIngestAPI is a fake GitHub whose main repository is lumen/widget,
// whose clock is at now, and that requires ingestToken.
func newIngestAPI(t testing.TB, now time.Time) *githubtest.Server {
	t.Helper()
	a := githubtest.New(t, "lumen", "widget")
	a.Token = ingestToken
	a.Clock = githubtest.NewClock(now)
	return a
}

// closedIssue is an issue closed at, with a reason ("" for none, as for
// issues closed before GitHub recorded reasons) and assignees.
func closedIssue(n int, title, reason string, at time.Time, assignees ...string) githubtest.Issue {
	return githubtest.Issue{Number: n, Title: title, StateReason: reason, Closed: at, Updated: at, Assignees: assignees}
}

// mergedPull is a pull request by author, opened an hour before it was
// merged.
func mergedPull(n int, author, title string, merged time.Time) githubtest.Pull {
	return githubtest.Pull{Number: n, State: "closed", Author: author, Title: title, Created: merged.Add(-time.Hour), Updated: merged, Merged: merged}
}
