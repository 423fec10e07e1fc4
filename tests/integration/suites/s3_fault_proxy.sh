# s3_fault_proxy: the fault-injecting proxy of the S3 suites (tests/integration/lib/s3_fault_proxy.py) in front of
# moto, driven with curl and the aws CLI: at fault rate 0 every request and byte passes through unchanged; at rate
# 1 every request faults in the chosen way (500, 503 SlowDown with Retry-After, reset mid-body, stall); the counts
# per method and per S3 operation are exact; the upstream must be loopback. Needs moto_server and the aws CLI
# (pip install 'moto[server]' awscli); does not run the binary under test.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"

FAULT_PROXY="$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)/s3_fault_proxy.py"

suite_cleanup() {
  local pidfile
  for pidfile in "$SCRATCH"/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}

# start_moto: moto_server on a free loopback port; sets MOTO (its base URL). Another port is tried when the chosen
# one was taken between the check and moto's bind (other engineers' servers run on this machine too).
start_moto() {
  command -v moto_server >/dev/null || fail "moto_server is not installed: pip install 'moto[server]'"
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    moto_server -H 127.0.0.1 -p "$port" >"$SCRATCH/moto.log" 2>&1 &
    echo $! >"$SCRATCH/moto.pid"
    MOTO="http://127.0.0.1:$port"
    for _ in $(seq 1 300); do
      kill -0 "$(cat "$SCRATCH/moto.pid")" 2>/dev/null || break
      # ready once our own process listens there (not someone else's server that took the port)
      ss -Hltnp "sport = :$port" | grep -q "pid=$(cat "$SCRATCH/moto.pid")," && s3curl -s -o /dev/null "$MOTO/" \
        && return 0
      sleep 0.1
    done
    kill "$(cat "$SCRATCH/moto.pid")" 2>/dev/null || true
  done
  cat "$SCRATCH/moto.log"; fail "moto_server did not start (last port $port)"
}

# start_proxy ARGS...: the proxy in front of moto; sets PROXY (its base URL). Counts go to $SCRATCH/counts.json.
start_proxy() {
  rm -f "$SCRATCH/proxy.port"
  python3 "$FAULT_PROXY" --upstream "$MOTO" --port-file "$SCRATCH/proxy.port" --counts-file "$SCRATCH/counts.json" \
    "$@" >"$SCRATCH/proxy.log" 2>&1 &
  echo $! >"$SCRATCH/proxy.pid"
  for _ in $(seq 1 100); do
    [ -s "$SCRATCH/proxy.port" ] && { PROXY="http://127.0.0.1:$(cat "$SCRATCH/proxy.port")"; return 0; }
    sleep 0.05
  done
  cat "$SCRATCH/proxy.log"; fail "s3_fault_proxy.py did not start"
}

# proxy_config QUERY: changes the fault settings at runtime.
proxy_config() { curl -sf -X POST "$PROXY/__fault_proxy__/config?$1" >/dev/null || fail "proxy config $1 refused"; }

# count PYTHON-EXPR: a value from the counts the control path returns, e.g. count 'c["methods"]["GET"]'.
count() {
  curl -sf "$PROXY/__fault_proxy__/counts" | python3 -c "import json,sys; c=json.load(sys.stdin); print(*[$1])"
}

# s3curl ARGS...: curl signing with SigV4 (dummy keys): moto refuses anonymous reads of private objects.
s3curl() { curl --aws-sigv4 "aws:amz:us-east-1:s3" --user testing:testing "$@"; }

# status ARGS...: curl's HTTP status for a request (10 s cap); the body goes to /dev/null unless ARGS has -o.
status() {
  local sink=(-o /dev/null)
  [[ " $* " == *" -o "* ]] && sink=()
  s3curl -s "${sink[@]}" -w '%{http_code}' --max-time 10 "$@"
}

random_file() { head -c "$2" /dev/urandom >"$1"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

test_rate_zero_passes_every_byte_through() {
  start_moto; start_proxy --fault-rate 0
  assert_eq "$(status -X PUT "$PROXY/bucket")" 200 "create bucket"
  random_file "$SCRATCH/object" $((3 * 1024 * 1024 + 17))
  assert_eq "$(status -T "$SCRATCH/object" "$PROXY/bucket/dir/object")" 200 "put"
  assert_eq "$(status -o "$SCRATCH/via-proxy" "$PROXY/bucket/dir/object")" 200 "get"
  s3curl -sf -o "$SCRATCH/direct" "$MOTO/bucket/dir/object"
  assert_eq "$(sha "$SCRATCH/via-proxy")" "$(sha "$SCRATCH/object")" "object read through the proxy"
  assert_eq "$(sha "$SCRATCH/direct")" "$(sha "$SCRATCH/object")" "object moto stored"
  # a chunked upload is de-chunked and stored byte-exact
  assert_eq "$(status -H 'Transfer-Encoding: chunked' -T "$SCRATCH/object" "$PROXY/bucket/chunked")" 200 "chunked"
  s3curl -sf -o "$SCRATCH/chunked" "$MOTO/bucket/chunked"
  assert_eq "$(sha "$SCRATCH/chunked")" "$(sha "$SCRATCH/object")" "chunked upload"
  # range read, HEAD, empty object, listing, delete
  assert_eq "$(status -r 1000-1999 -o "$SCRATCH/range" "$PROXY/bucket/dir/object")" 206 "range"
  assert_eq "$(sha "$SCRATCH/range")" "$(tail -c +1001 "$SCRATCH/object" | head -c 1000 | sha256sum | cut -d' ' -f1)"
  local length
  length=$(s3curl -sfI "$PROXY/bucket/dir/object" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-length"{print $2}')
  assert_eq "$length" $((3 * 1024 * 1024 + 17)) "HEAD content-length"
  : >"$SCRATCH/empty"
  assert_eq "$(status -T "$SCRATCH/empty" "$PROXY/bucket/empty")" 200 "put empty"
  assert_eq "$(s3curl -sf "$PROXY/bucket/empty" | wc -c)" 0 "get empty"
  local listing; listing=$(s3curl -sf "$PROXY/bucket?list-type=2&prefix=dir/")
  [[ "$listing" == *"<Key>dir/object</Key>"* ]] || fail "listing lacks dir/object: $listing"
  assert_eq "$(status -X DELETE "$PROXY/bucket/dir/object")" 204 "delete"
  assert_eq "$(status "$MOTO/bucket/dir/object")" 404 "deleted in moto"
  assert_eq "$(count 'c["total"], c["passed"], c["faults"]')" "10 10 {}" "all passed, none faulted"
}

test_rate_one_faults_every_request_with_500_or_503() {
  start_moto; start_proxy --fault-rate 1 --faults 500 --retry-after 7
  s3curl -sf -X PUT "$MOTO/bucket" >/dev/null
  echo original >"$SCRATCH/v1"; s3curl -sf -T "$SCRATCH/v1" "$MOTO/bucket/key" >/dev/null
  local i body
  for i in 1 2 3 4 5; do
    assert_eq "$(status "$PROXY/bucket/key")" 500 "GET $i"
  done
  body=$(s3curl -s "$PROXY/bucket/key")
  [[ "$body" == *"<Code>InternalError</Code>"* ]] || fail "500 body lacks InternalError: $body"
  echo changed >"$SCRATCH/v2"
  assert_eq "$(status -T "$SCRATCH/v2" "$PROXY/bucket/key")" 500 "PUT"
  assert_eq "$(s3curl -sf "$MOTO/bucket/key")" original "a faulted PUT never reaches moto"
  proxy_config "faults=503"
  local headers; headers=$(s3curl -s -D - -o "$SCRATCH/slowdown" "$PROXY/bucket/key" | tr -d '\r')
  [[ "$headers" == "HTTP/1.1 503"* ]] || fail "expected 503: $headers"
  [[ "$headers" == *"Retry-After: 7"* ]] || fail "expected Retry-After: 7: $headers"
  grep -q '<Code>SlowDown</Code>' "$SCRATCH/slowdown" || fail "503 body lacks SlowDown: $(cat "$SCRATCH/slowdown")"
  assert_eq "$(status -I "$PROXY/bucket/key")" 503 "HEAD"
  assert_eq "$(count 'c["total"], c["passed"], c["faults"]["500"], c["faults"]["503"]')" "9 0 7 2"
}

test_rate_one_reset_cuts_responses_mid_body() {
  start_moto; start_proxy --fault-rate 1 --faults reset
  s3curl -sf -X PUT "$MOTO/bucket" >/dev/null
  random_file "$SCRATCH/object" $((1024 * 1024))
  s3curl -sf -T "$SCRATCH/object" "$MOTO/bucket/object" >/dev/null
  local rc=0 got
  got=$(s3curl -s -o "$SCRATCH/partial" -w '%{size_download}' --max-time 10 "$PROXY/bucket/object") || rc=$?
  [ "$rc" -ne 0 ] || fail "a reset GET succeeded"
  [ "$got" -lt $((1024 * 1024)) ] || fail "a reset GET delivered the whole object ($got bytes)"
  [ "$got" -le $((512 * 1024)) ] || fail "more than half the body arrived ($got bytes)"
  # an empty-bodied answer is cut inside its headers
  rc=0; s3curl -s -o /dev/null --max-time 10 -I "$PROXY/bucket/object" || rc=$?
  [ "$rc" -ne 0 ] || fail "a reset HEAD succeeded"
  # a reset PUT was forwarded before the cut: the object is in moto although the client saw a failure
  echo "written before the reset" >"$SCRATCH/small"
  rc=0; s3curl -s -o /dev/null --max-time 10 -T "$SCRATCH/small" "$PROXY/bucket/small" || rc=$?
  [ "$rc" -ne 0 ] || fail "a reset PUT succeeded"
  assert_eq "$(s3curl -sf "$MOTO/bucket/small")" "written before the reset"
  assert_eq "$(count 'c["faults"]["reset"], c["passed"]')" "3 0"
}

test_rate_one_stall_holds_the_request_until_the_client_gives_up() {
  start_moto; start_proxy --fault-rate 1 --faults stall --stall-seconds 20
  s3curl -sf -X PUT "$MOTO/bucket" >/dev/null
  local rc=0 start=$SECONDS
  s3curl -s -o /dev/null --max-time 1 "$PROXY/bucket?list-type=2" || rc=$?
  assert_eq "$rc" 28 "s3curl timed out"
  [ $((SECONDS - start)) -lt 5 ] || fail "the client did not time out by itself"
  # once the stall ends, the connection is reset, never answered
  proxy_config "stall-seconds=1"
  rc=0; s3curl -s -o /dev/null --max-time 15 "$PROXY/bucket?list-type=2" || rc=$?
  [ "$rc" -ne 0 ] && [ "$rc" -ne 28 ] || fail "expected a reset after the stall, s3curl exit $rc"
  assert_eq "$(count 'c["faults"]["stall"]')" 2
}

test_counts_per_method_and_operation_reach_the_counts_file() {
  start_moto; start_proxy --fault-rate 0
  echo data >"$SCRATCH/f"
  s3curl -sf -X PUT "$PROXY/bucket" >/dev/null
  s3curl -sf -T "$SCRATCH/f" "$PROXY/bucket/a" >/dev/null
  s3curl -sf -T "$SCRATCH/f" "$PROXY/bucket/b" >/dev/null
  s3curl -sf "$PROXY/bucket/a" >/dev/null; s3curl -sf "$PROXY/bucket/b" >/dev/null
  s3curl -sf "$PROXY/bucket?list-type=2" >/dev/null
  s3curl -sfI "$PROXY/bucket/a" >/dev/null
  s3curl -sf -X DELETE "$PROXY/bucket/b" >/dev/null
  assert_eq "$(count 'c["methods"]')" "{'DELETE': 1, 'GET': 3, 'HEAD': 1, 'PUT': 3}"
  assert_eq "$(count 'c["operations"]')" \
    "{'CreateBucket': 1, 'DeleteObject': 1, 'GetObject': 2, 'HeadObject': 1, 'ListObjectsV2': 1, 'PutObject': 2}"
  # on demand: SIGUSR1 writes the counts file
  kill -USR1 "$(cat "$SCRATCH/proxy.pid")"
  for _ in $(seq 1 50); do [ -s "$SCRATCH/counts.json" ] && break; sleep 0.05; done
  assert_eq "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["total"], c["methods"]["PUT"])' \
    "$SCRATCH/counts.json")" "8 3" "counts file after SIGUSR1"
  # reset zeroes; control requests are never counted; SIGTERM writes the final counts
  curl -sf -X POST "$PROXY/__fault_proxy__/reset" >/dev/null
  s3curl -sf "$PROXY/bucket/a" >/dev/null
  kill -TERM "$(cat "$SCRATCH/proxy.pid")"
  for _ in $(seq 1 100); do kill -0 "$(cat "$SCRATCH/proxy.pid")" 2>/dev/null || break; sleep 0.05; done
  assert_eq "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["total"], c["methods"])' \
    "$SCRATCH/counts.json")" "1 {'GET': 1}" "counts file at exit"
}

test_a_partial_rate_faults_a_share_and_the_counts_add_up() {
  start_moto; start_proxy --fault-rate 0.5 --faults 500 --seed 42
  s3curl -sf -X PUT "$MOTO/bucket" >/dev/null
  echo data >"$SCRATCH/f"; s3curl -sf -T "$SCRATCH/f" "$MOTO/bucket/a" >/dev/null
  local i ok=0 failed=0 code
  for i in $(seq 1 40); do
    code=$(status "$PROXY/bucket/a")
    case $code in 200) ok=$((ok + 1)) ;; 500) failed=$((failed + 1)) ;; *) fail "unexpected status $code" ;; esac
  done
  [ "$ok" -gt 5 ] && [ "$failed" -gt 5 ] || fail "rate 0.5 gave $ok passes and $failed faults of 40"
  assert_eq "$(count 'c["passed"], c["faults"]["500"], c["total"]')" "$ok $failed 40"
}

test_the_aws_cli_multipart_upload_passes_through_and_is_counted() {
  command -v aws >/dev/null || fail "the aws CLI is not installed: pip install awscli"
  start_moto; start_proxy --fault-rate 0
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url "$PROXY" s3api create-bucket --bucket bucket >/dev/null
  random_file "$SCRATCH/big" $((17 * 1024 * 1024))
  aws --endpoint-url "$PROXY" --only-show-errors s3 cp "$SCRATCH/big" s3://bucket/big
  aws --endpoint-url "$PROXY" --only-show-errors s3 cp s3://bucket/big "$SCRATCH/big.back"
  assert_eq "$(sha "$SCRATCH/big.back")" "$(sha "$SCRATCH/big")" "multipart object read back"
  assert_eq "$(count 'c["operations"].get("CreateMultipartUpload"), c["operations"].get("UploadPart"), c["operations"].get("CompleteMultipartUpload")')" \
    "1 3 1" "an 8 MiB-part upload of 17 MiB"
  local uploads; uploads=$(aws --endpoint-url "$MOTO" s3api list-multipart-uploads --bucket bucket --output json)
  [[ "$uploads" != *'"UploadId"'* ]] || fail "an upload was left open: $uploads"
}

test_the_upstream_must_be_loopback_and_the_proxy_listens_on_loopback_only() {
  local rc=0 message
  message=$(python3 "$FAULT_PROXY" --upstream http://10.20.30.40:9000 2>&1) || rc=$?
  assert_eq "$rc" 2 "a non-loopback upstream is refused"
  [[ "$message" == *"must be a loopback address"* ]] || fail "unexpected message: $message"
  rc=0; python3 "$FAULT_PROXY" --upstream http://127.0.0.1:9 --fault-rate 1.5 >/dev/null 2>&1 || rc=$?
  assert_eq "$rc" 2 "a rate above 1 is refused"
  MOTO=http://127.0.0.1:9; start_proxy
  local port=${PROXY##*:}
  local listeners; listeners=$(ss -Hltn "sport = :$port" | awk '{print $4}')
  assert_eq "$listeners" "127.0.0.1:$port" "listening address"
  assert_eq "$(status "$PROXY/bucket/x")" 502 "an unreachable upstream is a 502"
}
