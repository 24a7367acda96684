#!/usr/bin/env bash
# Demo data for a running stack (`make up` or scripts/run-stack.sh): creates a demo club and
# its API key, five members with profiles, a handful of hand-written activities (a live
# show, a Q&A answer, a referral, a purchase...), then pushes a short synthetic load through
# fanheat-load (its own prepared club) and prints the first stored activities back through
# Subscribe. Idempotent enough to run twice (a second run creates a second demo club).
#
#   scripts/demo.sh                     uses .build/release (FANHEAT_BUILD=debug for debug)
#   FANHEAT_DEMO_LOAD_CALLS=0 scripts/demo.sh     skip the synthetic load
#
# Needs FANHEAT_ADMIN_KEY (run-stack keeps a generated one in var/admin.key and this script
# reads it from there when the variable is unset).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.build/${FANHEAT_BUILD:-release}"
DATA="${FANHEAT_DATA_DIR:-$ROOT/var}"
LOAD_CALLS="${FANHEAT_DEMO_LOAD_CALLS:-200}"
export FANHEAT_IDENTITY_ADDR="${FANHEAT_IDENTITY_ADDR:-127.0.0.1:7001}"
export FANHEAT_INGEST_ADDR="${FANHEAT_INGEST_ADDR:-127.0.0.1:7002}"
if [ -z "${FANHEAT_ADMIN_KEY:-}" ]; then
  [ -s "$DATA/admin.key" ] || { echo "demo: set FANHEAT_ADMIN_KEY (or start the stack with scripts/run-stack.sh first)" >&2; exit 2; }
  FANHEAT_ADMIN_KEY="$(cat "$DATA/admin.key")"
fi
export FANHEAT_ADMIN_KEY
for tool in fanheat fanheat-load; do
  [ -x "$BIN/$tool" ] || { echo "demo: $BIN/$tool missing: run 'make release' (or FANHEAT_BUILD=debug)" >&2; exit 1; }
done
fanheat() { "$BIN/fanheat" "$@"; }
step() { echo; echo "demo: $*"; }

step "creating the demo club (admin key)"
CLUB=$(fanheat club create --name "Demo Club $(date +%H%M%S)" --time-zone Asia/Tokyo --locale ja-JP)
echo "club $CLUB"

step "creating a club API key (the secret is shown once)"
KEY=$(fanheat key create --club "$CLUB" --name demo)
echo "key ${KEY:0:25}… (kept in $DATA/demo.env)"
mkdir -p "$DATA"
(umask 077; printf 'export FANHEAT_DEMO_CLUB=%s\nexport FANHEAT_API_KEY=%s\n' "$CLUB" "$KEY" > "$DATA/demo.env")

step "five members join (with the club's key)"
export FANHEAT_API_KEY="$KEY"
join() { local member=$1; shift; echo "$member joined: membership number $(fanheat member join --api-key "$KEY" --club "$CLUB" --member "$member" "$@")"; }
join aiko --name "Aiko" --birthday 03-14 --time-zone Asia/Tokyo --locale ja-JP --channel push
join ben --name "Ben" --birthday 1994-07-02 --time-zone Europe/London --locale en-GB --channel email
join chika --name "Chika" --time-zone Asia/Tokyo --locale ja-JP --opt-out offers
join dario --name "Dario" --time-zone Europe/Rome --locale it-IT
join emi --name "Emi" --time-zone Asia/Tokyo --locale ja-JP

step "activities: Aiko comes to every show and answers questions; Ben buys; Chika brings a friend"
send() { fanheat activity send --api-key "$KEY" --club "$CLUB" "$@"; }
send --member aiko --kind live_attendance --item tour-2026-osaka --event-id demo-1
send --member aiko --kind qa_answer --item thread-42 --event-id demo-2
send --member aiko --kind sns_post --item tour-2026-osaka --attribute network=x --event-id demo-3
send --member ben --kind purchase --item tshirt-black-l --value 4500 --currency JPY --event-id demo-4
send --member chika --kind referral --item dario --event-id demo-5
send --member dario --kind music_play --item track-07 --value 215 --event-id demo-6
echo "resending demo-1 (acknowledged as a duplicate, never stored twice):"
send --member aiko --kind live_attendance --item tour-2026-osaka --event-id demo-1
echo "an activity of someone who is not a member is rejected:"
send --member stranger --kind login --event-id demo-7 || true

if [ "$LOAD_CALLS" -gt 0 ]; then
  step "synthetic load: fanheat-load prepares its own club and 1000 members, then sends $LOAD_CALLS batches of 50"
  "$BIN/fanheat-load" --ingest-addr "$FANHEAT_INGEST_ADDR" --identity-addr "$FANHEAT_IDENTITY_ADDR" \
    --members 1000 --batch 50 --concurrency 8 --count "$LOAD_CALLS"
fi

step "the demo club's stored activities, read back through Subscribe (a club key sees only its club)"
fanheat activity tail --api-key "$KEY" --from 0 --limit 20

cat <<MSG

demo: done. Club $CLUB; its key is in $DATA/demo.env (source it to use FANHEAT_API_KEY).
  fanheat member list --club $CLUB
  fanheat activity tail --from 0 --follow          # with FANHEAT_API_KEY set: tail the club's activities
MSG
