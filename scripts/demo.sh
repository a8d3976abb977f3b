#!/bin/sh
# The main job against the embedded emulator: plan, apply, plan again (empty).
# Usage: scripts/demo.sh [path/to/revsync]
set -eu
REVSYNC=${1:-revsync}
cd "$(dirname "$0")/.."
mkdir -p .demo
rm -f .demo/emulator.db .demo/emulator.db-wal .demo/emulator.db-shm
DB=--emulator=.demo/emulator.db
# a stand-in for the real secret; in CI it comes from the secret store
export SLACK_FINOPS_WEBHOOK="${SLACK_FINOPS_WEBHOOK:-https://hooks.slack.com/services/T000/B000/demo}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "revsync validate examples/quickstart"
"$REVSYNC" validate examples/quickstart

step "revsync plan examples/quickstart   (the emulator starts empty)"
"$REVSYNC" plan examples/quickstart "$DB"

step "revsync apply examples/quickstart --auto-approve"
"$REVSYNC" apply examples/quickstart "$DB" --auto-approve -v

step "revsync plan examples/quickstart --detailed-exitcode   (nothing left to do: exit 0)"
"$REVSYNC" plan examples/quickstart "$DB" --detailed-exitcode
echo "exit code: $?"
