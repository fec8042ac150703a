#!/usr/bin/env bash
# Runs every benchmark scenario in Release and writes artifacts/bench/report.md.
# Usage: bash tests/Practitioners.Benchmarks/run.sh [--people N] [--certificates N] [--seconds S] [--connections C] [--outbox-messages N]
#        [--reuse] keeps artifacts/bench/bench.db from an earlier run; [--only a,b] runs only the named scenarios (for iterating).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
dotnet build src/Practitioners.Web -c Release --nologo -v q
dotnet run -c Release --project tests/Practitioners.Benchmarks --nologo -- "$@"
