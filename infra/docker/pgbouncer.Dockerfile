# PgBouncer (Debian's package) with SCRAM auth, configured from the environment at start; see
# pgbouncer/docker-entrypoint.sh. Used by Compose and Render in front of PostgreSQL.
# Build from the repository root:  docker build -f infra/docker/pgbouncer.Dockerfile -t docfleet-pgbouncer .
FROM debian:bookworm-slim
# A fixed uid (70, as in the official postgres images) so USER can be numeric.
RUN groupadd --system --gid 70 postgres \
    && useradd --system --no-log-init --uid 70 --gid 70 --home-dir /var/lib/postgresql postgres \
    && apt-get update \
    && apt-get install -y --no-install-recommends pgbouncer \
    && rm -rf /var/lib/apt/lists/* \
    && install -d -o postgres -g postgres -m 0700 /run/pgbouncer-docfleet
COPY infra/docker/pgbouncer/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER 70:70
EXPOSE 6432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
