#!/usr/bin/env bash
# Smoke test of a deployed PayLedger, run by the delivery pipeline after each deploy (and by hand).
#
#   COMMANDS_URL=https://api.example QUERIES_URL=https://api.example MERCHANT_TOKEN=... scripts/smoke-test.sh
#
# Always: both APIs answer, refuse an anonymous caller with 401, and accept the merchant's token.
# With SANDBOX_URL set (dev and staging, where gateway-saga talks to the Fiuu sandbox): one payment goes
# from creation through the sandbox's hosted page to capture, and the query API shows each step.
# Production runs without SANDBOX_URL: no money moves in a smoke test.
set -euo pipefail

: "${COMMANDS_URL:?COMMANDS_URL is required}"
: "${QUERIES_URL:?QUERIES_URL is required}"
: "${MERCHANT_TOKEN:?MERCHANT_TOKEN is required}"
PATIENCE="${PATIENCE:-60}"   # seconds to wait for each step of the payment

fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

anonymous=$(status_of -X POST "$COMMANDS_URL/v1/payments" -H 'Content-Type: application/json' -d '{}')
[[ "$anonymous" == 401 ]] || fail "an anonymous create answered $anonymous, not 401"
anonymous=$(status_of "$QUERIES_URL/v1/payments")
[[ "$anonymous" == 401 ]] || fail "an anonymous query answered $anonymous, not 401"
listed=$(status_of "$QUERIES_URL/v1/payments?limit=1" -H "Authorization: Bearer $MERCHANT_TOKEN")
[[ "$listed" == 200 ]] || fail "the merchant's payment list answered $listed"
echo "smoke: both APIs answer and check tokens"

[[ -n "${SANDBOX_URL:-}" ]] || { echo "smoke: passed (read-only)"; exit 0; }

payment_field() { # id, jq filter: the payment as the query API shows it
  curl -s --max-time 10 "$QUERIES_URL/v1/payments/$1" -H "Authorization: Bearer $MERCHANT_TOKEN" | jq -r "$2"
}
await_status() { # id, status
  local deadline=$((SECONDS + PATIENCE)) seen=""
  while (( SECONDS < deadline )); do
    seen=$(payment_field "$1" '.status // empty')
    [[ "$seen" == "$2" ]] && return 0
    sleep 0.5
  done
  fail "payment $1 is '$seen', not '$2', after ${PATIENCE}s"
}

reference="SMOKE-$(date +%s)-$RANDOM"
created=$(curl -s --max-time 10 -X POST "$COMMANDS_URL/v1/payments" -H "Authorization: Bearer $MERCHANT_TOKEN" \
  -H "Idempotency-Key: $reference" -H 'Content-Type: application/json' \
  -d "{\"merchantReference\":\"$reference\",\"amount\":100,\"currency\":\"MYR\",\"captureMethod\":\"manual\",\"returnUrl\":\"https://smoke.example/return\"}")
id=$(jq -r '.id // empty' <<<"$created")
[[ -n "$id" ]] || fail "create did not answer a payment: $created"
await_status "$id" awaiting_customer
page=$(payment_field "$id" '.nextAction.redirectUrl')
query="${page#*\?}"
path="${page%%\?*}"; path="/${path#*://*/}"
paid=$(status_of -X POST "$SANDBOX_URL${path}decide" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data "$query&outcome=pay")
[[ "$paid" == 303 ]] || fail "the sandbox's hosted page answered $paid to the customer's payment"
await_status "$id" authorised
captured=$(status_of -X POST "$COMMANDS_URL/v1/payments/$id/captures" -H "Authorization: Bearer $MERCHANT_TOKEN" \
  -H 'Content-Type: application/json' -d '{}')
[[ "$captured" == 202 ]] || fail "capture answered $captured"
await_status "$id" captured
echo "smoke: payment $id went from creation to captured through the sandbox"
echo "smoke: passed"
