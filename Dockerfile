# syntax=docker/dockerfile:1
# The `myorg` binary in a small Debian image: `docker build -t myorg-assistant:0.1.0 .`
# (BuildKit, the default builder, keeps cargo's registry and target directory
# between builds). The build and runtime stages use the same Debian release, so the
# binary finds the same glibc and libssl it was linked against.

FROM rust:1.95-slim-trixie AS build
# git2 links OpenSSL (pkg-config finds libssl-dev); libgit2, libssh2 and zlib are
# built from their crates' bundled sources, so the runtime needs none of them.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin myorg \
    && cp target/release/myorg /usr/local/bin/myorg

FROM debian:trixie-slim
# Only the shared libraries the binary needs and the TLS roots for https remotes and
# LLM providers. No git (libgit2 is linked in) and no curl (see HEALTHCHECK).
# Versions follow the base image's Debian release rather than being pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3t64 \
    && rm -rf /var/lib/apt/lists/*
# A fixed, unprivileged UID/GID (10001, outside the range of distribution and host
# users), the same one the Kubernetes manifests run as and own the volume with.
RUN groupadd --gid 10001 myorg \
    && useradd --uid 10001 --gid 10001 --no-log-init --no-create-home \
        --home-dir /data --shell /usr/sbin/nologin myorg \
    && mkdir /data \
    && chown 10001:10001 /data
COPY --from=build /usr/local/bin/myorg /usr/local/bin/myorg

# The store's clone (and, unless store.state_dir says otherwise, its state inside
# .git) lives on the volume; nothing else is written.
ENV MYORG_REPO_PATH=/data/store \
    MYORG_HTTP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
EXPOSE 8080

# GET /healthz with bash's /dev/tcp, so the image needs no curl or wget (which the
# slim image lacks, and which would only serve this check): the status line must say
# 200. The port is taken from MYORG_HTTP_ADDR. Kubernetes ignores HEALTHCHECK and
# uses the httpGet probes in k8s/deployment.yaml instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>\"/dev/tcp/127.0.0.1/${MYORG_HTTP_ADDR##*:}\" && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && IFS= read -r status <&3 && [[ $status == HTTP/1.?' 200'* ]]"]

ENTRYPOINT ["myorg"]
CMD ["run"]
