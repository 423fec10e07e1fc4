# Assertion helpers for integration suites. A failing assertion prints what differed and exits the test's subshell.

fail() { echo "assertion failed: $*" >&2; exit 1; }

# run_pgvault ARGS... : runs the binary, capturing stdout, stderr and the exit code in $OUT, $ERR, $RC.
run_pgvault() {
  set +e
  OUT=$("$VAULT_BIN" "$@" 2>"$SCRATCH/.stderr"); RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
}

assert_rc() { [ "$RC" -eq "$1" ] || fail "expected exit code $1, got $RC; stdout: $OUT; stderr: $ERR"; }
assert_out_contains() { [[ "$OUT" == *"$1"* ]] || fail "stdout lacks '$1': $OUT"; }
assert_err_contains() { [[ "$ERR" == *"$1"* ]] || fail "stderr lacks '$1': $ERR"; }
assert_eq() { [ "$1" == "$2" ] || fail "expected '$2', got '$1' ${3:-}"; }
assert_file() { [ -e "$1" ] || fail "missing file $1"; }
assert_no_file() { [ ! -e "$1" ] || fail "unexpected file $1"; }

# note_runner MSG: prints MSG on the runner's own output (a test's output goes to its log, shown only on failure).
# $$ in the test's subshell is the runner's pid, so /proc/$$/fd/1 is the runner's stdout. Only for a terminal or a
# pipe: reopening a regular file would write at an offset the runner's own later writes overwrite.
note_runner() {
  local out=/proc/$$/fd/1
  if [ -e "$out" ] && [ ! -f "$out" ]; then { echo "     note: $*" >>"$out"; } 2>/dev/null || true; fi
  echo "note: $*"
}

assert_ne() { [ "$1" != "$2" ] || fail "expected a value other than '$2' ${3:-}"; }
assert_out_matches() { [[ "$OUT" =~ $1 ]] || fail "stdout does not match /$1/: $OUT"; }
# assert_log_contains TEXT: stdout or stderr of the last run contains TEXT (console log lines may go to either).
assert_log_contains() { [[ "$OUT$ERR" == *"$1"* ]] || fail "output lacks '$1': stdout: $OUT; stderr: $ERR"; }
# assert_rc_in CODE...: the exit code is one of the given codes.
assert_rc_in() {
  local code; for code in "$@"; do [ "$RC" -eq "$code" ] && return 0; done
  fail "expected exit code in {$*}, got $RC; stdout: $OUT; stderr: $ERR"
}
