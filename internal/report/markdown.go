package report

import (
	"bytes"
	"fmt"
	"maps"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// nameList is how many people a prose list names before "and N more":
// a foundation's month welcomes thousands, and the JSON has them all.
const nameList = 40

// Markdown renders a report for reading on GitHub, from the report alone.
func Markdown(r *Report) []byte {
	md := &mdWriter{r: r, p: r.period, top: r.top, program: r.program, through: r.through}
	if md.through == 0 {
		md.through = md.p.End()
	}
	md.title()
	md.notes()
	md.people()
	md.active()
	md.organizations()
	md.welcome()
	md.returningAndQuiet()
	md.onion()
	md.champions()
	md.projects()
	md.health()
	md.rulesChanged()
	md.footer()
	return md.buf.Bytes()
}

type mdWriter struct {
	buf     bytes.Buffer
	r       *Report
	p       score.Period
	through ledger.Month
	top     int
	program string
}

func (md *mdWriter) printf(format string, args ...any) { fmt.Fprintf(&md.buf, format, args...) }
func (md *mdWriter) line(s string)                     { md.buf.WriteString(s); md.buf.WriteByte('\n') }

// when names the period as prose: "October 2026", "2026 Q4 to date".
func (md *mdWriter) when() string {
	if md.r.Complete {
		return words.Period(md.p)
	}
	return words.Period(md.p) + " to date"
}

// in is "in October 2026", "in 2026 Q4 so far".
func (md *mdWriter) in() string {
	if md.r.Complete {
		return "in " + words.Period(md.p)
	}
	return "in " + words.Period(md.p) + " so far"
}

func (md *mdWriter) title() {
	md.printf("# %s shout-outs: %s\n\n", escape(md.program), md.when())
	t := md.r.Totals
	if t.Credits == 0 {
		md.printf("No credits %s.\n\n", md.in())
		return
	}
	md.printf("**%s** earned **%s** from **%s** %s", words.Plural(t.Contributors, "contributor"), words.Plural(t.Score, "point"),
		words.Plural(t.Credits, "credit"), md.in())
	if n := len(md.r.Organizations); n > 0 {
		md.printf(", with **%s** taking part", words.Plural(n, "organisation"))
	}
	md.line(".")
	if !md.r.Complete {
		md.printf("The %s is not over: these figures count %s and will change.\n",
			[...]string{"month", "quarter", "year"}[md.p.Span], words.Months(md.p.Start, md.through))
	}
	md.line("")
}

// notes puts the period's notes first: they say how to read the rest.
func (md *mdWriter) notes() {
	if len(md.r.Notes) == 0 {
		return
	}
	md.line("## Notes\n")
	for _, n := range md.r.Notes {
		if n == md.r.note {
			md.line(demoteHeadings(strings.TrimSpace(n)))
		} else { // tally's own observation, set apart as a quote: it reads the same everywhere it is posted
			md.line("> **Note:** " + escape(n))
		}
		md.line("")
	}
}

func (md *mdWriter) people() {
	md.line("## Top contributors\n")
	if len(md.r.People) == 0 {
		md.printf("Nobody is ranked %s.\n\n", md.in())
		return
	}
	md.line("| Rank | Move | Contributor | Score | Credits |")
	md.line("|---:|:---:|---|---:|---:|")
	for _, p := range md.r.People[:min(md.top, len(md.r.People))] {
		md.printf("| %d | %s | %s | %s | %s |\n", p.Rank, movement(p.DeltaRank, p.New), md.person(p.ID, p.Name, p.profile),
			words.Thousands(p.Score), words.Thousands(p.Credits))
	}
	md.line("")
	md.printf("Move compares with %s: ▲ up, ▼ down, – same place, *new* for a first contribution ever.", words.Period(md.p.Previous()))
	if n := len(md.r.People); n > md.top {
		md.printf(" %s ranked %s.", words.Plural(n, "contributor"), md.in())
	}
	md.line("\n")
}

func (md *mdWriter) active() {
	if len(md.r.Active) == 0 {
		return
	}
	md.line("## Most active\n")
	md.line("By number of credits, whatever their weight.\n")
	md.line("| Rank | Contributor | Credits |")
	md.line("|---:|---|---:|")
	for _, a := range md.r.Active[:min(md.top, len(md.r.Active))] {
		md.printf("| %d | %s | %s |\n", a.Rank, md.person(a.ID, a.name, a.profile), words.Thousands(a.Credits))
	}
	md.line("")
}

func (md *mdWriter) organizations() {
	md.line("## Top organisations\n")
	// Organisations are ranked by score, so those that scored come first;
	// one that only had weight-0 credits is not a top organisation.
	scored := md.r.Organizations[:min(md.top, len(md.r.Organizations))]
	for len(scored) > 0 && scored[len(scored)-1].Score <= 0 {
		scored = scored[:len(scored)-1]
	}
	if len(scored) == 0 {
		md.printf("No organisation scored %s.\n\n", md.in())
		return
	}
	md.line("| Rank | Move | Organisation | Score | Change | Credits | People |")
	md.line("|---:|:---:|---|---:|---:|---:|---:|")
	partners := false
	for _, o := range scored {
		name := escape(o.Name)
		if u := webURL(o.website); u != "" {
			name = "[" + name + "](" + u + ")"
		}
		if o.Partner {
			name += " ★"
			partners = true
		}
		md.printf("| %d | %s | %s | %s | %s | %s | %s |\n", o.Rank, movement(o.DeltaRank, false), name,
			words.Thousands(o.Score), words.Signed(o.DeltaScore), words.Thousands(o.Credits), words.Thousands(o.People))
	}
	md.line("")
	md.printf("Change is the score against %s.", words.Period(md.p.Previous()))
	if partners {
		md.printf(" ★ a partner of %s on %s.", escape(md.program), words.Date(md.p.LastDay()))
	}
	if n := len(md.r.Organizations); n > md.top {
		md.printf(" %s had credits %s.", words.Plural(n, "organisation"), md.in())
	}
	md.line("\n")
}

func (md *mdWriter) welcome() {
	r := md.r
	md.line("## New faces\n")
	if r.NewContributors == 0 && r.NewMembers == 0 {
		md.printf("No new contributors or members %s.\n\n", md.in())
		return
	}
	switch r.NewContributors {
	case 0:
		md.printf("Nobody made a first contribution %s", md.in())
	case 1:
		md.printf("1 person made a first contribution %s", md.in())
	default:
		md.printf("%s people made their first contribution %s", words.Thousands(r.NewContributors), md.in())
	}
	switch r.NewMembers {
	case 0:
		md.line(", and no new member joined.")
	case 1:
		md.line(", and 1 new member joined.")
	default:
		md.printf(", and %s new members joined.\n", words.Thousands(r.NewMembers))
	}
	var names []string
	others := 0
	for _, p := range r.People {
		if !p.New {
			continue
		}
		if p.ID == nil || len(names) == nameList {
			others++
			continue
		}
		names = append(names, md.person(p.ID, p.Name, p.profile))
	}
	if len(names) > 0 {
		if others > 0 {
			names = append(names, words.Plural(others, "other"))
		}
		md.printf("Welcome, %s!\n", words.List(names))
	}
	md.line("")
}

func (md *mdWriter) returningAndQuiet() {
	if len(md.r.Returning) > 0 {
		md.line("## Welcome back\n")
		md.printf("Back %s after %d months or more without a credit: %s.\n\n", md.in(), returningGap, md.names(md.r.Returning))
	}
	if len(md.r.Quiet) > 0 {
		md.line("## Gone quiet\n")
		md.printf("Active in at least %d of the %d months before %s, but with no credit %s: %s. We hope to see you again!\n\n",
			quietActive, quietWindow, words.Period(md.p), md.in(), md.names(md.r.Quiet))
	}
}

// names lists people as prose, linked, up to nameList of them.
func (md *mdWriter) names(list []Named) string {
	var out []string
	for _, n := range list[:min(nameList, len(list))] {
		out = append(out, md.person(n.ID, n.Name, n.profile))
	}
	if len(list) > nameList {
		out = append(out, words.Plural(len(list)-nameList, "other"))
	}
	return words.List(out)
}

func (md *mdWriter) onion() {
	o := md.r.Onion
	if o.Core+o.Regular+o.Casual == 0 {
		return
	}
	md.line("## Community onion\n")
	md.line("Contributors by how much of the score they made, as in the [CHAOSS contributor onion](https://chaoss.community/kb/metric-types-of-contributions/):\n")
	md.line("| Layer | Contributors | Together they made |")
	md.line("|---|---:|---|")
	md.printf("| Core | %s | the first 80%% of the score |\n", words.Thousands(o.Core))
	md.printf("| Regular | %s | the next 15%% |\n", words.Thousands(o.Regular))
	md.printf("| Casual | %s | the last 5%% |\n\n", words.Thousands(o.Casual))
}

func (md *mdWriter) champions() {
	if len(md.r.Champions) == 0 {
		return
	}
	md.line("## Champions\n")
	md.line("The top contributor of each kind of credit.\n")
	md.line("| Kind | Champion | Score | Credits |")
	md.line("|---|---|---:|---:|")
	for _, c := range md.r.Champions {
		md.printf("| %s | %s | %s | %s |\n", escape(words.Kind(c.Kind)), md.person(c.ID, c.Name, c.profile), words.Thousands(c.Score), words.Thousands(c.Credits))
	}
	md.line("")
}

func (md *mdWriter) projects() {
	if len(md.r.Projects) == 0 {
		return
	}
	md.line("## Projects\n")
	md.line("| Rank | Project | Score | Credits | People |")
	md.line("|---:|---|---:|---:|---:|")
	for i, pr := range md.r.Projects {
		md.printf("| %d | %s | %s | %s | %s |\n", i+1, escape(pr.Project), words.Thousands(pr.Score), words.Thousands(pr.Credits), words.Thousands(pr.People))
	}
	md.line("")
}

// kindsBy lists the kinds of the rules in force that keep accepts, the
// heaviest first.
func kindsBy(rules *Rules, keep func(KindRule) bool) []string {
	var kinds []string
	for _, k := range rules.Kinds {
		if keep(k) {
			kinds = append(kinds, k.Kind)
		}
	}
	return kinds
}

// examples names up to three kinds as they are written in claims' paths:
// "`meetup`, `sprint` or `talk`".
func examples(kinds []string) string {
	kinds = kinds[:min(3, len(kinds))]
	quoted := mapStrings(kinds, func(k string) string { return "`" + k + "`" })
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// ruleChanges says how the rules changed from one scoring period to the
// next: "`review` weighs 3 (was 2)", "`translation` is new (weight 2)",
// "the weight rules changed".
func ruleChanges(was, is *Rules) []string {
	out := kindChanges(was.Kinds, is.Kinds)
	switch {
	case slices.Equal(was.Weighed, is.Weighed):
	case len(was.Weighed) == 0:
		out = append(out, "weight rules came in")
	case len(is.Weighed) == 0:
		out = append(out, "the weight rules were dropped: every credit weighs its kind's weight")
	default:
		out = append(out, "the weight rules changed")
	}
	if was.PointsCap != is.PointsCap {
		out = append(out, fmt.Sprintf("the monthly points cap is %s (was %s)", capWords(is.PointsCap), capWords(was.PointsCap)))
	}
	if len(out) > 1 {
		out = slices.DeleteFunc(out, func(s string) bool { return s == noKindChanged })
	}
	return out
}

const noKindChanged = "no kind changed"

// kindChanges says how the kinds changed from one scoring period to the
// next.
func kindChanges(before, now []KindRule) []string {
	byKind := func(rules []KindRule) map[string]KindRule {
		m := make(map[string]KindRule, len(rules))
		for _, r := range rules {
			m[r.Kind] = r
		}
		return m
	}
	from, to := byKind(before), byKind(now)
	var out []string
	for _, k := range slices.Sorted(maps.Keys(to)) {
		a, had := from[k]
		b := to[k]
		switch {
		case !had:
			out = append(out, fmt.Sprintf("`%s` is new (weight %d)", k, b.Weight))
			continue
		case a.Weight != b.Weight:
			out = append(out, fmt.Sprintf("`%s` weighs %d (was %d)", k, b.Weight, a.Weight))
		}
		if a.Cap != b.Cap {
			out = append(out, fmt.Sprintf("`%s` is capped at %s a month (was %s)", k, capWords(b.Cap), capWords(a.Cap)))
		}
		if a.Area != b.Area {
			out = append(out, fmt.Sprintf("`%s` claims go to the %s leads (was %s)", k, orNone(b.Area), orNone(a.Area)))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(from)) {
		if _, kept := to[k]; !kept {
			out = append(out, fmt.Sprintf("`%s` no longer counts", k))
		}
	}
	if len(out) == 0 {
		out = append(out, noKindChanged)
	}
	return out
}

func capWords(n int) string {
	if n == 0 {
		return "no cap"
	}
	return strconv.Itoa(n)
}

func orNone(s string) string {
	if s == "" {
		return "no area"
	}
	return escape(s)
}

// reviewers names an area and its public team leads:
// "**community** (Aiko Tanaka and Carlos Mendes)".
func (md *mdWriter) reviewers(a Area) string {
	s := "**" + escape(a.Area) + "**"
	if len(a.Leads) > 0 {
		s += " (" + words.List(mapStrings(a.Leads, func(l Lead) string { return person(&l.ID, l.Name, l.Profile) })) + ")"
	}
	return s
}

// rulesChanged says so when the scoring rules changed during the period:
// it changes how to read the figures. The rules themselves are on the
// how-it-works page.
func (md *mdWriter) rulesChanged() {
	rules := md.r.Rules
	if rules == nil || rules.Before == nil || rules.From < md.p.Start.First() {
		return
	}
	md.printf("The scoring rules changed on %s: %s.", words.Date(rules.From), strings.Join(ruleChanges(rules.Before, rules), "; "))
	if rules.From > md.p.Start.First() {
		md.buf.WriteString(" Credits dated before then scored with the earlier rules.")
	}
	md.line("\n")
}

// footer links to how scores are made and to the other reports: on the
// published site when its address is known, so that the links work
// wherever the shout-out is posted, else within the repository.
func (md *mdWriter) footer() {
	md.line("---\n")
	how, all := "../how-it-works.md", "../index.md"
	if site := md.r.site; site != "" {
		how, all = site+"rules.html", site+"shout-out.html#archive"
	}
	md.printf("Every figure comes from the public records of the %s ledger. [How it works](%s) · [All shout-outs](%s)\n", escape(md.program), how, all)
}

// person is a contributor as the reports show them (see Label), linked
// to their public profile when they have one.
func (md *mdWriter) person(id *string, name, profile string) string { return person(id, name, profile) }

func person(id *string, name, profile string) string {
	label := Label(id, name)
	if handle, ok := strings.CutPrefix(label, "@"); ok && profile != "" && label != name {
		// GitHub makes no mention of text inside a link (html-pipeline's
		// MentionFilter skips <a>), so the handle reads as people know it
		// and notifies nobody.
		return "[@" + escape(handle) + "](" + profile + ")"
	}
	if profile != "" {
		return "[" + escape(label) + "](" + profile + ")"
	}
	return escape(label)
}

// Label is how the reports and the site show a contributor: a person by
// name, and an identity nobody owns by its handle, "@drive-by" for
// GitHub (as people know it there), a feed's author as written, and
// "alice (discourse)" elsewhere. The JSON keeps the id as the name.
func Label(id *string, name string) string {
	if id == nil || name != *id {
		return name
	}
	platform, handle, ok := strings.Cut(*id, ":")
	switch {
	case !ok || handle == "":
		return name
	case platform == "github":
		return "@" + handle
	case platform == "feed":
		return handle
	}
	return handle + " (" + platform + ")"
}

// ProfileURL is a contributor's public profile: a public person's GitHub
// account, or the GitHub account an identity nobody owns names. Anonymous
// and hidden people are never linked.
func ProfileURL(ix *ledger.Index, id string) string {
	if platform, handle, ok := strings.Cut(id, ":"); ok {
		if strings.EqualFold(platform, "github") && handle != "" {
			return "https://github.com/" + url.PathEscape(handle)
		}
		return ""
	}
	p := ix.People[id]
	if p == nil || p.Visibility != "public" {
		return ""
	}
	for _, ident := range p.Identities {
		if strings.EqualFold(ident.Platform, "github") && ident.Handle != "" {
			return "https://github.com/" + url.PathEscape(ident.Handle)
		}
	}
	return ""
}

// movement is a rank change as an arrow: ▲2, ▼1, – for the same place,
// "new" for a first contribution ever, blank when unranked before.
func movement(delta *int, isNew bool) string {
	switch {
	case isNew:
		return "*new*"
	case delta == nil:
		return ""
	case *delta > 0:
		return "▲" + strconv.Itoa(*delta)
	case *delta < 0:
		return "▼" + strconv.Itoa(-*delta)
	}
	return "–"
}

// EscapeMarkdown makes text safe inside Markdown prose and table cells:
// it cannot start a link, an image, emphasis, an HTML tag or a new cell,
// nor mention anyone (GitHub notifies whom an @ names wherever it shows
// the text, as in a pull request's description). The reports and the
// report pull request's description escape every name with it.
func EscapeMarkdown(s string) string { return escape(s) }

// Percent writes a fraction given as a decimal ("0.5") as the reports do
// ("50%").
func Percent(s string) string { return percentWords(s) }

func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '#', '!', '|', '~', '&':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '@':
			// A zero-width space after the @: no mention, same text.
			b.WriteString("@&#8203;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WebURL returns an http(s) address fit for a Markdown link (and for
// HTML), or "": ledger text never becomes a script link.
func WebURL(s string) string { return webURL(s) }

func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return urlEscapes.Replace(u.String())
}

// urlEscapes are the characters a Markdown link's address may not hold.
var urlEscapes = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

// demoteHeadings moves a note's headings two levels down, so that they
// sit under the report's own.
func demoteHeadings(s string) string {
	lines := strings.Split(s, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
			fence = t[:3]
		case strings.HasPrefix(t, "#"):
			level := len(t) - len(strings.TrimLeft(t, "#"))
			if level <= 6 && (len(t) == level || t[level] == ' ') {
				lines[i] = strings.Repeat("#", min(level+2, 6)) + t[level:]
			}
		}
	}
	return strings.Join(lines, "\n")
}

// percentWords reads a fraction written as a decimal ("0.5") as a
// percentage ("50%"); anything else is shown as written.
func percentWords(s string) string {
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() <= 0 {
		return s
	}
	r.Mul(r, big.NewRat(100, 1))
	if r.IsInt() {
		return r.Num().String() + "%"
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(2), "0"), ".") + "%"
}

func mapStrings[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
