#!/usr/bin/env bash
# Adds one migration, under the same name, to each provider's migration set whose model has changed:
#   SQLite     AppDbContext          src/Practitioners.Web/Data/Migrations
#   PostgreSQL PostgresAppDbContext  src/Practitioners.Web/Data/Migrations/Postgres
# A set that already matches the model (say a branch brought its SQLite migration along) is left alone.
# Usage: bash scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bash scripts/add-migration.sh <Name>}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build src/Practitioners.Web --nologo -v q >/dev/null

added=0
for set in "AppDbContext Data/Migrations" "PostgresAppDbContext Data/Migrations/Postgres"; do
  read -r context folder <<<"$set"
  if dotnet ef migrations has-pending-model-changes -p src/Practitioners.Web --context "$context" --no-build >/dev/null 2>&1; then
    echo "$context: the model has no changes since its last migration; nothing added"
    continue
  fi
  dotnet ef migrations add "$name" -p src/Practitioners.Web --context "$context" -o "$folder" --no-build
  added=$((added + 1))
done
echo "$added migration(s) added. Review them; provider-specific SQL (triggers) comes from src/Practitioners.Web/Data/Sql/ in both."
