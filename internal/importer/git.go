package importer

import (
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/people"
)

// Kinds of the credits a repository's history gives.
const (
	KindPullRequest = "pull_request" // the kind ingest github gives merged pull requests
	KindCommit      = "commit"
)

// GitSource is the shard name of credits from a repository's history:
// credits/<YYYY>/<MM>/git.yaml.
const GitSource = "git"

// GitOptions says which history to import.
type GitOptions struct {
	// Dir is a folder of the repository's work tree.
	Dir string
	// Project is OWNER/NAME on GitHub; when empty, it is read from the
	// origin remote.
	Project string
	// Since and Until keep credits dated from Since to Until (days in the
	// program's time zone, both included); 0 leaves that end open.
	Since, Until ledger.Date
	// Ledger is what LoadCreditLedger read.
	Ledger *ledger.Ledger
}

// GitImport is what a repository's history holds for the ledger.
type GitImport struct {
	// Project is the OWNER/NAME the credits name, spelt as the ledger's
	// credits already spell it.
	Project string
	// Commits counts the commits on the first-parent line; Outside those
	// dated outside Since and Until.
	Commits, Outside int
	// Credits are the credits the ledger does not hold yet, in history
	// order.
	Credits []ledger.Credit
	// Present counts the credits the ledger already holds.
	Present int
	Skipped []SkippedCredit
	// Unowned counts the authors of new credits that no person owns.
	Unowned int
}

// SkippedCredit is a credit found but not written.
type SkippedCredit struct {
	ID, Kind, Who string
	Date          ledger.Date
	// Reason is SkipBot, SkipKind or SkipTwice.
	Reason string
}

// Reasons for skipping a credit.
const (
	SkipBot   = "bot"
	SkipKind  = "kind"  // the program does not define the kind on the credit's date
	SkipTwice = "twice" // the same pull request landed twice; the first counts
)

var (
	// mergeRe is the subject GitHub gives the merge commit of a pull
	// request: the head repository's owner, then the branch.
	mergeRe = regexp.MustCompile(`^Merge pull request #([0-9]+) from ([A-Za-z0-9-]+)/`)
	// squashRe is the number GitHub appends to a squashed or rebased pull
	// request's subject; when there are two, the last is the pull request.
	squashRe = regexp.MustCompile(`\s*\(#([0-9]+)\)\s*$`)
	// noreplyRe is GitHub's private commit address: ID+LOGIN@ or LOGIN@.
	noreplyRe = regexp.MustCompile(`(?i)^(?:[0-9]+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\[bot\])?)@users\.noreply\.github\.com$`)
	// projectRe is a GitHub OWNER/NAME.
	projectRe = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+$`)
	// originRe finds OWNER/NAME in a GitHub remote URL (https, ssh or scp
	// form).
	originRe = regexp.MustCompile(`github\.com[:/]([A-Za-z0-9-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$`)
)

// ReadGit reads the first-parent line of the checked-out branch of a
// repository, through the git binary, and returns the credits it holds: a
// merged pull request (a "Merge pull request #N from ..." merge, or a
// subject ending in "(#N)") is a pull_request credit with the id ingest
// github gives it, github:<project>#N, so the two never count it twice;
// any other commit is a commit credit, git:<project>@<hash>. A credit is
// dated when its commit landed (the committer date), as ingest github
// dates a pull request when it was merged.
//
// Authors are github:LOGIN when the history says (a noreply address, the
// LOGIN of a merge from a fork), else git:<the first 12 hex digits of the
// SHA-1 of the lowercased e-mail address>, with the author's name in the
// credit's facts so that a person can be matched to it (tally people
// suggest). E-mail addresses are never written, printed or returned.
func ReadGit(ctx context.Context, opt GitOptions) (*GitImport, error) {
	l := opt.Ledger
	loc, err := l.Program.Location()
	if err != nil {
		return nil, err
	}
	repo, _, err := gitrev.Find(ctx, opt.Dir)
	if err != nil {
		return nil, err
	}
	project, err := gitProject(ctx, repo, opt.Project)
	if err != nil {
		return nil, err
	}
	project = spelling(l, project)
	owner, _, _ := strings.Cut(project, "/")
	g := &gitReader{imp: &GitImport{Project: project}, l: l, ix: ledger.NewIndex(l), held: heldIDs(l), found: map[string]bool{}, unowned: map[string]bool{}}

	type pending struct {
		credit ledger.Credit
		tip    string // the merged branch's tip, when it gives the author
	}
	var found []pending
	err = repo.FirstParent(ctx, "HEAD", func(c *gitrev.Commit) error {
		g.imp.Commits++
		d := ledger.DateOf(c.Committed, loc)
		if opt.Since != 0 && d < opt.Since || opt.Until != 0 && d > opt.Until {
			g.imp.Outside++
			return nil
		}
		cr, tip := commitCredit(project, owner, c, d)
		found = append(found, pending{cr, tip})
		return nil
	})
	var unknown *gitrev.UnknownRevisionError
	if errors.As(err, &unknown) {
		return nil, fmt.Errorf("%s has no commits on its checked-out branch", repo.Root)
	}
	if err != nil {
		return nil, err
	}

	var tips []string
	for _, p := range found {
		if p.tip != "" {
			tips = append(tips, p.tip)
		}
	}
	authors, err := repo.Authors(ctx, tips)
	if err != nil {
		return nil, err
	}
	for _, p := range found {
		c := p.credit
		if p.tip != "" {
			c.Who, c.Facts = authorOf(authors[p.tip])
		}
		g.add(c)
	}
	return g.imp, nil
}

type gitReader struct {
	imp     *GitImport
	l       *ledger.Ledger
	ix      *ledger.Index
	held    map[string]bool
	found   map[string]bool
	unowned map[string]bool
}

// add keeps a credit unless the ledger holds it, it came before, its
// author is a bot, or the program does not define its kind on its date.
func (g *gitReader) add(c ledger.Credit) {
	skip := func(reason string) {
		g.imp.Skipped = append(g.imp.Skipped, SkippedCredit{ID: c.ID, Kind: c.Kind, Who: c.Who, Date: c.Date, Reason: reason})
	}
	switch {
	case g.found[c.ID]:
		skip(SkipTwice)
		return
	case g.held[c.ID]:
		g.found[c.ID] = true
		g.imp.Present++
		return
	}
	g.found[c.ID] = true
	p := g.ix.Resolve(c.Who)
	_, defined := g.l.Program.KindOn(c.Kind, c.Date)
	switch {
	case isBot(c.Who) || p != nil && p.Bot:
		skip(SkipBot)
	case !defined:
		skip(SkipKind)
	default:
		g.imp.Credits = append(g.imp.Credits, c)
		if p == nil && !g.unowned[strings.ToLower(c.Who)] {
			g.unowned[strings.ToLower(c.Who)] = true
			g.imp.Unowned++
		}
	}
}

// commitCredit is the credit one commit of the first-parent line gives,
// to its author. A pull request merged from a branch of the project's own
// (its owner's, not a fork's) names no author: then tip is the merged
// branch's last commit, whose author is the pull request's.
func commitCredit(project, owner string, c *gitrev.Commit, d ledger.Date) (cr ledger.Credit, tip string) {
	subject, body, _ := strings.Cut(strings.TrimRight(c.Message, "\n"), "\n")
	cr = ledger.Credit{Date: d, Project: project}
	cr.Who, cr.Facts = authorOf(c.Author)
	pr := func(n string) {
		num, _ := strconv.Atoi(n)
		cr.ID = fmt.Sprintf("github:%s#%d", project, num)
		cr.Kind = KindPullRequest
		cr.URL = fmt.Sprintf("https://github.com/%s/pull/%d", project, num)
	}
	if m := mergeRe.FindStringSubmatch(subject); m != nil && len(c.Parents) > 1 {
		pr(m[1])
		cr.Title = cmp.Or(firstLine(body), subject) // GitHub puts the pull request's title there
		if strings.EqualFold(m[2], owner) {
			return cr, c.Parents[1]
		}
		cr.Who, cr.Facts = "github:"+m[2], nil
		return cr, ""
	}
	if m := squashRe.FindStringSubmatchIndex(subject); m != nil {
		pr(subject[m[2]:m[3]])
		cr.Title = strings.TrimSpace(subject[:m[0]])
		return cr, ""
	}
	cr.ID = fmt.Sprintf("git:%s@%s", project, c.Hash)
	cr.Kind = KindCommit
	cr.URL = fmt.Sprintf("https://github.com/%s/commit/%s", project, c.Hash)
	cr.Title = strings.TrimSpace(subject)
	return cr, ""
}

// authorOf is who a commit's author is in the ledger, and, for a git:
// identity, the author's name as a fact to match a person with.
func authorOf(a gitrev.Author) (string, []ledger.Fact) {
	who := authorWho(a)
	if strings.HasPrefix(who, "git:") && a.Name != "" {
		return who, []ledger.Fact{{Key: people.AuthorFact, Value: a.Name}}
	}
	return who, nil
}

// authorWho is who a commit's author is: their GitHub login when the
// address is GitHub's private one, else git:<hash of the address>.
func authorWho(a gitrev.Author) string {
	email := strings.TrimSpace(a.Email)
	if m := noreplyRe.FindStringSubmatch(email); m != nil {
		return "github:" + m[1]
	}
	email = strings.ToLower(email)
	if email == "" {
		email = "name:" + a.Name // no address: the name is all there is
	}
	sum := sha1.Sum([]byte(email))
	return "git:" + hex.EncodeToString(sum[:])[:12]
}

// isBot: GitHub Apps commit as LOGIN[bot].
func isBot(who string) bool { return strings.HasSuffix(strings.ToLower(who), "[bot]") }

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

// gitProject is --project, checked, or the GitHub OWNER/NAME of the origin
// remote.
func gitProject(ctx context.Context, repo *gitrev.Repo, flag string) (string, error) {
	if flag != "" {
		if !projectRe.MatchString(flag) {
			return "", fmt.Errorf("--project %q is not OWNER/NAME, such as acme/widget", flag)
		}
		return flag, nil
	}
	url, err := repo.Config(ctx, "remote.origin.url")
	if err != nil {
		return "", err
	}
	// The URL may hold a token: it is never printed.
	if m := originRe.FindStringSubmatch(url); m != nil {
		return m[1], nil
	}
	return "", errors.New("cannot tell the project from the repository's origin remote (it is not on github.com); give --project OWNER/NAME")
}

// spelling is project as the ledger's credits already spell it, so that
// ids match those of earlier imports and of ingest github.
func spelling(l *ledger.Ledger, project string) string {
	for i := range l.Credits {
		if p := l.Credits[i].Project; strings.EqualFold(p, project) {
			return p
		}
	}
	return project
}

// heldIDs are the ids of the ledger's credits.
func heldIDs(l *ledger.Ledger) map[string]bool {
	held := make(map[string]bool, len(l.Credits))
	for i := range l.Credits {
		held[l.Credits[i].ID] = true
	}
	return held
}
