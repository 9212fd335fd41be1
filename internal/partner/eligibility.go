package partner

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/internal/score"
)

// Standing is how a partner keeps up with the requirements.
type Standing string

const (
	Good    Standing = "good"    // no failed month up to now
	Warning Standing = "warning" // failed the last months, within the grace
	Lapsed  Standing = "lapsed"  // failed lapse_months in a row or more
)

// Status is an organisation as of the end of a month: each criterion
// month by month with the figures behind it, whether it is eligible to be
// a partner, and, when it is one, its standing and tier.
type Status struct {
	Org  *ledger.Organization
	AsOf ledger.Month

	Practical Practical
	Financial Financial
	Conduct   Conduct
	// Eligible is set when all three criteria are met.
	Eligible bool

	// Partner is set when the organisation is a partner on the last day of
	// AsOf; Since is its latest approval up to then. Ended is
	// partner.ended, whether or not it has come.
	Partner bool
	Since   ledger.Date
	Ended   ledger.Date
	// Standing and FailedMonths (failed months in a row up to AsOf, counted
	// from the month the partnership began) are set for partners only.
	Standing     Standing
	FailedMonths int
	// Tier is the highest of program.yaml's tiers whose minimums the
	// partner meets in AsOf; "" when none does or there are no tiers.
	Tier string

	// Score, Credits and Paid are the figures of AsOf itself; Misses says
	// what a partner missed in AsOf ("score 6 of 10").
	Score, Credits int
	Paid           money.Amount
	Misses         []string
}

// Practical is the contribution criterion: a score of at least MinScore
// in each of the months.
type Practical struct {
	Met      bool
	MinScore int
	Months   []ScoreMonth
}

// ScoreMonth is an organisation's score in one month.
type ScoreMonth struct {
	Month ledger.Month
	Score int
	Met   bool
}

// Financial is the payment criterion: at least Minimum (US dollars) paid
// in each of the months, or at least Local in Currency, the same minimum
// in the country's own currency when the index gives one.
type Financial struct {
	Met     bool
	Country string
	Minimum money.Amount
	Basis   Basis
	// Local and Currency are "" and 0 for a minimum in US dollars only.
	Local    money.Amount
	Currency string
	Months   []PaymentMonth
}

// PaymentMonth is what an organisation paid in one month, converted to US
// dollars with the thresholds' rates and rounded half away from zero to
// cents. It meets the minimum when that rounded sum reaches it, or when
// the payments in the country's currency reach its local minimum: the
// local figure, converted back, may fall a fraction of a cent short.
type PaymentMonth struct {
	Month    ledger.Month
	Paid     money.Amount
	Payments int
	// Unconverted lists currencies paid in that have no rate in
	// thresholds.yaml: those payments count for nothing.
	Unconverted []string
	Met         bool
}

// Conduct is the conduct criterion: no sanction against the organisation,
// or against anyone affiliated with it on the incident date, in the
// months From to To.
type Conduct struct {
	Met       bool
	From, To  ledger.Month
	Sanctions []Sanction
}

// Sanction is a code of conduct sanction that counts against an
// organisation.
type Sanction struct {
	Date ledger.Date
	// Member is set for a sanction against a member of its team, unset
	// for one against the organisation itself. Reports never say who.
	Member bool
}

// Until is the first month in which the sanction no longer counts.
func (s Sanction) Until(months int) ledger.Month { return s.Date.Month() + ledger.Month(months) }

// Evaluator applies the partner rules to a scored ledger. Build it once
// with NewEvaluator; its methods only read it.
type Evaluator struct {
	book  *score.Book
	rules ledger.PartnerRules
	tiers []ledger.Tier
	th    *ledger.Thresholds
	// orgMonths holds each organisation's figures by month.
	orgMonths map[string]map[ledger.Month]*orgMonth
	sanctions map[string][]Sanction
}

type orgMonth struct {
	score, credits int
	paid           big.Rat             // US dollars, exact
	local          map[string]*big.Rat // by currency, exact
	payments       int
	unconverted    []string
	// overLimit indexes Ledger.Payments + 1: the payment that took paid to
	// money.Limit, which no Amount holds; 0 while paid is below it.
	overLimit int
}

// NewEvaluator sums every organisation's scores and payments by month and
// finds the sanctions that count against it.
func NewEvaluator(b *score.Book) *Evaluator {
	l := b.Ledger
	e := &Evaluator{book: b, rules: ledger.DefaultPartnerRules, th: l.Thresholds, orgMonths: map[string]map[ledger.Month]*orgMonth{}, sanctions: map[string][]Sanction{}}
	if l.Program != nil {
		e.rules = l.Program.Partners
		e.tiers = l.Program.Partners.Tiers
	}
	for i := range b.Credits {
		s := &b.Credits[i]
		if s.Org == "" || s.Bot {
			continue
		}
		om := e.month(s.Org, l.Credits[i].Date.Month())
		om.score += int(s.Score)
		om.credits++
	}
	e.addPayments(l)
	for _, c := range l.Conduct {
		if c.Outcome != "sanction" || c.Date == 0 {
			continue
		}
		for _, a := range c.Against(b.Index) {
			e.sanctions[a.Org] = append(e.sanctions[a.Org], Sanction{Date: c.Date, Member: a.Member})
		}
	}
	for _, list := range e.sanctions {
		slices.SortFunc(list, func(a, b Sanction) int { return int(a.Date - b.Date) })
	}
	return e
}

// maxMonths is the most months a payment may pay for (the funding
// schema's bound on months; a larger number is its finding).
const maxMonths = 12

// addPayments sums every organisation's payments by month, exactly.
func (e *Evaluator) addPayments(l *ledger.Ledger) {
	rates := usdRates(l.Thresholds)
	limit := big.NewRat(int64(money.Limit), money.Scale)
	for i := range l.Payments {
		p := &l.Payments[i]
		if p.Org == "" {
			continue // a payer no organisation lists counts for none
		}
		// A payment for several months (a yearly sponsorship) counts an
		// equal share in each.
		months := min(max(p.Months, 1), maxMonths)
		inCurrency := new(big.Rat).SetFrac64(int64(p.Amount), money.Scale*int64(months))
		rate, ok := rates[p.Currency]
		var share *big.Rat // in US dollars
		if ok {
			share = new(big.Rat).Quo(inCurrency, rate)
		}
		for k := range months {
			om := e.month(p.Org, p.Date.Month()+ledger.Month(k))
			om.payments++
			if om.local == nil {
				om.local = map[string]*big.Rat{}
			}
			if om.local[p.Currency] == nil {
				om.local[p.Currency] = new(big.Rat)
			}
			om.local[p.Currency].Add(om.local[p.Currency], inCurrency)
			if ok {
				om.paid.Add(&om.paid, share)
				if om.overLimit == 0 && om.paid.Cmp(limit) >= 0 {
					om.overLimit = i + 1
				}
			} else if !slices.Contains(om.unconverted, p.Currency) {
				om.unconverted = append(om.unconverted, p.Currency)
				slices.Sort(om.unconverted)
			}
		}
	}
}

// OverLimit is a month in which an organisation's payments add up to
// money.Limit US dollars or more, more than any amount in its reports can
// show. Each amount is below the limit, but many large ones, or a rate far
// below any real currency's, can add up past it.
type OverLimit struct {
	Org   string
	Month ledger.Month
	// Payment is the one that took the month's sum to the limit.
	Payment *ledger.Payment
}

// PaymentsOverLimit lists the months whose payments reach money.Limit, by
// organisation and month, so that validation reports them and no report
// shows a sum that is not what was paid.
func PaymentsOverLimit(l *ledger.Ledger) []OverLimit {
	e := &Evaluator{orgMonths: map[string]map[ledger.Month]*orgMonth{}}
	e.addPayments(l)
	var out []OverLimit
	for org, months := range e.orgMonths {
		for m, om := range months {
			if om.overLimit > 0 {
				out = append(out, OverLimit{Org: org, Month: m, Payment: &l.Payments[om.overLimit-1]})
			}
		}
	}
	slices.SortFunc(out, func(a, b OverLimit) int { return cmp.Or(cmp.Compare(a.Org, b.Org), cmp.Compare(a.Month, b.Month)) })
	return out
}

func (e *Evaluator) month(org string, m ledger.Month) *orgMonth {
	months := e.orgMonths[org]
	if months == nil {
		months = map[ledger.Month]*orgMonth{}
		e.orgMonths[org] = months
	}
	om := months[m]
	if om == nil {
		om = &orgMonth{}
		months[m] = om
	}
	return om
}

var noMonth orgMonth

func (e *Evaluator) figures(org string, m ledger.Month) *orgMonth {
	if om := e.orgMonths[org][m]; om != nil {
		return om
	}
	return &noMonth
}

// usdRates turns thresholds.yaml's rates (units per US dollar) into exact
// fractions. US dollars need none.
func usdRates(t *ledger.Thresholds) map[string]*big.Rat {
	rates := map[string]*big.Rat{"USD": big.NewRat(1, 1)}
	if t == nil {
		return rates
	}
	for cur, r := range t.Rates {
		if v, ok := new(big.Rat).SetString(r.Value); ok && v.Sign() > 0 {
			rates[cur] = v
		}
	}
	return rates
}

// Sanctions lists the sanctions that count against an organisation, by
// date, whatever their window.
func (e *Evaluator) Sanctions(org string) []Sanction { return e.sanctions[org] }

// Rules are the partner rules the evaluator applies.
func (e *Evaluator) Rules() ledger.PartnerRules { return e.rules }

// Minimum is an organisation's monthly minimum payment. Without
// thresholds.yaml it is DefaultBase US dollars.
func (e *Evaluator) Minimum(o *ledger.Organization) Minimum {
	if e.th == nil {
		base, _ := money.Parse(DefaultBase)
		return Minimum{USD: base, Basis: BasisBase}
	}
	return MinimumOf(e.th, o.Country)
}

// Evaluate is an organisation's status as of the end of month m.
func (e *Evaluator) Evaluate(o *ledger.Organization, m ledger.Month) *Status {
	st := &Status{Org: o, AsOf: m, Ended: o.Ended}
	minimum := e.Minimum(o)
	st.Practical = Practical{Met: true, MinScore: e.rules.MinScore}
	for k := m - ledger.Month(e.rules.PracticalMonths) + 1; k <= m; k++ {
		sm := e.scoreMonth(o.ID, k)
		st.Practical.Months = append(st.Practical.Months, sm)
		st.Practical.Met = st.Practical.Met && sm.Met
	}
	st.Financial = Financial{Met: true, Country: o.Country, Minimum: minimum.USD, Basis: minimum.Basis, Local: minimum.Local, Currency: minimum.Currency}
	for k := m - ledger.Month(e.rules.FinancialMonths) + 1; k <= m; k++ {
		pm := e.paymentMonth(o.ID, k, minimum)
		st.Financial.Months = append(st.Financial.Months, pm)
		st.Financial.Met = st.Financial.Met && pm.Met
	}
	st.Conduct = e.conduct(o.ID, m)
	st.Eligible = st.Practical.Met && st.Financial.Met && st.Conduct.Met

	now := e.figures(o.ID, m)
	st.Score, st.Credits, st.Paid = now.score, now.credits, cents(&now.paid)
	last := score.Period{Span: score.Monthly, Start: m}.LastDay()
	st.Since = e.book.Index.ApprovedBy(o.ID, last)
	st.Partner = e.book.Index.PartnerOn(o.ID, last)
	if !st.Partner {
		return st
	}
	for k := m; k >= st.Since.Month() && len(e.misses(o.ID, k, minimum)) > 0; k-- {
		st.FailedMonths++
	}
	st.Misses = e.misses(o.ID, m, minimum)
	switch {
	case st.FailedMonths == 0:
		st.Standing = Good
	case st.FailedMonths >= e.rules.LapseMonths:
		st.Standing = Lapsed
	default:
		st.Standing = Warning
	}
	st.Tier = e.tier(now, minimum)
	return st
}

func (e *Evaluator) scoreMonth(org string, m ledger.Month) ScoreMonth {
	s := e.figures(org, m).score
	return ScoreMonth{Month: m, Score: s, Met: s >= e.rules.MinScore}
}

func (e *Evaluator) paymentMonth(org string, m ledger.Month, minimum Minimum) PaymentMonth {
	om := e.figures(org, m)
	return PaymentMonth{Month: m, Paid: cents(&om.paid), Payments: om.payments, Unconverted: om.unconverted, Met: om.pays(minimum)}
}

// pays tells whether the month's payments reach a minimum.
func (om *orgMonth) pays(m Minimum) bool {
	if cents(&om.paid) >= m.USD {
		return true
	}
	local := om.local[m.Currency]
	return m.Currency != "" && local != nil && local.Cmp(big.NewRat(int64(m.Local), money.Scale)) >= 0
}

// conduct looks for sanctions in the conduct window that ends with m.
func (e *Evaluator) conduct(org string, m ledger.Month) Conduct {
	c := Conduct{Met: true, From: m - ledger.Month(e.rules.ConductMonths) + 1, To: m}
	for _, s := range e.sanctions[org] {
		if mo := s.Date.Month(); mo >= c.From && mo <= c.To {
			c.Sanctions = append(c.Sanctions, s)
			c.Met = false
		}
	}
	return c
}

// misses says which requirements a month alone misses: its score, its
// payments, or a sanction in the conduct window ending that month. A
// month that misses none is not a failed month.
func (e *Evaluator) misses(org string, m ledger.Month, minimum Minimum) []string {
	om := e.figures(org, m)
	var out []string
	if om.score < e.rules.MinScore {
		out = append(out, fmt.Sprintf("score %d of %d", om.score, e.rules.MinScore))
	}
	if !om.pays(minimum) {
		out = append(out, fmt.Sprintf("payments %s of %s", Dollars(cents(&om.paid)), Dollars(minimum.USD)))
	}
	if !e.conduct(org, m).Met {
		out = append(out, "a code of conduct sanction in the last "+strconv.Itoa(e.rules.ConductMonths)+" months")
	}
	return out
}

// tier is the first (highest) tier whose minimum score and payment the
// month's figures reach; a tier without min_payment asks for the
// organisation's own minimum.
func (e *Evaluator) tier(om *orgMonth, minimum Minimum) string {
	for _, t := range e.tiers {
		paid := om.pays(minimum)
		if t.MinPayment > 0 {
			paid = cents(&om.paid) >= t.MinPayment
		}
		if om.score >= t.MinScore && paid {
			return t.Name
		}
	}
	return ""
}

// cents rounds an exact amount of dollars half away from zero to cents. A
// sum of money.Limit or more, which validation reports (PaymentsOverLimit),
// is money.Limit.
func cents(r *big.Rat) money.Amount {
	n := new(big.Int).Mul(r.Num(), big.NewInt(200))
	d := new(big.Int).Set(r.Denom())
	n.Add(n, d) // (2x·100 + 1) / 2 rounds half up for x >= 0
	n.Quo(n, d.Mul(d, big.NewInt(2)))
	if limit := int64(money.Limit / (money.Scale / 100)); !n.IsInt64() || n.Int64() >= limit {
		return money.Limit
	}
	return money.Amount(n.Int64() * (money.Scale / 100))
}

// DeclineAlert is when a fall in an organisation's score raises an alert:
// by Fraction or more (0.5: by half), from a score of at least MinScore in
// the month before, since a fall from 4 to 2 is half but says little.
type DeclineAlert struct {
	Fraction *big.Rat
	MinScore int
}

// DeclineAlertOf reads partners.decline_alert and decline_alert_min_score.
func DeclineAlertOf(r ledger.PartnerRules) DeclineAlert {
	a := DeclineAlert{Fraction: big.NewRat(1, 2), MinScore: r.DeclineAlertMinScore}
	if f, ok := new(big.Rat).SetString(r.DeclineAlert); ok && f.Sign() > 0 {
		a.Fraction = f
	}
	return a
}

// Declined tells whether a score that fell from prev to now raises the
// alert. Exact: scores are integers and the fraction is a decimal.
func (a DeclineAlert) Declined(prev, now int) bool {
	if prev <= 0 || prev < a.MinScore || now >= prev || a.Fraction == nil {
		return false
	}
	num, den := a.Fraction.Num(), a.Fraction.Denom()
	if num.IsInt64() && den.IsInt64() && num.Int64() < 1<<31 && den.Int64() < 1<<31 && prev < 1<<31 {
		return int64(prev-now)*den.Int64() >= int64(prev)*num.Int64()
	}
	lhs := new(big.Int).Mul(big.NewInt(int64(prev-now)), den)
	return lhs.Cmp(new(big.Int).Mul(big.NewInt(int64(prev)), num)) >= 0
}
