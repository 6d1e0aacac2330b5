#!/usr/bin/env bash
# Set up, then ingest the shipped sample dump (fictional people) into sample.db, draft its roster
# from the officials alone (sample-draft.yaml), analyze with it (analyze prints the canonical
# table as soon as the counts are saved, before it reads entities), then one topic's line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/backchannel ingest sample/dump --db sample.db
# Start from what a reporter knows: the board members and the organizations' domains (the
# names in the text are read on the last run).
.venv/bin/backchannel analyze --db sample.db --roster sample/officials.yaml --entities later
# The corpus proposes the offices' staff and the organizations' people, each with its evidence.
.venv/bin/backchannel roster draft --db sample.db --roster sample/officials.yaml --out sample-draft.yaml
.venv/bin/backchannel analyze --db sample.db --roster sample-draft.yaml
echo
# One topic: the same counts, of the emails a search matches only.
.venv/bin/backchannel report --db sample.db --query '"charter expansion"' --totals
cat <<'MSG'

Browse the corpus in Datasette:   .venv/bin/backchannel serve --db sample.db
  the story, every figure a link to its emails:  http://127.0.0.1:8001/-/story/sample
  the canonical table:  http://127.0.0.1:8001/sample/office_contacts
  who works for whom (the roster next to what the corpus suggests):  http://127.0.0.1:8001/-/roster/sample
  charts and the network:  http://127.0.0.1:8001/-/charts/sample   http://127.0.0.1:8001/-/network/sample
  one topic:  http://127.0.0.1:8001/-/story/sample?q=%22charter+expansion%22

The emails behind a figure, for a fact-checker (CSV, HTML or PDF):
  .venv/bin/backchannel evidence --db sample.db --organization "Better Schools Now" \
      --official "Dana Whitfield" --query '"charter expansion"' --out whitfield-charter.pdf
MSG
