package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/health"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/suggest"
	"github.com/tallyledger/tally/internal/words"
)

type healthOptions struct {
	ledger, asOf   string
	projects, orgs []string
	json           bool
}

func newHealth(s *streams) *cobra.Command {
	var o healthOptions
	cmd := &cobra.Command{
		Use:   "health [--project P ...] [--org ORG ...]",
		Short: "Compare the projects' community health, or show an organisation's contributions",
		Long: `Health shows the community's health as of the end of a month, as CHAOSS
measures it: for every project side by side (or those --project names), its
contributors and credits over the last twelve months against the twelve
before, how long pull requests waited for a first review and to be merged,
issues to be closed and questions to be answered (median and 90th
percentile, by nearest rank), and how often it releases; then the whole
community month by month over two years: contributors by onion layer (core,
regular, casual), new and returning contributors, credits.

--org shows an organisation's own contributions instead, as its open source
program office reports them: its people's work over two years, by project,
kind and person, and how long its pull requests took.`,
		Example: `  tally health
  tally health --project lumen/lumen --project lumen/docs --as-of 2026-09
  tally health --org northwind --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runHealth(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.asOf, "as-of", "", "the last month to consider, YYYY-MM, one that has ended (default: the latest month with credits that has ended)")
	f.StringArrayVar(&o.projects, "project", nil, "a project to compare (repeat for more; default: every project)")
	f.StringArrayVar(&o.orgs, "org", nil, "an organisation whose contributions to show (repeat for more)")
	f.BoolVar(&o.json, "json", false, "print the figures as JSON")
	return cmd
}

func runHealth(s *streams, o healthOptions) error {
	if len(o.orgs) > 0 && len(o.projects) > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("--org and --project do not go together: an organisation's view covers every project")}
	}
	b, err := loadValid(s, o.ledger)
	if err != nil {
		return err
	}
	asOf, err := asOfMonth(s, o.asOf, b)
	if err != nil {
		return err
	}
	h := health.New(b)
	if len(o.orgs) > 0 {
		ids := make([]string, 0, len(b.Index.Orgs))
		for id := range b.Index.Orgs {
			ids = append(ids, id)
		}
		if err := known("organisation", o.orgs, ids); err != nil {
			return err
		}
		views := h.Organizations(asOf, compact(o.orgs))
		if o.json {
			return writeJSON(s.out, orgsJSON(b, asOf, views))
		}
		for i, v := range views {
			if i > 0 {
				fmt.Fprintln(s.out)
			}
			printOrg(s.out, b, asOf, v)
		}
		return nil
	}
	if err := known("project", o.projects, h.Projects()); err != nil {
		return err
	}
	ov := h.Overview(asOf)
	if len(o.projects) > 0 {
		chosen := compact(o.projects)
		ov.Projects = slices.DeleteFunc(ov.Projects, func(p health.Project) bool { return !slices.Contains(chosen, p.Project) })
	}
	if o.json {
		return writeJSON(s.out, overviewJSON(ov))
	}
	printOverview(s.out, programName(b), ov, len(o.projects) == 0)
	return nil
}

// known checks that every name given is one of the ledger's.
func known(what string, given, all []string) error {
	for _, g := range given {
		if slices.Contains(all, g) {
			continue
		}
		msg := fmt.Sprintf("no %s %q in the ledger", what, g)
		if m := suggest.Closest(g, all); m != "" {
			msg += fmt.Sprintf("; did you mean %q?", m)
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("%s", msg)}
	}
	return nil
}

// compact drops repeated names, keeping the first.
func compact(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func programName(b *score.Book) string {
	if p := b.Ledger.Program; p != nil && p.Name != "" {
		return p.Name
	}
	return "The community"
}

// timesWords is a summary as "median · 90th percentile (count)", or "–".
func timesWords(d health.Durations) string {
	if d.Count == 0 {
		return "–"
	}
	return words.Duration(d.Median) + " · " + words.Duration(d.P90) + " (" + words.Thousands(d.Count) + ")"
}

// figure is a figure and its change against the year before.
func figure(now, before int) string {
	return words.Thousands(now) + " " + words.Change(now, before)
}

func printOverview(w io.Writer, program string, o *health.Overview, trends bool) {
	r, y := o.Recent, o.YearBefore
	fmt.Fprintf(w, "%s health as of %s: %s, against %s\n\n", program, words.Month(o.AsOf),
		words.Months(r.From, r.To), words.Months(y.From, y.To))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "project\tcontributors\tcredits\tfirst review\tmerge\tclose\tanswer\treleases\tbetween releases\tlast release")
	for _, p := range o.Projects {
		c := p.Cadence
		last := "–"
		if c.Last != 0 {
			last = c.Last.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Project,
			figure(p.Recent.Contributors, p.YearBefore.Contributors), figure(p.Recent.Credits, p.YearBefore.Credits),
			timesWords(p.Recent.Times[health.FirstReview]), timesWords(p.Recent.Times[health.Merge]),
			timesWords(p.Recent.Times[health.Close]), timesWords(p.Recent.Times[health.Answer]),
			figure(p.Recent.Releases, p.YearBefore.Releases), timesWords(c.Between), last)
	}
	if trends {
		fmt.Fprintf(tw, "all\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\t\n",
			figure(r.Contributors, y.Contributors), figure(r.Credits, y.Credits),
			timesWords(r.Times[health.FirstReview]), timesWords(r.Times[health.Merge]),
			timesWords(r.Times[health.Close]), timesWords(r.Times[health.Answer]), figure(r.Releases, y.Releases))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nTimes are the median · the 90th percentile (nearest rank), with how many were measured, over what ended in the")
	fmt.Fprintln(w, "twelve months; changes compare with the twelve before. CHAOSS metrics: Time to First Response, Change Requests")
	fmt.Fprintln(w, "Duration, Issue Resolution Duration, Time to Close (answers), Release Frequency.")
	if !trends {
		return
	}
	fmt.Fprintln(w, "\nMonth by month (onion layers: core made 80% of the score, regulars the next 15%):")
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tcontributors\tcore\tregular\tcasual\tnew\treturning\tcredits\tmerge (median)\t")
	for _, m := range o.Months {
		merge := "–"
		if d := m.Times[health.Merge]; d.Count > 0 {
			merge = words.Duration(d.Median)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", m.Month, m.Contributors, m.Core, m.Regular, m.Casual,
			m.New, m.Returning, words.Thousands(m.Credits), merge)
	}
	tw.Flush()
}

func printOrg(w io.Writer, b *score.Book, asOf ledger.Month, v *health.OrgView) {
	name := v.Org
	if o := b.Index.Orgs[v.Org]; o != nil && o.Name != "" {
		name = o.Name + " (" + v.Org + ")"
	}
	r, y := v.Recent, v.YearBefore
	fmt.Fprintf(w, "%s as of %s: %s, %s and %s in the last twelve months (against %s, %s and %s the twelve before)\n",
		name, words.Month(asOf), words.Plural(r.Credits, "credit"), words.Plural(r.Score, "point"), words.Plural(r.People, "person"),
		words.Thousands(y.Credits), words.Thousands(y.Score), words.Thousands(y.People))
	if len(v.Projects) > 0 {
		fmt.Fprintln(w, "\nBy project:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  project\tcredits\tscore\tpeople\tshare of the project's credits")
		for _, p := range v.Projects {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", p.Project, words.Thousands(p.Credits), words.Thousands(p.Score),
				words.Thousands(p.People), share(p.Credits, p.ProjectCredits))
		}
		tw.Flush()
	}
	if len(v.Kinds) > 0 {
		fmt.Fprintln(w, "\nBy kind:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, k := range v.Kinds {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", words.Kind(k.Kind), words.Plural(k.Credits, "credit"), words.Plural(k.Score, "point"))
		}
		tw.Flush()
	}
	if len(v.People) > 0 {
		fmt.Fprintln(w, "\nPeople:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		hidden := 0
		for _, p := range v.People {
			_, who, _, ok := report.Shown(b, p.Contributor)
			if !ok {
				hidden++
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", who, words.Plural(p.Credits, "credit"), words.Plural(p.Score, "point"), strings.Join(p.Projects, ", "))
		}
		tw.Flush()
		if hidden > 0 {
			fmt.Fprintf(w, "  and %s who chose not to be listed\n", words.Plural(hidden, "person"))
		}
	}
	if d := v.Times[health.Merge]; d.Count > 0 {
		fmt.Fprintf(w, "\nIts pull requests took %s to merge (median; 90th percentile %s; %s).\n", words.Duration(d.Median),
			words.Duration(d.P90), words.Plural(d.Count, "pull request"))
	}
	fmt.Fprintln(w, "\nMonth by month:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  month\tcredits\tscore\tpeople\t")
	for _, m := range v.Months {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", m.Month, words.Thousands(m.Credits), words.Thousands(m.Score), words.Thousands(m.People))
	}
	tw.Flush()
}

// share is part of a whole as a whole percentage, rounded half up.
func share(part, whole int) string {
	if whole == 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", (200*part+whole)/(2*whole))
}

func writeJSON(w io.Writer, v any) error {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// The JSON of tally health: the same figures, with months and dates as
// text.

type windowJSON struct {
	From         string       `json:"from"`
	To           string       `json:"to"`
	Contributors int          `json:"contributors"`
	New          int          `json:"new_contributors"`
	Credits      int          `json:"credits"`
	Score        int          `json:"score"`
	Releases     int          `json:"releases"`
	Kinds        []kindJSON   `json:"kinds"`
	Times        health.Times `json:"times"`
}

type kindJSON struct {
	Kind    string `json:"kind"`
	Credits int    `json:"credits"`
	Score   int    `json:"score"`
}

type monthJSON struct {
	Month        string       `json:"month"`
	Contributors int          `json:"contributors"`
	Core         int          `json:"core"`
	Regular      int          `json:"regular"`
	Casual       int          `json:"casual"`
	New          int          `json:"new_contributors"`
	Returning    int          `json:"returning"`
	Credits      int          `json:"credits"`
	Score        int          `json:"score"`
	Kinds        []kindJSON   `json:"kinds"`
	Times        health.Times `json:"times"`
}

type projectWindowJSON struct {
	Contributors int          `json:"contributors"`
	Credits      int          `json:"credits"`
	Score        int          `json:"score"`
	Releases     int          `json:"releases"`
	Times        health.Times `json:"times"`
}

type projectJSON struct {
	Project    string            `json:"project"`
	Recent     projectWindowJSON `json:"recent"`
	YearBefore projectWindowJSON `json:"year_before"`
	Cadence    cadenceJSON       `json:"release_cadence"`
}

type cadenceJSON struct {
	Quarters []quarterJSON    `json:"quarters"`
	Between  health.Durations `json:"between_releases"`
	Last     *string          `json:"last_release"`
}

type quarterJSON struct {
	Quarter  string `json:"quarter"`
	Releases int    `json:"releases"`
}

type bucketJSON struct {
	Label string `json:"label"`
	UpTo  *int64 `json:"up_to_seconds"`
	Count int    `json:"count"`
}

type overviewOut struct {
	AsOf       string        `json:"as_of"`
	Recent     windowJSON    `json:"recent"`
	YearBefore windowJSON    `json:"year_before"`
	Projects   []projectJSON `json:"projects"`
	MergeTimes []bucketJSON  `json:"time_to_merge_distribution"`
	Months     []monthJSON   `json:"months"`
}

func kindsJSON(kinds []health.KindCount) []kindJSON {
	out := make([]kindJSON, len(kinds))
	for i, k := range kinds {
		out[i] = kindJSON{k.Kind, k.Credits, k.Score}
	}
	return out
}

func windowOut(w health.Window) windowJSON {
	return windowJSON{From: w.From.String(), To: w.To.String(), Contributors: w.Contributors, New: w.New, Credits: w.Credits,
		Score: w.Score, Releases: w.Releases, Kinds: kindsJSON(w.Kinds), Times: w.Times}
}

func projectWindowOut(w health.ProjectWindow) projectWindowJSON {
	return projectWindowJSON{w.Contributors, w.Credits, w.Score, w.Releases, w.Times}
}

func overviewJSON(o *health.Overview) overviewOut {
	out := overviewOut{AsOf: o.AsOf.String(), Recent: windowOut(o.Recent), YearBefore: windowOut(o.YearBefore),
		Projects: []projectJSON{}}
	for _, p := range o.Projects {
		c := cadenceJSON{Between: p.Cadence.Between, Quarters: []quarterJSON{}}
		for _, q := range p.Cadence.Quarters {
			c.Quarters = append(c.Quarters, quarterJSON{q.Quarter.String(), q.Releases})
		}
		if p.Cadence.Last != 0 {
			last := p.Cadence.Last.String()
			c.Last = &last
		}
		out.Projects = append(out.Projects, projectJSON{p.Project, projectWindowOut(p.Recent), projectWindowOut(p.YearBefore), c})
	}
	for _, k := range o.MergeTimes {
		bj := bucketJSON{Label: k.Label, Count: k.Count}
		if k.UpTo != 0 {
			bj.UpTo = &k.UpTo
		}
		out.MergeTimes = append(out.MergeTimes, bj)
	}
	for _, m := range o.Months {
		out.Months = append(out.Months, monthJSON{Month: m.Month.String(), Contributors: m.Contributors, Core: m.Core,
			Regular: m.Regular, Casual: m.Casual, New: m.New, Returning: m.Returning, Credits: m.Credits, Score: m.Score,
			Kinds: kindsJSON(m.Kinds), Times: m.Times})
	}
	return out
}

type orgTotalsJSON struct {
	Score   int `json:"score"`
	Credits int `json:"credits"`
	People  int `json:"people"`
}

type orgMonthJSON struct {
	Month string `json:"month"`
	orgTotalsJSON
}

type orgProjectJSON struct {
	Project string `json:"project"`
	orgTotalsJSON
	ProjectCredits int `json:"project_credits"`
}

type orgPersonJSON struct {
	ID       *string  `json:"id"`
	Name     string   `json:"name"`
	Score    int      `json:"score"`
	Credits  int      `json:"credits"`
	Projects []string `json:"projects"`
}

type orgJSON struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Recent     orgTotalsJSON    `json:"recent"`
	YearBefore orgTotalsJSON    `json:"year_before"`
	Projects   []orgProjectJSON `json:"projects"`
	Kinds      []kindJSON       `json:"kinds"`
	People     []orgPersonJSON  `json:"people"`
	// Unlisted counts its hidden people, who are in the figures only.
	Unlisted int            `json:"unlisted_people"`
	Times    health.Times   `json:"times"`
	Months   []orgMonthJSON `json:"months"`
}

type orgsOut struct {
	AsOf          string    `json:"as_of"`
	Organizations []orgJSON `json:"organizations"`
}

func totalsOut(t health.OrgTotals) orgTotalsJSON { return orgTotalsJSON{t.Score, t.Credits, t.People} }

func orgsJSON(b *score.Book, asOf ledger.Month, views []*health.OrgView) orgsOut {
	out := orgsOut{AsOf: asOf.String(), Organizations: []orgJSON{}}
	for _, v := range views {
		o := orgJSON{ID: v.Org, Name: v.Org, Recent: totalsOut(v.Recent), YearBefore: totalsOut(v.YearBefore),
			Projects: []orgProjectJSON{}, Kinds: kindsJSON(v.Kinds), People: []orgPersonJSON{}, Times: v.Times}
		if org := b.Index.Orgs[v.Org]; org != nil && org.Name != "" {
			o.Name = org.Name
		}
		for _, p := range v.Projects {
			o.Projects = append(o.Projects, orgProjectJSON{p.Project, totalsOut(p.OrgTotals), p.ProjectCredits})
		}
		for _, p := range v.People {
			id, name, _, ok := report.Shown(b, p.Contributor)
			if !ok {
				o.Unlisted++
				continue
			}
			o.People = append(o.People, orgPersonJSON{id, name, p.Score, p.Credits, p.Projects})
		}
		for _, m := range v.Months {
			o.Months = append(o.Months, orgMonthJSON{m.Month.String(), totalsOut(m.OrgTotals)})
		}
		out.Organizations = append(out.Organizations, o)
	}
	return out
}
