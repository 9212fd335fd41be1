// Package suggest finds the name a user most likely meant ("did you mean").
package suggest

import "strings"

// Closest returns the candidate nearest to s by edit distance, or "" when
// none is close enough to be a plausible typo. Case is ignored when
// measuring; ties go to the earliest candidate, so pass candidates sorted
// for stable messages.
func Closest(s string, candidates []string) string {
	limit := maxDistance(s)
	best, bestD := "", limit+1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if c == s {
			continue
		}
		if abs(len(c)-len(s)) >= bestD {
			continue // cannot beat the best so far
		}
		if d := distance(ls, strings.ToLower(c), bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// maxDistance allows about one typo per four characters.
func maxDistance(s string) int {
	switch n := len(s); {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	default:
		return 1 + n/5
	}
}

// distance is the Damerau-Levenshtein (optimal string alignment) distance,
// giving up with bound as soon as the result cannot be below it.
func distance(a, b string, bound int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
