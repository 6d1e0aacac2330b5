#!/usr/bin/env bash
# Set up, then ingest the shipped sample dump (fictional people) into sample.db, draft its roster
# from the officials alone (sample-draft.yaml), analyze with it, and print the canonical table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/backchannel ingest sample/dump --db sample.db
# Start from what a reporter knows: the board members and the organizations' domains.
.venv/bin/backchannel analyze --db sample.db --roster sample/officials.yaml
# The corpus proposes the offices' staff and the organizations' people, each with its evidence.
.venv/bin/backchannel roster draft --db sample.db --roster sample/officials.yaml --out sample-draft.yaml
.venv/bin/backchannel analyze --db sample.db --roster sample-draft.yaml
echo
.venv/bin/backchannel report --db sample.db
cat <<'MSG'

Browse the corpus in Datasette:   .venv/bin/backchannel serve --db sample.db
  the story, every figure a link to its emails:  http://127.0.0.1:8001/-/story/sample
  the canonical table:  http://127.0.0.1:8001/sample/office_contacts
  who works for whom (the roster next to what the corpus suggests):  http://127.0.0.1:8001/-/roster/sample
  charts and the network:  http://127.0.0.1:8001/-/charts/sample   http://127.0.0.1:8001/-/network/sample
MSG
