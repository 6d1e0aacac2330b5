#!/usr/bin/env bash
# Set up, then ingest and analyze the shipped sample dump (fictional people) into sample.db,
# and print the canonical table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/backchannel ingest sample/dump --db sample.db
.venv/bin/backchannel analyze --db sample.db --roster sample/roster.yaml
echo
.venv/bin/backchannel report --db sample.db
cat <<'MSG'

Browse the corpus in Datasette:   .venv/bin/backchannel serve --db sample.db
  the story, every figure a link to its emails:  http://127.0.0.1:8001/-/story/sample
  the canonical table:  http://127.0.0.1:8001/sample/office_contacts
  charts and the network:  http://127.0.0.1:8001/-/charts/sample   http://127.0.0.1:8001/-/network/sample
MSG
