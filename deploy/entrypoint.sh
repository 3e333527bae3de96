#!/bin/sh
# Every Kentra container starts here. nameko reads its broker login from the environment
# (deploy/nameko.yaml), not from a file: a login given as a file (KENTRA_AMQP_URI_FILE, a Docker
# secret or the broker step's output) becomes the variable for this process alone.
set -eu
if [ -n "${KENTRA_AMQP_URI_FILE:-}" ] && [ -z "${KENTRA_AMQP_URI:-}" ]; then
  KENTRA_AMQP_URI="$(cat "$KENTRA_AMQP_URI_FILE")"
  export KENTRA_AMQP_URI
fi
exec "$@"
