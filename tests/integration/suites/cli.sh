# The command line as a user types it: pgBackRest's syntax, exit codes and error lines.

test_version_and_help() {
  run_pgvault version
  assert_rc 0; assert_out_contains "pgBackRest 2.45 compatible"
  run_pgvault help backup type
  assert_rc 0; assert_out_contains "'backup' command - 'type' option help"; assert_out_contains "allowed: full, diff, incr"
}

test_options_before_and_after_the_command_word() {
  printf '[global]\nrepo1-path=%s/repo\n' "$SCRATCH" > "$SCRATCH/pgbackrest.conf"
  run_pgvault --config="$SCRATCH/pgbackrest.conf" --stanza=main repo-put
  assert_rc 201; assert_err_contains "ERROR: [201]: command 'repo-put' is not implemented yet"
  run_pgvault repo-put --config "$SCRATCH/pgbackrest.conf" --stanza main
  assert_rc 201
}

test_errors_have_pgbackrest_codes() {
  run_pgvault --bogus info
  assert_rc 31; assert_eq "$ERR" "ERROR: [031]: invalid option '--bogus'"
  run_pgvault
  assert_rc 0; assert_out_contains "Usage:"
  run_pgvault frobnicate
  assert_rc 48; assert_err_contains "invalid command 'frobnicate'"
  run_pgvault --stanza=main --process-max=abc --pg1-path=/tmp backup
  assert_rc 32; assert_err_contains "'abc' is not valid for 'process-max' option"
  run_pgvault --stanza=main --compress-type=rar --pg1-path=/tmp backup
  assert_rc 32; assert_err_contains "compress-type"
}

test_secrets_are_refused_on_the_command_line_and_never_printed() {
  run_pgvault --stanza=main --repo1-cipher-pass=hunter2-secret info
  assert_rc 31
  [[ "$ERR$OUT" != *hunter2-secret* ]] || fail "secret echoed: $ERR"
  printf '[global]\nrepo1-cipher-pass=file-secret-42\nlog-level-console=debug\n' > "$SCRATCH/s.conf"
  PGBACKREST_REPO1_S3_KEY_SECRET=env-secret-77 run_pgvault --config="$SCRATCH/s.conf" --stanza=main repo-put
  [[ "$ERR$OUT" != *file-secret-42* && "$ERR$OUT" != *env-secret-77* ]] || fail "secret printed: $OUT $ERR"
}

test_environment_and_config_precedence_reach_the_command() {
  printf '[global]\nlog-level-console=off\n[main]\nlog-level-console=off\n' > "$SCRATCH/p.conf"
  PGBACKREST_LOG_LEVEL_CONSOLE=info PGVAULT_LOG_LEVEL_STDERR=off run_pgvault --config="$SCRATCH/p.conf" --stanza=main repo-put
  # The environment (console=info, stderr=off) beats the file (console=off): the error goes to the console.
  assert_rc 201
  assert_out_contains "P00  ERROR: [201]: command 'repo-put' is not implemented yet"
  assert_eq "$ERR" ""
}
