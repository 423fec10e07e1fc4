#!/usr/bin/env bash
# All benchmarks (`make bench`). Each prints its own table; none asserts a speed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/stages/run.sh"
"$here/backup/run.sh"
"$here/s3/run.sh"
