package ledger

import (
	"strings"

	"github.com/tallyledger/tally/internal/money"
)

// Ledger is everything in a ledger folder, loaded into plain types. Slices
// are in file path order, then in order within each file, so that whatever
// is computed from them is deterministic.
type Ledger struct {
	// Files lists every file that was read, by slash path inside the ledger;
	// records point into it with a FileID.
	Files []string
	// Unloaded lists the files that gave no record at all (broken YAML, not
	// UTF-8, too large...), so that checks do not also report what they
	// would have held as missing.
	Unloaded []string

	Program       *Program
	Thresholds    *Thresholds
	People        []*Person
	Organizations []*Organization
	// Credits holds the credits of every shard and every claim.
	Credits      []Credit
	Payments     []Payment
	Applications []*Application
	Conduct      []*Conduct
	Roadmap      []*RoadmapItem
	Sources      []*SourceState
	// Logos are the organisations' logo files that passed their checks.
	Logos []*Logo
	// Notes maps a period ("2026-10", "2026-Q4", "2026") to its Markdown.
	Notes map[string]string
}

// FileID indexes Ledger.Files.
type FileID int32

// Loc is where a record or a field came from.
type Loc struct {
	File FileID
	Pos
}

// Program is program.yaml: the rules.
type Program struct {
	Loc
	Name        string
	Timezone    string
	TimezonePos Pos
	Leadership  []Ref
	TeamLeads   []TeamArea
	Scoring     []ScoringPeriod
	// Platforms are those the program adds to tally's own (Platforms).
	Platforms []Ref
	Partners  PartnerRules
	Reports   ReportRules
	// Sources are the settings of program.yaml's sources, in the order
	// written; a source written as a list (feeds) has one entry per item.
	Sources  []SourceSettings
	Contacts Contacts
}

// Contacts is program.yaml's contacts: who hears from tally about what.
type Contacts struct {
	// Partners follow up with partners: the monthly follow-up issue
	// mentions them.
	Partners []Ref
}

// SourceSettings is one entry of program.yaml's sources: the settings of
// one source, or of one item of a source written as a list.
type SourceSettings struct {
	Source string
	Pos    Pos // of the entry's value
	Values []Setting
}

// Setting is one key of a source's settings: a string, or a list of
// strings.
type Setting struct {
	Key    string
	Pos    Pos // of the value
	Value  string
	List   []string
	IsList bool
}

// Get returns the setting named key.
func (s *SourceSettings) Get(key string) (Setting, bool) {
	for _, v := range s.Values {
		if v.Key == key {
			return v, true
		}
	}
	return Setting{}, false
}

// Ref is a reference to a person, an organisation or a platform, with
// where it was written so that a dangling one can be reported.
type Ref struct {
	ID  string
	Pos Pos
}

// TeamArea is one area of program.yaml's team_leads.
type TeamArea struct {
	Area  string
	Pos   Pos
	Leads []Ref
}

// ScoringPeriod is one entry of program.yaml's scoring: the weights, rules
// and caps that apply to credits dated on or after From.
type ScoringPeriod struct {
	From    Date
	FromPos Pos
	Kinds   map[string]KindRule
	// Rules weigh credits by what they are (their size, paths, labels,
	// project), in order: the first that matches a credit sets its weight.
	Rules []WeightRule
	// PointsCap is the most points a person scores in a month, all kinds
	// together; 0 means no cap.
	PointsCap    int
	PointsCapPos Pos
}

// WeightRule is one entry of a scoring period's rules.
type WeightRule struct {
	Pos Pos
	// Kind and Project narrow the rule to credits of that kind and of that
	// project; "" is any.
	Kind, Project       string
	KindPos, ProjectPos Pos
	// When lists the conditions a credit must all meet, as written.
	When    []Condition
	WhenPos Pos
	// Weight is the weight the rule gives when HasWeight; otherwise Factor
	// (weight_factor as written, such as "0.5") multiplies the kind's.
	Weight               int
	HasWeight            bool
	Factor               string
	WeightPos, FactorPos Pos
}

// Condition is one condition of a rule's when: a number (max_lines: 5) or
// a list (only_paths: [docs/**]), with where each item is written.
type Condition struct {
	Name    string
	Pos     Pos
	Number  int
	List    []string
	ListPos []Pos
}

// KindRule is how one kind of credit scores.
type KindRule struct {
	Weight int
	// Cap is the most credits of this kind per person per month that score;
	// 0 means no cap.
	Cap     int
	Area    string
	AreaPos Pos
}

// PartnerRules is program.yaml's partners section.
type PartnerRules struct {
	PracticalMonths int
	MinScore        int
	FinancialMonths int
	ConductMonths   int
	Featured        int
	RoadmapPerYear  int
	GraceMonths     int
	LapseMonths     int
	GraceMonthsPos  Pos
	// DeclineAlert is the fraction of an organisation's score whose loss
	// raises an alert, as written (a decimal string such as "0.5").
	DeclineAlert string
	// DeclineAlertMinScore is the least score in the month before for a
	// fall to raise an alert: from 4 to 2 is half, but says little.
	DeclineAlertMinScore int
	Tiers                []Tier
}

// DefaultPartnerRules apply where program.yaml leaves a partner rule out.
var DefaultPartnerRules = PartnerRules{
	PracticalMonths: 3, MinScore: 10, FinancialMonths: 3, ConductMonths: 12,
	Featured: 3, RoadmapPerYear: 3, GraceMonths: 2, LapseMonths: 3, DeclineAlert: "0.5", DeclineAlertMinScore: 10,
}

// Tier is an optional partner tier, highest first in program.yaml.
type Tier struct {
	Name       string
	MinScore   int
	MinPayment money.Amount
	Pos        Pos
}

// ReportRules is program.yaml's reports section.
type ReportRules struct {
	Top int
	// SiteURL is where the partners directory is published, "" when not
	// known: reports and the site then link to it with absolute addresses.
	SiteURL string
}

// Site is SiteURL ending in a slash, so that a file's path can follow it;
// "" when it is not set.
func (r ReportRules) Site() string {
	if r.SiteURL == "" || strings.HasSuffix(r.SiteURL, "/") {
		return r.SiteURL
	}
	return r.SiteURL + "/"
}

// Person is people/<id>.yaml.
type Person struct {
	Loc
	ID           string
	Name         string
	Identities   []Identity
	Joined       Date
	Affiliations []Affiliation
	Visibility   string // public, anonymous or hidden
	Bot          bool
}

// Identity is an account of a person on a platform.
type Identity struct {
	Platform, Handle string
	Pos              Pos
}

// Affiliation ties a person to an organisation over [From, Until); a zero
// Until means "to this day".
type Affiliation struct {
	Org   Ref
	From  Date
	Until Date
	Pos   Pos
}

// Organization is organizations/<id>.yaml.
type Organization struct {
	Loc
	ID             string
	Name           string
	Country        string
	CountryPos     Pos
	Website        string
	Summary        string
	Services       []string
	Offerings      []string
	Languages      []string
	Regions        []string
	Contact        Contact
	Accounts       []Account
	CaseStudies    []Link
	PartnerProgram string
	LeadURL        string
	Ended          Date // partner.ended
	EndReason      string
}

// Contact is how to reach an organisation.
type Contact struct{ Name, URL, Email string }

// Account is a payer handle of an organisation on a payment platform.
type Account struct {
	Platform, Handle string
	Pos              Pos
}

// Link is a titled URL.
type Link struct{ Title, URL string }

// Credit is one contribution. Claims are credits too: their ID is
// "claim:<path>", their kind is their folder, and they carry Evidence.
type Credit struct {
	Loc
	ID       string
	Who      string
	Kind     string
	Date     Date
	URL      string
	Title    string
	Project  string
	Org      string
	Evidence string
	Facts    []Fact
	// Where the fields that other records are checked against were written.
	IDPos, WhoPos, KindPos, DatePos, OrgPos Pos
}

// Fact returns the credit's fact of a name.
func (c *Credit) Fact(key string) (Fact, bool) {
	for _, f := range c.Facts {
		if f.Key == key {
			return f, true
		}
	}
	return Fact{}, false
}

// Fact is one free-form detail of a credit: a scalar as written
// (additions: 10), or a list of strings (labels: [docs, trivial]), whose
// List is then non-nil, even when empty, and Value "".
type Fact struct {
	Key, Value string
	List       []string
}

// Payment is one entry of a funding shard.
type Payment struct {
	Loc
	ID       string
	Org      string
	Payer    string
	Amount   money.Amount
	Currency string
	Date     Date
	Source   string
	URL      string
	Note     string
	// Months is how many months the payment pays for, from the month of
	// its date (12 for a yearly sponsorship); 0 means 1.
	Months                                                    int
	IDPos, OrgPos, AmountPos, CurrencyPos, DatePos, SourcePos Pos
}

// Application is applications/<org>/<date>.yaml.
type Application struct {
	Loc
	Org          string
	Submitted    Date
	SubmittedPos Pos
	Contact      Ref
	Team         []Ref
	Statement    string
	Decision     *Decision
}

// Decision is the leadership's answer to an application.
type Decision struct {
	Pos      Pos
	Outcome  string // approved or rejected
	Date     Date
	DatePos  Pos
	By       []Ref
	Note     string
	Override string
}

// Conduct is one code of conduct outcome. It names the organisation it
// counts against; Member says it is about a member of its team. Person is
// the old form, which named the person (a finding, rule privacy).
type Conduct struct {
	Loc
	Date       Date
	DatePos    Pos
	Outcome    string // sanction, warning or dismissed
	OutcomePos Pos
	Org        Ref
	Member     bool
	Person     Ref
	Note       string
}

// RoadmapItem is one partner roadmap submission.
type RoadmapItem struct {
	Loc
	Org          string
	Seq          int
	Submitted    Date
	SubmittedPos Pos
	Title        string
	URL          string
	Funding      *MoneyAmount
	Status       string
}

// MoneyAmount is an amount in a currency.
type MoneyAmount struct {
	Amount                 money.Amount
	Currency               string
	AmountPos, CurrencyPos Pos
}

// SourceState is sources/<source>.yaml: how far ingestion has got. GitHub
// keeps Repositories; every other source keeps Streams.
type SourceState struct {
	Loc
	Source       string
	Repositories []RepoState
	Streams      []StreamState
}

// StreamState is how far one stream of a source (a forum, a feed, a tag)
// is synced, the key naming the stream.
type StreamState struct {
	Key string
	// Synced is an RFC 3339 timestamp: everything up to it is read.
	Synced string
	// Resume is where a run that stopped early got to, when it was
	// reading again a while before Synced (items that change without
	// their time moving): the next run continues from there.
	Resume string
	// ETag and LastModified are the HTTP validators of the stream's last
	// complete read, for a conditional request next time.
	ETag, LastModified string
}

// RepoState holds the newest points fully synced for one repository, as
// RFC 3339 timestamps.
type RepoState struct {
	Repo                           string
	PullRequests, Issues, Releases string
}

// Thresholds is thresholds.yaml: the minimum monthly payment per country.
type Thresholds struct {
	Loc
	Source      string
	Date        Date
	Notice      string
	Base        BaseAmount
	Minimums    map[string]Minimum
	EuroArea    *Minimum
	Overrides   map[string]Override
	FallbackUSD money.Amount
	// Rates maps a currency to units of it per US dollar.
	Rates map[string]Rate
}

// BaseAmount is the payment a program asks of an organisation in the base
// country.
type BaseAmount struct {
	Country                 string
	Amount                  money.Amount
	Currency                string
	CountryPos, CurrencyPos Pos
}

// Minimum is one country's monthly minimum. KeyPos is where its country
// code is written.
type Minimum struct {
	USD                 money.Amount
	Local               money.Amount
	Currency            string
	KeyPos, CurrencyPos Pos
}

// Override is a hand-entered minimum, with the evidence behind it.
type Override struct {
	USD      money.Amount
	Evidence string
	Note     string
	KeyPos   Pos
}

// Rate is an exchange rate as written (a decimal string), and where.
type Rate struct {
	Value  string
	KeyPos Pos
}
