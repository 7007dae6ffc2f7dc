#!/usr/bin/env bash
# prodready over a whole organisation on AWS Batch (see docs/scaling.md): the three steps of
# one run, each a job of the same image.
#
#   fleet.sh plan       lists the organisation's active accounts, writes them as accounts files
#                       of at most SHARD_SIZE accounts to s3://BUCKET/runs/RUN/shards/,
#                       and submits the shard jobs (an array job, a child per shard) and the
#                       aggregate job, which waits for all of them
#   fleet.sh shard      scans one shard (AWS_BATCH_JOB_ARRAY_INDEX): signed evidence and
#                       reports to s3://BUCKET/runs/RUN/shard-NNN/ACCOUNT/
#   fleet.sh aggregate  the organisation report from every shard's evidence:
#                       s3://BUCKET/runs/RUN/organization.md and organization.json, and
#                       missing-accounts.txt: the planned accounts that have no evidence
#
# Exit code: 0 done. prodready's exit 1 (some check fails) is a result, not a failure: 0.
# `shard` exits 3 when the scan was partial (some reads failed) and Batch has attempts left,
# so that the job definition's retry strategy runs it again; on the last attempt the partial
# evidence stands (the report marks it) and it exits 0, so that the aggregate still runs.
# 2: prodready stopped with 2 (nothing scanned), or this script failed: named on stderr.
#
# Environment (set by the job definitions, RUN_ID by the plan job's submissions):
#   EVIDENCE_BUCKET            the evidence bucket (every step)
#   AWS_REGION                 the bucket's and the job queue's region (every step)
#   RUN_ID                     the run: runs/RUN_ID/ in the bucket (shard, aggregate; plan
#                              makes one from the time, YYYYMMDDTHHMMSSZ, when it is unset)
#   AUDIT_ROLE                 plan: the role to assume in each account (a name, or path/name)
#   SHARD_SIZE                 plan: accounts per shard at most (default 50), evened out
#   EXCLUDE_ACCOUNTS           plan: account ids to leave out, separated by spaces or commas
#   JOB_QUEUE                  plan: the queue to submit to
#   SHARD_JOB_DEFINITION       plan: the job definition of `shard`
#   AGGREGATE_JOB_DEFINITION   plan: the job definition of `aggregate`
#   JOB_NAME_PREFIX            plan: the submitted jobs' names start with it (default prodready)
#   SCAN_REGIONS               shard: the regions to scan, space-separated, or `all`
#   PRODREADY_SIGNING_KEY      shard: the Ed25519 private key (from Secrets Manager)
#   AWS_BATCH_JOB_ARRAY_INDEX  shard: which shard (set by Batch; SHARD_INDEX overrides it)
#   AWS_BATCH_JOB_ATTEMPT      shard: this attempt (set by Batch, from 1)
#   SHARD_ATTEMPTS             shard: the attempts the job definition allows
#   PRODREADY_BIN              the prodready binary (default prodready, on the PATH)
#   AWS_ENDPOINT_URL           optional: send every AWS call there (an emulator); the AWS CLI
#                              and prodready both read it
set -Eeuo pipefail # -E: the ERR trap fires inside the functions too
die() {
  echo "fleet: $*" >&2
  exit 2
}
trap 'die "line $LINENO failed"' ERR # a failure of this script is exit 2, never 1 or 3

need() {
  local name
  for name in "$@"; do
    [[ -n ${!name:-} ]] || die "$name is not set"
  done
}

step=${1:-}
case $step in
  plan | shard | aggregate) ;;
  *) die "usage: fleet.sh plan|shard|aggregate (got: ${step:-nothing})" ;;
esac
prodready=${PRODREADY_BIN:-prodready}
need EVIDENCE_BUCKET AWS_REGION
bucket=$EVIDENCE_BUCKET
region=$AWS_REGION
[[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "EVIDENCE_BUCKET is not a bucket name: $bucket"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check_run() {
  [[ $1 =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "RUN_ID must be 1 to 64 letters, digits, - or _: $1"
}

# --- plan ------------------------------------------------------------------------------

plan() {
  need AUDIT_ROLE JOB_QUEUE SHARD_JOB_DEFINITION AGGREGATE_JOB_DEFINITION
  local run=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)}
  check_run "$run"
  local prefix="s3://$bucket/runs/$run" size=${SHARD_SIZE:-50} jobs=${JOB_NAME_PREFIX:-prodready}
  [[ $size =~ ^[1-9][0-9]{0,3}$ ]] || die "SHARD_SIZE must be a number of accounts from 1 to 9999: $size"
  [[ $AUDIT_ROLE =~ ^[A-Za-z0-9+=,.@_/-]+$ ]] || die "AUDIT_ROLE must be a role name (or path/name): $AUDIT_ROLE"
  [[ $jobs =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$ ]] || die "JOB_NAME_PREFIX must be letters, digits, - or _: $jobs"

  local -A excluded=()
  local -a exclude_list
  local id
  local exclude=${EXCLUDE_ACCOUNTS:-}
  read -ra exclude_list <<<"${exclude//,/ }"
  for id in "${exclude_list[@]}"; do
    [[ $id =~ ^[0-9]{12}$ ]] || die "EXCLUDE_ACCOUNTS holds $id, which is no account id"
    excluded[$id]=1
  done

  # Every page (the CLI follows NextToken); State is the current field, Status the older one.
  local listing="$work/accounts.tsv"
  aws organizations list-accounts --region "$region" --output text \
    --query 'Accounts[].[Id, Arn, State || Status]' >"$listing" ||
    die "cannot list the organisation's accounts (organizations:ListAccounts answers in the management account or a delegated administrator)"

  local -a ids=() roles=()
  local arn state partition skipped=0 left_out=0
  while IFS=$'\t' read -r id arn state; do
    [[ -n $id ]] || continue
    [[ $id =~ ^[0-9]{12}$ ]] || die "organizations list-accounts answered $id, which is no account id"
    if [[ $state != ACTIVE ]]; then
      echo "fleet: account $id is $state: not scanned" >&2
      skipped=$((skipped + 1))
    elif [[ -n ${excluded[$id]:-} ]]; then
      left_out=$((left_out + 1))
    else
      ids+=("$id")
      # The role's ARN is in the account's partition; an accounts file's plain name means `aws`.
      partition=$(cut -d: -f2 <<<"$arn")
      if [[ $partition == aws || -z $partition ]]; then
        roles+=("$AUDIT_ROLE")
      else
        roles+=("arn:$partition:iam::$id:role/$AUDIT_ROLE")
      fi
    fi
  done < <(sort -u "$listing")
  ((${#ids[@]} > 0)) || die "no active account left to scan ($skipped not active, $left_out excluded)"

  # As few shards as SHARD_SIZE allows, evened out (51 accounts by 50: 26 and 25, not 50 and
  # 1): prodready scans an accounts file of one account as a plain scan, which exits 2, not 3,
  # when the role cannot be assumed, and would fail its job for good.
  local total=${#ids[@]} shard_count i file
  shard_count=$(((total + size - 1) / size))
  ((shard_count <= 10000)) || die "$shard_count shards: an array job holds at most 10,000; raise SHARD_SIZE"
  local shards="$work/shards"
  mkdir "$shards"
  for i in "${!ids[@]}"; do
    file=$(printf '%s/accounts-%03d.toml' "$shards" "$((i * shard_count / total))")
    printf '[[account]]\nid = "%s"\nrole = "%s"\n\n' "${ids[$i]}" "${roles[$i]}" >>"$file"
  done
  aws s3 cp "$shards/" "$prefix/shards/" --recursive --only-show-errors --region "$region" ||
    die "cannot upload the shards to $prefix/shards/"

  # An array job has 2 to 10,000 children: a single shard is a plain job.
  local env shard_job aggregate_job
  local -a array=()
  if ((shard_count > 1)); then
    env="{\"environment\":[{\"name\":\"RUN_ID\",\"value\":\"$run\"}]}"
    array=(--array-properties "size=$shard_count")
  else
    env="{\"environment\":[{\"name\":\"RUN_ID\",\"value\":\"$run\"},{\"name\":\"SHARD_INDEX\",\"value\":\"0\"}]}"
  fi
  shard_job=$(aws batch submit-job --region "$region" --job-name "$jobs-shards-$run" \
    --job-queue "$JOB_QUEUE" --job-definition "$SHARD_JOB_DEFINITION" "${array[@]}" \
    --container-overrides "$env" --query jobId --output text) ||
    die "cannot submit the shard jobs to $JOB_QUEUE"
  env="{\"environment\":[{\"name\":\"RUN_ID\",\"value\":\"$run\"}]}"
  aggregate_job=$(aws batch submit-job --region "$region" --job-name "$jobs-aggregate-$run" \
    --job-queue "$JOB_QUEUE" --job-definition "$AGGREGATE_JOB_DEFINITION" \
    --depends-on "jobId=$shard_job" --container-overrides "$env" --query jobId --output text) ||
    die "submitted the shard jobs ($shard_job) but not the aggregate job: run it by hand with RUN_ID=$run"

  echo "fleet: run $run: ${#ids[@]} accounts in $shard_count shard(s) of at most $size ($skipped not active, $left_out excluded)" >&2
  echo "fleet: shard jobs $shard_job, aggregate job $aggregate_job; shards in $prefix/shards/" >&2
}

# --- shard -----------------------------------------------------------------------------

shard() {
  need RUN_ID SCAN_REGIONS
  [[ -n ${PRODREADY_SIGNING_KEY:-} ]] || die "PRODREADY_SIGNING_KEY is empty: put the private key into the secret"
  check_run "$RUN_ID"
  local prefix="s3://$bucket/runs/$RUN_ID" index=${SHARD_INDEX:-${AWS_BATCH_JOB_ARRAY_INDEX:-}}
  [[ $index =~ ^[0-9]{1,5}$ ]] || die "no shard number: AWS_BATCH_JOB_ARRAY_INDEX (or SHARD_INDEX) is ${index:-not set}"
  local n
  n=$(printf '%03d' "$((10#$index))")

  # The key only ever in a 0600 file, removed on exit, and out of the environment before any
  # other program starts.
  local key="$work/key.pem"
  (umask 077 && printf '%s\n' "$PRODREADY_SIGNING_KEY" >"$key")
  unset PRODREADY_SIGNING_KEY

  aws s3 cp "$prefix/shards/accounts-$n.toml" "$work/accounts.toml" --only-show-errors --region "$region" ||
    die "cannot download $prefix/shards/accounts-$n.toml"

  local -a args=(scan --accounts "$work/accounts.toml" --output-dir "$work/out" --sign-key "$key"
    --format table --no-color)
  local -a region_list
  read -ra region_list <<<"$SCAN_REGIONS"
  if [[ ${region_list[*]} == all ]]; then
    args+=(--all-regions)
  else
    local r
    for r in "${region_list[@]}"; do args+=(--region "$r"); done
  fi

  local code=0
  "$prodready" "${args[@]}" || code=$?
  rm -f "$key"
  case $code in
    0 | 1 | 3) ;;
    2) die "prodready exited 2 on shard $n: see its error above" ;;
    *) die "prodready stopped with exit code $code on shard $n" ;;
  esac
  [[ -d $work/out ]] || die "the scan of shard $n ended with exit $code but wrote nothing"
  # The shard's own organization.json is no evidence: the aggregate would skip it, naming it.
  # Its organization.md and .txt stay, naming the accounts whose role could not be assumed.
  aws s3 cp "$work/out/" "$prefix/shard-$n/" --recursive --exclude organization.json \
    --only-show-errors --region "$region" ||
    die "the scan of shard $n ended with exit $code, but its evidence could not be stored in $prefix/shard-$n/"

  local attempt=${AWS_BATCH_JOB_ATTEMPT:-1} attempts=${SHARD_ATTEMPTS:-1}
  if ((code == 3)); then
    if ((attempt < attempts)); then
      echo "fleet: shard $n is partial (attempt $attempt of $attempts): exit 3, for Batch to retry" >&2
      exit 3
    fi
    echo "fleet: shard $n is partial after $attempt attempt(s): its evidence stands, marked partial" >&2
  fi
  echo "fleet: shard $n, exit $code, evidence in $prefix/shard-$n/" >&2
}

# --- aggregate -------------------------------------------------------------------------

aggregate() {
  need RUN_ID
  check_run "$RUN_ID"
  local prefix="s3://$bucket/runs/$RUN_ID" format
  for format in markdown json; do
    "$prodready" aggregate "$prefix/" --region "$region" --format "$format" \
      --output "$work/organization.${format/markdown/md}" ||
      die "prodready aggregate $prefix/ failed: see its error above"
  done

  # Accounts planned but without evidence: their role could not be assumed (each shard's
  # organization.md names why), or their shard never ran.
  aws s3 cp "$prefix/shards/" "$work/shards/" --recursive --only-show-errors --region "$region" ||
    die "cannot download $prefix/shards/"
  local planned scanned
  compgen -G "$work/shards/accounts-*.toml" >/dev/null || die "no shards in $prefix/shards/"
  planned=$(cat "$work"/shards/accounts-*.toml | sed -n 's/^id = "\([0-9]\{12\}\)"$/\1/p' | sort -u)
  scanned=$(sed -n 's/^ *"account_id": "\([0-9]\{12\}\)",*$/\1/p' "$work/organization.json" | sort -u)
  comm -23 <(printf '%s\n' "$planned") <(printf '%s\n' "$scanned") | sed '/^$/d' >"$work/missing-accounts.txt"

  local file
  for file in organization.md organization.json missing-accounts.txt; do
    aws s3 cp "$work/$file" "$prefix/$file" --only-show-errors --region "$region" ||
      die "cannot upload $prefix/$file"
  done
  local missing
  missing=$(wc -l <"$work/missing-accounts.txt")
  if ((missing > 0)); then
    echo "fleet: $missing planned account(s) have no evidence in $prefix/ (listed in missing-accounts.txt):" >&2
    head -n 20 "$work/missing-accounts.txt" >&2
  fi
  echo "fleet: run $RUN_ID: $prefix/organization.md and organization.json" >&2
}

"$step"
