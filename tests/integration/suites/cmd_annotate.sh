# annotate: set, change and remove annotations of a backup (backup --annotation, then annotate), read back through
# info --set text and info JSON of the binary under test and of pgBackRest 2.45; pgBackRest's errors for a malformed
# label (032) and an unknown set (075); pgvault keeps the manifest's [metadata] in step.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

suite_cleanup() { cluster_cleanup; }

pgbr() {
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- /usr/bin/pgbackrest --config="$SCRATCH/pgbackrest.conf" --log-level-console=warn \
    "$@" 2>"$SCRATCH/.stderr")
  RC=$?; ERR=$(cat "$SCRATCH/.stderr"); set -e
}

# annotation_of TOOL LABEL: the backup's annotation object from TOOL's info JSON, as sorted compact JSON (or null).
annotation_of() {
  local tool=$1 label=$2
  if [ "$tool" == pgbackrest ]; then pgbr --stanza=$STANZA --output=json info
  else run_tool --stanza=$STANZA --log-level-console=warn --output=json info; fi
  assert_rc 0
  printf '%s' "$OUT" | python3 -c "import json,sys
b=[b for b in json.load(sys.stdin)[0]['backup'] if b['label']=='$label'][0]
print(json.dumps(b.get('annotation'), sort_keys=True, separators=(',',':')))"
}

# assert_annotation LABEL EXPECTED TEXT_LINES: both tools' JSON equal EXPECTED; both tools' --set text equal.
assert_annotation() {
  local label=$1 expected=$2
  assert_eq "$(annotation_of tool "$label")" "$expected" "(info JSON)"
  assert_eq "$(annotation_of pgbackrest "$label")" "$expected" "(pgbackrest info JSON)"
  run_tool --stanza=$STANZA --log-level-console=warn --set="$label" info; assert_rc 0
  local ours=$OUT
  pgbr --stanza=$STANZA --set="$label" info; assert_rc 0
  assert_eq "$ours" "$OUT" "(info --set text against pgbackrest)"
  TEXT=$ours
}

test_annotations_are_set_changed_and_removed() {
  setup_source enc-lz4
  make_test_table marks; insert_batch marks A 1 100
  backup full --annotation=source=nightly --annotation="reason=before upgrade"
  local full=$LAST_LABEL
  insert_batch marks B 101 200
  backup diff
  local diff=$LAST_LABEL
  assert_annotation "$full" '{"reason":"before upgrade","source":"nightly"}'
  [[ "$TEXT" == *$'            annotation(s)\n                reason: before upgrade\n                source: nightly'* ]] ||
    fail "info --set text lacks the annotations: $TEXT"
  assert_annotation "$diff" null
  [[ "$TEXT" != *"annotation(s)"* ]] || fail "diff shows annotations: $TEXT"
  # Plain info text never shows annotations, as pgBackRest.
  run_tool --stanza=$STANZA --log-level-console=warn info
  [[ "$OUT" != *"annotation"* ]] || fail "info text shows annotations without --set"

  # Change one key, add another.
  tool_ok --stanza=$STANZA --set="$full" --annotation=source=weekly --annotation=ticket=OPS-12 annotate
  assert_log_contains "backup set '$full' to annotate found in repo1"
  assert_annotation "$full" '{"reason":"before upgrade","source":"weekly","ticket":"OPS-12"}'
  # Annotate the diff, which had none.
  tool_ok --stanza=$STANZA --set="$diff" --annotation=checked=yes annotate
  assert_annotation "$diff" '{"checked":"yes"}'
  # An empty value removes a key; removing the last key removes the annotation.
  tool_ok --stanza=$STANZA --set="$full" --annotation=reason= annotate
  assert_annotation "$full" '{"source":"weekly","ticket":"OPS-12"}'
  tool_ok --stanza=$STANZA --set="$diff" --annotation=checked= annotate
  assert_annotation "$diff" null
  [[ "$TEXT" != *"annotation(s)"* ]] || fail "diff still shows annotations: $TEXT"
  # The other backup is untouched.
  assert_annotation "$full" '{"source":"weekly","ticket":"OPS-12"}'
}

test_annotate_errors_as_pgbackrest() {
  setup_source plain
  backup full
  local full=$LAST_LABEL
  run_tool --stanza=$STANZA --set=not-a-label --annotation=a=b annotate
  assert_rc 32
  assert_log_contains "'not-a-label' is not a valid backup label format"
  run_tool --stanza=$STANZA --set=20200101-000000F --annotation=a=b annotate
  assert_rc 75
  assert_log_contains "no backup set to annotate found"
  run_tool --stanza=$STANZA --set="$full" annotate
  assert_rc 37
  # Nothing changed.
  assert_annotation "$full" null
  # The stop file does not stop annotate (pgBackRest 2.45 does not test it for this command).
  tool_ok --stanza=$STANZA stop
  tool_ok --stanza=$STANZA --set="$full" --annotation=a=b annotate
  tool_ok --stanza=$STANZA start
  assert_annotation "$full" '{"a":"b"}'
}

test_annotate_keeps_the_manifest_in_step() {
  pgvault_only "pgBackRest 2.45 annotate writes backup.info only; pgvault also updates the manifest" && return 0
  setup_source enc-lz4
  backup full --annotation=source=nightly
  local full=$LAST_LABEL
  tool_ok --stanza=$STANZA --set="$full" --annotation=source=audited --annotation=case=42 annotate
  local manifest=backup/$STANZA/$full/backup.manifest
  run_tool --log-level-console=warn repo-get "$manifest"; assert_rc 0
  grep -qx 'annotation={"case":"42","source":"audited"}' <<<"$OUT" || fail "manifest annotation: $(grep annotation <<<"$OUT")"
  cmp "$SCRATCH/repo/$manifest" "$SCRATCH/repo/$manifest.copy" || fail "manifest and copy differ"
  # pgBackRest still reads the rewritten manifest (info --set loads it) and restores from it.
  pgbr --stanza=$STANZA --set="$full" --output=json info; assert_rc 0
  local dir; dir=$(new_pgdata restored)
  pgbr --stanza=$STANZA --pg1-path="$dir" --set="$full" --type=immediate --target-action=promote restore; assert_rc 0
  local expected; expected=$(fingerprint)
  local port; port=$(free_port)
  start_restored "$dir" "$port" promote
  assert_fingerprint_eq "$expected" "$(fingerprint "$port")"
  stop_restored "$dir"
}
