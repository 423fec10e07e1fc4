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
