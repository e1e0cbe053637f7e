# Temporal server for Render: the official server image plus the admin tools it needs to set up
# its own schemas and namespace at start (Render blueprints have no one-shot jobs).
# Build from the repository root:  docker build -f infra/render/temporal.Dockerfile .
ARG TEMPORAL_VERSION=1.31.0

FROM temporalio/admin-tools:${TEMPORAL_VERSION} AS tools

FROM temporalio/server:${TEMPORAL_VERSION}
COPY --from=tools /usr/local/bin/temporal /usr/local/bin/temporal-sql-tool \
    /usr/local/bin/temporal-elasticsearch-tool /usr/local/bin/
COPY --from=tools /etc/temporal/schema /etc/temporal/schema
COPY infra/compose/temporal/setup-schema.sh infra/compose/temporal/create-namespace.sh \
    infra/render/temporal-start.sh /docfleet/
COPY infra/compose/temporal/dynamicconfig.yaml /etc/temporal/config/dynamicconfig/docfleet.yaml
ENV DYNAMIC_CONFIG_FILE_PATH=/etc/temporal/config/dynamicconfig/docfleet.yaml BIND_ON_IP=0.0.0.0
USER 1000:1000
EXPOSE 7233
CMD ["/bin/sh", "/docfleet/temporal-start.sh"]
