#!/usr/bin/env bash
# The Python package (python/): builds the wheel with maturin into the CI virtual env,
# installs it and runs python/tests: the API against the CLI on samples/ and a generated
# 20 MiB fleet, pyspark in local[2] mode (Java 17), and the union of scan shards.
# Pins: .ci/requirements.txt. Run from a clean clone by .ci/run (or alone).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r .ci/requirements.txt

# The CLI the tests compare with, and a small fleet (deterministic: made once).
# --workspace: the same features as the wheel's build, so maturin reuses the arrow stack.
cargo build --release --workspace --quiet
if [ ! -f target/ci-fleet/.done ]; then
  rm -rf target/ci-fleet
  cargo run --release --quiet --example gen_fleet -- --out target/ci-fleet --size 20MiB --quiet >/dev/null
  touch target/ci-fleet/.done
fi

rm -rf target/ci-wheels
"$venv/bin/maturin" build --release --quiet -m python/Cargo.toml -i "$venv/bin/python" --out target/ci-wheels
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps target/ci-wheels/eblog-*.whl

EBLOG_BIN="$PWD/target/release/eblog" EBLOG_FLEET="$PWD/target/ci-fleet" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
