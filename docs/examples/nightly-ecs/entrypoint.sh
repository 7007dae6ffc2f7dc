#!/usr/bin/env bash
# The nightly task (see docs/nightly.md): the account's history from S3, one signed scan,
# the new evidence and the reports back to S3.
# Exit code: prodready's (0 nothing newly fails, 1 new failures, 2 nothing scanned,
# 3 partial scan); 2 also when the history cannot be read or the results cannot be stored.
#
# Environment (set by the task definition):
#   EVIDENCE_BUCKET        the bucket for history/, runs/ and config/
#   SCAN_REGIONS           space-separated regions to scan
#   PRODREADY_SIGNING_KEY  the Ed25519 private key, from Secrets Manager
#   SCAN_ROLE_ARN          optional: a role to assume for the scan (another account)
#   CONFIG_S3_KEY          optional: the object holding prodready.toml
set -euo pipefail
die() { echo "entrypoint: $*" >&2; exit 2; }
trap 'die "line $LINENO failed"' ERR   # a failure of this script is exit 2, never 1

[[ -n ${EVIDENCE_BUCKET:-} ]] || die "EVIDENCE_BUCKET is not set"
[[ -n ${SCAN_REGIONS:-} ]] || die "SCAN_REGIONS is not set"
[[ -n ${PRODREADY_SIGNING_KEY:-} ]] || die "PRODREADY_SIGNING_KEY is empty: put the private key into the secret"
s3="s3://$EVIDENCE_BUCKET"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key="$work/key.pem"
(umask 077 && printf '%s\n' "$PRODREADY_SIGNING_KEY" >"$key")
unset PRODREADY_SIGNING_KEY

if [[ -n ${SCAN_ROLE_ARN:-} ]]; then
  account=$(cut -d: -f5 <<<"$SCAN_ROLE_ARN")
else
  account=$(aws sts get-caller-identity --query Account --output text) ||
    die "cannot tell which account this is (sts get-caller-identity)"
fi

history="$work/history"
mkdir -p "$history"
aws s3 sync "$s3/history/$account/" "$history/" --only-show-errors --ignore-glacier-warnings ||
  die "cannot download $s3/history/$account/"
# The newest stored scan of this account is the baseline: the names sort by time.
# shellcheck disable=SC2012 # prodready names these files: no odd characters
baseline=$(LC_ALL=C ls -1 "$history"/scan-"$account"-*.json 2>/dev/null | tail -n 1 || true)

args=(scan --sign-key "$key" --history "$history" --output-dir "$work/out" --format table --no-color)
read -ra region_list <<<"$SCAN_REGIONS"
for r in "${region_list[@]}"; do args+=(--region "$r"); done
if [[ -n ${SCAN_ROLE_ARN:-} ]]; then args+=(--role-arn "$SCAN_ROLE_ARN"); fi
if [[ -n ${CONFIG_S3_KEY:-} ]]; then
  aws s3 cp "$s3/$CONFIG_S3_KEY" "$work/prodready.toml" --only-show-errors ||
    die "cannot download $s3/$CONFIG_S3_KEY"
  args+=(--config "$work/prodready.toml")
fi
if [[ -n $baseline ]]; then
  args+=(--baseline "$baseline" --fail-on new)
else
  echo "entrypoint: no earlier scan of $account: exit 1 will mean any failing check" >&2
fi

code=0
prodready "${args[@]}" || code=$?
rm -f "$key"
case $code in
  0 | 1 | 3) ;;
  2) die "prodready exited 2: see its error above" ;;
  *) die "prodready stopped with exit code $code" ;;
esac

# shellcheck disable=SC2012
new=$(LC_ALL=C ls -1 "$history"/scan-"$account"-*.json 2>/dev/null | tail -n 1 || true)
[[ -n $new && $new != "$baseline" ]] || die "the scan ended with exit $code but stored no evidence in $history"
stamp=$(basename "$new" .json)
stamp=${stamp#scan-"$account"-}
prodready history "$history" --format html --output "$work/out/trend.html" ||
  echo "entrypoint: prodready history failed; no trend.html this time" >&2

# The history first: it is the evidence, and tomorrow's baseline.
aws s3 sync "$history/" "$s3/history/$account/" --only-show-errors ||
  die "the scan ended with exit $code, but $new could not be stored"
aws s3 cp "$work/out/" "$s3/runs/$account/$stamp/" --recursive --only-show-errors ||
  die "the scan ended with exit $code, but the reports could not be stored"

echo "entrypoint: account $account, exit $code, reports in $s3/runs/$account/$stamp/" >&2
exit "$code"
