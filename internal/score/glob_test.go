package score

import "testing"

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"*.md", "README.md", true},
		{"*.md", "docs/guide/intro.md", true}, // no slash: the name, in any folder
		{"*.md", "docs/guide.mdx", false},
		{"README.md", "pkg/README.md", true},
		{"/README.md", "README.md", true}, // a slash: from the root
		{"/README.md", "pkg/README.md", false},
		{"docs/**", "docs/a/b/c.png", true},
		{"docs/**", "docs", false}, // everything in the folder, not the folder
		{"docs/**", "src/docs/a.md", false},
		{"docs/*.md", "docs/a.md", true},
		{"docs/*.md", "docs/a/b.md", false},
		{"**/generated/**", "generated/x.go", true},
		{"**/generated/**", "a/b/generated/x/y.go", true},
		{"**/package-lock.json", "package-lock.json", true},
		{"src/**/*_test.go", "src/a_test.go", true},
		{"src/**/*_test.go", "src/x/y/a_test.go", true},
		{"src/**/*_test.go", "src/x/y/a.go", false},
		{"doc?/[ab].md", "docs/a.md", true},
		{"doc?/[ab].md", "docs/c.md", false},
	} {
		g, err := compileGlob(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if got := g.match(c.path); got != c.want {
			t.Errorf("%s matches %s: %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
	for _, bad := range []string{"", "docs/", "docs/[ab", "a[", "docs**/x", "a//b", `x\`} {
		if _, err := compileGlob(bad); err == nil {
			t.Errorf("%q compiled", bad)
		}
	}
}
