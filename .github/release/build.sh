#!/usr/bin/env bash
# Builds tally's release binaries and their SHA256SUMS:
#
#   .github/release/build.sh VERSION OUT [OS/ARCH ...]
#
# VERSION is the release tag (v1.2.3), stamped into the binary so that
# tally --version prints it; OUT receives tally-OS-ARCH[.exe] and
# SHA256SUMS. The platforms default to those the Action downloads for.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 VERSION OUT [OS/ARCH ...]" >&2
  exit 2
fi
version=$1
if ! [[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "$0: $version is not a release tag such as v1.2.3" >&2
  exit 2
fi
mkdir -p "$2"
out=$(cd "$2" && pwd)
shift 2
platforms=("$@")
if [ ${#platforms[@]} -eq 0 ]; then
  platforms=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
fi

cd "$(dirname "$0")/../.."
names=()
for p in "${platforms[@]}"; do
  os=${p%/*} arch=${p#*/}
  name=tally-$os-$arch
  if [ "$os" = windows ]; then name=$name.exe; fi
  # Reproducible: no cgo, no local paths, only the module's own go.sum.
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOWORK=off GOFLAGS="-mod=readonly -buildvcs=auto" \
    go build -trimpath -ldflags "-s -w -X github.com/tallyledger/tally/internal/cli.releaseVersion=$version" \
    -o "$out/$name" ./cmd/tally
  names+=("$name")
  echo "built $name"
done
(cd "$out" && sha256sum "${names[@]}" > SHA256SUMS)
echo "wrote $out/SHA256SUMS"
