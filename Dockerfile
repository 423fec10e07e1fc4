# syntax=docker/dockerfile:1
# pgvault container image: a Swift 6.3 release build, then a slim Debian 12 runtime holding only the shared C
# libraries the binary links (OpenSSL's libcrypto, lz4, zstd, zlib, bzip2, libpq). The Swift runtime is linked
# statically, so the runtime stage needs no Swift toolchain. The binary answers to both `pgvault` and `pgbackrest`,
# so scripts and archive_command lines written for pgBackRest 2.45 run unchanged.
#
#   docker build -t ghcr.io/greenlang/pgvault:0.1.0 .
#   docker run --rm ghcr.io/greenlang/pgvault:0.1.0 version

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- build stage --------------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pkg-config libssl-dev liblz4-dev libzstd-dev zlib1g-dev libbz2-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the manifest (or the pinned versions) change.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
# Tests/ is copied only because the manifest declares test targets; they are not built.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product pgvault \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/pgvault" /out/pgvault

# ---- runtime stage ------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl3 liblz4-1 libzstd1 zlib1g libbz2-1.0 libpq5 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
# uid/gid 999 is the postgres user of the official PostgreSQL images: a backup pod that mounts PGDATA reads the
# cluster's files (mode 0700) as their owner, and restored files belong to the server that will start on them.
RUN groupadd --system --gid 999 pgvault \
 && useradd --system --uid 999 --gid 999 --home-dir /var/lib/pgvault --shell /usr/sbin/nologin pgvault \
 && install -d -o 999 -g 999 -m 0750 /var/lib/pgvault /etc/pgbackrest /var/log/pgbackrest /var/spool/pgbackrest \
      /tmp/pgbackrest
COPY --from=build /out/pgvault /usr/local/bin/pgvault
RUN ln -s pgvault /usr/local/bin/pgbackrest
USER 999:999
WORKDIR /var/lib/pgvault
# `pgvault exporter --listen=0.0.0.0:9854` serves /metrics and /healthz here.
EXPOSE 9854
ENTRYPOINT ["pgvault"]
CMD ["version"]
