package report

import (
	"bytes"
	"encoding/json"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
)

// The JSON of partners.json, and of `tally eligibility --json`. Field
// names are the contract of DESIGN.md; the figures behind each criterion
// come with them so that anyone can check a decision.
type (
	partnersJSON struct {
		AsOf          string           `json:"as_of"`
		Partners      []listingJSON    `json:"partners"`
		Organizations []StatusJSON     `json:"organizations"`
		Applicants    []applicantJSON  `json:"applicants"`
		Declines      []declineJSON    `json:"declines"`
		Former        []formerJSON     `json:"former"`
		Tiers         []tierJSON       `json:"tiers"`
		Rules         partnerRulesJSON `json:"rules"`
	}
	listingJSON struct {
		ID           string  `json:"id"`
		Name         string  `json:"name"`
		Rank         int     `json:"rank"`
		Featured     bool    `json:"featured"`
		Since        string  `json:"since"`
		Ends         *string `json:"ends"`
		Standing     string  `json:"standing"`
		FailedMonths int     `json:"failed_months"`
		Tier         *string `json:"tier"`
		Score        int     `json:"score"`
		Credits      int     `json:"credits"`
		PaidUSD      string  `json:"paid_usd"`
		// Roadmap lists the partner's submissions; RoadmapLeft is how many
		// more it may submit in the year of as_of.
		Roadmap     []RoadmapJSON `json:"roadmap"`
		RoadmapLeft int           `json:"roadmap_left"`
	}
	// RoadmapJSON is one roadmap submission, in partners.json and the
	// site's partners.json.
	RoadmapJSON struct {
		Title     string       `json:"title"`
		URL       *string      `json:"url"`
		Submitted string       `json:"submitted"`
		Status    string       `json:"status"`
		Funding   *fundingJSON `json:"funding"`
	}
	fundingJSON struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}
	// StatusJSON is one organisation's eligibility.
	StatusJSON struct {
		ID       string       `json:"id"`
		Name     string       `json:"name"`
		AsOf     string       `json:"as_of"`
		Partner  bool         `json:"partner"`
		Eligible bool         `json:"eligible"`
		Criteria criteriaJSON `json:"criteria"`
		Missing  []string     `json:"missing"`
	}
	criteriaJSON struct {
		Practical practicalJSON `json:"practical"`
		Financial financialJSON `json:"financial"`
		Conduct   conductJSON   `json:"conduct"`
	}
	practicalJSON struct {
		Met      bool             `json:"met"`
		MinScore int              `json:"min_score"`
		Months   []scoreMonthJSON `json:"months"`
	}
	scoreMonthJSON struct {
		Month string `json:"month"`
		Score int    `json:"score"`
		Met   bool   `json:"met"`
	}
	financialJSON struct {
		Met        bool               `json:"met"`
		Country    *string            `json:"country"`
		MinimumUSD string             `json:"minimum_usd"`
		Basis      string             `json:"basis"`
		Months     []paymentMonthJSON `json:"months"`
	}
	paymentMonthJSON struct {
		Month       string   `json:"month"`
		PaidUSD     string   `json:"paid_usd"`
		Payments    int      `json:"payments"`
		Unconverted []string `json:"unconverted,omitempty"`
		Met         bool     `json:"met"`
	}
	conductJSON struct {
		Met       bool           `json:"met"`
		From      string         `json:"from"`
		To        string         `json:"to"`
		Sanctions []sanctionJSON `json:"sanctions"`
	}
	sanctionJSON struct {
		Date    string `json:"date"`
		Against string `json:"against"` // organization or member: never who
	}
	applicantJSON struct {
		ID        string `json:"id"`
		Submitted string `json:"submitted"`
		Eligible  bool   `json:"eligible"`
	}
	declineJSON struct {
		ID       string `json:"id"`
		Previous int    `json:"previous"`
		Score    int    `json:"score"`
	}
	formerJSON struct {
		ID    string `json:"id"`
		Since string `json:"since"`
		Ended string `json:"ended"`
	}
	tierJSON struct {
		Name          string `json:"name"`
		MinScore      int    `json:"min_score"`
		MinPaymentUSD string `json:"min_payment_usd"`
	}
	partnerRulesJSON struct {
		PracticalMonths int    `json:"practical_months"`
		MinScore        int    `json:"min_score"`
		FinancialMonths int    `json:"financial_months"`
		ConductMonths   int    `json:"conduct_months"`
		Featured        int    `json:"featured"`
		GraceMonths     int    `json:"grace_months"`
		LapseMonths     int    `json:"lapse_months"`
		DeclineAlert    string `json:"decline_alert"`
		DeclineAlertMin int    `json:"decline_alert_min_score"`
	}
)

// PartnersJSON renders partners.json: the directory in order, every
// organisation's eligibility criterion by criterion, the open
// applications, the partners whose activity fell, and the rules applied.
func PartnersJSON(d *partner.Directory) []byte {
	r := d.Rules
	out := partnersJSON{
		AsOf: d.AsOf.String(), Partners: []listingJSON{}, Organizations: []StatusJSON{},
		Applicants: []applicantJSON{}, Declines: []declineJSON{}, Former: []formerJSON{}, Tiers: []tierJSON{},
		Rules: partnerRulesJSON{r.PracticalMonths, r.MinScore, r.FinancialMonths, r.ConductMonths, r.Featured, r.GraceMonths, r.LapseMonths, r.DeclineAlert, r.DeclineAlertMinScore},
	}
	for _, p := range d.Partners {
		l := listingJSON{ID: p.Org.ID, Name: p.Org.Name, Rank: p.Rank, Featured: p.Featured, Since: p.Since.String(),
			Standing: string(p.Standing), FailedMonths: p.FailedMonths, Score: p.Score, Credits: p.Credits, PaidUSD: p.Paid.Format(2),
			Roadmap: Roadmap(p.Roadmap), RoadmapLeft: p.RoadmapLeft}
		if p.Ended > p.Since { // an end before the latest approval is a past partnership's
			l.Ends = ptr(p.Ended.String())
		}
		if p.Tier != "" {
			l.Tier = ptr(p.Tier)
		}
		out.Partners = append(out.Partners, l)
	}
	for _, st := range d.Organizations {
		out.Organizations = append(out.Organizations, Eligibility(st))
		if st.Former() {
			out.Former = append(out.Former, formerJSON{ID: st.Org.ID, Since: st.Since.String(), Ended: st.Ended.String()})
		}
	}
	for _, a := range d.Applicants {
		out.Applicants = append(out.Applicants, applicantJSON{ID: a.Application.Org, Submitted: a.Application.Submitted.String(), Eligible: a.Status.Eligible})
	}
	for _, dc := range d.Declines {
		out.Declines = append(out.Declines, declineJSON{ID: dc.Org, Previous: dc.Previous, Score: dc.Score})
	}
	for _, t := range d.Tiers {
		out.Tiers = append(out.Tiers, tierJSON{Name: t.Name, MinScore: t.MinScore, MinPaymentUSD: t.MinPayment.Format(2)})
	}
	return marshal(out)
}

// Roadmap lists roadmap submissions as partners.json does. A submission
// without a status has not been decided: it is "submitted".
func Roadmap(items []*ledger.RoadmapItem) []RoadmapJSON {
	out := make([]RoadmapJSON, len(items))
	for i, r := range items {
		out[i] = RoadmapJSON{Title: r.Title, Submitted: r.Submitted.String(), Status: RoadmapStatus(r)}
		if r.URL != "" {
			out[i].URL = ptr(r.URL)
		}
		if f := r.Funding; f != nil {
			out[i].Funding = &fundingJSON{Amount: f.Amount.String(), Currency: f.Currency}
		}
	}
	return out
}

// RoadmapStatus is a submission's status, "submitted" until decided.
func RoadmapStatus(r *ledger.RoadmapItem) string { return cmpOr(r.Status, "submitted") }

// Eligibility is one organisation's status in the JSON of partners.json.
func Eligibility(st *partner.Status) StatusJSON {
	s := StatusJSON{ID: st.Org.ID, Name: st.Org.Name, AsOf: st.AsOf.String(), Partner: st.Partner, Eligible: st.Eligible, Missing: st.Missing()}
	if s.Missing == nil {
		s.Missing = []string{}
	}
	c := &s.Criteria
	c.Practical = practicalJSON{Met: st.Practical.Met, MinScore: st.Practical.MinScore, Months: []scoreMonthJSON{}}
	for _, m := range st.Practical.Months {
		c.Practical.Months = append(c.Practical.Months, scoreMonthJSON{m.Month.String(), m.Score, m.Met})
	}
	f := st.Financial
	c.Financial = financialJSON{Met: f.Met, MinimumUSD: f.Minimum.Format(2), Basis: string(f.Basis), Months: []paymentMonthJSON{}}
	if f.Country != "" {
		c.Financial.Country = ptr(f.Country)
	}
	for _, m := range f.Months {
		c.Financial.Months = append(c.Financial.Months, paymentMonthJSON{m.Month.String(), m.Paid.Format(2), m.Payments, m.Unconverted, m.Met})
	}
	c.Conduct = conductJSON{Met: st.Conduct.Met, From: st.Conduct.From.String(), To: st.Conduct.To.String(), Sanctions: []sanctionJSON{}}
	for _, sn := range st.Conduct.Sanctions {
		against := "organization"
		if sn.Member {
			against = "member"
		}
		c.Conduct.Sanctions = append(c.Conduct.Sanctions, sanctionJSON{sn.Date.String(), against})
	}
	return s
}

// EligibilityJSON renders statuses as a JSON array, each with the
// organisation's evidence (evidence[i] is list[i]'s).
func EligibilityJSON(list []*partner.Status, evidence []*partner.Evidence) []byte {
	type withEvidence struct {
		StatusJSON
		Evidence evidenceJSON `json:"evidence"`
	}
	out := make([]withEvidence, len(list))
	for i, st := range list {
		out[i] = withEvidence{Eligibility(st), evidenceOf(evidence[i])}
	}
	return marshal(out)
}

// evidenceJSON is partner.Evidence in the JSON of tally eligibility.
type evidenceJSON struct {
	From     string      `json:"from"`
	To       string      `json:"to"`
	Score    int         `json:"score"`
	Credits  int         `json:"credits"`
	People   int         `json:"people"`
	Kinds    []shareJSON `json:"kinds"`
	Projects []shareJSON `json:"projects"`
	Flags    []flagJSON  `json:"flags"`
}

type shareJSON struct {
	Name    string `json:"name"`
	Score   int    `json:"score"`
	Credits int    `json:"credits"`
}

type flagJSON struct {
	Name    string   `json:"name"`
	Status  string   `json:"status"`
	Summary string   `json:"summary"`
	Facts   []string `json:"facts"`
	Count   int      `json:"count"`
	Known   int      `json:"known"`
	Of      int      `json:"of"`
}

// evidenceOf is an organisation's evidence as JSON gives it.
func evidenceOf(ev *partner.Evidence) evidenceJSON {
	shares := func(list []partner.Share) []shareJSON {
		out := make([]shareJSON, len(list))
		for i, s := range list {
			out[i] = shareJSON(s)
		}
		return out
	}
	out := evidenceJSON{From: ev.From.String(), To: ev.To.String(), Score: ev.Score, Credits: ev.Credits, People: ev.People,
		Kinds: shares(ev.Kinds), Projects: shares(ev.Projects), Flags: []flagJSON{}}
	for _, f := range ev.Flags {
		out.Flags = append(out.Flags, flagJSON{f.Name, string(f.Status), f.Summary, f.Facts, f.Count, f.Known, f.Of})
	}
	return out
}

func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // only plain types: cannot fail
	}
	return buf.Bytes()
}

func ptr[T any](v T) *T { return &v }
