#!/bin/sh
# One-shot schema job (temporalio/admin-tools): the Temporal database in PostgreSQL and the
# visibility index in Elasticsearch. Safe to re-run: existing schemas are only brought up to date.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}" "${ES_SEEDS:?}" "${ES_VIS_INDEX:?}"
db_port="${DB_PORT:-5432}"
es_url="${ES_SCHEME:-http}://${ES_SEEDS}:${ES_PORT:-9200}"
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$db_port" -u "$POSTGRES_USER" "$@"; }

echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$db_port"
until nc -z "$POSTGRES_SEEDS" "$db_port"; do sleep 2; done
sql --db "${DBNAME:-temporal}" create-database 2>/dev/null || echo "database ${DBNAME:-temporal} exists"
sql --db "${DBNAME:-temporal}" setup-schema -v 0.0 2>/dev/null || echo "schema already set up"
sql --db "${DBNAME:-temporal}" update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned

echo "setting up the visibility index $ES_VIS_INDEX at $es_url"
if command -v temporal-elasticsearch-tool >/dev/null; then
    temporal-elasticsearch-tool --ep "$es_url" setup-schema
    temporal-elasticsearch-tool --ep "$es_url" create-index --index "$ES_VIS_INDEX" \
        || echo "index $ES_VIS_INDEX exists"
else
    until curl -sf "$es_url/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null; do sleep 2; done
    curl -sf -X PUT "$es_url/_template/temporal_visibility_v1_template" -H 'Content-Type: application/json' \
        --data-binary "@/etc/temporal/schema/elasticsearch/visibility/index_template_${ES_VERSION:-v7}.json"
    curl -sf --head "$es_url/$ES_VIS_INDEX" >/dev/null || curl -sf -X PUT "$es_url/$ES_VIS_INDEX"
fi
echo "Temporal schemas ready"
