# Security (issue 8 item 5). One cluster with an encrypted repository, every log level at trace and asynchronous
# archiving: the passphrase, the sub-passphrases of archive.info/backup.info and the S3 key, secret and session
# token never appear in a log, in any output (info JSON included), in the argv or environment of any pgvault process
# (async workers included, sampled from /proc) or in postgresql.auto.conf; every repository file is 0640 and every
# directory 0750 after stanza-create, backup, archive-push and expire; a restore run as root gives every file and
# directory the owner and mode of the manifest. TLS verification is on by default against a self-signed stunnel
# front of moto: refused without repo1-storage-ca-file, accepted with it and with repo1-storage-verify-tls=n. A wrong
# or missing passphrase gives pgBackRest's error codes (095 wrong, 037 missing) and leaves no partial restore.
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../../integration/lib/s3.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/record.sh"

PEER=/usr/bin/pgbackrest
S3_TOKEN='it-session-token-7c1d9e2f0a3b'

suite_cleanup() {
  cluster_cleanup
  s3_cleanup
  [ -f "$SCRATCH/sampler.pid" ] && kill "$(cat "$SCRATCH/sampler.pid")" 2>/dev/null
  return 0
}

# sec_case SCENARIO FUNCTION: runs FUNCTION in a subshell (a failed assertion ends only that case) and records it.
# SEC_FAILED lists the scenarios that failed.
SEC_FAILED=()
sec_case() {
  local scenario=$1 rc; shift
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    rel_record "$scenario" 1 1 0 0
    echo "case ok: $scenario"
  else
    rel_record "$scenario" 1 0 0 0 "failed (seed ${REL_SEED:-none})"
    SEC_FAILED+=("$scenario")
    echo "case FAILED: $scenario"
  fi
}
sec_done() { [ ${#SEC_FAILED[@]} -eq 0 ] || fail "failed cases: ${SEC_FAILED[*]}"; }
# sec_not_run SCENARIO...: records cases that could not run (their set-up case failed) as failed.
sec_not_run() {
  local scenario
  for scenario in "$@"; do rel_record "$scenario" 1 0 0 0 "not run: set-up failed"; SEC_FAILED+=("$scenario"); done
}

# trace_everywhere: stderr and file logging at trace (the async workers log to their file at trace); console logging
# (stdout) off in the file, since the harness parses `info --output=json` from stdout: the commands that log to the
# console at trace ask for it on their command line.
# The harness writes the log levels in [global]; these go in the stanza's section, which overrides it.
trace_everywhere() {
  CONF_STANZA[log-level-console]=off
  CONF_STANZA[log-level-stderr]=trace
  CONF_STANZA[log-level-file]=trace
  write_config
}

# save_state VAR...: writes the variables (the config arrays always) for the next case's subshell; load_state reads.
save_state() {
  declare -p CONF_GLOBAL CONF_STANZA "$@" | sed -E 's/^declare -- /declare -g /; s/^declare -([a-zA-Z]+) /declare -g\1 /' \
    >"$SCRATCH/state.sh"
}
load_state() { source "$SCRATCH/state.sh"; }

# sampler_start SECRET...: samples the argv (/proc/PID/cmdline) and environment (/proc/PID/environ) of every process
# running the binary under test every 10 ms into $SCRATCH/proc-samples.txt (a line per distinct argv, plus a line
# naming each process whose environment holds a secret). sampler_stop ends it.
sampler_start() {
  python3 - "$VAULT_BIN" "$SCRATCH/proc-samples.txt" "$@" >"$SCRATCH/sampler.log" 2>&1 <<'PY' &
import os, sys, time
exe, out, secrets = sys.argv[1], sys.argv[2], [s.encode() for s in sys.argv[3:]]
seen, pids = set(), set()
with open(out, "w") as f:
    while True:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if os.readlink(f"/proc/{pid}/exe") != exe:
                    continue
                argv = open(f"/proc/{pid}/cmdline", "rb").read()
                env = open(f"/proc/{pid}/environ", "rb").read()
            except OSError:
                continue
            pids.add(pid)
            if argv not in seen:
                seen.add(argv)
                f.write("argv " + argv.replace(b"\0", b" ").decode(errors="replace") + "\n")
            for s in secrets:
                if s in env:
                    f.write(f"environ of {pid} holds a secret\n")
        f.write(f"processes {len(pids)}\n")
        f.flush()
        time.sleep(0.01)
PY
  echo $! >"$SCRATCH/sampler.pid"
}
sampler_stop() { kill "$(cat "$SCRATCH/sampler.pid")" 2>/dev/null; rm -f "$SCRATCH/sampler.pid"; }

# assert_no_secret_anywhere SECRET...: none of the secrets is in the tool's outputs and logs (tool.log, log/), the
# spool, the process samples or the named extra files.
assert_no_secret_anywhere() {
  local secret hits
  for secret in "$@"; do
    [ -n "$secret" ] || continue
    hits=$(grep -rlF -- "$secret" "$SCRATCH/log" "$SCRATCH/tool.log" "$SCRATCH/proc-samples.txt" \
      ${EXTRA_FILES:-} ${SPOOL:+"$SPOOL"} 2>/dev/null || true)
    [ -z "$hits" ] || fail "secret '${secret:0:4}…' found in: $hits; first line: $(grep -rhF -m1 -- "$secret" $hits | head -1 | cut -c1-300)"
  done
  assert_no_secret_in_output "$@"
}

# repo_sub_passphrases: the cipher-pass of archive.info and backup.info (read through repo-get, outside tool.log).
repo_sub_passphrases() {
  local file
  for file in archive/$STANZA/archive.info backup/$STANZA/backup.info; do
    runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --log-level-console=off \
      --log-level-stderr=off --log-level-file=off --stanza=$STANZA repo-get "$file" |
      sed -n 's/^cipher-pass="\(.*\)"$/\1/p'
  done
}

# assert_repo_modes STEP: every file under the repository is 0640, every directory 0750, all owned by postgres.
assert_repo_modes() {
  local bad
  bad=$(find "$SCRATCH/repo" -mindepth 1 \( \( -type f ! -perm 0640 \) -o \( -type d ! -perm 0750 \) -o \
    ! -user "$PG_OS_USER" \) -printf '%M %u %p\n')
  [ -z "$bad" ] || fail "after $1, repository entries with other modes or owners:
$bad"
  echo "modes after $1: $(find "$SCRATCH/repo" -mindepth 1 -type f | wc -l) files 0640, $(find "$SCRATCH/repo" -mindepth 1 -type d | wc -l) directories 0750"
}

# Case bodies of the POSIX test ------------------------------------------------------------------------------------

case_posix_workload() {
  cluster_init
  set_encryption
  set_compress lz4
  conf_set archive-async y
  SPOOL=$SCRATCH/spool
  mkdir -p "$SPOOL"; chown "$PG_OS_USER": "$SPOOL"
  conf_set spool-path "$SPOOL"
  conf_set process-max 2
  trace_everywhere
  sampler_start "$CIPHER_PASS"
  cluster_start
  stanza_create
  assert_repo_modes stanza-create
  pgbench_init 1
  make_test_table marks
  insert_batch marks A 1 1000
  backup full
  FIRST=$LAST_LABEL
  assert_repo_modes "backup full"
  insert_batch marks B 1001 2000
  wal_switch_archived
  wal_switch_archived
  assert_repo_modes archive-push
  tool_ok --stanza=$STANZA --type=full --log-level-console=trace backup
  SECOND=$(newest_label)
  insert_batch marks C 2001 3000
  backup incr
  conf_set repo1-retention-full 1
  tool_ok --stanza=$STANZA expire
  assert_eq "$(info_json '",".join(b["label"] for b in d[0]["backup"])')" "$SECOND,$LAST_LABEL" "(sets after expire)"
  assert_repo_modes expire
  # Logs, spool and locks are the repository's kin: nothing in them is open to other users.
  local open; open=$(find "$SCRATCH/log" "$SPOOL" "$SCRATCH/lock" -mindepth 1 -perm /o=rwx -printf '%M %p\n')
  [ -z "$open" ] || fail "log, spool or lock entries open to other users:
$open"
  run_tool --stanza=$STANZA --output=json info
  assert_rc 0
  printf '%s\n' "$OUT" >"$SCRATCH/info.json"
  run_tool --stanza=$STANZA --log-level-console=trace info
  assert_rc 0
  run_tool --stanza=$STANZA --log-level-console=trace check
  assert_rc 0
  sampler_stop
  grep -q '^argv .*archive-push:async' "$SCRATCH/proc-samples.txt" ||
    fail "no archive-push:async worker was sampled: $(grep -c '^argv' "$SCRATCH/proc-samples.txt") argv lines"
  echo "sampled $(grep -c '^argv' "$SCRATCH/proc-samples.txt") distinct argv, $(tail -1 "$SCRATCH/proc-samples.txt")"
  save_state FIRST SECOND LAST_LABEL SPOOL PGDATA_SRC PGPORT_SRC
}

case_secrets() {
  load_state
  local subs; subs=$(repo_sub_passphrases)
  [ "$(printf '%s\n' "$subs" | grep -c .)" -eq 2 ] || fail "expected two sub-passphrases, got: $(printf '%s' "$subs" | wc -l)"
  # A secure option on the command line is refused (pgBackRest: 031) without echoing its value; run outside run_tool,
  # whose log records the command line itself.
  local cli=cli-secret-9f8e7d6c
  set +e
  OUT=$(runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA \
    --repo1-cipher-pass=$cli info 2>"$SCRATCH/.stderr"); RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
  assert_rc 31
  [[ "$OUT$ERR" != *$cli* ]] || fail "the refused command-line secret was echoed: $OUT $ERR"
  ! grep -rqF -- "$cli" "$SCRATCH/log" || fail "the refused command-line secret is in a log file"
  EXTRA_FILES="$SCRATCH/info.json $PGDATA_SRC/postgresql.auto.conf" \
    assert_no_secret_anywhere "$CIPHER_PASS" $subs
  ! grep -q 'environ of' "$SCRATCH/proc-samples.txt" || fail "a pgvault process held a secret in its environment"
  echo "no secret in $(find "$SCRATCH/log" -type f | wc -l) log files ($(cat "$SCRATCH/log"/* | wc -l) lines), tool output, info JSON, process argv/environ"
}

# restored_matches_manifest DIR MANIFEST: every path and file of the manifest exists under DIR with the manifest's
# owner, group and mode (defaults from the :default sections).
restored_matches_manifest() {
  python3 - "$1" "$2" <<'PY'
import grp, json, os, pwd, stat, sys
root, manifest = sys.argv[1], sys.argv[2]
sections, section = {}, None
for line in open(manifest):
    line = line.rstrip("\n")
    if line.startswith("[") and line.endswith("]"):
        section = sections.setdefault(line[1:-1], {})
    elif "=" in line and section is not None:
        k, v = line.split("=", 1)
        section[k] = json.loads(v)
bad, checked = [], 0
for kind in ("path", "file"):
    default = sections.get(f"target:{kind}:default", {})
    for name, entry in sections.get(f"target:{kind}", {}).items():
        if not name.startswith("pg_data"):
            continue
        path = root + name[len("pg_data"):]
        want = {k: entry.get(k, default.get(k)) for k in ("user", "group", "mode")}
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            bad.append(f"missing {path}"); continue
        have = {"user": pwd.getpwuid(st.st_uid).pw_name, "group": grp.getgrgid(st.st_gid).gr_name,
                "mode": "%04o" % stat.S_IMODE(st.st_mode)}
        for k in ("user", "group", "mode"):
            if want[k] not in (None, False) and want[k] != have[k]:
                bad.append(f"{path}: {k} {have[k]}, manifest {want[k]}")
        checked += 1
print(f"checked {checked} entries")
if bad:
    print("\n".join(bad[:30])); sys.exit(1)
PY
}

case_restore_as_root() {
  load_state
  local dir=$SCRATCH/r-root port manifest=$SCRATCH/restore-manifest.txt
  # A directory root made: owner and mode come from the manifest, not from it.
  mkdir -m 755 "$dir"
  set +e
  "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --stanza=$STANZA --pg1-path="$dir" --type=immediate \
    --target-action=promote --log-level-console=info --log-level-stderr=off restore >"$SCRATCH/root-restore.out" 2>&1
  RC=$?
  set -e
  OUT=$(cat "$SCRATCH/root-restore.out"); ERR=""
  printf '%s\n' "$OUT" >>"$SCRATCH/tool.log"
  [ "$RC" -eq 0 ] || { cat "$SCRATCH/root-restore.out"; fail "restore as root failed with $RC"; }
  runuser -u "$PG_OS_USER" -- "$VAULT_BIN" --config="$SCRATCH/pgbackrest.conf" --log-level-console=off \
    --log-level-stderr=off --log-level-file=off --stanza=$STANZA repo-get "backup/$STANZA/$LAST_LABEL/backup.manifest" \
    >"$manifest" || fail "repo-get of the manifest failed"
  restored_matches_manifest "$dir" "$manifest" || fail "restored entries differ from the manifest"
  rm -f "$manifest"
  EXTRA_FILES="$dir/postgresql.auto.conf" assert_no_secret_anywhere "$CIPHER_PASS"
  port=$(free_port)
  start_restored "$dir" "$port" promote
  # Everything up to batch C was in the incr backup ($LAST_LABEL): the restore holds exactly that.
  assert_eq "$(batches marks "$port")" "A:1000,B:1000,C:1000"
  stop_restored "$dir"
}

# pass_attempts SETTING CODE...: with the passphrase as SETTING left it, restore and archive-get fail with the code
# pgBackRest 2.45 gives in the same configuration (when installed; else one of the CODEs) and write nothing; info
# lists no backup (pgBackRest's info reports an unreadable stanza as status 99 with exit code 0, or fails).
pass_attempts() {
  local setting=$1 dir; shift
  dir=$(new_pgdata "r-$setting")
  run_tool --stanza=$STANZA --output=json info
  printf '%s\n' "$OUT" >>"$SCRATCH/info.json"
  if [ "$RC" -eq 0 ]; then
    assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read(), strict=False)[0]; print(d["status"]["code"], len(d.get("backup", [])))')" \
      "99 0" "(info $setting: status code and backups listed)"
  else
    check_pass_rc "$setting info" "$@"
  fi
  run_tool --stanza=$STANZA --pg1-path="$dir" restore
  check_pass_rc "$setting restore" $(peer_codes "$@" -- --stanza=$STANZA --pg1-path="$(new_pgdata "r-$setting-peer")" restore)
  assert_eq "$(find "$dir" -mindepth 1 | wc -l)" 0 "(entries restored into $dir, passphrase $setting)"
  [ "$setting" != wrong ] || assert_log_contains "[095]"
  run_tool --stanza=$STANZA archive-get 000000010000000000000002 "$SCRATCH/got-$setting"
  check_pass_rc "$setting archive-get" $(peer_codes "$@" -- --stanza=$STANZA archive-get 000000010000000000000002 \
    "$SCRATCH/got-$setting-peer")
  assert_no_file "$SCRATCH/got-$setting"
  # With archive-async the worker meets the error: its log names the cause, the foreground relays 103.
  if [ "$setting" == wrong ] && [[ "$OUT$ERR" != *"[095]"* ]]; then
    grep -qF "[095]" "$SCRATCH/log/$STANZA-archive-get-async.log" || fail "no [095] in the archive-get output or its worker's log"
  fi
}

# peer_codes CODE... -- ARGS...: the exit code of pgBackRest 2.45 running ARGS on the same configuration when it is
# installed (and is not itself the binary under test), else the CODEs.
peer_codes() {
  local codes=()
  while [ "$1" != -- ]; do codes+=("$1"); shift; done
  shift
  if [ -x "$PEER" ] && ! is_pgbackrest; then
    set +e
    runuser -u "$PG_OS_USER" -- "$PEER" --config="$SCRATCH/pgbackrest.conf" --log-level-console=off \
      --log-level-stderr=off --log-level-file=off "$@" >/dev/null 2>&1
    echo $?
    set -e
  else
    echo "${codes[@]}"
  fi
}

# check_pass_rc WHAT CODE...: $RC is one of the codes, or 028/029 with pgBackRest's "is or was the repo encrypted?"
# hint (a wrong passphrase passes the padding check about once in 256 files and then fails as a format error).
check_pass_rc() {
  local what=$1 code; shift
  [ "$RC" -ne 0 ] || fail "$what succeeded: $OUT $ERR"
  for code in "$@"; do [ "$RC" -eq "$code" ] && { echo "$what: $RC"; return 0; }; done
  if [[ "$RC" -eq 28 || "$RC" -eq 29 ]] && [[ "$OUT$ERR" == *"is or was the repo encrypted"* ]]; then
    echo "$what: $RC (padding passed by chance)"; return 0
  fi
  fail "$what: expected exit code in {$*}, got $RC: $OUT $ERR"
}

case_no_passphrase() {
  load_state
  pg_stop "$PGDATA_SRC"     # nothing archives while the configuration lacks the passphrase
  conf_set repo1-cipher-pass 'a-wrong-passphrase-0000'
  pass_attempts wrong 95
  conf_unset repo1-cipher-pass
  pass_attempts missing 37
  # Neither cipher type nor passphrase.
  conf_unset repo1-cipher-type
  pass_attempts none 28 29 95
  set_encryption
  EXTRA_FILES="$SCRATCH/info.json" assert_no_secret_anywhere "$CIPHER_PASS"
}

test_security_posix_repository() {
  rel_seed
  sec_case "security: modes" case_posix_workload
  [ -f "$SCRATCH/state.sh" ] || sec_not_run "security: secrets in logs" "security: restore ownership" \
    "security: no passphrase"
  [ -f "$SCRATCH/state.sh" ] || { sec_done; return 0; }
  sec_case "security: secrets in logs" case_secrets
  sec_case "security: restore ownership" case_restore_as_root
  sec_case "security: no passphrase" case_no_passphrase
  sec_done
}

# S3 over TLS ------------------------------------------------------------------------------------------------------

case_tls() {
  cluster_init
  s3_start
  s3_tls_start
  s3_config tls
  conf_set repo1-s3-token "$S3_TOKEN"
  set_encryption
  trace_everywhere
  assert_config_loopback_only
  sampler_start "$S3_SECRET" "$S3_TOKEN" "$CIPHER_PASS"
  local prefix; prefix=$(s3_repo_prefix)

  # Default: verification on, the self-signed certificate is refused and nothing is written.
  run_tool --stanza=$STANZA --no-online stanza-create
  assert_ne "$RC" 0 "(stanza-create against a self-signed certificate without the CA)"
  assert_log_contains "tls"
  assert_eq "$(s3_keys "$prefix/")" "" "(objects written without a verified TLS connection)"

  # With the CA file: stanza-create, archiving and a backup.
  conf_set repo1-storage-ca-file "$S3_CA_FILE"
  cluster_start
  stanza_create
  make_test_table marks
  insert_batch marks A 1 500
  wal_switch_archived
  backup full
  [ -n "$(s3_keys "$prefix/backup/$STANZA/$LAST_LABEL/backup.manifest")" ] || fail "no manifest in the bucket"
  tool_ok --stanza=$STANZA check

  # Verification off: accepted without the CA.
  conf_unset repo1-storage-ca-file
  conf_set repo1-storage-verify-tls n
  tool_ok --stanza=$STANZA --output=json info
  printf '%s\n' "$OUT" >"$SCRATCH/info.json"
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["backup"][-1]["label"])')" \
    "$LAST_LABEL" "(info over TLS without verification)"
  conf_unset repo1-storage-verify-tls

  # Verification back on, a CA that did not sign the certificate: refused again.
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=other" -keyout "$SCRATCH/other-key.pem" \
    -out "$SCRATCH/other-ca.pem" >/dev/null 2>&1
  chmod 644 "$SCRATCH/other-ca.pem"
  conf_set repo1-storage-ca-file "$SCRATCH/other-ca.pem"
  run_tool --stanza=$STANZA repo-ls
  assert_ne "$RC" 0 "(repo-ls with a CA that did not sign the certificate)"
  assert_log_contains "tls"
  conf_set repo1-storage-ca-file "$S3_CA_FILE"
  sampler_stop
  save_state LAST_LABEL PGDATA_SRC PGPORT_SRC S3_PORT S3_TLS_PORT S3_CA_FILE
}

case_s3_secrets() {
  load_state
  OUT="" ERR=""
  local subs; subs=$(repo_sub_passphrases)
  [ "$(printf '%s\n' "$subs" | grep -c .)" -eq 2 ] || fail "expected two sub-passphrases"
  EXTRA_FILES="$SCRATCH/info.json $PGDATA_SRC/postgresql.auto.conf" \
    assert_no_secret_anywhere "$S3_SECRET" "$S3_TOKEN" "$CIPHER_PASS" $subs
  ! grep -q 'environ of' "$SCRATCH/proc-samples.txt" || fail "a pgvault process held a secret in its environment"
  echo "no S3 secret, token or passphrase in $(cat "$SCRATCH/log"/* | wc -l) log lines, outputs or process argv"
}

test_security_s3_tls() {
  pgvault_only "stunnel front for pgvault's S3 driver" && return 0
  rel_seed
  sec_case "security: tls verify" case_tls
  [ -f "$SCRATCH/state.sh" ] || sec_not_run "security: s3 secrets in logs"
  [ -f "$SCRATCH/state.sh" ] || { sec_done; return 0; }
  sec_case "security: s3 secrets in logs" case_s3_secrets
  sec_done
}
