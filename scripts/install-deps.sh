#!/usr/bin/env bash
# Installs the Debian and PyPI packages pgvault's build, tests and demo need. Idempotent: it asks apt and pip only
# for what is missing, so a second run needs no network.
set -euo pipefail

apt_packages=(
  pkg-config libssl-dev liblz4-dev libzstd-dev zlib1g-dev libbz2-dev libpq-dev   # C libraries we link
  lz4 zstd bzip2 gzip openssl                                                     # CLI tools for interop tests
  postgresql-15 postgresql-client-15 postgresql-contrib                           # throwaway clusters
  pgbackrest                                                                      # the compatibility peer (2.45)
  util-linux procps                                                               # runuser, ps
  stunnel4                                                                        # TLS in front of moto (S3 tests)
  prometheus                                                                      # promtool: alert rule tests
  faketime                                                                        # clock going backwards (reliability)
)

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian postgresql package may create and start a default cluster; tests make their own throwaway clusters.
if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q online; then
  pg_lsclusters -h | awk '$4 == "online" {print $1, $2}' | while read -r version name; do
    pg_ctlcluster "$version" "$name" stop || true
  done
fi

# moto_server: the S3 the driver tests and the s3_* integration suites run against (on 127.0.0.1 only); awscli
# prepares buckets and IAM keys in those suites.
pip_packages=("moto[server]" awscli)
# PyYAML: the deploy suite parses the Kubernetes manifests.
pip_packages+=(PyYAML)
for package in "${pip_packages[@]}"; do
  python3 -m pip show "${package%%[*}" >/dev/null 2>&1 || python3 -m pip install -q "$package"
done
