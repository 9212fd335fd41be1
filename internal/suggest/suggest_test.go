package suggest

import "testing"

func TestClosest(t *testing.T) {
	kinds := []string{"blog_post", "issue", "pull_request", "release", "review"}
	cases := []struct{ in, want string }{
		{"pull_reqest", "pull_request"},
		{"reveiw", "review"}, // transposition
		{"Review", "review"}, // case
		{"isue", "issue"},    // deletion
		{"meetup", ""},       // nothing close
		{"review", ""},       // exact names are not suggestions
		{"ab", ""},           // too short to guess
		{"blogpost", "blog_post"},
	}
	for _, c := range cases {
		if got := Closest(c.in, kinds); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClosestPrefersNearest(t *testing.T) {
	if got := Closest("alise", []string{"alice", "alison"}); got != "alice" {
		t.Errorf("got %q, want alice", got)
	}
}
