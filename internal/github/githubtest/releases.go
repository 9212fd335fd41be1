package githubtest

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Releases.
func (s *Server) releaseRoutes() {
	s.route("GET releases", (*call).listReleases)
}

// Release is a release.
type Release struct {
	ID        int
	Tag, Name string
	Author    string
	Draft     bool
	// Created is when it was made; Published when it was published, zero
	// for a draft.
	Created, Published time.Time
}

// PutRelease stores a release as given, replacing any of its ID.
func (r *Repository) PutRelease(rel Release) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.releases = slices.DeleteFunc(r.releases, func(o *Release) bool { return o.ID == rel.ID })
	r.releases = append(r.releases, &rel)
}

// listReleases lists the releases newest first, as GitHub does.
func (c *call) listReleases() {
	items := slices.Clone(c.repo.releases)
	slices.SortStableFunc(items, func(a, b *Release) int {
		return cmp.Or(b.Created.Compare(a.Created), b.ID-a.ID)
	})
	page(c, items, c.releaseJSON)
}

func (c *call) releaseJSON(rel *Release) any {
	r := c.repo
	id := strconv.Itoa(rel.ID)
	return map[string]any{
		"url": r.apiURL("releases/" + id), "html_url": r.htmlURL("releases/tag/" + rel.Tag),
		"assets_url": r.apiURL("releases/" + id + "/assets"), "tarball_url": r.apiURL("tarball/" + rel.Tag), "zipball_url": r.apiURL("zipball/" + rel.Tag),
		"id": rel.ID, "tag_name": rel.Tag, "target_commitish": "main", "name": rel.Name, "body": "",
		"draft": rel.Draft, "prerelease": false, "created_at": timeJSON(rel.Created), "published_at": timeJSON(rel.Published),
		"author": c.s.user(rel.Author), "assets": []any{},
	}
}
