#!/usr/bin/env bash
# Runs every test suite (unit, integration, end-to-end) from a fresh clone, then the integration suite a second
# time on PostgreSQL (with the two-node tests). Installs what the tests need that the machine lacks (Debian
# packages, PostgreSQL), starts PostgreSQL with a throw-away role, then prints one closing line for both runs:
#   N passed, N failed
# and exits non-zero if anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in chromium fonts-wqy-microhei poppler-utils postgresql; do
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

# PostgreSQL: start the machine's cluster and make a role that lives as long as this run. Each test site creates
# its own database through it and drops it when done; whatever a crashed run leaves behind goes with the role.
as_postgres() { (cd / && if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi); }
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_version" ]; then echo "PostgreSQL is not installed"; echo "0 passed, 1 failed"; exit 1; fi
pg_lsclusters -h 2>/dev/null | grep -q "^$pg_version main " || pg_createcluster "$pg_version" main >/dev/null
pg_ctlcluster "$pg_version" main start 2>/dev/null || pg_lsclusters -h | grep -q "^$pg_version main .* online" || {
  echo "Could not start PostgreSQL $pg_version"; echo "0 passed, 1 failed"; exit 1; }
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" { print $3 }')
pg_role="practitioners_ci_$$"
pg_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
for _ in $(seq 1 30); do as_postgres psql -p "$pg_port" -qAtc "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
as_postgres psql -p "$pg_port" -v ON_ERROR_STOP=1 -qc "CREATE ROLE $pg_role LOGIN CREATEDB PASSWORD '$pg_password'" >/dev/null || {
  echo "Could not create a PostgreSQL role"; echo "0 passed, 1 failed"; exit 1; }
drop_pg_role() {
  for db in $(as_postgres psql -p "$pg_port" -qAtc "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = '$pg_role'"); do
    as_postgres psql -p "$pg_port" -qc "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
  done
  as_postgres psql -p "$pg_port" -qc "DROP ROLE IF EXISTS $pg_role" >/dev/null
}
trap drop_pg_role EXIT
export PRACTITIONERS_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=$pg_role;Password=$pg_password;Database=postgres"

log=$(mktemp)
# Benchmarks are measured by their own command (README, "Benchmarks"), not by the test run.
# First every suite on SQLite (the tests that are about PostgreSQL wait for the second run) ...
dotnet test Practitioners.sln --nologo --filter "Category!=Benchmark&Category!=Postgres" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# ... then the whole integration suite on PostgreSQL, a fresh database per test class, with the two-node tests.
echo "Integration tests on PostgreSQL $pg_version"
PRACTITIONERS_TEST_DATABASE=Postgres dotnet test tests/Practitioners.IntegrationTests --nologo --no-build \
  --filter "Category!=Benchmark" 2>&1 | tee -a "$log"
pg_status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && status=$pg_status

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 21, Skipped: 0, Total: 21, ..."
read -r passed failed assemblies < <(awk '
  /(Passed|Failed)! +- Failed: / {
    gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
    n++
  }
  END { printf "%d %d %d\n", p, f, n }' "$log")
rm -f "$log"

# Every test project once, and the integration tests a second time on PostgreSQL.
expected=$(( $(ls tests/*/*.csproj e2e/*/*.csproj | xargs grep -l "<IsTestProject>true" | wc -l) + 1 ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the build failed or a test host crashed before reporting
fi
if [ "$assemblies" -lt "$expected" ]; then
  echo "Only $assemblies of $expected test assemblies reported results."
  [ "$failed" -eq 0 ] && failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
