# S3 repositories for the s3_* suites: a moto_server on a free 127.0.0.1 port with a fresh bucket, an optional
# stunnel TLS front with a self-signed certificate, and the repo1-type=s3 config. Source after cluster.sh; call
# s3_cleanup from suite_cleanup. Nothing here reaches an address outside 127.0.0.1.

S3_BUCKET=pgvault-it
S3_REGION=us-east-1
S3_KEY=pgvault-it-key
S3_SECRET=pgvault-it-secret

# aws_local ARGS...: the aws CLI against the local moto with the current S3_KEY/S3_SECRET.
aws_local() {
  AWS_ACCESS_KEY_ID=$S3_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=$S3_REGION \
    aws --endpoint-url "http://127.0.0.1:$S3_PORT" "$@"
}

# wait_listening PORT [LOG]: waits up to 60s (moto starts slowly on a loaded machine) until something accepts
# connections on 127.0.0.1:PORT; prints LOG on failure.
wait_listening() {
  for _ in $(seq 1 600); do
    ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  [ -n "${2:-}" ] && tail -20 "$2"
  fail "nothing listens on 127.0.0.1:$1"
}

# kernel_port: a loopback port the kernel hands out for a bind to port 0 (free of listeners and of connections at
# that moment), released for the server to take.
kernel_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# s3_start [auth]: starts moto_server (S3_PORT) and creates the bucket. With "auth", moto checks signatures: its
# first three calls create an IAM user, its access key and an s3:* policy; S3_KEY/S3_SECRET become that key.
s3_start() {
  command -v moto_server >/dev/null || fail "moto_server missing: run make deps (pip install 'moto[server]')"
  local auth_count=""
  [ "${1:-}" == auth ] && auth_count=3
  S3_PORT=$(kernel_port)
  # INITIAL_NO_AUTH_ACTION_COUNT unset or empty: moto checks no signatures.
  # setsid: moto (a pyenv shim and its python child) gets its own process group, which s3_cleanup kills whole.
  setsid env ${auth_count:+INITIAL_NO_AUTH_ACTION_COUNT=$auth_count} \
    moto_server -H 127.0.0.1 -p "$S3_PORT" >"$SCRATCH/moto.log" 2>&1 &
  echo $! >"$SCRATCH/moto.pid"
  wait_listening "$S3_PORT" "$SCRATCH/moto.log"
  if [ "${1:-}" == auth ]; then
    local keys
    aws_local iam create-user --user-name pgvault >/dev/null
    keys=$(aws_local iam create-access-key --user-name pgvault --output text \
      --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
    aws_local iam put-user-policy --user-name pgvault --policy-name s3all --policy-document \
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    S3_KEY=$(echo "$keys" | awk '{print $1}')
    S3_SECRET=$(echo "$keys" | awk '{print $2}')
  fi
  aws_local s3api create-bucket --bucket "$S3_BUCKET" >/dev/null
  echo "moto on 127.0.0.1:$S3_PORT${1:+ ($1 mode)}, bucket $S3_BUCKET"
}

# s3_tls_start: stunnel on S3_TLS_PORT terminating TLS for moto, with a self-signed certificate for 127.0.0.1
# (S3_CA_FILE).
s3_tls_start() {
  command -v stunnel4 >/dev/null || fail "stunnel4 missing: run make deps"
  S3_TLS_PORT=$(kernel_port)
  S3_CA_FILE=$SCRATCH/s3-ca.pem
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$SCRATCH/s3-key.pem" -out "$S3_CA_FILE" \
    >/dev/null 2>&1 || fail "openssl req failed"
  chmod 644 "$S3_CA_FILE"
  cat >"$SCRATCH/stunnel.conf" <<CONF
pid = $SCRATCH/stunnel.pid
foreground = no
output = $SCRATCH/stunnel.log
[s3]
accept = 127.0.0.1:$S3_TLS_PORT
connect = 127.0.0.1:$S3_PORT
cert = $S3_CA_FILE
key = $SCRATCH/s3-key.pem
CONF
  stunnel4 "$SCRATCH/stunnel.conf" || fail "stunnel4 did not start"
  wait_listening "$S3_TLS_PORT"
  echo "stunnel TLS on 127.0.0.1:$S3_TLS_PORT -> moto"
}

# s3_config [tls]: repo1 on the bucket, path style, keys in the config; plain http to moto, or https via stunnel.
s3_config() {
  conf_set repo1-type s3
  conf_set repo1-s3-bucket "$S3_BUCKET"
  conf_set repo1-s3-region "$S3_REGION"
  conf_set repo1-s3-uri-style path
  conf_set repo1-s3-key "$S3_KEY"
  conf_set repo1-s3-key-secret "$S3_SECRET"
  if [ "${1:-}" == tls ]; then
    conf_set repo1-s3-endpoint 127.0.0.1
    conf_set repo1-storage-port "$S3_TLS_PORT"
  else
    conf_set repo1-s3-endpoint "http://127.0.0.1:$S3_PORT"
  fi
}

# s3_keys PREFIX: the object keys under PREFIX in the bucket, one a line.
s3_keys() {
  aws_local s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "$1" --query 'Contents[].Key' --output text |
    tr '\t' '\n' | grep -v '^None$' || true
}

# s3_open_uploads [PREFIX]: the number of multipart uploads left open in the bucket (under PREFIX when given).
s3_open_uploads() {
  local prefix=()
  [ -n "${1:-}" ] && prefix=(--prefix "$1")
  aws_local s3api list-multipart-uploads --bucket "$S3_BUCKET" "${prefix[@]}" --query 'length(Uploads || `[]`)' \
    --output text
}

# s3_repo_prefix: the key prefix of repo1 (repo1-path without its leading /).
s3_repo_prefix() { echo "${SCRATCH#/}/repo"; }

# s3_cleanup: stops stunnel and moto started by this test.
s3_cleanup() {
  [ -n "${SCRATCH:-}" ] || return 0
  [ -f "$SCRATCH/stunnel.pid" ] && kill "$(cat "$SCRATCH/stunnel.pid")" 2>/dev/null
  [ -f "$SCRATCH/moto.pid" ] && kill -- "-$(cat "$SCRATCH/moto.pid")" 2>/dev/null
  return 0
}

# --- Fault proxy, loopback checks and secret checks (s3_faults, s3_credentials, s3_commands) ---------------------

S3_FAULT_PROXY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/s3_fault_proxy.py"

# s3_proxy_start ARGS...: the fault proxy (s3_fault_proxy.py) on a kernel-assigned 127.0.0.1 port in front of moto
# (S3_PORT), at fault rate 0 unless ARGS say otherwise; sets S3_PROXY_PORT. s3_proxy_cleanup stops it.
s3_proxy_start() {
  rm -f "$SCRATCH/s3proxy.port"
  setsid python3 "$S3_FAULT_PROXY" --upstream "http://127.0.0.1:$S3_PORT" --port-file "$SCRATCH/s3proxy.port" \
    --counts-file "$SCRATCH/s3proxy-counts.json" "$@" >"$SCRATCH/s3proxy.log" 2>&1 &
  echo $! >"$SCRATCH/s3proxy.pid"
  for _ in $(seq 1 200); do
    [ -s "$SCRATCH/s3proxy.port" ] && break
    sleep 0.05
  done
  [ -s "$SCRATCH/s3proxy.port" ] || { cat "$SCRATCH/s3proxy.log"; fail "s3_fault_proxy.py did not start"; }
  S3_PROXY_PORT=$(cat "$SCRATCH/s3proxy.port")
  echo "fault proxy on 127.0.0.1:$S3_PROXY_PORT -> moto 127.0.0.1:$S3_PORT"
}

# s3_proxy_config QUERY: changes the proxy's fault settings at runtime (fault-rate=R&faults=...&stall-seconds=S).
s3_proxy_config() {
  curl -sf -X POST "http://127.0.0.1:$S3_PROXY_PORT/__fault_proxy__/config?$1" >/dev/null ||
    fail "fault proxy refused config $1"
}

# s3_proxy_count PYTHON-EXPR: a value of the proxy's counts, e.g. s3_proxy_count 'c["faults"]'.
s3_proxy_count() {
  curl -sf "http://127.0.0.1:$S3_PROXY_PORT/__fault_proxy__/counts" |
    python3 -c "import json,sys; c=json.load(sys.stdin); print(*[$1])"
}

# s3_proxy_cleanup: stops the fault proxy started by this test.
s3_proxy_cleanup() {
  [ -n "${SCRATCH:-}" ] && [ -f "$SCRATCH/s3proxy.pid" ] && kill -- "-$(cat "$SCRATCH/s3proxy.pid")" 2>/dev/null
  return 0
}

# s3_object_sha KEY: SHA-256 of an object's bytes, read from moto directly ("missing" when there is none).
s3_object_sha() {
  aws_local s3 cp "s3://$S3_BUCKET/$1" - 2>/dev/null | sha256sum | cut -d' ' -f1 | grep -v '^e3b0c442' || echo missing
}

# assert_listens_on_loopback_only PORT: every listener on PORT is bound to 127.0.0.1.
assert_listens_on_loopback_only() {
  local listeners
  listeners=$(ss -Hltn "sport = :$1" | awk '{print $4}' | sort -u)
  [ -n "$listeners" ] || fail "nothing listens on port $1"
  assert_eq "$listeners" "127.0.0.1:$1" "(listener of port $1)"
}

# assert_config_loopback_only: every endpoint/host in the config and AWS_ENDPOINT_URL_* is 127.0.0.1, and moto (and
# the fault proxy, stunnel when started) listen on 127.0.0.1 only: the test reaches no outside address.
assert_config_loopback_only() {
  local line value host
  while IFS= read -r line; do
    value=${line#*=}
    host=${value#*://}; host=${host%%/*}; host=${host%:*}
    [ "$host" == 127.0.0.1 ] || fail "config line '$line' names a non-loopback host '$host'"
  done < <(grep -E '^repo[0-9]+-(s3-endpoint|storage-host)=' "$SCRATCH/pgbackrest.conf")
  grep -qE '^repo[0-9]+-type=s3' "$SCRATCH/pgbackrest.conf" && {
    grep -qE '^repo[0-9]+-s3-endpoint=' "$SCRATCH/pgbackrest.conf" || fail "an s3 repository without a loopback endpoint"
  }
  for value in $(env | grep -E '^AWS_ENDPOINT_URL' | cut -d= -f2-); do
    host=${value#*://}; host=${host%%/*}; host=${host%:*}
    [ "$host" == 127.0.0.1 ] || fail "AWS endpoint '$value' is not loopback"
  done
  assert_listens_on_loopback_only "$S3_PORT"
  [ -n "${S3_PROXY_PORT:-}" ] && assert_listens_on_loopback_only "$S3_PROXY_PORT"
  [ -n "${S3_TLS_PORT:-}" ] && assert_listens_on_loopback_only "$S3_TLS_PORT"
  echo "loopback only: config endpoints and listeners on 127.0.0.1"
}

# assert_no_secret_in_output SECRET...: none of the strings appears in the tool's output so far ($SCRATCH/tool.log),
# in the last $OUT/$ERR, or in any log file under $SCRATCH/log.
assert_no_secret_in_output() {
  local secret
  for secret in "$@"; do
    [ -n "$secret" ] || continue
    [[ "$OUT$ERR" != *"$secret"* ]] || fail "a secret appears in the last output"
    ! grep -rqF -- "$secret" "$SCRATCH/tool.log" "$SCRATCH/log" 2>/dev/null || fail "a secret appears in the logs: $(grep -rlF -- "$secret" "$SCRATCH/tool.log" "$SCRATCH/log")"
  done
}
