package action

import (
	"context"
	"strings"
	"testing"
)

func TestRunRejectsBadInputs(t *testing.T) {
	for _, tc := range []struct {
		env  env
		want string
	}{
		{env{}, "input command is required: check, comment, report, ingest or monthly"},
		{env{"INPUT_COMMAND": "publish"}, `input command: "publish" is not check, comment, report, ingest or monthly`},
		{env{"INPUT_COMMAND": "report", "INPUT_AS_OF": "2026-13"}, `input as-of: "2026-13" is not a month`},
		{env{"INPUT_COMMAND": "monthly", "INPUT_ALLOW-LARGE-CHANGES": "yes"}, `input allow-large-changes: "yes" is not true or false`},
		{env{"INPUT_COMMAND": "check", "GITHUB_EVENT_NAME": "pull_request_target"}, `command check runs on pull_request and pull_request_review events, not "pull_request_target"`},
		{env{"INPUT_COMMAND": "monthly", "GITHUB_REF": "refs/tags/v1"}, `command monthly publishes against a branch, but the workflow runs on "refs/tags/v1"`},
		{env{"INPUT_COMMAND": "ingest", "INPUT_REPOSITORIES": "a/b", "GITHUB_REPOSITORY": "a/b"}, "ingest is not available in this build"},
		{env{"INPUT_COMMAND": "check", "GITHUB_REPOSITORY": "nobody"}, `GITHUB_REPOSITORY "nobody" is not OWNER/NAME`},
	} {
		tc.env["INPUT_GITHUB_TOKEN"] = "s3cret"
		rt, out := newTestRuntime(t, tc.env)
		err := Run(context.Background(), Env{Runtime: rt})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.env, err, tc.want)
			continue
		}
		if !strings.HasPrefix(out.String(), "::add-mask::s3cret\n") || !strings.Contains(out.String(), "::error title=tally::") {
			t.Errorf("%v: stdout = %q", tc.env, out)
		}
	}
}
