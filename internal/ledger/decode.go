package ledger

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/money"
)

// decoder builds typed records from a file's nodes. It is lenient: the
// schema has already reported wrong shapes, so a value of the wrong type is
// skipped here rather than reported twice. It reports only what the schema
// cannot see, such as 2026-02-30.
type decoder struct {
	path     string
	file     FileID
	findings []Finding
	strs     map[string]string // interns values repeated across a shard
}

func pos(n *yaml.Node) Pos { return Pos{int32(n.Line), int32(n.Column)} }

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// fields calls fn for each key of a mapping, merged keys ("<<") first so
// that the mapping's own keys win.
func fields(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			v := deref(n.Content[i+1])
			if v.Kind == yaml.SequenceNode {
				for _, s := range v.Content {
					fields(s, fn)
				}
			} else {
				fields(v, fn)
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag != "!!merge" {
			fn(n.Content[i].Value, n.Content[i+1])
		}
	}
}

func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func (d *decoder) str(n *yaml.Node) string {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return ""
	}
	return n.Value
}

// intern returns one shared copy of a value that repeats across records
// (who, kind, project), which saves much memory in large shards.
func (d *decoder) intern(n *yaml.Node) string { return d.internString(d.str(n)) }

func (d *decoder) internString(s string) string {
	if v, ok := d.strs[s]; ok {
		return v
	}
	if d.strs == nil {
		d.strs = map[string]string{}
	}
	d.strs[s] = s
	return s
}

func (d *decoder) list(n *yaml.Node) []string {
	var out []string
	for _, c := range items(n) {
		out = append(out, d.str(c))
	}
	return out
}

// int reads a whole number in any notation the schemas accept as one
// (3, 3.0, 1e2, 1_000). The schemas bound every whole number far below
// 2^53, where a float64 is exact; past them the schema has a finding.
func (d *decoder) int(n *yaml.Node) int {
	s := strings.ReplaceAll(d.str(n), "_", "")
	if v, err := strconv.Atoi(s); err == nil {
		return v
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
		return 0
	}
	return int(f)
}

func (d *decoder) bool(n *yaml.Node) bool {
	var b bool
	if n = deref(n); n != nil && n.ShortTag() == "!!bool" {
		_ = n.Decode(&b)
	}
	return b
}

// date reads a date, reporting impossible ones (the schema's pattern lets
// 2026-02-30 through).
func (d *decoder) date(n *yaml.Node, field string) Date {
	s := d.str(n)
	if !datePatternOK(s) {
		return 0 // the schema reports the format
	}
	v, err := ParseDate(s)
	if err != nil {
		d.findings = append(d.findings, At(d.path, pos(n), field, "date", err.Error()+"; check the day and month"))
	}
	return v
}

// datePatternOK mirrors the schema's date pattern, so that only dates the
// schema accepted are checked for being real.
func datePatternOK(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:])
	return ok1 && ok2 && ok3 && m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// money reads an amount. The schemas judge a quoted amount by its digits,
// as money.Parse does, but see only the value of a plain number: one they
// accept that is not written as an exact decimal (1e2, 100.12345) is
// reported here rather than counted as nothing.
func (d *decoder) money(n *yaml.Node, field string) money.Amount {
	s := d.str(n)
	a, err := money.Parse(s)
	if n = deref(n); err != nil && n != nil && n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
		v, ok := new(big.Rat).SetString(strings.ReplaceAll(s, "_", ""))
		if ok && v.Sign() > 0 && v.Cmp(big.NewRat(int64(money.Limit), money.Scale)) < 0 { // what the schemas let through
			d.findings = append(d.findings, At(d.path, pos(n), field, "money", err.Error()+`; write the amount as a quoted decimal, such as "100.00"`))
		}
	}
	return a
}

func (d *decoder) ref(n *yaml.Node) Ref {
	n = deref(n)
	if n == nil {
		return Ref{}
	}
	return Ref{ID: d.str(n), Pos: pos(n)}
}

func (d *decoder) refs(n *yaml.Node) []Ref {
	var out []Ref
	for _, c := range items(n) {
		out = append(out, d.ref(c))
	}
	return out
}

func (d *decoder) loc(n *yaml.Node) Loc { return Loc{File: d.file, Pos: pos(n)} }

func (d *decoder) program(n *yaml.Node) *Program {
	p := &Program{Loc: d.loc(n), Timezone: "UTC", Partners: DefaultPartnerRules, Reports: ReportRules{Top: 10}}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "name":
			p.Name = d.str(v)
		case "timezone":
			p.Timezone, p.TimezonePos = d.str(v), pos(deref(v))
		case "leadership":
			p.Leadership = d.refs(v)
		case "team_leads":
			fields(v, func(area string, leads *yaml.Node) {
				p.TeamLeads = append(p.TeamLeads, TeamArea{Area: area, Pos: pos(v), Leads: d.refs(leads)})
			})
		case "scoring":
			for _, c := range items(v) {
				sp := ScoringPeriod{Kinds: map[string]KindRule{}, FromPos: pos(c)}
				fields(c, func(k string, v *yaml.Node) {
					switch k {
					case "from":
						sp.From, sp.FromPos = d.date(v, "scoring.from"), pos(v)
					case "kinds":
						fields(v, func(kind string, r *yaml.Node) {
							var kr KindRule
							fields(r, func(k string, v *yaml.Node) {
								switch k {
								case "weight":
									kr.Weight = d.int(v)
								case "cap":
									kr.Cap = d.int(v)
								case "area":
									kr.Area, kr.AreaPos = d.str(v), pos(v)
								}
							})
							sp.Kinds[kind] = kr
						})
					case "rules":
						for _, r := range items(v) {
							sp.Rules = append(sp.Rules, d.weightRule(r))
						}
					case "points_cap":
						sp.PointsCap, sp.PointsCapPos = d.int(v), pos(deref(v))
					}
				})
				p.Scoring = append(p.Scoring, sp)
			}
		case "platforms":
			p.Platforms = d.refs(v)
		case "sources":
			fields(v, func(name string, v *yaml.Node) {
				entries := []*yaml.Node{v}
				if n := deref(v); n != nil && n.Kind == yaml.SequenceNode {
					entries = n.Content
				}
				for _, e := range entries {
					p.Sources = append(p.Sources, d.sourceSettings(e, name))
				}
			})
		case "partners":
			d.partners(v, &p.Partners)
		case "reports":
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "top":
					p.Reports.Top = d.int(v)
				case "site_url":
					p.Reports.SiteURL = d.str(v)
				}
			})
		case "contacts":
			fields(v, func(k string, v *yaml.Node) {
				if k == "partners" {
					p.Contacts.Partners = d.refs(v)
				}
			})
		}
	})
	return p
}

// weightRule reads one entry of a scoring period's rules.
func (d *decoder) weightRule(n *yaml.Node) WeightRule {
	r := WeightRule{Pos: pos(deref(n))}
	fields(n, func(k string, v *yaml.Node) {
		at := pos(deref(v))
		switch k {
		case "kind":
			r.Kind, r.KindPos = d.str(v), at
		case "project":
			r.Project, r.ProjectPos = d.str(v), at
		case "when":
			r.WhenPos = at
			keys(v, func(name string, at Pos, v *yaml.Node) {
				c := Condition{Name: name, Pos: at}
				if v = deref(v); v != nil && v.Kind == yaml.SequenceNode {
					for _, item := range v.Content {
						c.List, c.ListPos = append(c.List, d.str(item)), append(c.ListPos, pos(item))
					}
				} else {
					c.Number = d.int(v)
				}
				r.When = append(r.When, c)
			})
		case "weight":
			r.Weight, r.HasWeight, r.WeightPos = d.int(v), true, at
		case "weight_factor":
			r.Factor, r.FactorPos = d.str(v), at
		}
	})
	return r
}

// sourceSettings reads one source's settings: strings and lists of
// strings (the schema rejects anything else).
func (d *decoder) sourceSettings(n *yaml.Node, name string) SourceSettings {
	s := SourceSettings{Source: name, Pos: pos(deref(n))}
	fields(n, func(k string, v *yaml.Node) {
		st := Setting{Key: k, Pos: pos(deref(v))}
		if c := deref(v); c != nil && c.Kind == yaml.SequenceNode {
			st.List, st.IsList = d.list(c), true
		} else {
			st.Value = d.str(v)
		}
		s.Values = append(s.Values, st)
	})
	return s
}

func (d *decoder) partners(n *yaml.Node, r *PartnerRules) {
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "practical":
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "months":
					r.PracticalMonths = d.int(v)
				case "min_score":
					r.MinScore = d.int(v)
				}
			})
		case "financial":
			fields(v, func(k string, v *yaml.Node) {
				if k == "months" {
					r.FinancialMonths = d.int(v)
				}
			})
		case "conduct":
			fields(v, func(k string, v *yaml.Node) {
				if k == "months" {
					r.ConductMonths = d.int(v)
				}
			})
		case "featured":
			r.Featured = d.int(v)
		case "roadmap_per_year":
			r.RoadmapPerYear = d.int(v)
		case "standing":
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "grace_months":
					r.GraceMonths, r.GraceMonthsPos = d.int(v), pos(deref(v))
				case "lapse_months":
					r.LapseMonths = d.int(v)
				}
			})
		case "decline_alert":
			r.DeclineAlert = d.str(v)
		case "decline_alert_min_score":
			r.DeclineAlertMinScore = d.int(v)
		case "tiers":
			for i, c := range items(v) {
				t := Tier{Pos: pos(c)}
				fields(c, func(k string, v *yaml.Node) {
					switch k {
					case "name":
						t.Name = d.str(v)
					case "min_score":
						t.MinScore = d.int(v)
					case "min_payment":
						t.MinPayment = d.money(v, "partners.tiers["+strconv.Itoa(i)+"].min_payment")
					}
				})
				r.Tiers = append(r.Tiers, t)
			}
		}
	})
}

func (d *decoder) person(n *yaml.Node, id string) *Person {
	p := &Person{Loc: d.loc(n), ID: id, Visibility: "public"}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "name":
			p.Name = d.str(v)
		case "identities":
			fields(v, func(platform string, h *yaml.Node) {
				p.Identities = append(p.Identities, Identity{Platform: platform, Handle: d.str(h), Pos: pos(deref(h))})
			})
		case "joined":
			p.Joined = d.date(v, "joined")
		case "affiliations":
			for i, c := range items(v) {
				a := Affiliation{Pos: pos(c)}
				fields(c, func(k string, v *yaml.Node) {
					switch k {
					case "org":
						a.Org = d.ref(v)
					case "from":
						a.From = d.date(v, "affiliations["+strconv.Itoa(i)+"].from")
					case "until":
						a.Until = d.date(v, "affiliations["+strconv.Itoa(i)+"].until")
					}
				})
				p.Affiliations = append(p.Affiliations, a)
			}
		case "visibility":
			p.Visibility = d.str(v)
		case "bot":
			p.Bot = d.bool(v)
		}
	})
	return p
}

func (d *decoder) organization(n *yaml.Node, id string) *Organization {
	o := &Organization{Loc: d.loc(n), ID: id}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "name":
			o.Name = d.str(v)
		case "country":
			o.Country, o.CountryPos = d.str(v), pos(deref(v))
		case "website":
			o.Website = d.str(v)
		case "summary":
			o.Summary = d.str(v)
		case "services":
			o.Services = d.list(v)
		case "offerings":
			o.Offerings = d.list(v)
		case "languages":
			o.Languages = d.list(v)
		case "regions":
			o.Regions = d.list(v)
		case "contact":
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "name":
					o.Contact.Name = d.str(v)
				case "url":
					o.Contact.URL = d.str(v)
				case "email":
					o.Contact.Email = d.str(v)
				}
			})
		case "accounts":
			fields(v, func(platform string, h *yaml.Node) {
				h = deref(h)
				if h.Kind == yaml.SequenceNode {
					for _, c := range h.Content {
						o.Accounts = append(o.Accounts, Account{Platform: platform, Handle: d.str(c), Pos: pos(c)})
					}
					return
				}
				o.Accounts = append(o.Accounts, Account{Platform: platform, Handle: d.str(h), Pos: pos(h)})
			})
		case "case_studies":
			for _, c := range items(v) {
				var l Link
				fields(c, func(k string, v *yaml.Node) {
					switch k {
					case "title":
						l.Title = d.str(v)
					case "url":
						l.URL = d.str(v)
					}
				})
				o.CaseStudies = append(o.CaseStudies, l)
			}
		case "partner_program":
			o.PartnerProgram = d.str(v)
		case "lead_url":
			o.LeadURL = d.str(v)
		case "partner":
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "ended":
					o.Ended = d.date(v, "partner.ended")
				case "reason":
					o.EndReason = d.str(v)
				}
			})
		}
	})
	return o
}

// credit reads a shard's credit, or a claim when kind is given (the
// claim's folder) and id is the claim's derived id.
func (d *decoder) credit(n *yaml.Node, field, id, kind string) Credit {
	c := Credit{Loc: d.loc(n), ID: id, Kind: kind}
	c.IDPos, c.KindPos = c.Pos, c.Pos
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "id":
			c.ID, c.IDPos = d.str(v), pos(deref(v))
		case "who":
			c.Who, c.WhoPos = d.intern(v), pos(deref(v))
		case "kind":
			c.Kind, c.KindPos = d.intern(v), pos(deref(v))
		case "date":
			c.Date, c.DatePos = d.date(v, field+".date"), pos(deref(v))
		case "url":
			c.URL = d.str(v)
		case "title":
			c.Title = d.str(v)
		case "project":
			c.Project = d.intern(v)
		case "org":
			c.Org, c.OrgPos = d.intern(v), pos(deref(v))
		case "evidence":
			c.Evidence = d.str(v)
		case "facts":
			fields(v, func(k string, v *yaml.Node) {
				f := Fact{Key: d.internString(k)}
				if v = deref(v); v != nil && v.Kind == yaml.SequenceNode {
					f.List = make([]string, 0, len(v.Content))
					for _, item := range v.Content {
						f.List = append(f.List, d.str(item))
					}
				} else {
					f.Value = d.str(v)
				}
				c.Facts = append(c.Facts, f)
			})
			sort.Slice(c.Facts, func(i, j int) bool { return c.Facts[i].Key < c.Facts[j].Key })
		}
	})
	return c
}

func (d *decoder) payment(n *yaml.Node, field string) Payment {
	p := Payment{Loc: d.loc(n)}
	fields(n, func(k string, v *yaml.Node) {
		at := pos(deref(v))
		switch k {
		case "id":
			p.ID, p.IDPos = d.str(v), at
		case "org":
			p.Org, p.OrgPos = d.intern(v), at
		case "payer":
			p.Payer = d.str(v)
		case "amount":
			p.Amount, p.AmountPos = d.money(v, field+".amount"), at
		case "currency":
			p.Currency, p.CurrencyPos = d.intern(v), at
		case "date":
			p.Date, p.DatePos = d.date(v, field+".date"), at
		case "source":
			p.Source, p.SourcePos = d.intern(v), at
		case "url":
			p.URL = d.str(v)
		case "note":
			p.Note = d.str(v)
		case "months":
			p.Months = d.int(v)
		}
	})
	return p
}

func (d *decoder) application(n *yaml.Node, org string) *Application {
	a := &Application{Loc: d.loc(n), Org: org}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "submitted":
			a.Submitted, a.SubmittedPos = d.date(v, "submitted"), pos(deref(v))
		case "contact":
			a.Contact = d.ref(v)
		case "team":
			a.Team = d.refs(v)
		case "statement":
			a.Statement = d.str(v)
		case "decision":
			dec := &Decision{Pos: pos(deref(v))}
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "outcome":
					dec.Outcome = d.str(v)
				case "date":
					dec.Date, dec.DatePos = d.date(v, "decision.date"), pos(deref(v))
				case "by":
					dec.By = d.refs(v)
				case "note":
					dec.Note = d.str(v)
				case "override":
					dec.Override = d.str(v)
				}
			})
			a.Decision = dec
		}
	})
	return a
}

func (d *decoder) conduct(n *yaml.Node) *Conduct {
	c := &Conduct{Loc: d.loc(n)}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "date":
			c.Date, c.DatePos = d.date(v, "date"), pos(deref(v))
		case "outcome":
			c.Outcome, c.OutcomePos = d.str(v), pos(deref(v))
		case "org":
			c.Org = d.ref(v)
		case "member":
			c.Member = d.bool(v)
		case "person":
			c.Person = d.ref(v)
		case "note":
			c.Note = d.str(v)
		}
	})
	return c
}

func (d *decoder) roadmap(n *yaml.Node, org string, seq int) *RoadmapItem {
	r := &RoadmapItem{Loc: d.loc(n), Org: org, Seq: seq}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "submitted":
			r.Submitted, r.SubmittedPos = d.date(v, "submitted"), pos(deref(v))
		case "title":
			r.Title = d.str(v)
		case "url":
			r.URL = d.str(v)
		case "status":
			r.Status = d.str(v)
		case "funding":
			f := &MoneyAmount{}
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "amount":
					f.Amount, f.AmountPos = d.money(v, "funding.amount"), pos(deref(v))
				case "currency":
					f.Currency, f.CurrencyPos = d.str(v), pos(deref(v))
				}
			})
			r.Funding = f
		}
	})
	return r
}

func (d *decoder) source(n *yaml.Node, name string) *SourceState {
	s := &SourceState{Loc: d.loc(n), Source: name}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "repositories":
			fields(v, func(repo string, v *yaml.Node) {
				r := RepoState{Repo: repo}
				fields(v, func(k string, v *yaml.Node) {
					switch k {
					case "pull_requests":
						r.PullRequests = d.str(v)
					case "issues":
						r.Issues = d.str(v)
					case "releases":
						r.Releases = d.str(v)
					}
				})
				s.Repositories = append(s.Repositories, r)
			})
		case "streams":
			fields(v, func(key string, v *yaml.Node) {
				st := StreamState{Key: key}
				fields(v, func(k string, v *yaml.Node) {
					switch k {
					case "synced":
						st.Synced = d.str(v)
					case "resume":
						st.Resume = d.str(v)
					case "etag":
						st.ETag = d.str(v)
					case "last_modified":
						st.LastModified = d.str(v)
					}
				})
				s.Streams = append(s.Streams, st)
			})
		}
	})
	return s
}

func (d *decoder) thresholds(n *yaml.Node) *Thresholds {
	t := &Thresholds{Loc: d.loc(n), Minimums: map[string]Minimum{}, Overrides: map[string]Override{}, Rates: map[string]Rate{}}
	minimum := func(field string, v *yaml.Node) Minimum {
		var m Minimum
		fields(v, func(k string, v *yaml.Node) {
			switch k {
			case "usd":
				m.USD = d.money(v, field+".usd")
			case "local":
				m.Local = d.money(v, field+".local")
			case "currency":
				m.Currency, m.CurrencyPos = d.str(v), pos(deref(v))
			}
		})
		return m
	}
	fields(n, func(k string, v *yaml.Node) {
		switch k {
		case "source":
			t.Source = d.str(v)
		case "date":
			t.Date = d.date(v, "date")
		case "notice":
			t.Notice = d.str(v)
		case "base":
			fields(v, func(k string, v *yaml.Node) {
				switch k {
				case "country":
					t.Base.Country, t.Base.CountryPos = d.str(v), pos(deref(v))
				case "amount":
					t.Base.Amount = d.money(v, "base.amount")
				case "currency":
					t.Base.Currency, t.Base.CurrencyPos = d.str(v), pos(deref(v))
				}
			})
		case "minimums":
			keys(v, func(country string, at Pos, v *yaml.Node) {
				m := minimum("minimums."+country, v)
				m.KeyPos = at
				t.Minimums[country] = m
			})
		case "euro_area":
			m := minimum("euro_area", v)
			m.KeyPos = pos(deref(v))
			t.EuroArea = &m
		case "overrides":
			keys(v, func(country string, at Pos, v *yaml.Node) {
				o := Override{KeyPos: at}
				fields(v, func(k string, v *yaml.Node) {
					switch k {
					case "usd":
						o.USD = d.money(v, "overrides."+country+".usd")
					case "evidence":
						o.Evidence = d.str(v)
					case "note":
						o.Note = d.str(v)
					}
				})
				t.Overrides[country] = o
			})
		case "fallback_usd":
			t.FallbackUSD = d.money(v, "fallback_usd")
		case "rates":
			keys(v, func(cur string, at Pos, v *yaml.Node) { t.Rates[cur] = Rate{Value: d.str(v), KeyPos: at} })
		}
	})
	return t
}

// keys is fields for maps whose keys are data (country codes, currencies),
// passing where each key is written.
func keys(n *yaml.Node, fn func(key string, at Pos, v *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, pos(n.Content[i]), n.Content[i+1])
	}
}
