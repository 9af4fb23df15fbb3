# shellcheck shell=bash
# Shared by scripts/serve and scripts/test: find the repo, put the pinned tools
# on PATH and install whichever of them is missing. Sourced, never run.
#
# Every tool is pinned. Each ensure_* function is idempotent: when the tool is
# already there at the pinned version it only checks, which takes well under a
# second, so a warm run starts at once.
#
# INFRABOARD_TOOLS is the root that `cargo install --root` uses for trunk and
# wasm-bindgen-cli (default: $CARGO_HOME, i.e. ~/.cargo). Only $INFRABOARD_TOOLS/bin
# is looked at, so pointing it at an empty folder reproduces a brand-new machine
# without touching the tools other people on this machine use.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
WASM_TARGET="wasm32-unknown-unknown"
INFRABOARD_TOOLS="${INFRABOARD_TOOLS:-${CARGO_HOME:-$HOME/.cargo}}"
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export INFRABOARD_TOOLS CHROMIUM_BIN CHROMEDRIVER

# node_modules/.bin first: Trunk must find binaryen 132's wasm-opt there (the
# Debian one is broken). Then our tool root, so its wasm-bindgen wins over any
# other on PATH (the pin check below verifies that it does).
export PATH="$ROOT/node_modules/.bin:$INFRABOARD_TOOLS/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    return 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root to run: $* (no sudo)"
    fi
}

apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        say "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
        apt_updated=1
    fi
    say "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

# The one wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
locked_wasm_bindgen_version() {
    local versions
    versions="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' \
        "$ROOT/Cargo.lock")"
    if [ -z "$versions" ]; then
        die "no wasm-bindgen in Cargo.lock"
    elif [ "$(printf '%s\n' "$versions" | wc -l)" -ne 1 ]; then
        die "Cargo.lock holds several wasm-bindgen versions: $(echo "$versions" | tr '\n' ' ')"
    else
        printf '%s\n' "$versions"
    fi
}

ensure_wasm_target() {
    if rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
        return 0
    fi
    say "rustup target add $WASM_TARGET"
    rustup target add "$WASM_TARGET"
}

ensure_trunk() {
    local have
    have="$("$INFRABOARD_TOOLS/bin/trunk" --version 2>/dev/null || true)"
    if [ "$have" = "trunk $TRUNK_VERSION" ]; then
        return 0
    fi
    say "installing trunk $TRUNK_VERSION into $INFRABOARD_TOOLS (found: ${have:-none}; takes ~10 min on 2 cores)"
    cargo install --locked --force --root "$INFRABOARD_TOOLS" trunk --version "$TRUNK_VERSION"
}

# wasm-bindgen-cli has no lock of its own worth using here; it is installed
# without --locked, at exactly the version Cargo.lock resolved.
ensure_wasm_bindgen() {
    local want have_cli have_runner
    want="$(locked_wasm_bindgen_version)" || return 1
    have_cli="$("$INFRABOARD_TOOLS/bin/wasm-bindgen" --version 2>/dev/null || true)"
    have_runner="$("$INFRABOARD_TOOLS/bin/wasm-bindgen-test-runner" --version 2>/dev/null || true)"
    if [ "$have_cli" = "wasm-bindgen $want" ] && [ "$have_runner" = "wasm-bindgen-test-runner $want" ]; then
        return 0
    fi
    say "installing wasm-bindgen-cli $want into $INFRABOARD_TOOLS (found: ${have_cli:-none}; takes ~5 min on 2 cores)"
    cargo install --force --root "$INFRABOARD_TOOLS" wasm-bindgen-cli --version "=$want"
}

# Fails loudly when the wasm-bindgen that Trunk and cargo's test runner will
# actually pick up (first on PATH) is not the one Cargo.lock wants.
check_wasm_bindgen_pin() {
    local want tool path got ok=0
    want="$(locked_wasm_bindgen_version)" || return 1
    for tool in wasm-bindgen wasm-bindgen-test-runner; do
        path="$(command -v "$tool" || true)"
        got="$("$tool" --version 2>/dev/null || true)"
        if [ "$got" != "$tool $want" ]; then
            printf 'ERROR: %s on PATH (%s) reports "%s", but Cargo.lock pins wasm-bindgen %s.\n' \
                "$tool" "${path:-missing}" "${got:-nothing}" "$want" >&2
            printf '       Run: cargo install --force --root %s wasm-bindgen-cli --version =%s\n' \
                "$INFRABOARD_TOOLS" "$want" >&2
            ok=1
        else
            say "$tool $want (matches Cargo.lock) at $path"
        fi
    done
    return $ok
}

ensure_node() {
    if command -v node >/dev/null && command -v npm >/dev/null; then
        local major
        major="$(node -p 'process.versions.node.split(".")[0]')"
        [ "$major" -ge 20 ] && return 0
        say "node $(node --version) is too old (need >= 20)"
    fi
    apt_install nodejs npm
}

# npm ci only when node_modules is missing or was installed from another lock.
ensure_node_modules() {
    ensure_node || return 1
    local stamp="$ROOT/node_modules/.infraboard-lock" want
    want="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
        return 0
    fi
    say "npm ci (binaryen for wasm-opt, terser for the JS glue, playwright-core)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    printf '%s\n' "$want" >"$stamp"
}

ensure_chromium() {
    if [ -x "$CHROMIUM_BIN" ] && [ -x "$CHROMEDRIVER" ]; then
        return 0
    fi
    apt_install chromium chromium-driver || return 1
    [ -x "$CHROMIUM_BIN" ] && [ -x "$CHROMEDRIVER" ] ||
        die "installed chromium, but $CHROMIUM_BIN or $CHROMEDRIVER is still missing"
}

# Everything the release build needs (Chromium too: the build draws the
# still of the first board from the bundle it made).
ensure_build_tools() {
    local ok=0
    ensure_wasm_target || ok=1
    ensure_trunk || ok=1
    ensure_wasm_bindgen || ok=1
    ensure_node_modules || ok=1
    ensure_chromium || ok=1
    return $ok
}

# A digest of everything the release bundle is made from: the files git sees
# (tracked or new, minus what cannot reach the bundle: tests, docs, e2e) and the
# versions of the tools that turn them into it (package-lock.json, one of the
# files, pins wasm-opt).
bundle_inputs_digest() {
    (
        cd "$ROOT" && git rev-parse --git-dir >/dev/null 2>&1 || exit 1
        {
            git ls-files -z -co --exclude-standard -- . ':!tests/' ':!e2e/' ':!docs/' \
                ':!sim/tests/' ':!sim/benches/' ':!*.md' ':!.ci/' ':!scripts/' |
                sort -z | xargs -0 sha256sum 2>/dev/null
            # Trunk's post-build hook writes the CSP hash and sw.js's file list,
            # and the still of the first board (served and drawn by these two).
            sha256sum scripts/trunk-post-build.mjs scripts/prerender-first-board.mjs scripts/static-server.mjs
            rustc -vV
            echo "trunk $TRUNK_VERSION"
            wasm-bindgen --version
        } | sha256sum | cut -d' ' -f1
    )
}

# The release build into dist/: crates are downloaded once, then it builds
# offline. Skipped when dist/ was built from exactly the current inputs, so a
# warm run does not pay for wasm-opt again.
build_release() {
    local stamp="$ROOT/dist/.inputs-sha256" want
    want="$(bundle_inputs_digest)" || want=""
    if [ -n "$want" ] && [ -f "$ROOT/dist/index.html" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        say "dist/ is up to date with its inputs (digest ${want:0:12}); not rebuilding"
        return 0
    fi
    (cd "$ROOT" && cargo fetch --locked && trunk build --release --offline --locked) || return 1
    if [ -n "$want" ]; then printf '%s\n' "$want" >"$stamp"; fi
}
