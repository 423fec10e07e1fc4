# deploy: the production artefacts that cannot run here are checked statically. Alert rules pass `promtool check
# rules` and their unit tests (`promtool test rules`), and those tests notice a changed threshold; every Kubernetes
# manifest parses and carries the runbook's schedules, image, commands, secret references and pod security, and
# every option its pgvault command lines and PGBACKREST_* variables name is one the binary under test accepts for
# that command; the Dockerfile is multi-stage with the named base images, binary path, pgbackrest link, entrypoint
# and a non-root user; the Grafana dashboard parses and queries only the exporter's metric names.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/cluster.sh"
DEPLOY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
DEPLOY_DIR="$DEPLOY_ROOT/deploy"

# The exporter's metric names (issue 7). The recovery window's name is not spelled out there; this is the one the
# dashboard uses.
EXPORTER_METRICS="pgbackrest_last_backup_timestamp pgbackrest_backup_duration_seconds pgbackrest_backup_size_bytes
pgbackrest_backup_repo_size_bytes pgbackrest_backup_delta_bytes pgbackrest_verify_status
pgbackrest_verify_last_run_timestamp pgbackrest_wal_archive_max_timestamp pgbackrest_wal_archive_lag_seconds
pgbackrest_recovery_window_seconds pgbackrest_stanza_status pgbackrest_backup_in_progress"

# ensure_promtool: Debian's prometheus package ships promtool (scripts/install-deps.sh installs it; this is for a
# machine where `make deps` has not run). Its service is not started inside containers (policy-rc.d).
ensure_promtool() {
  command -v promtool >/dev/null && return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
  command -v promtool >/dev/null || fail "promtool missing after installing prometheus"
}

# ensure_pyyaml: python3's yaml module, from pip when absent.
ensure_pyyaml() {
  python3 -c 'import yaml' 2>/dev/null && return 0
  python3 -m pip install -q PyYAML
  python3 -c 'import yaml' || fail "PyYAML missing after pip install"
}

test_alert_rules_pass_promtool_check_and_unit_tests() {
  ensure_promtool
  run_tool_plain promtool check rules "$DEPLOY_DIR/prometheus/alerts.yaml"
  [[ "$OUT" == *"SUCCESS: 6 rules found"* ]] || fail "promtool check rules: $OUT"
  run_tool_plain promtool test rules "$DEPLOY_DIR/prometheus/alerts_test.yaml"
  [[ "$OUT" == *"SUCCESS"* ]] || fail "promtool test rules: $OUT"

  # The runbook's thresholds are in the rules, by alert name.
  ensure_pyyaml
  python3 - "$DEPLOY_DIR/prometheus/alerts.yaml" <<'PY'
import sys, yaml
rules = {r["alert"]: r for g in yaml.safe_load(open(sys.argv[1]))["groups"] for r in g["rules"]}
def expect(name, fragment):
    assert name in rules, f"no alert {name}"
    assert fragment in rules[name]["expr"], f"{name}: {fragment!r} not in {rules[name]['expr']!r}"
expect("PgBackRestBackupTooOld", "pgbackrest_last_backup_timestamp")
expect("PgBackRestBackupTooOld", "> 26 * 3600")
expect("PgBackRestBackupTooLong", "pgbackrest_backup_duration_seconds > 7200")
expect("PgBackRestVerifyFailed", "pgbackrest_verify_status == 0")
expect("PgBackRestWalArchiveLag", "pgbackrest_wal_archive_lag_seconds > ")
for name, rule in rules.items():
    assert rule["labels"]["severity"] in ("critical", "warning"), name
    assert rule["annotations"]["summary"], name
print("thresholds ok:", sorted(rules))
PY
}

test_alert_unit_tests_notice_a_changed_threshold() {
  ensure_promtool
  # Each threshold moved in a copy of the rules must make `promtool test rules` fail: the tests pin them.
  local change
  for change in 's/> 26 \* 3600/> 28 * 3600/' 's/> 7200/> 9000/' 's/== 0/== 2/' 's/lag_seconds > 900/lag_seconds > 3000/'; do
    rm -rf "$SCRATCH/rules"; mkdir "$SCRATCH/rules"
    cp "$DEPLOY_DIR/prometheus/alerts.yaml" "$DEPLOY_DIR/prometheus/alerts_test.yaml" "$SCRATCH/rules/"
    sed -i "$change" "$SCRATCH/rules/alerts.yaml"
    ! cmp -s "$SCRATCH/rules/alerts.yaml" "$DEPLOY_DIR/prometheus/alerts.yaml" || fail "sed '$change' changed nothing"
    run_tool_plain promtool test rules "$SCRATCH/rules/alerts_test.yaml"
    [ "$RC" -ne 0 ] || fail "promtool test rules passed with '$change'"
    [[ "$OUT$ERR" == *"FAILED"* ]] || fail "no FAILED for '$change': $OUT $ERR"
    echo "caught: $change"
  done
}

# run_tool_plain CMD ARGS...: runs any command, capturing $OUT, $ERR and $RC.
run_tool_plain() {
  set +e
  OUT=$("$@" 2>"$SCRATCH/.stderr"); RC=$?
  ERR=$(cat "$SCRATCH/.stderr")
  set -e
  [ "$RC" -eq 0 ] || echo "$* exited $RC: $OUT $ERR"
}

test_kubernetes_manifests_mirror_the_runbook() {
  ensure_pyyaml
  python3 - "$DEPLOY_DIR/kubernetes" "$SCRATCH/options.tsv" <<'PY'
import glob, os, re, shlex, sys, yaml

root, options_out = sys.argv[1], sys.argv[2]
IMAGE = "ghcr.io/greenlang/pgvault:0.1.0"
NS = "greenlang-database"
docs = {}
for path in sorted(glob.glob(os.path.join(root, "*.yaml"))):
    for doc in yaml.safe_load_all(open(path)):
        if doc:
            docs[(doc["kind"], doc["metadata"]["name"] if "metadata" in doc else os.path.basename(path))] = doc
print("parsed:", sorted(docs))

def pod_spec(doc):
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return doc["spec"]["template"]["spec"]

def command_line(container):
    """The arguments a container hands pgvault: `args` under `command: [pgvault]`, or the one `exec pgvault` line
    of an `sh -c` script."""
    command, args = container["command"], container.get("args", [])
    if command == ["pgvault"]:
        return args
    assert command == ["/bin/sh", "-c"], f"{container['name']}: command {command}"
    lines = [l.strip() for l in args[0].splitlines() if l.strip().startswith("exec pgvault ")]
    assert len(lines) == 1, f"{container['name']}: one 'exec pgvault' line expected: {args[0]!r}"
    return shlex.split(lines[0])[2:]

# Kustomization: every manifest but the restore template; the restore Job is applied by hand.
kustomization = docs[("Kustomization", "kustomization.yaml")]
assert kustomization["namespace"] == NS
listed = set(kustomization["resources"])
on_disk = {os.path.basename(p) for p in glob.glob(os.path.join(root, "*.yaml"))} - {"kustomization.yaml"}
assert listed == on_disk - {"job-restore.yaml"}, f"kustomization lists {sorted(listed)}, disk has {sorted(on_disk)}"

# ConfigMap: pgbackrest.conf with the runbook's repository and stanza.
conf = docs[("ConfigMap", "pgbackrest-config")]["data"]["pgbackrest.conf"]
for line in ["[global]", "repo1-type=s3", "repo1-path=/pgbackrest/greenlang",
             "repo1-s3-bucket=greenlang-pgbackrest-backups", "repo1-s3-region=us-east-1",
             "repo1-cipher-type=aes-256-cbc", "compress-type=lz4", "repo1-retention-full=4",
             "repo1-retention-diff=7", "[greenlang]", "pg1-path=/var/lib/postgresql/data", "pg1-port=5432"]:
    assert line in conf.splitlines(), f"pgbackrest.conf lacks {line!r}"
assert "cipher-pass" not in conf and "s3-key" not in conf, "secrets belong in the Secret, not the ConfigMap"
env_map = docs[("ConfigMap", "pgvault-env")]["data"]

# ExternalSecret -> Secret pgbackrest-secrets with the keys the pods reference.
external = docs[("ExternalSecret", "pgbackrest-secrets")]
assert external["spec"]["target"]["name"] == "pgbackrest-secrets"
secret_keys = {d["secretKey"] for d in external["spec"]["data"]}

# ServiceAccount with the IRSA role annotation.
account = docs[("ServiceAccount", "pgvault")]
assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].startswith("arn:aws:iam::")

expected_cronjobs = {
    "pgbackrest-backup-full": ("0 2 1 * *", ["--stanza=greenlang", "--type=full", "backup"]),
    "pgbackrest-backup-diff": ("0 2 * * 0", ["--stanza=greenlang", "--type=diff", "backup"]),
    "pgbackrest-backup-incr": ("0 2 * * 1-6", ["--stanza=greenlang", "--type=incr", "backup"]),
    "pgbackrest-verify": ("0 6 * * *", ["--stanza=greenlang", "verify"]),
}
cronjobs = {name: doc for (kind, name), doc in docs.items() if kind == "CronJob"}
assert set(cronjobs) == set(expected_cronjobs), sorted(cronjobs)

workloads = [doc for (kind, _), doc in docs.items() if kind in ("CronJob", "Job", "Deployment")]
assert len(workloads) == 6, len(workloads)
options = []
for doc in workloads:
    name = doc["metadata"]["name"]
    assert doc["metadata"]["namespace"] == NS, name
    spec = pod_spec(doc)
    assert spec["serviceAccountName"] == "pgvault", name
    pod_security = spec["securityContext"]
    assert pod_security["runAsNonRoot"] is True and pod_security["runAsUser"] != 0, name
    if doc["kind"] == "CronJob" and "backup" in name:
        assert "fsGroup" not in pod_security, f"{name}: fsGroup would re-chmod PGDATA"
    (container,) = spec["containers"]
    assert container["image"] == IMAGE, f"{name}: image {container['image']}"
    assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
    assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
    requests = container["resources"]["requests"]
    assert requests["cpu"] and requests["memory"], name
    assert {"configMapRef": {"name": "pgvault-env"}} in container["envFrom"], name
    # Secrets: the passphrase is required; S3 keys optional (IRSA is the alternative).
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    assert refs["PGBACKREST_REPO1_CIPHER_PASS"] == {"name": "pgbackrest-secrets", "key": "encryption-passphrase"}, name
    for variable, key in [("AWS_ACCESS_KEY_ID", "aws-access-key-id"), ("AWS_SECRET_ACCESS_KEY", "aws-secret-access-key")]:
        assert refs[variable] == {"name": "pgbackrest-secrets", "key": key, "optional": True}, f"{name}: {variable}"
    for ref in refs.values():
        assert ref["name"] == "pgbackrest-secrets" and ref["key"] in secret_keys, f"{name}: {ref}"
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert mounts["config"]["mountPath"] == "/etc/pgbackrest", name
    assert volumes["config"]["configMap"]["name"] == "pgbackrest-config", name
    assert set(mounts) == set(volumes), name
    assert mounts["tmp"]["mountPath"] == "/tmp", f"{name}: lock files need a writable /tmp"

    words = command_line(container)
    commands = [w for w in words if not w.startswith("-")]
    assert len(commands) == 1, f"{name}: {words}"
    if doc["kind"] == "CronJob":
        schedule, expected = expected_cronjobs[name]
        assert doc["spec"]["schedule"] == schedule, f"{name}: {doc['spec']['schedule']}"
        assert doc["spec"]["timeZone"] == "Etc/UTC", name
        assert doc["spec"]["concurrencyPolicy"] == "Forbid", name
        assert words == expected, f"{name}: {words}"
        if "backup" in name:
            assert mounts["pgdata"]["mountPath"] == "/var/lib/postgresql/data" and mounts["pgdata"]["readOnly"], name
            assert doc["spec"]["jobTemplate"]["metadata"]["labels"]["backup-type"] == name.rsplit("-", 1)[1]
        else:
            assert doc["spec"]["jobTemplate"]["metadata"]["labels"]["app.kubernetes.io/component"] == "verify"
    if doc["kind"] == "Job":
        assert name == "pgbackrest-pitr-restore"
        assert spec["restartPolicy"] == "Never"
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["RESTORE_TARGET_TIME"] == "${RESTORE_TARGET_TIME}", "restore: envsubst placeholder"
        for option in ["--stanza=greenlang", "--type=time", "--target=$(RESTORE_TARGET_TIME)",
                       "--target-action=promote", "--pg1-path=/var/lib/postgresql/data-restored", "--delta"]:
            assert option in words, f"restore lacks {option}: {words}"
        assert commands == ["restore"]
        assert volumes["restore"]["persistentVolumeClaim"]["claimName"] == "pgbackrest-restore-pvc"
        assert mounts["restore"]["mountPath"] == "/var/lib/postgresql"
        # restore needs pg1-path to exist: the init container creates it, private, on the same volume.
        (init,) = spec["initContainers"]
        assert init["image"] == IMAGE and init["securityContext"]["allowPrivilegeEscalation"] is False
        assert init["command"] == ["install", "-d", "-m", "0700", "/var/lib/postgresql/data-restored"], init["command"]
        assert init["volumeMounts"] == [{"name": "restore", "mountPath": "/var/lib/postgresql"}]
    if doc["kind"] == "Deployment":
        assert words == ["exporter", "--listen=0.0.0.0:9854"], words
        (port,) = container["ports"]
        assert port["containerPort"] == 9854 and port["name"] == "metrics"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
        assert doc["spec"]["selector"]["matchLabels"].items() <= doc["spec"]["template"]["metadata"]["labels"].items()
    # Options for the binary check: each --option of the command line, and each PGBACKREST_* variable.
    command = commands[0]
    for word in words:
        if word.startswith("--"):
            options.append((command, word[2:].split("=", 1)[0]))
    variables = dict(env_map)
    variables.update({e["name"]: None for e in container["env"]})
    for variable in variables:
        if variable.startswith("PGBACKREST_"):
            options.append((command, variable[len("PGBACKREST_"):].lower().replace("_", "-")))

# Service and ServiceMonitor select the exporter's pods and scrape /metrics on the named port.
deployment = docs[("Deployment", "pgvault-exporter")]
pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
service = docs[("Service", "pgvault-exporter")]
assert service["spec"]["selector"].items() <= pod_labels.items()
(service_port,) = service["spec"]["ports"]
assert service_port["name"] == "metrics" and service_port["port"] == 9854 and service_port["targetPort"] == "metrics"
monitor = docs[("ServiceMonitor", "pgvault-exporter")]
assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
(endpoint,) = monitor["spec"]["endpoints"]
assert endpoint["port"] == "metrics" and endpoint["path"] == "/metrics"

with open(options_out, "w") as out:
    for command, option in sorted(set(options)):
        out.write(f"{command}\t{option}\n")
print(f"manifests ok: {len(workloads)} workloads, {len(set(options))} command options")
PY
  # Every option the manifests hand pgvault exists for that command in the binary under test (`help CMD OPTION`
  # fails with [031] for an option the command does not take).
  pgvault_only "log-format, the exporter and its options are pgvault's" && return 0
  local command option count=0
  while IFS=$'\t' read -r command option; do
    run_pgvault help "$command" "$option"
    [ "$RC" -eq 0 ] || fail "pgvault $command does not take --$option: $OUT $ERR"
    [[ "$OUT" == *"'$command' command - '$option' option"* ]] || fail "help $command $option: $OUT"
    count=$((count + 1))
  done <"$SCRATCH/options.tsv"
  [ "$count" -ge 15 ] || fail "only $count options checked"
  echo "options accepted by $VAULT_BIN: $count"
}

test_backup_jobs_step_aside_on_the_first_of_the_month() {
  # The diff and incr scripts exit 0 without running pgvault on the 1st (the full backup's day) and exec it on
  # other days; run here with a fake `date` and a fake `pgvault` on PATH.
  ensure_pyyaml
  mkdir -p "$SCRATCH/bin"
  printf '#!/bin/sh\necho "pgvault $*"\n' >"$SCRATCH/bin/pgvault"
  local kind day
  for kind in diff incr; do
    python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1]))
c = d["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
assert c["command"] == ["/bin/sh", "-c"]; print(c["args"][0])' \
      "$DEPLOY_DIR/kubernetes/cronjob-backup-$kind.yaml" >"$SCRATCH/$kind.sh"
    for day in 01 07; do
      printf '#!/bin/sh\necho %s\n' "$day" >"$SCRATCH/bin/date"
      chmod +x "$SCRATCH/bin/date" "$SCRATCH/bin/pgvault"
      run_tool_plain env PATH="$SCRATCH/bin:$PATH" /bin/sh "$SCRATCH/$kind.sh"
      assert_rc 0
      if [ "$day" == 01 ]; then
        [[ "$OUT" == *"no $kind backup"* && "$OUT" != *"pgvault --"* ]] || fail "$kind on the 1st: $OUT"
      else
        assert_eq "$OUT" "pgvault --stanza=greenlang --type=$kind backup" "($kind on day $day)"
      fi
    done
  done
}

test_dockerfile_is_multi_stage_with_a_non_root_runtime() {
  python3 - "$DEPLOY_ROOT/Dockerfile" "$DEPLOY_ROOT/.dockerignore" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
# Instructions with continuation lines joined, comments dropped.
lines = [l for l in re.sub(r"\\\n", " ", text).splitlines() if l.strip() and not l.lstrip().startswith("#")]
args = {m.group(1): m.group(2) for m in (re.match(r"ARG (\w+)=(\S+)", l) for l in lines) if m}
stages = []
for line in lines:
    m = re.match(r"FROM (\S+)(?: AS (\w+))?", line, re.I)
    if m:
        image = re.sub(r"\$\{(\w+)\}", lambda v: args[v.group(1)], m.group(1))
        stages.append({"image": image, "name": m.group(2), "lines": []})
    elif stages:
        stages[-1]["lines"].append(line)
assert len(stages) == 2, [s["image"] for s in stages]
build, runtime = stages
assert build["image"] == "swift:6.3-bookworm", build["image"]
assert runtime["image"] == "debian:bookworm-slim", runtime["image"]
build_text, runtime_text = "\n".join(build["lines"]), "\n".join(runtime["lines"])
for package in ["libssl-dev", "liblz4-dev", "libzstd-dev", "zlib1g-dev", "libbz2-dev", "libpq-dev"]:
    assert re.search(rf"\b{re.escape(package)}\b", build_text), f"build stage lacks {package}"
assert re.search(r"swift build -c release --static-swift-stdlib", build_text), "release build with static stdlib"
for package in ["libssl3", "liblz4-1", "libzstd1", "zlib1g", "libbz2-1.0", "libpq5", "ca-certificates"]:
    assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", runtime_text), f"runtime stage lacks {package}"
assert "-dev" not in runtime_text, "no -dev packages at runtime"
assert re.search(rf"COPY --from={build['name']} \S+ /usr/local/bin/pgvault", runtime_text), "binary path"
assert re.search(r"ln -s (/usr/local/bin/)?pgvault /usr/local/bin/pgbackrest", runtime_text), "pgbackrest link"
users = [l.split()[1] for l in runtime["lines"] if l.startswith("USER ")]
assert users and users[-1].split(":")[0] not in ("0", "root"), f"non-root USER: {users}"
assert "useradd" in runtime_text, "the runtime user exists in /etc/passwd"
entry = [l for l in runtime["lines"] if l.startswith("ENTRYPOINT ")]
assert entry and json.loads(entry[-1][len("ENTRYPOINT "):]) == ["pgvault"], entry
ignore = open(sys.argv[2]).read().split()
assert ".build*" in ignore and ".git" in ignore, ignore
for needed in ["Sources", "Tests", "Package.swift"]:
    assert needed not in ignore, needed
print("dockerfile ok")
PY
}

test_dashboard_queries_only_exporter_metrics() {
  python3 - "$DEPLOY_DIR/grafana/pgvault-dashboard.json" "$EXPORTER_METRICS" <<'PY'
import json, re, sys
dashboard = json.load(open(sys.argv[1]))
allowed = set(sys.argv[2].split())
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"}

def metrics_in(expr):
    expr = re.sub(r'\{[^}]*\}', "", expr)                          # label matchers
    expr = re.sub(r'\b(by|without|on|ignoring)\s*\([^)]*\)', "", expr)  # grouping labels
    expr = re.sub(r'"[^"]*"', "", expr)
    names = set()
    for m in re.finditer(r'(?<![\w$.])([a-zA-Z_:][\w:]*)\s*(\()?', expr):
        if m.group(2) or m.group(1) in KEYWORDS:
            continue                                                 # function call or keyword
        names.add(m.group(1))
    return names

panels = [p for p in dashboard["panels"]]
panels += [c for p in dashboard["panels"] for c in p.get("panels", [])]
queried, titles = set(), []
for panel in panels:
    if panel["type"] == "row":
        continue
    titles.append(panel["title"])
    assert panel["targets"], panel["title"]
    for target in panel["targets"]:
        names = metrics_in(target["expr"])
        assert names, f"{panel['title']}: no metric in {target['expr']!r}"
        unknown = names - allowed
        assert not unknown, f"{panel['title']}: unknown metrics {unknown} in {target['expr']!r}"
        queried |= names
for variable in dashboard["templating"]["list"]:
    if variable["type"] == "query":
        metric = re.match(r"label_values\((\w+)", variable["definition"]).group(1)
        assert metric in allowed, variable["definition"]
# What the issue asks the dashboard to show.
for metric in ["pgbackrest_last_backup_timestamp", "pgbackrest_backup_duration_seconds", "pgbackrest_backup_size_bytes",
               "pgbackrest_wal_archive_lag_seconds", "pgbackrest_verify_status", "pgbackrest_recovery_window_seconds"]:
    assert metric in queried, f"dashboard does not show {metric}"
ids = [p["id"] for p in panels]
assert len(ids) == len(set(ids)), "panel ids are unique"
assert dashboard["uid"] == "pgbackrest", "the runbook links grafana/d/pgbackrest"
print(f"dashboard ok: {len(titles)} panels, metrics {sorted(queried)}")
PY
}
