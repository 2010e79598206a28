#!/usr/bin/env bash
# Makes a Pulumi CLI available to the demo and the engine tests, offline.
#
# Order of preference:
#   1. $PULUMI_CLI_ROOT/bin/pulumi if already built (the cache; a second run takes seconds);
#   2. a `pulumi` on PATH reporting >= 3.181 (users with internet install the CLI the official way);
#   3. a build from the Go module proxy into .tools/pulumi (git-ignored), pinned to PULUMI_CLI_VERSION.
# The dynamic-provider launcher `pulumi-resource-pulumi-nodejs` ships in @pulumi/pulumi and is copied
# beside the CLI so the engine finds it without a plugin download.
# Prints the CLI root (the folder that holds bin/pulumi) as its last line of stdout; progress goes to stderr.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
version=${PULUMI_CLI_VERSION:-v3.274.1}
min_version=3.181.0
root=${PULUMI_CLI_ROOT:-$repo/.tools/pulumi}
launcher_src=$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs

say() { echo "[ensure-pulumi] $*" >&2; }

version_ok() { # $1 = a semver without the v; true when >= min_version
  [ "$(printf '%s\n%s\n' "$min_version" "$1" | sort -V | head -n1)" = "$min_version" ]
}

install_launcher() {
  [ -f "$launcher_src" ] || { say "missing $launcher_src: run npm ci first"; exit 1; }
  mkdir -p "$root/bin"
  cp "$launcher_src" "$root/bin/pulumi-resource-pulumi-nodejs"
  chmod 0755 "$root/bin/pulumi-resource-pulumi-nodejs"
}

if [ -x "$root/bin/pulumi" ] && [ "$("$root/bin/pulumi" version 2>/dev/null)" = "$version" ]; then
  install_launcher
  say "cached: $root/bin/pulumi $version"
  echo "$root"
  exit 0
fi

if [ -z "${PULUMI_CLI_ROOT:-}" ] && command -v pulumi >/dev/null 2>&1; then
  found=$(pulumi version 2>/dev/null | sed 's/^v//')
  if [ -n "$found" ] && version_ok "$found"; then
    # Link it into the tools root so bin/ holds both the CLI and the launcher.
    mkdir -p "$root/bin"
    ln -sf "$(command -v pulumi)" "$root/bin/pulumi"
    install_launcher
    say "using pulumi $found from PATH"
    echo "$root"
    exit 0
  fi
  say "pulumi on PATH is ${found:-unversioned}, need >= $min_version: building $version instead"
fi

command -v go >/dev/null 2>&1 || { say "no pulumi >= $min_version on PATH and no Go toolchain to build one"; exit 1; }

build=$repo/.tools/pulumi-build
mkdir -p "$build" "$root/bin"
say "building pulumi $version from the Go module proxy in $build (first build takes several minutes)"
cd "$build"
if [ ! -f go.mod ] || ! grep -q "pkg/v3 $version" go.mod; then
  rm -f go.mod go.sum
  go mod init koodrive.local/pulumi-cli-build >/dev/null 2>&1
  # The CLI's own go.mod carries these replaces; `go install pkg@version` refuses such modules,
  # so this wrapper module repeats them.
  go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
  say "resolving modules"
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$version" >&2
  go get "github.com/pulumi/pulumi/sdk/v3@$version" >&2
fi
say "compiling (go build -trimpath)"
go build -v -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$root/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 \
  | awk '{ n++; if (n % 200 == 0) { printf "[ensure-pulumi] compiled %d packages\n", n > "/dev/stderr" } }'
[ "$("$root/bin/pulumi" version)" = "$version" ] || { say "built CLI does not report $version"; exit 1; }
install_launcher
say "built $root/bin/pulumi $version"
echo "$root"
