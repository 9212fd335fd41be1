package action

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	gh "github.com/google/go-github/v60/github"

	"github.com/tallyledger/tally/internal/atomicfile"
	tgh "github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/ledger"
)

// pullComment is what the check has to say on a pull request.
type pullComment struct {
	Number  int
	HeadSHA string // the head commit it was computed for
	// Body is the comment without its header; "" removes tally's comment.
	Body string
	// Reviewers are the GitHub logins to ask for a review.
	Reviewers []string
}

// A check whose token may not write (a pull request from a fork) leaves
// the comment in RUNNER_TEMP as these two files; the workflow uploads
// them, and command comment, in a workflow_run workflow, posts them.
const (
	commentFile = "tally-comment.md"
	metaFile    = "tally-comment.json"
)

// commentMeta is metaFile: which pull request, at which head, and whom to
// ask for a review.
type commentMeta struct {
	PullRequest int      `json:"pull_request"`
	HeadSHA     string   `json:"head_sha"`
	Reviewers   []string `json:"reviewers"`
}

// converse posts the comment and asks for the reviews; when GitHub says
// the token may not, it saves them for command comment instead.
func (e *Env) converse(ctx context.Context, client *gh.Client, c *config, pc pullComment, author string, run int64) error {
	err := e.post(ctx, client, c, pc, author, run)
	if !tgh.Forbidden(err) {
		return err
	}
	dir := e.Getenv("RUNNER_TEMP")
	if dir == "" {
		return fmt.Errorf("%w; the token may not write, and RUNNER_TEMP is not set to save the comment in for the comment workflow", err)
	}
	meta, err := json.Marshal(commentMeta{PullRequest: pc.Number, HeadSHA: pc.HeadSHA, Reviewers: pc.Reviewers})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{commentFile: []byte(pc.Body), metaFile: append(meta, '\n')} {
		if err := atomicfile.Write(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Err(), "comment: the token may not write to pull request #%d; saved the comment as %s for the comment workflow (command comment) to post\n", pc.Number, filepath.Join(dir, commentFile))
	return nil
}

// post writes tally's comment on the pull request (or removes it) and asks
// the reviewers, those not yet asked. run is the workflow run of the check
// the comment comes from: a comment from a later run is kept.
func (e *Env) post(ctx context.Context, client *gh.Client, c *config, pc pullComment, author string, run int64) error {
	s := tgh.Sticky{Owner: c.owner, Repo: c.repo, Number: pc.Number, Marker: commentMarker}
	var op string
	var err error
	if pc.Body == "" {
		op, err = s.Delete(ctx, client)
	} else {
		op, err = s.Put(ctx, client, commentHeader(run)+unmentioned(pc.Body), func(old string) bool { return run == 0 || runOf(old) <= run })
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Err(), "comment on pull request #%d: %s\n", pc.Number, op)
	return e.askReviews(ctx, client, c, pc.Number, author, pc.Reviewers)
}

// askReviews asks logins to review pull request number, those not asked
// yet; GitHub's refusals are warnings.
func (e *Env) askReviews(ctx context.Context, client *gh.Client, c *config, number int, author string, logins []string) error {
	if len(logins) == 0 {
		return nil
	}
	asked, err := tgh.RequestReviews(ctx, client, c.owner, c.repo, number, author, logins)
	if err != nil {
		return err
	}
	if len(asked.Asked) > 0 {
		fmt.Fprintf(e.Err(), "asked for a review of pull request #%d: %s\n", number, strings.Join(asked.Asked, ", "))
	}
	for _, r := range asked.Refused {
		e.Warning("GitHub would not ask "+r+" to review pull request #"+strconv.Itoa(number), Annotation{Title: "tally"})
	}
	return nil
}

// commentHeader marks the comment as tally's, and says which run of the
// check wrote it.
func commentHeader(run int64) string {
	return commentMarker + "\n<!-- tally:run " + strconv.FormatInt(run, 10) + " -->\n"
}

var runLine = regexp.MustCompile(`\A` + regexp.QuoteMeta(commentMarker) + `\n<!-- tally:run ([0-9]{1,19}) -->\n`)

// runOf is the run of the check that wrote a comment (0 when unknown).
func runOf(body string) int64 {
	m := runLine.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// mention is an @ that GitHub would read as a mention: before a login, not
// inside a word, a path or an address.
var mention = regexp.MustCompile(`(^|[^A-Za-z0-9_./@&-])@([A-Za-z0-9])`)

// unmentioned puts a zero-width space after every @ that would mention
// someone: tally's comment notifies no one (the review requests do), and
// one that comes from a fork's run must not either.
func unmentioned(s string) string {
	return mention.ReplaceAllString(s, "$1@\u200b$2")
}

// runEvent is the part of a workflow_run event that command comment reads:
// the run of the check whose comment it posts.
type runEvent struct {
	WorkflowRun *workflowRun `json:"workflow_run"`
}

type workflowRun struct {
	ID      int64  `json:"id"`
	Event   string `json:"event"`
	HeadSHA string `json:"head_sha"`
}

var (
	sha1Hex = regexp.MustCompile(`^[0-9a-f]{40}$`)
	login   = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)
)

// maxReviewers bounds the reviewers a saved comment may ask for.
const maxReviewers = 100

// comment posts the comment a check saved, in a workflow_run workflow that
// downloaded its files into RUNNER_TEMP. The files come from a run of the
// pull request's workflow, which a fork may have rewritten, so they are
// data to check, never trusted: the pull request is a number; the head is
// the check's run's own (from the event) and still the pull request's
// head (a stale comment is refused); the comment is bounded text; and only
// the leadership and team leads of the ledger checked out (the default
// branch's) are asked to review.
func (e *Env) comment(ctx context.Context, c *config) error {
	if c.eventName != "workflow_run" {
		return fmt.Errorf("command comment runs on workflow_run events, after the ledger check, not %q", c.eventName)
	}
	run, err := readRunEvent(c.eventPath)
	if err != nil {
		return err
	}
	dir := e.Getenv("RUNNER_TEMP")
	if dir == "" {
		return errors.New("RUNNER_TEMP is not set: command comment reads the check's comment there")
	}
	data, err := readSaved(filepath.Join(dir, metaFile), 64<<10)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(e.Err(), "no comment to post: the check saved none (it posted its comment itself, or had nothing to say)")
		return nil
	}
	if err != nil {
		return err
	}
	var meta commentMeta
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&meta); err != nil {
		return fmt.Errorf("%s: %w", metaFile, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: more than one JSON value", metaFile)
	}
	switch {
	case meta.PullRequest <= 0:
		return fmt.Errorf("%s: pull_request %d is not a pull request's number", metaFile, meta.PullRequest)
	case !sha1Hex.MatchString(meta.HeadSHA):
		return fmt.Errorf("%s: head_sha %q is not a commit (40 hexadecimal digits)", metaFile, meta.HeadSHA)
	case meta.HeadSHA != strings.ToLower(run.HeadSHA):
		return fmt.Errorf("%s: head_sha %s is not the head of the check's run, %s", metaFile, meta.HeadSHA, run.HeadSHA)
	case len(meta.Reviewers) > maxReviewers:
		return fmt.Errorf("%s: %d reviewers, more than %d", metaFile, len(meta.Reviewers), maxReviewers)
	}
	for _, r := range meta.Reviewers {
		if !login.MatchString(r) {
			return fmt.Errorf("%s: reviewer %q is not a GitHub login", metaFile, r)
		}
	}
	body, err := readSaved(filepath.Join(dir, commentFile), maxComment)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		return fmt.Errorf("%s is not UTF-8 text", commentFile)
	}

	client, err := e.client(c)
	if err != nil {
		return err
	}
	pr, _, err := client.PullRequests.Get(ctx, c.owner, c.repo, meta.PullRequest)
	if err != nil {
		return fmt.Errorf("reading pull request #%d: %w", meta.PullRequest, err)
	}
	if now := strings.ToLower(pr.GetHead().GetSHA()); now != meta.HeadSHA {
		e.Warning(fmt.Sprintf("The comment was computed for %s, but pull request #%d is now at %s: not posted (the check of the new head comments instead).", meta.HeadSHA, meta.PullRequest, now), Annotation{Title: "tally"})
		return nil
	}
	if pr.GetState() != "open" {
		fmt.Fprintf(e.Err(), "pull request #%d is %s: nothing posted\n", meta.PullRequest, pr.GetState())
		return nil
	}
	reviewers, err := e.programReviewers(c, meta.Reviewers)
	if err != nil {
		return err
	}
	return e.post(ctx, client, c, pullComment{Number: meta.PullRequest, HeadSHA: meta.HeadSHA, Body: string(body), Reviewers: reviewers}, pr.GetUser().GetLogin(), run.ID)
}

func readRunEvent(name string) (*workflowRun, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading the event (GITHUB_EVENT_PATH): %w", err)
	}
	var ev runEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("reading the event %s: %w", name, err)
	}
	switch run := ev.WorkflowRun; {
	case run == nil || run.ID <= 0 || !sha1Hex.MatchString(strings.ToLower(run.HeadSHA)):
		return nil, errors.New("the workflow_run event has no run with an id and a head commit")
	case run.Event != "pull_request" && run.Event != "pull_request_review":
		return nil, fmt.Errorf("the run was started by a %s event, not by a pull request's: its comment has no pull request to go to", run.Event)
	default:
		return run, nil
	}
}

// readSaved reads a file the check saved: a regular file of at most limit
// bytes.
func readSaved(name string, limit int64) ([]byte, error) {
	info, err := os.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return data, nil
}

// programReviewers keeps of logins those of the leadership and the team
// leads in the ledger checked out: the only people a check asks.
func (e *Env) programReviewers(c *config, logins []string) ([]string, error) {
	if len(logins) == 0 {
		return nil, nil
	}
	dir := joinWorkspace(c.workspace, c.ledger)
	program, _, err := ledger.LoadFS(os.DirFS(dir), ledger.Options{Include: func(p string) bool { return p == "program.yaml" }})
	if err != nil {
		return nil, err
	}
	if program.Program == nil {
		e.Warning(fmt.Sprintf("No program.yaml in %s (check out the default branch): no one is asked to review.", c.ledger), Annotation{Title: "tally"})
		return nil, nil
	}
	allowed, err := leaderLogins(dir, program.Program)
	if err != nil {
		return nil, err
	}
	var out, dropped []string
	for _, l := range logins {
		if slices.Contains(allowed, strings.ToLower(l)) {
			out = append(out, l)
		} else {
			dropped = append(dropped, l)
		}
	}
	if len(dropped) > 0 {
		e.Warning("Not asked to review, as they lead nothing in program.yaml: "+strings.Join(dropped, ", "), Annotation{Title: "tally"})
	}
	return out, nil
}

// leaderLogins are the GitHub logins of the leadership and team leads of
// a program, from their files in the ledger at dir; only those files are
// read.
func leaderLogins(dir string, p *ledger.Program) ([]string, error) {
	ids := map[string]bool{}
	for _, r := range p.Leadership {
		ids[r.ID] = true
	}
	for _, a := range p.TeamLeads {
		for _, r := range a.Leads {
			ids[r.ID] = true
		}
	}
	people, _, err := ledger.LoadFS(os.DirFS(dir), ledger.Options{Include: func(p string) bool {
		return strings.HasPrefix(p, "people/") && ids[strings.TrimSuffix(path.Base(p), ".yaml")]
	}})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, person := range people.People {
		if ids[person.ID] {
			out = append(out, person.GitHubLogins()...)
		}
	}
	return out, nil
}
