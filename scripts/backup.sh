#!/usr/bin/env bash
# Back up the PostgreSQL database of DATABASE_URL into one custom-format dump file.
#
#   scripts/backup.sh [FILE]
#
# FILE defaults to .var/backups/<database>-<UTC time>.dump. The dump is a consistent
# snapshot taken while the platform keeps running (pg_dump reads in one repeatable-read
# transaction; nothing is locked against writes). It is written to FILE.partial and
# renamed only once pg_dump succeeded and pg_restore can read its table of contents,
# so a FILE that exists is a whole, readable dump. Restore it with scripts/restore.sh.
#
# Needs pg_dump and pg_restore of the server's major version or newer (Debian:
# postgresql-client). Exits non-zero, with a message, on any failure.
set -euo pipefail

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/borderless}

fail() { echo "backup: $*" >&2; exit 1; }

# pg_dump from PATH, else from the newest installed server's bin folder.
tool() {
  if command -v "$1" >/dev/null; then command -v "$1"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/$1 ]] && { echo "$dir/$1"; return; }
  fail "$1 not found (install postgresql-client)"
}
PG_DUMP=$(tool pg_dump)
PG_RESTORE=$(tool pg_restore)

# The database name: the URL's path, without a query string.
name=${DATABASE_URL##*/}
name=${name%%\?*}
[[ -n $name ]] || fail "DATABASE_URL names no database: $DATABASE_URL"

file=${1:-.var/backups/${name}-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$file")"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

echo "backup: dumping database $name to $file"
started=$(date +%s)
# -Fc: compressed, restorable table by table and in parallel; owners and grants are
# kept in the file, and restore.sh chooses whether to apply them.
"$PG_DUMP" --dbname="$DATABASE_URL" --format=custom --compress=6 --file="$partial" \
  || fail "pg_dump failed; no backup was written"
contents=$("$PG_RESTORE" --list "$partial") \
  || fail "the dump cannot be read back by pg_restore; no backup was written"
tables=$(grep -c ' TABLE DATA ' <<<"$contents" || true)
mv "$partial" "$file"
trap - EXIT
size=$(du -h "$file" | cut -f1)
echo "backup: done in $(( $(date +%s) - started )) s: $file ($size, $tables tables with data)"
