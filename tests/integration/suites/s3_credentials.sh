# Where the S3 credentials come from, through the CLI: keys from the AWS environment, keys from the config, a wrong
# key (moto's IAM mode: a clear 403 error naming the bucket and AWS's code, exit code 39, no secret in the output),
# and IRSA web identity (repo1-s3-key-type=web-id, and auto with no AWS keys): AWS_WEB_IDENTITY_TOKEN_FILE +
# AWS_ROLE_ARN exchanged at moto's STS (AWS_ENDPOINT_URL_STS) for temporary credentials. moto checks signatures only
# in its IAM mode, which refuses correct signatures of percent-encoded listing URLs, so the whole loop runs without
# it and moto's request recorder shows which key signed each request. No secret or token in stdout, stderr or logs.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/s3.sh"

suite_cleanup() { cluster_cleanup; s3_cleanup; }

ROLE_ARN=arn:aws:iam::123456789012:role/pgvault-irsa

# recorded_start: moto records every request it receives from now on ($SCRATCH/moto-recording.jsonl).
recorded_start() {
  : >"$SCRATCH/moto-recording.jsonl"
  curl -sf -X POST "http://127.0.0.1:$S3_PORT/moto-api/recorder/start-recording" >/dev/null ||
    fail "moto recorder did not start"
}

# recorded PYTHON-EXPR: evaluates EXPR over r = the recorded requests (dicts with method, url, headers, body). moto's
# threads append to the file concurrently, so entries are split at their start; a garbled one is skipped.
recorded() {
  python3 -c "import json,sys,base64,urllib.parse
def entry(t):
  try: return json.loads(t)
  except ValueError: return None
r=[e for e in (entry('{\"headers\": '+c.strip()) for c in open(sys.argv[1]).read().split('{\"headers\": ')[1:]) if e]
def h(e,n): return next((v for k,v in e['headers'].items() if k.lower()==n.lower()), '')
def key_id(e): a=h(e,'Authorization'); return a.split('Credential=')[1].split('/')[0] if 'Credential=' in a else ''
def form(e):
  if e['method'] != 'POST' or 'form-urlencoded' not in h(e, 'Content-Type'): return {}
  b=e.get('body') or ''; b=base64.b64decode(b).decode('utf-8', 'replace') if e.get('body_encoded') else b
  return urllib.parse.parse_qs(b)
s3=[e for e in r if 'Action' not in form(e) and '/moto-api/' not in e['url']]
sts=[e for e in r if form(e).get('Action')==['AssumeRoleWithWebIdentity']]
print($1)" "$SCRATCH/moto-recording.jsonl"
}

# recorded_s3_cluster: a cluster with a small table and an S3 repo1 on moto (no IAM mode) with the recorder armed.
recorded_s3_cluster() {
  export MOTO_RECORDER_FILEPATH=$SCRATCH/moto-recording.jsonl
  cluster_init
  s3_start
  s3_config
  repo_mode plain
  export PGBACKREST_LOG_LEVEL_FILE=debug   # the environment overrides the config's detail: more to search for secrets
}

# loop_works: stanza-create, a full backup and info on repo1; the backup is listed.
loop_works() {
  stanza_create
  backup full
  assert_eq "$(info_json 'd[0]["status"]["message"], len(d[0]["backup"])')" "ok 1" "(info after the backup)"
}

test_s3_keys_from_the_environment_sign_every_request() {
  pgvault_only "pgvault's S3 credential chain" && return 0
  recorded_s3_cluster
  conf_unset repo1-s3-key
  conf_unset repo1-s3-key-secret
  export AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=env-secret-$RANDOM$RANDOM
  assert_config_loopback_only
  cluster_start
  make_test_table marks; insert_batch marks A 1 100
  recorded_start
  loop_works
  assert_eq "$(recorded 'len(s3) > 10, sorted({key_id(e) for e in s3})')" "True ['AKIAENVIRONMENT00001']" \
    "(keys that signed the requests)"
  assert_no_secret_in_output "$AWS_SECRET_ACCESS_KEY"
}

test_s3_keys_from_the_config_win_over_the_environment() {
  pgvault_only "pgvault's S3 credential chain" && return 0
  recorded_s3_cluster
  conf_set repo1-s3-key AKIACONFIGURED000001
  conf_set repo1-s3-key-secret "config-secret-$RANDOM$RANDOM"
  export AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=env-secret-$RANDOM$RANDOM
  assert_config_loopback_only
  cluster_start
  make_test_table marks; insert_batch marks A 1 100
  recorded_start
  loop_works
  assert_eq "$(recorded 'sorted({key_id(e) for e in s3})')" "['AKIACONFIGURED000001']" "(keys that signed)"
  assert_no_secret_in_output "${CONF_GLOBAL[repo1-s3-key-secret]}" "$AWS_SECRET_ACCESS_KEY"
}

test_s3_wrong_key_is_a_clear_error_with_its_aws_code() {
  pgvault_only "moto IAM mode" && return 0
  local wrong_secret="wrong-secret-$RANDOM$RANDOM"
  cluster_init
  s3_start auth
  s3_config
  assert_config_loopback_only
  cluster_start

  # An access key moto does not know: 403 InvalidAccessKeyId at once, exit code 39, bucket and key named.
  conf_set repo1-s3-key AKIAUNKNOWNKEY000001
  conf_set repo1-s3-key-secret "$wrong_secret"
  # stanza-create starts with a HEAD (no error body): the status is all S3 answers.
  run_tool --stanza=$STANZA stanza-create
  assert_rc 39
  assert_err_contains "ERROR: [039]: s3 HEAD of key '$(s3_repo_prefix)/archive/$STANZA/archive.info' in bucket '$S3_BUCKET' failed with 403"
  assert_err_contains "HINT: check the s3 key, secret and token"
  [[ "$ERR" != *"after "*" attempts"* ]] || fail "an auth error was retried: $ERR"
  assert_eq "$(s3_keys "$(s3_repo_prefix)/")" "" "(nothing written with the wrong key)"
  # archive-get starts with a GET, whose error body carries AWS's code (a repository it cannot read: 103).
  run_tool --stanza=$STANZA archive-get 000000010000000000000001 "$SCRATCH/wal-got"
  assert_rc 103
  assert_err_contains "[039] s3 GET of key '$(s3_repo_prefix)/archive/$STANZA/archive.info' in bucket '$S3_BUCKET' failed with 403 InvalidAccessKeyId"

  # The right key id with a wrong secret: SignatureDoesNotMatch.
  conf_set repo1-s3-key "$S3_KEY"
  run_tool --stanza=$STANZA archive-get 000000010000000000000001 "$SCRATCH/wal-got"
  assert_rc 103
  assert_err_contains "in bucket '$S3_BUCKET' failed with 403 SignatureDoesNotMatch"
  assert_no_secret_in_output "$wrong_secret" "$S3_SECRET"
}

# web_identity_env: the IRSA variables the EKS pod identity webhook sets, STS at moto, no AWS keys.
web_identity_env() {
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
  TOKEN="eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGI6cGd2YXVsdCJ9.sig$RANDOM$RANDOM"
  printf '%s' "$TOKEN" >"$SCRATCH/irsa-token"
  chown "$PG_OS_USER": "$SCRATCH/irsa-token"; chmod 600 "$SCRATCH/irsa-token"
  export AWS_WEB_IDENTITY_TOKEN_FILE=$SCRATCH/irsa-token AWS_ROLE_ARN=$ROLE_ARN
  export AWS_ENDPOINT_URL_STS=http://127.0.0.1:$S3_PORT AWS_REGION=$S3_REGION
  aws_local iam create-role --role-name pgvault-irsa --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"oidc"},"Action":"sts:AssumeRoleWithWebIdentity"}]}' \
    >/dev/null
}

# assert_signed_by_web_identity: STS got the token file's JWT for the role, and every S3 request was signed with
# temporary credentials (an ASIA key id and an X-Amz-Security-Token).
assert_signed_by_web_identity() {
  assert_eq "$(recorded 'len(sts) >= 1')" True "(STS AssumeRoleWithWebIdentity calls)"
  assert_eq "$(recorded "sorted({form(e)['WebIdentityToken'][0] == '$TOKEN' and form(e)['RoleArn'][0] for e in sts})")" \
    "['$ROLE_ARN']" "(token and role sent to STS)"
  assert_eq "$(recorded 'len(s3) > 5, sorted({key_id(e)[:4] for e in s3}), all(h(e, "X-Amz-Security-Token") for e in s3)')" \
    "True ['ASIA'] True" "(temporary keys signed every S3 request)"
  SESSION_TOKEN=$(recorded 'h(s3[-1], "X-Amz-Security-Token")')
}

test_s3_web_identity_through_the_cli() {
  pgvault_only "pgvault's S3 credential chain" && return 0
  recorded_s3_cluster
  conf_unset repo1-s3-key
  conf_unset repo1-s3-key-secret
  conf_set repo1-s3-key-type web-id
  web_identity_env
  assert_config_loopback_only
  cluster_start
  make_test_table marks; insert_batch marks A 1 100
  recorded_start
  loop_works
  assert_signed_by_web_identity
  assert_no_secret_in_output "$TOKEN" "$SESSION_TOKEN"

  # The token file is read for every exchange: without it, a clear error naming it.
  mv "$SCRATCH/irsa-token" "$SCRATCH/irsa-token.away"
  # info reports a repository it cannot read in the stanza status (as pgBackRest); backup fails with the code.
  run_tool --stanza=$STANZA info
  assert_rc 0
  assert_out_contains "[FileOpenError] unable to open web identity token file '$SCRATCH/irsa-token' for read"
  run_tool --stanza=$STANZA --type=full backup
  assert_rc 41
  assert_err_contains "ERROR: [041]: "
  assert_err_contains "unable to open web identity token file '$SCRATCH/irsa-token' for read"
  mv "$SCRATCH/irsa-token.away" "$SCRATCH/irsa-token"

  # auto with no AWS keys in the environment takes the same web identity step.
  conf_set repo1-s3-key-type auto
  recorded_start
  insert_batch marks B 101 200
  backup incr
  assert_eq "$(info_json '",".join(b["type"] for b in d[0]["backup"])')" "full,incr"
  assert_signed_by_web_identity
  assert_no_secret_in_output "$TOKEN" "$SESSION_TOKEN"
}
