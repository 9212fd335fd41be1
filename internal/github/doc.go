// Package github holds tally's traffic with GitHub, through go-github:
// ingestion, which turns a repository's merged pull requests, reviews,
// completed issues and releases into credits, incrementally and within the
// API's rate limits (GitHub is the source of internal/source that keeps
// watermarks per repository and stream); and publishing, which puts what
// tally computes back on GitHub. NewClient is the one way both make a
// client.
package github
