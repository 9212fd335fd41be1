package action

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	tgh "github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// monthly ingests, reports and publishes what changed as one pull request.
func (e *Env) monthly(ctx context.Context, c *config) error {
	baseBranch, ok := strings.CutPrefix(c.ref, "refs/heads/")
	if !ok {
		return fmt.Errorf("command monthly publishes against a branch, but the workflow runs on %q (GITHUB_REF)", c.ref)
	}
	if err := e.ingest(ctx, c, false); err != nil {
		return err
	}
	if err := e.report(ctx, c); err != nil {
		return err
	}
	repo, changes, err := changedFiles(ctx, c)
	if err != nil {
		return err
	}
	if err := e.SetOutput("changed", strconv.FormatBool(len(changes) > 0)); err != nil {
		return err
	}
	baseSHA, err := repo.Resolve(ctx, "HEAD")
	if err != nil {
		return err
	}

	reports, err := inRepo(repo, joinWorkspace(c.workspace, c.reports))
	if err != nil {
		return err
	}
	before, after, err := e.partners(ctx, repo, c, reports)
	if err != nil {
		return err
	}
	if losing := losingStanding(before, after); len(losing) > 0 && len(losing)*4 > len(before.Partners) && len(changes) > 0 {
		what := fmt.Sprintf("%s of %d would lose standing at once (%s)",
			words.Plural(len(losing), "partner"), len(before.Partners), strings.Join(losing, ", "))
		if !c.allowLarge {
			msg := what + ": refusing to publish; check the ingested data, then run again with allow-large-changes: true if it is right"
			if err := e.Summary("## Tally: not published\n\n" + msg + ".\n"); err != nil {
				return err
			}
			return errors.New(msg)
		}
		e.Warning(what+": published because allow-large-changes is true", Annotation{Title: "tally"})
	}

	var files []tgh.Change
	for _, ch := range changes {
		f := tgh.Change{Path: ch.Path, Delete: ch.Status == 'D'}
		if !f.Delete {
			if f.Content, err = os.ReadFile(filepath.Join(repo.Root, filepath.FromSlash(ch.Path))); err != nil {
				return err
			}
		}
		files = append(files, f)
	}
	month := latestMonth(joinWorkspace(c.workspace, c.reports), c.asOf)
	body := prBody(bodyInput{
		Month: month, BaseSHA: baseSHA, Changes: changes, Reports: reports,
		Monthly: readMonthly(joinWorkspace(c.workspace, c.reports), month), Before: before, After: after,
		BlobURL: fmt.Sprintf("%s/%s/%s/blob/%s/", c.serverURL, c.owner, c.repo, c.branch),
	})
	title := "Reports"
	if month != "" {
		title = "Reports to " + month
	}

	client, err := e.client(c)
	if err != nil {
		return err
	}
	e.Group("Publish")
	pub, err := tgh.Publish(ctx, client, tgh.Publication{
		Owner: c.owner, Repo: c.repo, Base: baseBranch, BaseSHA: baseSHA, Branch: c.branch, Changes: files,
		Message: fmt.Sprintf("%s: %s changed", title, words.Plural(len(files), "file")), Title: title, Body: body,
	})
	e.EndGroup()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Err(), "pull request: %s", pub.Operation)
	if pub.Number != 0 {
		fmt.Fprintf(e.Err(), " #%d %s", pub.Number, pub.URL)
	}
	fmt.Fprintln(e.Err())
	number := ""
	if pub.Number != 0 {
		number = strconv.Itoa(pub.Number)
	}
	for _, o := range [][2]string{{"pull-request-operation", pub.Operation}, {"pull-request-number", number}, {"pull-request-url", pub.URL}} {
		if err := e.SetOutput(o[0], o[1]); err != nil {
			return err
		}
	}
	summary := publishSummary(pub, body)

	l, _, err := ledger.Load(joinWorkspace(c.workspace, c.ledger), ledger.Options{})
	if err != nil {
		return err
	}
	if pub.Number != 0 && pub.Operation != tgh.Closed && l.Program != nil {
		var leaders []string
		ix := ledger.NewIndex(l)
		for _, r := range l.Program.Leadership {
			leaders = append(leaders, ix.People[r.ID].GitHubLogins()...)
		}
		if err := e.askReviews(ctx, client, c, pub.Number, "", leaders); err != nil {
			return err
		}
	}
	if month != "" {
		is, err := e.followUp(ctx, client, c, score.New(l), month, pub)
		if err != nil {
			return err
		}
		summary += followUpSummary(month, is)
	}
	return e.Summary(summary)
}

// followUp opens, updates or leaves the month's follow-up issue.
func (e *Env) followUp(ctx context.Context, client *gh.Client, c *config, b *score.Book, month string, pub *tgh.Published) (*tgh.Issue, error) {
	m, err := ledger.ParseMonth(month)
	if err != nil {
		return nil, err
	}
	f := newFollowUp(b, m)
	reports := fmt.Sprintf("the [partners report](%s/%s/%s/blob/HEAD/%s)", c.serverURL, c.owner, c.repo, path.Join(c.reports, "partners.md"))
	if pub.Number != 0 && pub.Operation != tgh.Closed {
		reports = fmt.Sprintf("the reports of #%d", pub.Number)
	}
	// The issue is about a month that has ended: it cannot have been
	// opened before (a day's margin for the clocks).
	loc, err := b.Ledger.Program.Location()
	if err != nil {
		return nil, err
	}
	since := time.Date((m+1).Year(), time.Month((m+1).Number()), 1, 0, 0, 0, 0, loc).AddDate(0, 0, -1)
	if since.After(e.now()) {
		since = time.Time{}
	}
	e.Group("Follow-up issue")
	defer e.EndGroup()
	is, err := tgh.Tracked{Owner: c.owner, Repo: c.repo, Title: followUpTitle(m), Marker: followUpMarker(m), Since: since}.
		Put(ctx, client, f.markdown(reports), !f.empty())
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.Err(), "follow-up issue: %s", is.Operation)
	if is.Number != 0 {
		fmt.Fprintf(e.Err(), " #%d (%s) %s", is.Number, is.State, is.URL)
	}
	fmt.Fprintln(e.Err())
	return is, nil
}

func followUpSummary(month string, is *tgh.Issue) string {
	switch {
	case is.Number == 0:
		return fmt.Sprintf("\n\nNo follow-up for %s: every partner keeps up, and no one went quiet or came back.\n", month)
	case is.State == "closed":
		return fmt.Sprintf("\n\nThe follow-up issue for %s, #%d, is closed: left as it is.\n", month, is.Number)
	}
	return fmt.Sprintf("\n\nFollow-up issue for %s: #%d %s (%s).\n", month, is.Number, is.Operation, is.URL)
}

func publishSummary(pub *tgh.Published, body string) string {
	var b strings.Builder
	switch pub.Operation {
	case tgh.Created, tgh.Updated:
		fmt.Fprintf(&b, "## Tally: report pull request #%d %s\n\n%s\n\n", pub.Number, pub.Operation, pub.URL)
		b.WriteString(body)
	case tgh.Closed:
		fmt.Fprintf(&b, "## Tally: report pull request #%d closed\n\nThe reports no longer differ from the base branch.\n", pub.Number)
	default:
		if pub.Number != 0 {
			fmt.Fprintf(&b, "## Tally: report pull request #%d is up to date\n", pub.Number)
		} else {
			b.WriteString("## Tally: nothing to publish\n\nThe ledger and the reports are as on the base branch.\n")
		}
	}
	return b.String()
}

// partners reads partners.json as the checked-out commit has it and as the
// run wrote it; either may be absent (nil).
func (e *Env) partners(ctx context.Context, repo *gitrev.Repo, c *config, reports string) (before, after *partnersFile, err error) {
	tree, err := repo.Tree(ctx, "HEAD", reports, gitrev.TreeOptions{Paths: []string{"partners.json"}})
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, nil, err
	default:
		defer tree.Close()
		data, err := fs.ReadFile(tree, "partners.json")
		if err == nil {
			if before, err = parsePartners(data); err != nil {
				return nil, nil, fmt.Errorf("%s/partners.json at HEAD: %w", reports, err)
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
	}
	name := path.Join(joinWorkspace(c.workspace, c.reports), "partners.json")
	if data, err := os.ReadFile(name); err == nil {
		if after, err = parsePartners(data); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	return before, after, nil
}
