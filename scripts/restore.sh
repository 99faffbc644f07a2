#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into a NEW database.
#
#   scripts/restore.sh FILE TARGET_DATABASE_URL
#   e.g. scripts/restore.sh .var/backups/borderless-20250101T031500Z.dump \
#          postgres://borderless@db.internal:5432/borderless_restored
#
# Creates the target database (it must not exist: a restore never writes over a
# database), restores FILE into it in one transaction (all or nothing), and refreshes
# the planner's statistics. On failure the half-made database is dropped again. Then
# point DATABASE_URL at the new database (or rename it) and restart web and workers;
# see docs/operations.md for the steps around it (matching index, rematch).
#
# Connect as the role that should own the tables (the platform's own role): objects
# are created owned by it, whatever role owned them where the dump was taken.
# RESTORE_JOBS=N restores with N parallel jobs instead (faster for a large dump, but
# not in one transaction). Exits non-zero, with a message, on any failure.
set -euo pipefail

fail() { echo "restore: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || { echo "usage: $0 FILE TARGET_DATABASE_URL" >&2; exit 2; }
file=$1
target=$2
jobs=${RESTORE_JOBS:-1}

tool() {
  if command -v "$1" >/dev/null; then command -v "$1"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/$1 ]] && { echo "$dir/$1"; return; }
  fail "$1 not found (install postgresql-client)"
}
PG_RESTORE=$(tool pg_restore)
PSQL=$(tool psql)

[[ -r $file ]] || fail "cannot read $file"
"$PG_RESTORE" --list "$file" >/dev/null 2>&1 || fail "$file is not a pg_dump custom-format archive"

# postgres://user@host:port/NAME?options -> NAME, and the same server's "postgres" database.
rest=${target%%\?*}
query=${target#"$rest"}
name=${rest##*/}
[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] \
  || fail "the target database name must be letters, digits and _ (got '$name')"
maintenance="${rest%/*}/postgres$query"

admin() { "$PSQL" --dbname="$maintenance" --no-psqlrc --quiet --tuples-only --no-align \
  --set ON_ERROR_STOP=1 --set name="$name" "$@"; }

exists=$(admin <<'SQL'
SELECT count(*) FROM pg_database WHERE datname = :'name';
SQL
) || fail "cannot connect to the server of $target"
[[ $exists == 0 ]] || fail "database $name exists already; restore only into a new database (drop it first if you mean to replace it)"

echo "restore: creating database $name"
admin <<'SQL' >/dev/null || fail "could not create database $name"
CREATE DATABASE :"name";
SQL
created=yes
cleanup() {
  if [[ ${created:-} == yes ]]; then
    echo "restore: dropping the incomplete database $name" >&2
    admin <<'SQL' >/dev/null 2>&1 || echo "restore: could not drop $name; drop it by hand" >&2
DROP DATABASE IF EXISTS :"name";
SQL
  fi
}
trap cleanup EXIT

started=$(date +%s)
if [[ $jobs -gt 1 ]]; then
  mode=(--jobs="$jobs")
else
  mode=(--single-transaction)
fi
echo "restore: restoring $file into $name"
"$PG_RESTORE" --dbname="$target" --no-owner --no-acl --exit-on-error "${mode[@]}" "$file" \
  || fail "pg_restore failed (its message is above); nothing was kept"
"$PSQL" --dbname="$target" --no-psqlrc --quiet --set ON_ERROR_STOP=1 --command "ANALYZE" \
  || fail "ANALYZE failed"
created=no
trap - EXIT

tables=$("$PSQL" --dbname="$target" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
migrations=$("$PSQL" --dbname="$target" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM django_migrations" 2>/dev/null || echo "?")
echo "restore: done in $(( $(date +%s) - started )) s: database $name has $tables tables, $migrations migrations applied"
echo "restore: next, point DATABASE_URL at it, run manage.py migrate (a no-op for the same release), rebuild_match_index, and start web and workers"
