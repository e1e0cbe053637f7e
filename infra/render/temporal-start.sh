#!/bin/sh
# Render start command of the Temporal service: bring the schemas up to date, register the
# namespace once the frontend answers (in the background), then run the server in the foreground.
set -eu
/bin/sh /docfleet/setup-schema.sh
TEMPORAL_ADDRESS="127.0.0.1:${FRONTEND_GRPC_PORT:-7233}" /bin/sh /docfleet/create-namespace.sh &
exec /etc/temporal/entrypoint.sh
