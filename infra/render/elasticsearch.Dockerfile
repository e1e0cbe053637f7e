# Elasticsearch for Temporal's visibility store on Render (a private service with a disk).
# Build from the repository root:  docker build -f infra/render/elasticsearch.Dockerfile .
FROM elasticsearch:7.17.27
COPY --chown=1000:0 infra/render/elasticsearch.yml /usr/share/elasticsearch/config/elasticsearch.yml
USER 1000:0
