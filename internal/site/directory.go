package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

// card is one partner in the directory.
type card struct {
	ID, Name, Href, Summary string
	Logo                    string
	Featured                bool
	Tier, TierClass         string
	// Standing names a standing that is not good: "Catching up", "Lapsed".
	Standing, StandingClass string
	Rank                    string
	Facts                   []fact
	// Tokens are the values the filters compare, by filter name.
	Tokens map[string]string
}

// standingWords names the standings a card points out.
var standingWords = map[string]string{Warning: "Catching up", Lapsed: "Lapsed"}

// fact is one labelled list of a partner: its services, languages...
type fact struct {
	Label  string
	Values []string
}

func (f fact) Text() string { return strings.Join(f.Values, ", ") }

// dimension is one way to filter partners, and how to read its values.
type dimension struct {
	Name, Label, Any string
	values           func(*ledger.Organization) []string
	words            func(string) string
}

var dimensions = []dimension{
	{"offering", "Offering", "offering", func(o *ledger.Organization) []string { return o.Offerings }, offeringWords},
	{"service", "Service", "service", func(o *ledger.Organization) []string { return o.Services }, capitalise},
	{"language", "Language", "language", func(o *ledger.Organization) []string { return o.Languages }, languageWords},
	{"region", "Region", "region", func(o *ledger.Organization) []string { return o.Regions }, regionWords},
}

// filter is a dimension with the values the listed partners have.
type filter struct {
	Name, Label, Any string
	Options          []option
}

type option struct{ Value, Label string }

type directoryPage struct {
	page
	Intro    string
	Featured int
	Cards    []card
	Filters  []filter
	Count    string
}

func (s *site) directory() directoryPage {
	d := directoryPage{page: s.page("index.html", s.program+" partners",
		"The partners of "+s.program+": organisations that contribute to the project and fund it.", "directory")}
	// Featured partners come first, each group in directory order.
	var order []*Partner
	for _, featured := range []bool{true, false} {
		for i := range s.in.Partners {
			if p := &s.in.Partners[i]; p.Featured == featured {
				order = append(order, p)
			}
		}
	}
	options := make([]map[string]string, len(dimensions))
	for i := range options {
		options[i] = map[string]string{}
	}
	for _, p := range order {
		c := card{ID: p.ID, Name: p.Org.Name, Href: PartnerPath(p.ID), Summary: p.Org.Summary,
			Logo: LogoPath(p.ID, p.Logo), Featured: p.Featured, Tier: tierWords(p.Tier), TierClass: token(p.Tier),
			Standing: standingWords[p.Standing], StandingClass: p.Standing,
			Rank: words.Ordinal(p.Rank) + " in " + words.Month(s.in.AsOf), Tokens: map[string]string{}}
		if p.Featured {
			d.Featured++
		}
		for i, dim := range dimensions {
			values := dim.values(p.Org)
			var tokens []string
			f := fact{Label: dim.Label + "s"}
			for _, v := range values {
				tokens = append(tokens, token(v))
				f.Values = append(f.Values, dim.words(v))
				options[i][token(v)] = dim.words(v)
			}
			c.Tokens[dim.Name] = strings.Join(tokens, " ")
			if len(values) > 0 {
				c.Facts = append(c.Facts, f)
			}
		}
		d.Cards = append(d.Cards, c)
	}
	for i, dim := range dimensions {
		f := filter{Name: dim.Name, Label: dim.Label, Any: dim.Any}
		for v, label := range options[i] {
			f.Options = append(f.Options, option{v, label})
		}
		slices.SortFunc(f.Options, func(a, b option) int {
			return cmp.Or(strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)), strings.Compare(a.Value, b.Value))
		})
		if len(f.Options) > 0 {
			d.Filters = append(d.Filters, f)
		}
	}
	n := len(d.Cards)
	d.Count = words.Plural(n, "partner")
	d.Intro = "Organisations that contribute to " + s.program + " and fund it, month after month, listed by their contributions in " +
		words.Month(s.in.AsOf) + "."
	if d.Featured > 0 {
		d.Intro += " The top " + strconv.Itoa(d.Featured) + " are featured."
	}
	return d
}
