package schemas

import "testing"

// TestProgramSources: program.yaml's sources, one source at a time.
func TestProgramSources(t *testing.T) {
	program := func(sources obj) obj {
		return obj{"name": "Example", "leadership": arr{"alice"}, "scoring": arr{obj{"from": "2026-01-01", "kinds": obj{"talk": obj{"weight": num("1")}}}}, "sources": sources}
	}
	full := program(obj{
		"github":        obj{"repositories": arr{"acme/widget", "acme/widget.js"}},
		"discourse":     obj{"url": "https://forum.example.org", "kind": "forum_solution", "categories": arr{"support", "dev/help"}},
		"stackexchange": obj{"site": "stackoverflow", "tags": arr{"acme", "c++"}, "kind": "stackexchange_answer"},
		"feeds":         arr{obj{"url": "https://acme.example/feed.xml", "kind": "blog_post"}, obj{"url": "http://acme.example/podcast.rss", "kind": "podcast"}},
		"jira":          obj{"url": "https://acme.atlassian.net", "jql": "project = COMM AND statusCategory = Done", "kind": "task"},
	})
	checkDocs(t, "program", []docCase{
		{"full", full, ""},
		{"none", program(obj{}), ""},
		{"unknown source", set(full, "sources.discource", obj{}), "sources.discource: additional_property_not_allowed"},
		{"unknown setting", set(full, "sources.discourse.category", "support"), "sources.discourse.category: additional_property_not_allowed"},
		{"no url", del(full, "sources.discourse.url"), "sources.discourse.url: required"},
		{"no kind", del(full, "sources.stackexchange.kind"), "sources.stackexchange.kind: required"},
		{"no repositories", set(full, "sources.github.repositories", arr{}), "sources.github.repositories: array_min_items"},
		{"repository without owner", set(full, "sources.github.repositories", arr{"widget"}), "sources.github.repositories.0: pattern"},
		{"url without scheme", set(full, "sources.discourse.url", "forum.example.org"), "sources.discourse.url: pattern"},
		{"kind in capitals", set(full, "sources.jira.kind", "Task"), "sources.jira.kind: pattern"},
		{"tags a string", set(full, "sources.stackexchange.tags", "acme"), "sources.stackexchange.tags: invalid_type"},
		{"feeds a mapping", set(full, "sources.feeds", obj{"url": "https://acme.example/feed.xml", "kind": "blog_post"}), "sources.feeds: invalid_type"},
		{"feed without kind", del(full, "sources.feeds.0.kind"), "sources.feeds.0.kind: required"},
		{"empty jql", set(full, "sources.jira.jql", ""), "sources.jira.jql: string_gte"},
	})
}

// TestSourceStreams: the state of a source other than GitHub.
func TestSourceStreams(t *testing.T) {
	full := obj{"streams": obj{
		"https://forum.example.org":     obj{"synced": "2026-10-31T23:59:59Z"},
		"https://acme.example/feed.xml": obj{"etag": `"5f2b"`, "last_modified": "Sat, 31 Oct 2026 23:59:59 GMT"},
		"stackoverflow/acme":            obj{},
	}}
	checkDocs(t, "source", []docCase{
		{"full", full, ""},
		{"unknown mark", set(full, "streams.stackoverflow/acme.cursor", "x"), "streams.stackoverflow/acme.cursor: additional_property_not_allowed"},
		{"synced a date", set(full, "streams.stackoverflow/acme.synced", "2026-10-31"), "streams.stackoverflow/acme.synced: pattern"},
		{"empty etag", set(full, "streams.stackoverflow/acme.etag", ""), "streams.stackoverflow/acme.etag: string_gte"},
	})
}

// TestFeedAuthors: a feed author is a name, spaces included, in an
// identity and in who; other platforms' handles still have none.
func TestFeedAuthors(t *testing.T) {
	person := obj{"name": "Ruth Example", "identities": obj{"feed": "Ruth Example", "github": "ruth"}}
	checkDocs(t, "person", []docCase{
		{"feed name", person, ""},
		{"feed name with a line break", set(person, "identities.feed", "Ruth\nExample"), "identities.feed: pattern"},
		{"feed name with a trailing space", set(person, "identities.feed", "Ruth "), "identities.feed: pattern"},
		{"github handle with a space", set(person, "identities.github", "ruth example"), "identities.github: pattern"},
	})
	credits := obj{"credits": arr{obj{"id": "feeds:https://acme.example/blog/1", "who": "feed:Ruth Example", "kind": "blog_post", "date": "2026-10-01"}}}
	checkDocs(t, "credits", []docCase{
		{"feed author", credits, ""},
		{"github handle with a space", set(credits, "credits.0.who", "github:ruth example"), "credits.0.who: pattern"},
	})
}
