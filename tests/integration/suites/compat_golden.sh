# Golden files (issue 6, item 6): for the same cluster state, pgBackRest 2.45 and pgvault each write their own
# repository (stanza-create while the cluster runs, then an offline full backup of the stopped cluster and an
# archive-push of the same WAL segment, so every input is equal). Decrypted with `pgbackrest repo-get`, archive.info,
# backup.info and backup.manifest (and their .copy files) are compared section by section; WAL file names are equal.
# Each file's backrest-checksum is recomputed by the test from its own text and must match before masking.
# Masked, because they legitimately differ between two runs of the same tool:
#   - set labels (text substitution): local time the backup started;
#   - backrest-checksum: covers the masked values; checked by recomputation instead;
#   - cipher-pass: a random sub-passphrase per repository / backup set;
#   - backup-timestamp-start, backup-timestamp-stop, backup-timestamp-copy-start: wall clock;
#   - encrypted modes only: rck, repo-size, backup-info-repo-size, backup-info-repo-size-delta: the stored bytes start
#     with a random salt, and compressed sizes depend on the compression library's build.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/compat.sh"

suite_cleanup() { cluster_cleanup; }

golden() {
  local mode=$1 peer_repo=$SCRATCH/repo-pgbr vault_repo=$SCRATCH/repo lp lv seg f masks
  pgvault_only "pgBackRest against itself compares nothing" && return 0
  cluster_init
  compat_mode "$mode"
  mkdir -p "$peer_repo"; chown "$PG_OS_USER": "$peer_repo"
  pg_start "$PGDATA_SRC" "" archive_mode=off   # no WAL reaches either archive but the one pushed below
  peer_ok --repo1-path="$peer_repo" --stanza=$STANZA stanza-create
  tool_must vault --stanza=$STANZA stanza-create
  cluster_stop
  peer_ok --repo1-path="$peer_repo" --stanza=$STANZA --type=full --no-online backup
  tool_must vault --stanza=$STANZA --type=full --no-online backup
  seg=$(ls "$PGDATA_SRC/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort | tail -1)
  peer_ok --repo1-path="$peer_repo" --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  tool_must vault --stanza=$STANZA archive-push "$PGDATA_SRC/pg_wal/$seg"
  lp=$(ls "$peer_repo/backup/$STANZA" | grep -E 'F$'); lv=$(ls "$vault_repo/backup/$STANZA" | grep -E 'F$')
  echo "labels: pgbackrest $lp, pgvault $lv"

  # WAL names: <segment>-<sha1 of the segment>.<ext>, in the same archive id and directory.
  assert_eq "$(cd "$vault_repo/archive" && find . -name "$seg*" | sort)" \
    "$(cd "$peer_repo/archive" && find . -name "$seg*" | sort)" "(archived WAL names)"
  diff <(cd "$peer_repo" && find . | sed "s/$lp/LABEL/g" | sort) <(cd "$vault_repo" && find . | sed "s/$lv/LABEL/g" | sort) ||
    fail "repository paths differ (pgbackrest <, pgvault >)"

  masks=(label="$lp"=LABEL label="$lv"=LABEL key=backrest-checksum key=cipher-pass
    objkey=backup-timestamp-start objkey=backup-timestamp-stop key=backup-timestamp-start key=backup-timestamp-stop
    key=backup-timestamp-copy-start)
  [[ "$mode" == enc-* ]] && masks+=(objkey=rck objkey=repo-size objkey=backup-info-repo-size
    objkey=backup-info-repo-size-delta)
  mkdir -p "$SCRATCH/golden"; chown "$PG_OS_USER": "$SCRATCH/golden"
  for f in archive/$STANZA/archive.info backup/$STANZA/backup.info "backup/$STANZA/@/backup.manifest"; do
    repo_text peer "$peer_repo" "${f/@/$lp}" "$SCRATCH/golden/pgbackrest"
    repo_text peer "$vault_repo" "${f/@/$lv}" "$SCRATCH/golden/pgvault"
    repo_text peer "$vault_repo" "${f/@/$lv}.copy" "$SCRATCH/golden/pgvault.copy"
    cmp "$SCRATCH/golden/pgvault" "$SCRATCH/golden/pgvault.copy" || fail "pgvault's $f.copy differs from $f"
    golden_compare "$SCRATCH/golden/pgbackrest" "$SCRATCH/golden/pgvault" "${masks[@]}" ||
      fail "pgvault's $f differs from pgBackRest's"
    echo "golden: ${f/@/LABEL} equal"
  done
  # Unencrypted, the files are byte-identical apart from labels, timestamps and the checksum that covers them.
  [ "$mode" == plain ] && cmp "$peer_repo/archive/$STANZA/archive.info" "$vault_repo/archive/$STANZA/archive.info"
  return 0
}

test_golden_plain() { golden plain; }
test_golden_enc_lz4() { golden enc-lz4; }
