#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (written by `cargo xtask gradescope-autograder`). It installs the stable
# Rust toolchain with rustup unless cargo is there already, copies the
# course out of the zip's folder, and grades the course's own stubs once:
# that builds the runner, every check and every dependency, so that grading
# a submission builds only the submission's own code.
#
# AUTOGRADER_ROOT names another root than /autograder (to try the scripts
# in a folder laid out as Gradescope lays it out).
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
COURSE="$ROOT/course"
EXERCISES="@EXERCISES@"

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            ca-certificates curl build-essential
    fi
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --profile minimal --default-toolchain stable
fi
cargo --version

rm -rf "$COURSE"
cp -R "$ROOT/source/course" "$COURSE"
cd "$COURSE"
# A first build compiles every dependency: on half a CPU that takes far
# longer than the limit a submission's build has (4 min and 30 s an
# exercise), which is there to stop code that keeps the compiler busy.
export XTASK_BUILD_LIMIT_SECS=3600
# shellcheck disable=SC2086 # the exercises are words
cargo xtask grade $EXERCISES >"$ROOT/setup-grade.log" 2>&1 || {
    cat "$ROOT/setup-grade.log"
    exit 1
}
tail -n 3 "$ROOT/setup-grade.log"
echo "setup done: the checks are built"
