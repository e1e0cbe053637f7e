#!/bin/sh
# One-shot job (temporalio/admin-tools): registers the namespace the workers use, once the
# server answers. Safe to re-run.
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
    echo "waiting for Temporal at $TEMPORAL_ADDRESS"; sleep 3
done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$namespace" >/dev/null 2>&1 \
    || temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$namespace" \
        --retention "${TEMPORAL_RETENTION:-7d}"
echo "namespace $namespace ready"
