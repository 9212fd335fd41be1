package people

import (
	"strings"
	"testing"
)

func TestNameKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Alan Hartless (he/him)", "alan hartless"},
		{"  Jean-Marc ", "jean marc"},
		{"Petr Šnobl", "petr snobl"},
		{"Albert Møller Nielsen", "albert moller nielsen"},
		{"Benjamin Lévêque", "benjamin leveque"},
		{"Alan Wierzchoń [she/her]", "alan wierzchon"},
		{"Straße Łukasz", "strasse lukasz"},
		{"peter.osvath", "peter osvath"},
		{"Норман", "норман"},
		{"(they/them)", ""},
	} {
		if got := NameKey(c.in); got != c.want {
			t.Errorf("NameKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Norman Pracht - Webmecanik", "norman-pracht-webmecanik"},
		{"Lukáš Drahý", "lukas-drahy"},
		{"Alan Hartless (he/him)", "alan-hartless"},
		{"KN4CK3R", "kn4ck3r"},
		{"张伟", ""},
		{"Ivan Иванов", "ivan"},
		{strings.Repeat("abcdefghij ", 8), "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij"},
	} {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestUniqueID(t *testing.T) {
	taken := map[string]bool{"ann": true, "ann-2": true}
	if got := UniqueID("ann", func(id string) bool { return taken[id] }); got != "ann-3" {
		t.Errorf("got %q, want ann-3", got)
	}
	if got := UniqueID("bo", func(id string) bool { return taken[id] }); got != "bo" {
		t.Errorf("got %q, want bo", got)
	}
	long := strings.Repeat("a", 63)
	if got := UniqueID(long, func(id string) bool { return id == long }); got != strings.Repeat("a", 61)+"-2" {
		t.Errorf("got %q (%d)", got, len(got))
	}
}
