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

# s3_open_uploads: the number of multipart uploads left open in the bucket.
s3_open_uploads() {
  aws_local s3api list-multipart-uploads --bucket "$S3_BUCKET" --query 'length(Uploads || `[]`)' --output text
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
