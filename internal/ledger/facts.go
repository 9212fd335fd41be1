package ledger

// The facts of a credit that tally reads, by name: scoring rules (their
// when conditions) and the partner evidence of tally eligibility. Sources
// record them in a credit's facts: {...}; a credit without one is never
// judged by what it would have said (a rule does not match it, and the
// evidence says "not known").
const (
	FactAdditions = "additions" // lines added, a whole number: max_lines, min_lines, tiny pull requests
	FactDeletions = "deletions" // lines deleted, a whole number: as additions
	FactFiles     = "files"     // files changed, a whole number: max_files, min_files; how many paths there should be
	FactPaths     = "paths"     // the changed files' paths, a list: only_paths, any_path
	FactLabels    = "labels"    // the labels of a pull request or issue, a list: any_label
	// FactMergedBy is the handle (on the platform of the credit's who) of
	// whoever merged a pull request: self-merged pull requests.
	FactMergedBy = "merged_by"
	// FactPRAuthor is the handle (on the platform of the credit's who) of
	// the author of the pull request a review is of: reviews of the
	// organisation's own people.
	FactPRAuthor = "pr_author"
)
