package githubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// page answers a list request with the page it asks for (page, from 1, of
// per_page items: PerPage by default, at most 100), each item as render
// shows it, and with a Link header as api.github.com writes it: prev,
// next, last and first, those that apply, in that order.
func page[T any](c *call, items []T, render func(T) any) {
	q := c.r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = c.s.PerPage
	}
	per = min(per, 100)
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	last := max((len(items)+per-1)/per, 1)
	var links []string
	link := func(p int, rel string) { links = append(links, fmt.Sprintf(`<%s>; rel="%s"`, c.pageURL(p), rel)) }
	if n > 1 {
		link(n-1, "prev")
	}
	if n < last {
		link(n+1, "next")
		link(last, "last")
	}
	if n > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	out := []any{}
	for _, it := range items[min((n-1)*per, len(items)):min(n*per, len(items))] {
		out = append(out, render(it))
	}
	c.json(http.StatusOK, out)
}

// pageURL is the address of page n of the list asked for, as GitHub's
// links give it: at /repositories/{id}/..., with the query as sent but
// for page, which comes last.
func (c *call) pageURL(n int) string {
	p := strings.TrimPrefix(c.r.URL.Path, "/")
	var rest string
	if strings.HasPrefix(p, "repos/") {
		rest = strings.SplitN(p, "/", 4)[3]
	} else {
		rest = strings.SplitN(p, "/", 3)[2]
	}
	root := c.s.Server.URL
	if strings.HasPrefix(c.r.RequestURI, enterprisePrefix+"/") {
		root += enterprisePrefix
	}
	var query []string
	for _, kv := range strings.Split(c.r.URL.RawQuery, "&") {
		if kv != "" && !strings.HasPrefix(kv, "page=") {
			query = append(query, kv)
		}
	}
	query = append(query, "page="+strconv.Itoa(n))
	return fmt.Sprintf("%s/repositories/%d/%s?%s", root, c.repo.ID, rest, strings.Join(query, "&"))
}
