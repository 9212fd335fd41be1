// Package feeds credits the items of RSS 2.0 and Atom feeds (blog posts,
// podcast episodes) to their authors.
//
// Each feed is one request, conditional on the validators of the last
// complete read (If-None-Match, If-Modified-Since), so that a feed that
// has not changed costs one short answer. The author of an item is its
// dc:creator, else its itunes:author, else the name in its author (an
// e-mail address there is never written), else the feed's own author;
// the date is its publication (pubDate, dc:date, Atom's published, else
// updated), as a day in the program's time zone.
package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/words"
)

// Name is the source's name; Platform is that of its who (feed:Ruth
// Example).
const (
	Name     = "feeds"
	Platform = "feed"
)

// Feeds is the connector.
type Feeds struct{}

func (Feeds) Name() string { return Name }

func (Feeds) Secrets() []source.Secret { return nil }

func (Feeds) Open(s source.Setup) (*source.Job, error) {
	if len(s.Settings) == 0 {
		return nil, errors.New("sources.feeds: list the feeds in program.yaml: [{url: https://acme.example/blog/feed.xml, kind: blog_post}]")
	}
	var feeds []feed
	job := &source.Job{Service: "the feeds"}
	for _, e := range s.Settings {
		u, err := s.URL(e, "url")
		if err != nil {
			return nil, err
		}
		kind, err := s.String(e, "kind", true)
		if err != nil {
			return nil, err
		}
		get, err := s.Server(u)
		if err != nil {
			return nil, err
		}
		if s.APIURL != "" { // the feed's path on that server
			rebased := *u
			rebased.Scheme, rebased.Host = get.Scheme, get.Host
			rebased.Path = strings.TrimSuffix(get.Path, "/") + u.Path
			get = &rebased
		}
		feeds = append(feeds, feed{url: u, get: get, kind: kind})
		job.Streams = append(job.Streams, u.String())
	}
	job.Fetch = func(ctx context.Context, r *source.Run) error {
		for _, f := range feeds {
			if err := f.read(ctx, r); err != nil {
				return err
			}
		}
		return nil
	}
	return job, nil
}

// feed is one feed: where it is, where to ask for it, and the kind of its
// items.
type feed struct {
	url, get *url.URL
	kind     string
}

func (f feed) read(ctx context.Context, r *source.Run) error {
	key := f.url.String()
	r.Begin(key)
	etag, modified := r.Validators(key)
	h := http.Header{"Accept": {"application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"}}
	if etag != "" {
		h.Set("If-None-Match", etag)
	}
	if modified != "" {
		h.Set("If-Modified-Since", modified)
	}
	resp, body, err := source.Get(ctx, r.Client, f.get.String(), h)
	if se, ok := errors.AsType[*source.StatusError](err); ok {
		return fmt.Errorf("%s: the server answered %d %s", key, se.Status, http.StatusText(se.Status))
	} else if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNotModified {
		r.Say("not changed since the last run", "")
		return nil
	}
	items, err := parse(body, f.url)
	if err != nil {
		return fmt.Errorf("%s: %v", key, err)
	}
	undated, anonymous := 0, 0
	for _, it := range items {
		switch {
		case it.at.IsZero():
			undated++
			continue
		case it.author == "":
			anonymous++ // nobody to credit
			continue
		}
		r.Found(source.Item{
			Credit: ledger.Credit{ID: f.id(it), Who: Platform + ":" + it.author, Kind: f.kind, URL: it.link, Title: it.title},
			At:     it.at,
		})
	}
	r.SetValidators(key, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"))
	what := words.Plural(len(items), "item") + " read"
	if undated > 0 {
		what += fmt.Sprintf(", %d without a date", undated)
	}
	if anonymous > 0 {
		what += fmt.Sprintf(", %d without an author", anonymous)
	}
	r.Say(what, "")
	return nil
}

// id is an item's credit id: its guid or Atom id when that is a URI, which
// is unique everywhere; else its opaque guid, or a digest of its title and
// date, within the feed.
func (f feed) id(it item) string {
	if it.global != "" {
		return Name + ":" + noSpace(it.global)
	}
	local := it.local
	if local == "" {
		sum := sha256.Sum256([]byte(it.title + "\n" + it.at.UTC().Format(time.RFC3339)))
		local = hex.EncodeToString(sum[:6])
	}
	return Name + ":" + f.url.Host + f.url.Path + "#" + noSpace(local)
}

// noSpace escapes what an id may not hold.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
}

// item is a feed's item as tally reads it.
type item struct {
	global, local string // its id: a URI, or one only the feed knows
	title, link   string
	author        string
	at            time.Time
}

// Namespaces of the elements read.
const (
	atomNS   = "http://www.w3.org/2005/Atom"
	dcNS     = "http://purl.org/dc/elements/1.1/"
	itunesNS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	xmlNS    = "http://www.w3.org/XML/1998/namespace"
)

// parse reads an RSS 2.0 or Atom feed found at base.
func parse(data []byte, base *url.URL) ([]item, error) {
	root, err := readTree(data)
	if err != nil {
		return nil, fmt.Errorf("not a feed that can be read: %v", err)
	}
	switch {
	case root.name.Local == "rss":
		channel := root.child("", "channel")
		if channel == nil {
			return nil, errors.New("an RSS feed without a channel")
		}
		return rssItems(channel, base), nil
	case root.name.Local == "feed" && root.name.Space == atomNS:
		return atomItems(root, base), nil
	}
	return nil, fmt.Errorf("the document is <%s>, not an RSS 2.0 <rss> or an Atom <feed>", root.name.Local)
}

func rssItems(channel *node, base *url.URL) []item {
	fallback := author(channel.text(dcNS, "creator"), channel.text(itunesNS, "author"), channel.text("", "managingEditor"))
	var out []item
	for _, n := range channel.children("", "item") {
		it := item{
			title:  oneLine(n.text("", "title")),
			link:   resolve(base, n.text("", "link")),
			author: author(n.text(dcNS, "creator"), n.text(itunesNS, "author"), n.text("", "author")),
			at:     rssDate(n.text("", "pubDate")),
		}
		if it.at.IsZero() {
			it.at, _ = time.Parse(time.RFC3339, strings.TrimSpace(n.text(dcNS, "date")))
		}
		if it.author == "" {
			it.author = fallback
		}
		if g := n.child("", "guid"); g != nil && strings.TrimSpace(g.chars) != "" {
			guid := strings.TrimSpace(g.chars)
			if !strings.EqualFold(g.attr("", "isPermaLink"), "false") {
				it.global = guid // a permalink, the default
				if it.link == "" {
					it.link = resolve(base, guid)
				}
			} else if isURI(guid) {
				it.global = guid
			} else {
				it.local = guid
			}
		} else if it.link != "" {
			it.global = it.link
		}
		out = append(out, it)
	}
	return out
}

func atomItems(feed *node, base *url.URL) []item {
	base = xmlBase(feed, base)
	fallback := atomAuthor(feed)
	var out []item
	for _, n := range feed.children(atomNS, "entry") {
		b := xmlBase(n, base)
		it := item{title: oneLine(n.text(atomNS, "title")), author: atomAuthor(n)}
		for _, l := range n.children(atomNS, "link") {
			if rel := l.attr("", "rel"); rel == "" || rel == "alternate" {
				it.link = resolve(b, l.attr("", "href"))
				break
			}
		}
		for _, field := range []string{"published", "updated"} {
			if t, err := time.Parse(time.RFC3339, strings.TrimSpace(n.text(atomNS, field))); err == nil {
				it.at = t
				break
			}
		}
		if it.author == "" {
			it.author = fallback
		}
		if id := strings.TrimSpace(n.text(atomNS, "id")); id != "" {
			it.global = id // an IRI, unique by the standard
		} else if it.link != "" {
			it.global = it.link
		}
		out = append(out, it)
	}
	return out
}

func atomAuthor(n *node) string {
	if a := n.child(atomNS, "author"); a != nil {
		return author(a.text(atomNS, "name"))
	}
	return ""
}

func xmlBase(n *node, base *url.URL) *url.URL {
	if b := n.attr(xmlNS, "base"); b != "" {
		if u, err := base.Parse(b); err == nil {
			return u
		}
	}
	return base
}

var emailRe = regexp.MustCompile(`[^\s<>()"',;]+@[^\s<>()"',;]+`)

// author is the first of the candidates that names someone, as written,
// on one line, without any e-mail address: "ruth@example.org (Ruth
// Example)" and "Ruth Example <ruth@example.org>" are "Ruth Example"; an
// address alone names no one.
func author(candidates ...string) string {
	for _, c := range candidates {
		if a, err := mail.ParseAddress(strings.TrimSpace(c)); err == nil && a.Name != "" {
			c = a.Name
		}
		c = emailRe.ReplaceAllString(c, "")
		c = strings.Trim(oneLine(c), " ()<>[]\"',;")
		if c != "" {
			return oneLine(c)
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func isURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

// resolve makes a link absolute against the feed's address.
func resolve(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := base.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// usZones are the zone abbreviations RFC 822 allows besides GMT and UT,
// which Go would read as offset 0 unless the machine is in that zone.
var usZones = map[string]string{
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"GMT": "+0000", "UT": "+0000", "UTC": "+0000", "Z": "+0000",
}

// rssDate reads an RFC 822 date as feeds write it: with or without the
// weekday and the seconds, a 2- or 4-digit year, a numeric zone or a name.
func rssDate(s string) time.Time {
	f := strings.Fields(s)
	if len(f) == 0 {
		return time.Time{}
	}
	if strings.HasSuffix(f[0], ",") || len(f[0]) == 3 && f[0][0] > '9' {
		f = f[1:] // the weekday says nothing the date does not
	}
	if len(f) > 0 {
		if z, ok := usZones[strings.ToUpper(f[len(f)-1])]; ok {
			f[len(f)-1] = z
		}
	}
	s = strings.Join(f, " ")
	for _, layout := range []string{"2 Jan 2006 15:04:05 -0700", "2 Jan 06 15:04:05 -0700", "2 Jan 2006 15:04 -0700", "2 Jan 06 15:04 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// node is an element of a parsed document.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	chars string
	kids  []*node
}

func (n *node) child(space, local string) *node {
	for _, k := range n.kids {
		if k.name.Local == local && k.name.Space == space {
			return k
		}
	}
	return nil
}

func (n *node) children(space, local string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name.Local == local && k.name.Space == space {
			out = append(out, k)
		}
	}
	return out
}

// text is the text of the first child element named so ("" when none).
func (n *node) text(space, local string) string {
	if k := n.child(space, local); k != nil {
		return k.chars
	}
	return ""
}

func (n *node) attr(space, local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}

// readTree parses a document into nodes, in the character set its
// declaration names.
func readTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false // real feeds hold HTML entities (&nbsp;) and stray ampersands
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("character set %q is unknown", label)
		}
		return e.NewDecoder().Reader(r), nil
	}
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, attrs: t.Attr}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].chars += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no element in the document")
	}
	return root, nil
}
