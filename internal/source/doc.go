// Package source is the home of ingestion: it turns what a channel (GitHub,
// a forum, a Q&A site, a feed...) holds into credits, the same way for
// every channel. A connector knows its API; this package does the rest.
//
// # What a connector implements
//
// A connector implements Source:
//
//   - Name: "discourse". It names the settings in program.yaml
//     (sources.discourse), the shards (credits/YYYY/MM/discourse.yaml),
//     the state (sources/discourse.yaml) and starts every credit id
//     ("discourse:...").
//   - Secrets: the environment variables its credentials come from
//     (TALLY_DISCOURSE_API_KEY). Setup.Secret reads only those, so the
//     Action can mask every one of them.
//   - Open: reads its settings (Setup.Settings, one entry per item for a
//     source written as a list) and returns a Job: the API's root URL, the
//     credentials in the platform's own form (headers, or query parameters),
//     how to tell its rate limits (httpc.Limit, httpc.Pace), the streams it
//     reads, and Fetch. Open sends nothing; an error names the setting's
//     file:line (Setup.Errorf).
//
// Fetch(ctx, run) reads each stream (a forum, a feed, a tag) page by page,
// with run.Client, which the framework builds from the Job: credentials
// go only to the API's origin, every attempt has a deadline, server errors
// and broken connections are retried, rate limits are waited for up to
// --max-wait, and --budget is kept. For each stream it calls run.Begin,
// then run.Found for each credit (an Item: id, who as platform:handle,
// kind, when, bot or not) and run.Synced once everything up to a time is
// found (run.Start says where to begin: --since, else that mark). It asks
// for the details of an item only when run.Held says the ledger lacks it,
// and returns the client's errors as they are.
//
// # What the framework does
//
// Ingest opens every planned source, then runs each and writes what it
// found: credits are judged once for all (Collector: already held, outside
// --since/--until, bots, kinds the program does not define on the
// credit's date, dated in the program's time zone), merged by id into
// credits/YYYY/MM/<source>.yaml with each shard's text kept (Write), and
// the streams' marks written last to sources/<source>.yaml, so that a run
// stopped anywhere (exit 3 with httpc.StoppedError) loses nothing and
// writes nothing twice. Its Result says what each stream did, what was
// added, skipped and held already, and which handles no person owns.
//
// # Adding a source
//
// Write the connector in its own package (internal/source/<name>), add it
// to the list in internal/cli/ingest.go, describe its settings in
// schemas/program.schema.json (sources.<name>), and give it a section in
// docs/sources-and-imports.md: its settings, what it credits, its secret. Test it against
// an httptest fake shaped like the real API (see internal/source/sourcetest).
package source
