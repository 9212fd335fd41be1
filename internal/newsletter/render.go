package newsletter

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/words"
)

// The three renderings say the same things in the same order: the month's
// figures, new partners, the top contributors and organisations, the new
// contributors by name, and the partners with their logos.

func (is *Issue) title() string { return is.Program + " in " + words.Month(is.Month) }

func (is *Issue) totals() (contributors, points, credits string) {
	t := is.Report.Totals
	return words.Plural(t.Contributors, "contributor"), words.Plural(t.Score, "point"), words.Plural(t.Credits, "credit")
}

func (is *Issue) newPartners() []Partner {
	var out []Partner
	for _, p := range is.Partners {
		if p.New {
			out = append(out, p)
		}
	}
	return out
}

func (is *Issue) topPeople() []report.Person {
	var out []report.Person
	for _, p := range is.Report.People[:min(is.Top, len(is.Report.People))] {
		if p.Score > 0 {
			out = append(out, p)
		}
	}
	return out
}

func (is *Issue) rulesPage() string { return is.address("rules.html#apply") }

// Markdown is the block for Discourse and Markdown newsletter tools.
// Logos are HTML images, which both take, so that they keep a size.
func Markdown(is *Issue) []byte {
	var b strings.Builder
	esc := report.EscapeMarkdown
	person := func(p report.Person) string {
		// An @ escaped even in a link: a forum would mention its own
		// user of that name.
		name := esc(report.Label(p.ID, p.Name))
		if p.ID != nil && is.Profiles[*p.ID] != "" {
			return "[" + name + "](" + is.Profiles[*p.ID] + ")"
		}
		return name
	}
	link := func(name, url string) string { return "[" + esc(name) + "](" + url + ")" }

	fmt.Fprintf(&b, "## %s\n\n", esc(is.title()))
	c, p, cr := is.totals()
	fmt.Fprintf(&b, "**%s** earned **%s** from **%s** in %s. Thank you!\n\n", c, p, cr, words.Month(is.Month))
	if np := is.newPartners(); len(np) > 0 {
		fmt.Fprintf(&b, "Welcome to our new %s, %s!\n\n", plural(len(np), "partner"), words.List(mapOf(np, func(p Partner) string { return link(p.Name, p.URL) })))
	}
	if top := is.topPeople(); len(top) > 0 {
		fmt.Fprintf(&b, "**Top contributors:** %s.\n\n", words.List(mapOf(top, func(p report.Person) string {
			return person(p) + " (" + words.Plural(p.Score, "point") + ")"
		})))
	}
	if orgs := is.scored(); len(orgs) > 0 {
		fmt.Fprintf(&b, "**Top organisations:** %s.\n\n", words.List(mapOf(orgs, func(o report.Organization) string {
			return esc(o.Name) + " (" + words.Plural(o.Score, "point") + ")"
		})))
	}
	if names, others := is.newcomers(newcomerNames); len(names)+others > 0 {
		list := mapOf(names, person)
		if others > 0 {
			list = append(list, words.Plural(others, "other"))
		}
		fmt.Fprintf(&b, "**First contributions:** welcome, %s!\n\n", words.List(list))
	}
	if len(is.Partners) > 0 {
		fmt.Fprintf(&b, "**Our partners**, who contribute to %s and fund it:\n\n", esc(is.Program))
		for _, p := range is.Partners {
			fmt.Fprintf(&b, `<img src="%s" alt="" width="24" height="24"> %s  `+"\n", html.EscapeString(p.Logo), link(p.Name, p.URL))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "[All the shout-outs of %s](%s) · [Become a partner](%s)\n", words.Month(is.Month), is.shoutOut(), is.rulesPage())
	return []byte(b.String())
}

// HTML is the block for newsletter tools that take HTML: inline styles
// only (mail programs drop style sheets), no script, and a partner
// without a logo drawn in text rather than as the site's SVG, which mail
// programs do not show.
func HTML(is *Issue) []byte {
	var b strings.Builder
	esc := html.EscapeString
	const p = `<p style="margin: 0 0 12px 0;">`
	a := func(text, url string) string {
		return `<a href="` + esc(url) + `" style="color: inherit;">` + esc(text) + `</a>`
	}
	person := func(pr report.Person) string {
		// A zero-width space after an @: pasted into a forum, the text
		// mentions nobody.
		name := strings.ReplaceAll(esc(report.Label(pr.ID, pr.Name)), "@", "@&#8203;")
		if pr.ID != nil && is.Profiles[*pr.ID] != "" {
			return `<a href="` + esc(is.Profiles[*pr.ID]) + `" style="color: inherit;">` + name + `</a>`
		}
		return name
	}
	b.WriteString(`<div style="font-family: inherit; line-height: 1.5;">` + "\n")
	fmt.Fprintf(&b, `<h2 style="margin: 0 0 12px 0; font-size: 20px;">%s</h2>`+"\n", esc(is.title()))
	c, pts, cr := is.totals()
	fmt.Fprintf(&b, "%s<strong>%s</strong> earned <strong>%s</strong> from <strong>%s</strong> in %s. Thank you!</p>\n", p, c, pts, cr, words.Month(is.Month))
	if np := is.newPartners(); len(np) > 0 {
		fmt.Fprintf(&b, "%sWelcome to our new %s, %s!</p>\n", p, plural(len(np), "partner"), words.List(mapOf(np, func(x Partner) string { return a(x.Name, x.URL) })))
	}
	if top := is.topPeople(); len(top) > 0 {
		fmt.Fprintf(&b, "%s<strong>Top contributors:</strong> %s.</p>\n", p, words.List(mapOf(top, func(x report.Person) string {
			return person(x) + " (" + words.Plural(x.Score, "point") + ")"
		})))
	}
	if orgs := is.scored(); len(orgs) > 0 {
		fmt.Fprintf(&b, "%s<strong>Top organisations:</strong> %s.</p>\n", p, words.List(mapOf(orgs, func(o report.Organization) string {
			return esc(o.Name) + " (" + words.Plural(o.Score, "point") + ")"
		})))
	}
	if names, others := is.newcomers(newcomerNames); len(names)+others > 0 {
		list := mapOf(names, person)
		if others > 0 {
			list = append(list, words.Plural(others, "other"))
		}
		fmt.Fprintf(&b, "%s<strong>First contributions:</strong> welcome, %s!</p>\n", p, words.List(list))
	}
	if len(is.Partners) > 0 {
		fmt.Fprintf(&b, "%s<strong>Our partners</strong>, who contribute to %s and fund it:</p>\n", p, esc(is.Program))
		b.WriteString(`<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse: collapse; margin: 0 0 12px 0;">` + "\n")
		for _, x := range is.Partners {
			mark := `<span style="display: inline-block; width: 32px; height: 32px; line-height: 32px; border-radius: 16px; background-color: ` +
				x.Colour + `; color: #ffffff; font-size: 13px; font-weight: bold; text-align: center; vertical-align: middle;">` + esc(x.Initials) + `</span>`
			if !x.Drawn {
				mark = `<img src="` + esc(x.Logo) + `" alt="" width="32" height="32" style="display: inline-block; width: 32px; height: 32px; border: 0; vertical-align: middle;">`
			}
			fmt.Fprintf(&b, `<tr><td style="padding: 4px 12px 4px 0; vertical-align: middle;">%s</td><td style="padding: 4px 0; vertical-align: middle;">%s</td></tr>`+"\n",
				mark, a(x.Name, x.URL))
		}
		b.WriteString("</table>\n")
	}
	fmt.Fprintf(&b, `<p style="margin: 0;">%s · %s</p>`+"\n", a("All the shout-outs of "+words.Month(is.Month), is.shoutOut()), a("Become a partner", is.rulesPage()))
	b.WriteString("</div>\n")
	return []byte(b.String())
}

// PostLimit is the most characters a social post has: 500, the limit a
// Mastodon server sets unless its admin changes it.
const PostLimit = 500

// Post is a short plain-text post for social media, at most PostLimit
// characters whatever the names: it says less, then shortens names, until
// it fits. It names no one with an @, which would mention whoever has
// that handle where it is posted.
func Post(is *Issue) string {
	for level := 0; ; level++ {
		s, last := is.post(level)
		if utf8.RuneCountInString(s) <= PostLimit {
			return s
		}
		if last {
			return truncate(s, PostLimit)
		}
	}
}

// post composes the post at a level of detail: 0 says most.
func (is *Issue) post(level int) (string, bool) {
	nameLen := 40
	if level >= 3 {
		nameLen = 24
	}
	name := func(s string) string { return truncate(s, nameLen) }
	c, pts, _ := is.totals()
	parts := []string{fmt.Sprintf("%s: %s earned %s. Thank you!", truncate(is.title(), 120), c, pts)}
	if level < 5 {
		if top := is.topPeople(); len(top) > 0 {
			n := max(1, 3-level)
			parts = append(parts, sentence("Top contributors: "+words.List(mapOf(top[:min(n, len(top))], func(p report.Person) string {
				return name(strings.TrimPrefix(report.Label(p.ID, p.Name), "@"))
			}))))
		}
		if np := is.newPartners(); len(np) > 0 {
			if level < 2 {
				parts = append(parts, "Welcome to our new "+plural(len(np), "partner")+", "+words.List(mapOf(np, func(p Partner) string { return name(p.Name) }))+"!")
			} else {
				parts = append(parts, "Welcome to "+words.Plural(len(np), "new partner")+"!")
			}
		}
		if _, others := is.newcomers(0); others > 0 {
			parts = append(parts, words.Plural(others, "person")+" made a first contribution.")
		}
		if len(is.Partners) > 0 && level < 4 {
			if level < 1 {
				shown := mapOf(is.Partners[:min(6, len(is.Partners))], func(p Partner) string { return name(p.Name) })
				if more := len(is.Partners) - len(shown); more > 0 {
					shown = append(shown, strconv.Itoa(more)+" more")
				}
				parts = append(parts, sentence("Our partners: "+words.List(shown)))
			} else {
				parts = append(parts, "Thanks to our "+words.Plural(len(is.Partners), "partner")+".")
			}
		}
	}
	if is.Site != "" && level < 6 {
		parts = append(parts, is.shoutOut())
	}
	return strings.Join(parts, " ") + "\n", level >= 6
}

// truncate shortens s to at most n characters, ending in an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// sentence ends s with a full stop, unless a name ending it has one.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "…") {
		return s
	}
	return s + "."
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func mapOf[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
