#!/usr/bin/env bash
# The Action's first step: installs the release binary of tally that
# matches the Action's own ref into $RUNNER_TEMP/tally-action/tally, after
# checking it against the release's SHA256SUMS, and writes installed=true
# to $GITHUB_OUTPUT. When the ref is not a release tag (a commit, a
# branch, a local ./ checkout), the platform has no binary, or the release
# has no such file (404), it writes installed=false and the Action builds
# tally from its source. A binary whose checksum differs, or any other
# failed download, fails the step: it never falls back.
#
# Environment: ACTION_REF and ACTION_REPOSITORY (github.action_ref and
# github.action_repository; when the runner leaves them empty, as it does
# for some composite actions, they are read from GITHUB_ACTION_PATH,
# .../_actions/OWNER/NAME/REF), GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH,
# RUNNER_TEMP, GITHUB_OUTPUT.
set -euo pipefail

say() { echo "tally: $*" >&2; }
build_instead() {
  say "$*: building tally from the action's source"
  echo "installed=false" >>"$GITHUB_OUTPUT"
  exit 0
}

ref=${ACTION_REF:-}
repository=${ACTION_REPOSITORY:-}
if [ -z "$ref" ] && [[ ${GITHUB_ACTION_PATH:-} =~ /_actions/([^/]+/[^/]+)/([^/]+)$ ]]; then
  repository=${BASH_REMATCH[1]} ref=${BASH_REMATCH[2]}
fi
if ! [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  build_instead "the action's ref ${ref:-(none)} is not a release tag"
fi
if ! [[ $repository =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
  build_instead "the action's repository ${repository:-(none)} is not OWNER/NAME"
fi
case ${RUNNER_OS:-} in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) build_instead "no release binary for ${RUNNER_OS:-this system}" ;;
esac
case ${RUNNER_ARCH:-} in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) build_instead "no release binary for ${RUNNER_ARCH:-this processor}" ;;
esac
asset=tally-$os-$arch
if [ "$os" = windows ]; then asset=$asset.exe; fi
release=${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download/$ref

tmp=$(mktemp -d "$RUNNER_TEMP/tally-download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# fetch NAME: downloads a file of the release into $tmp; returns 1 when
# the release has no such file, and fails the step on any other error.
fetch() {
  local code
  if ! code=$(curl --silent --show-error --location --proto '=https' --proto-redir '=https' \
    --connect-timeout 20 --max-time 300 --retry 3 \
    --output "$tmp/$1" --write-out '%{http_code}' "$release/$1"); then
    say "downloading $release/$1 failed"
    exit 1
  fi
  case $code in
    200) return 0 ;;
    404) return 1 ;;
  esac
  say "downloading $release/$1: HTTP status $code"
  exit 1
}

fetch SHA256SUMS || build_instead "release $ref has no SHA256SUMS"
fetch "$asset" || build_instead "release $ref has no $asset"
want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")
if command -v sha256sum >/dev/null; then
  got=$(sha256sum "$tmp/$asset" | awk '{ print $1 }')
else
  got=$(shasum -a 256 "$tmp/$asset" | awk '{ print $1 }')
fi
if [ -z "$want" ]; then
  say "SHA256SUMS of release $ref does not list $asset: not using it"
  exit 1
fi
if [ "$got" != "$want" ]; then
  say "$asset of release $ref has the SHA-256 $got, but SHA256SUMS says $want: not using it"
  exit 1
fi
mkdir -p "$RUNNER_TEMP/tally-action"
chmod +x "$tmp/$asset"
mv "$tmp/$asset" "$RUNNER_TEMP/tally-action/tally"
say "installed $asset of release $ref (SHA-256 $got)"
echo "installed=true" >>"$GITHUB_OUTPUT"
