//go:build !unix

package atomicfile

import "os"

// Without flock a run cannot tell whether a temporary file is another
// run's: none is locked, and none is taken for stale.
func lock(*os.File) error   { return nil }
func tryLock(*os.File) bool { return false }
