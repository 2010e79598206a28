#!/usr/bin/env bash
# Makes a Pulumi CLI available to the demo and the tests, offline. Prints the CLI root (the folder holding bin/pulumi
# and bin/pulumi-resource-pulumi-nodejs) as its only stdout line; progress and errors go to stderr.
#
#   PULUMI_CLI_ROOT     a folder holding bin/pulumi to use (your own CLI, or a shared cache); default .tools/pulumi
#   PULUMI_CLI_VERSION  the version to build when no usable CLI is found (default v3.274.1)
#
# Order of preference:
#   1. the CLI in PULUMI_CLI_ROOT (or .tools/pulumi). A folder this script did not create is only ever read: a CLI
#      there of another version is used as is if it is >= 3.187, refused otherwise, never replaced;
#   2. a `pulumi` >= 3.187 on PATH (when PULUMI_CLI_ROOT is not set);
#   3. a build of PULUMI_CLI_VERSION from the Go module proxy into .tools/pulumi, or into PULUMI_CLI_ROOT if that
#      folder does not exist yet (about 5 minutes on 2 cores the first time).
# The dynamic-provider launcher `pulumi-resource-pulumi-nodejs` ships in @pulumi/pulumi; it must sit beside the CLI.
# When the CLI's folder is not ours to write, a folder of ours links the CLI and holds the launcher.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
version=${PULUMI_CLI_VERSION:-v3.274.1}
# The demo and the tests drive the CLI through the Automation API, where 3.180.0 to 3.186.0 never end a preview or up
# that fails (pulumi/pulumi#20151; seen here with 3.186.0, and 3.187.0 fails in a second).
min_version=3.187.0
min_reason="3.180 to 3.186 hang on a failed preview or up through the Automation API, pulumi/pulumi#20151"
default_root=$repo/.tools/pulumi
root=${PULUMI_CLI_ROOT:-$default_root}
marker=.created-by-ensure-pulumi
launcher_src=$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs

say() { echo "[ensure-pulumi] $*" >&2; }
die() { say "$*"; exit 1; }

version_ok() { # $1 = a semver without the v; true when >= min_version
  [ "$(printf '%s\n%s\n' "$min_version" "$1" | sort -V | head -n1)" = "$min_version" ]
}

# A folder is ours when this script created it (marker file) or it is the default cache inside this repository.
owned() { [ "$1" = "$default_root" ] || [ -f "$1/$marker" ]; }

create_owned() { # $1 = folder to create (or reuse, if ours)
  if [ -e "$1" ] && ! owned "$1"; then die "$1 exists and was not created by this script: not writing into it"; fi
  mkdir -p "$1/bin"
  touch "$1/$marker"
}

# Left alone when it is already there, and otherwise replaced in one rename: another checkout sharing this root may be
# running it, and bash reads a script as it goes, so a copy rewriting it in place could hand it a truncated file.
install_launcher() { # $1 = an owned root
  [ -f "$launcher_src" ] || die "missing $launcher_src: run npm ci first"
  local target=$1/bin/pulumi-resource-pulumi-nodejs
  if [ -x "$target" ] && cmp -s "$launcher_src" "$target"; then return; fi
  cp "$launcher_src" "$target.tmp.$$"
  chmod 0755 "$target.tmp.$$"
  mv -f "$target.tmp.$$" "$target"
}

# Uses a CLI we may not write next to: a root of ours links it and holds the launcher. Prints that root.
use_linked() { # $1 = path of a pulumi binary, $2 = its version
  local linked
  linked=$repo/.tools/pulumi-linked-$(printf '%s' "$1" | cksum | cut -d' ' -f1)
  create_owned "$linked"
  ln -sfn "$1" "$linked/bin/pulumi"
  install_launcher "$linked"
  say "using pulumi $2 at $1 (linked from $linked)"
  echo "$linked"
  exit 0
}

if [ -x "$root/bin/pulumi" ]; then
  found=$("$root/bin/pulumi" version 2>/dev/null || true)
  if owned "$root" && [ "$found" = "$version" ]; then
    install_launcher "$root"
    say "cached: $root/bin/pulumi $version"
    echo "$root"
    exit 0
  fi
  if ! owned "$root"; then
    version_ok "${found#v}" 2>/dev/null && [ -n "$found" ] \
      || die "PULUMI_CLI_ROOT=$root holds pulumi ${found:-of unknown version}, need >= $min_version ($min_reason); it is not this script's to replace: point PULUMI_CLI_ROOT at another folder, or unset it"
    if [ -x "$root/bin/pulumi-resource-pulumi-nodejs" ]; then
      say "using pulumi $found in $root"
      echo "$root"
      exit 0
    fi
    use_linked "$root/bin/pulumi" "$found"
  fi
  say "$root/bin/pulumi is ${found:-unversioned}, not $version: rebuilding it"
elif [ -e "$root" ] && ! owned "$root"; then
  die "PULUMI_CLI_ROOT=$root has no bin/pulumi and was not created by this script: not writing into it (point PULUMI_CLI_ROOT at a CLI, or at a folder that does not exist yet)"
fi

if [ -z "${PULUMI_CLI_ROOT:-}" ] && command -v pulumi >/dev/null 2>&1; then
  found=$(pulumi version 2>/dev/null || true)
  if [ -n "$found" ] && version_ok "${found#v}"; then use_linked "$(command -v pulumi)" "$found"; fi
  say "pulumi on PATH is ${found:-unversioned}, need >= $min_version ($min_reason): building $version instead"
fi

command -v go >/dev/null 2>&1 || die "no pulumi >= $min_version found and no Go toolchain (>= 1.24) to build one"

create_owned "$root"
build=$root/go-build
mkdir -p "$build"
log=$build/build.log
: >"$log"
say "building pulumi $version from the Go module proxy (first build: about 5 minutes on 2 cores; log: $log)"
cd "$build"
if [ ! -f go.mod ] || ! grep -q "pkg/v3 $version" go.mod; then
  rm -f go.mod go.sum
  {
    go mod init koodrive.local/pulumi-cli-build
    # The CLI's own go.mod carries this replace; `go install pkg@version` refuses such modules, so this wrapper
    # module repeats it.
    go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
    go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$version"
    go get "github.com/pulumi/pulumi/sdk/v3@$version"
  } >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "resolving the modules of pulumi $version failed (full log: $log)"; }
fi
total=$(go list -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>>"$log" | wc -l)
say "compiling $total packages (go build -trimpath)"
set +e
go build -v -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$root/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 \
  | tee -a "$log" \
  | awk -v total="$total" '/^[A-Za-z0-9_.~\/-]+$/ { n++; if (n % 100 == 0) printf "[ensure-pulumi] compiled %d of %d packages\n", n, total > "/dev/stderr" }'
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  # go build -v prints one package path per line; everything else is what went wrong.
  grep -Ev '^[A-Za-z0-9_.~/-]+$' "$log" | tail -n 60 >&2 || true
  die "go build failed with exit code $status (full log: $log)"
fi
[ "$("$root/bin/pulumi" version)" = "$version" ] || die "the built CLI does not report $version"
install_launcher "$root"
say "built $root/bin/pulumi $version"
echo "$root"
