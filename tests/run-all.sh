#!/usr/bin/env bash
# Runs every test suite (unit, integration, end-to-end) from a fresh clone.
# Installs what the tests need that the machine lacks (Debian packages), then prints one closing line:
#   N passed, N failed
# and exits non-zero if anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in chromium fonts-wqy-microhei poppler-utils; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "Could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
# Benchmarks are measured by their own command (README, "Benchmarks"), not by the test run.
dotnet test Practitioners.sln --nologo --filter "Category!=Benchmark" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 21, Skipped: 0, Total: 21, ..."
read -r passed failed assemblies < <(awk '
  /(Passed|Failed)! +- Failed: / {
    gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
    n++
  }
  END { printf "%d %d %d\n", p, f, n }' "$log")
rm -f "$log"

expected=$(ls tests/*/*.csproj e2e/*/*.csproj | xargs grep -l "<IsTestProject>true" | wc -l)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the build failed or a test host crashed before reporting
fi
if [ "$assemblies" -lt "$expected" ]; then
  echo "Only $assemblies of $expected test assemblies reported results."
  [ "$failed" -eq 0 ] && failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
