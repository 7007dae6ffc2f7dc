# prodready over a whole organisation with AWS Batch on Fargate (see docs/scaling.md): one
# schedule, three steps of one script (fleet.sh) in one image (Dockerfile).
#
#   EventBridge       the schedule: submits the plan job
#   plan job          lists the organisation's active accounts, writes them as shards (accounts
#                     files), submits the shard array job and the aggregate job after it
#   shard jobs        an array job, a child per shard: assumes the audit role in each of its
#                     accounts, scans them, uploads the signed evidence; a partial scan (exit 3)
#                     is retried
#   aggregate job     the organisation report, from every shard's evidence in the bucket
#   evidence bucket   runs/RUN/shards/accounts-NNN.toml        the plan's shards
#                     runs/RUN/shard-NNN/ACCOUNT/              evidence.json (signed), report.*
#                     runs/RUN/shard-NNN/organization.md/.txt  the shard's summary, naming the
#                                                              accounts it could not scan
#                     runs/RUN/organization.md, .json          the organisation report
#                     runs/RUN/missing-accounts.txt            planned accounts with no evidence
#   member accounts   an audit role (var.audit_role_name) carrying the policy `prodready
#                     permissions` prints, trusting the shard jobs' role: the output
#                     audit_role_trust_policy; they are set up outside this stack
#
# Deploy it in the organisation's management account, or in an account Organizations lets
# list the accounts (a delegated administrator, or a resource-based delegation policy).

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.40 added the job queue's compute_environment_order; 6.0 renames the compute
      # environment's name argument.
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  name       = "${var.name_prefix}-fleet"

  # The audit role in every account: its name is the same everywhere, the account varies.
  audit_role_arn = "arn:${local.partition}:iam::*:role/${var.audit_role_name}"

  # What every job's container shares.
  network          = { assignPublicIp = var.assign_public_ip ? "ENABLED" : "DISABLED" }
  fargate_platform = { platformVersion = "LATEST" }
  runtime_platform = { operatingSystemFamily = "LINUX", cpuArchitecture = "X86_64" }
  common_environment = [
    { name = "AWS_REGION", value = var.region },
    { name = "EVIDENCE_BUCKET", value = aws_s3_bucket.evidence.id },
  ]
  log_options = {
    "awslogs-group"  = aws_cloudwatch_log_group.fleet.name
    "awslogs-region" = var.region
  }
}

# --- Evidence bucket -------------------------------------------------------------------

resource "aws_s3_bucket" "evidence" {
  bucket = "${local.name}-evidence-${local.account_id}-${var.region}"
}

resource "aws_s3_bucket_ownership_controls" "evidence" {
  bucket = aws_s3_bucket.evidence.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "evidence" {
  bucket                  = aws_s3_bucket.evidence.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "evidence" {
  bucket = aws_s3_bucket.evidence.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "evidence" {
  bucket = aws_s3_bucket.evidence.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn # null: the AWS managed key aws/s3
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "evidence" {
  bucket = aws_s3_bucket.evidence.id

  # Nothing expires: the evidence is kept. Add an expiration here if a retention period applies.
  rule {
    id     = "archive"
    status = "Enabled"
    filter {}
    transition {
      days          = var.archive_after_days
      storage_class = var.archive_storage_class
    }
    noncurrent_version_transition {
      noncurrent_days = var.archive_after_days
      storage_class   = var.archive_storage_class
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.evidence]
}

data "aws_iam_policy_document" "evidence_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.evidence.arn, "${aws_s3_bucket.evidence.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "evidence" {
  bucket = aws_s3_bucket.evidence.id
  policy = data.aws_iam_policy_document.evidence_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.evidence]
}

# --- Logs and the signing key ----------------------------------------------------------

resource "aws_cloudwatch_log_group" "fleet" {
  name              = "/aws/batch/${local.name}"
  retention_in_days = var.log_retention_days
}

# Only the secret is created here. Its value (the file `prodready keygen --private` wrote)
# is put in with the AWS CLI, so the private key never enters the Terraform state.
resource "aws_secretsmanager_secret" "signing_key" {
  name                    = "${local.name}/signing-key"
  description             = "prodready Ed25519 private key for signing the fleet's evidence"
  recovery_window_in_days = 30
}

# --- Roles -----------------------------------------------------------------------------

# Batch runs Fargate jobs as ECS tasks: ECS assumes both the execution role and the job roles.
data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# The execution role: pulls the image, writes the logs, reads the signing key for the shards.
resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secret" {
  statement {
    sid       = "ReadSigningKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.signing_key.arn]
  }
}

resource "aws_iam_role_policy" "execution_secret" {
  name   = "signing-key"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secret.json
}

# A job role per step, each allowed its step only: the plan cannot scan, the shards cannot
# submit jobs, and only the shards' role can assume the audit role in the member accounts.

resource "aws_iam_role" "plan" {
  name               = "${local.name}-plan"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "plan" {
  statement {
    sid       = "ListAccounts"
    actions   = ["organizations:ListAccounts"]
    resources = ["*"]
  }
  statement {
    sid       = "WriteShards"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.evidence.arn}/runs/*/shards/*"]
  }
  statement {
    sid     = "SubmitShardsAndAggregate"
    actions = ["batch:SubmitJob"]
    resources = [
      aws_batch_job_queue.fleet.arn,
      "${aws_batch_job_definition.shard.arn_prefix}:*",
      "${aws_batch_job_definition.aggregate.arn_prefix}:*",
    ]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "UseEvidenceKey"
      actions   = ["kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "plan" {
  name   = "plan"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan.json
}

resource "aws_iam_role" "shard" {
  name               = "${local.name}-shard"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "shard" {
  statement {
    sid       = "AssumeAuditRole"
    actions   = ["sts:AssumeRole"]
    resources = [local.audit_role_arn]
  }
  statement {
    sid       = "ReadShards"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.evidence.arn}/runs/*/shards/*"]
  }
  statement {
    sid       = "WriteEvidence"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.evidence.arn}/runs/*/shard-*"]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "UseEvidenceKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "shard" {
  name   = "shard"
  role   = aws_iam_role.shard.id
  policy = data.aws_iam_policy_document.shard.json
}

resource "aws_iam_role" "aggregate" {
  name               = "${local.name}-aggregate"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "aggregate" {
  statement {
    sid       = "ListRuns"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.evidence.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["runs/*"]
    }
  }
  statement {
    sid       = "ReadRuns"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.evidence.arn}/runs/*"]
  }
  statement {
    sid     = "WriteReport"
    actions = ["s3:PutObject"]
    resources = [
      "${aws_s3_bucket.evidence.arn}/runs/*/organization.md",
      "${aws_s3_bucket.evidence.arn}/runs/*/organization.json",
      "${aws_s3_bucket.evidence.arn}/runs/*/missing-accounts.txt",
    ]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "UseEvidenceKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "aggregate" {
  name   = "aggregate"
  role   = aws_iam_role.aggregate.id
  policy = data.aws_iam_policy_document.aggregate.json
}

# --- Batch: compute environment and queue ----------------------------------------------

# Fargate: no instances to manage; Batch starts a task per job and stops it after. No
# service_role: Batch uses its service-linked role (AWSServiceRoleForBatch).
resource "aws_batch_compute_environment" "fleet" {
  compute_environment_name = local.name
  type                     = "MANAGED"

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = var.max_vcpus
    subnets            = var.subnet_ids
    security_group_ids = var.security_group_ids
  }
}

resource "aws_batch_job_queue" "fleet" {
  name     = local.name
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.fleet.arn
  }
}

# --- Batch: job definitions, one per step of fleet.sh ----------------------------------

resource "aws_batch_job_definition" "shard" {
  name                  = "${local.name}-shard"
  type                  = "container"
  platform_capabilities = ["FARGATE"]

  container_properties = jsonencode({
    image            = var.image
    command          = ["shard"]
    jobRoleArn       = aws_iam_role.shard.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = [
      { type = "VCPU", value = tostring(var.shard_vcpu) },
      { type = "MEMORY", value = tostring(var.shard_memory) },
    ]
    environment = concat(local.common_environment, [
      { name = "SCAN_REGIONS", value = join(" ", var.scan_regions) },
      { name = "SHARD_ATTEMPTS", value = tostring(var.shard_attempts) },
    ])
    # The private key reaches the container as a secret, never as a plain environment value.
    secrets = [
      { name = "PRODREADY_SIGNING_KEY", valueFrom = aws_secretsmanager_secret.signing_key.arn },
    ]
    networkConfiguration         = local.network
    fargatePlatformConfiguration = local.fargate_platform
    runtimePlatform              = local.runtime_platform
    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "shard" })
    }
  })

  # A partial scan (exit 3: throttling, a region or a role that did not answer) is tried
  # again; any other exit code is final (fleet.sh exits 0 for a scan with failing checks, 2
  # for one that could not run). A job that stopped without an exit code (its task did not
  # start) matches no rule, and Batch retries those too.
  retry_strategy {
    attempts = var.shard_attempts
    evaluate_on_exit {
      action       = "RETRY"
      on_exit_code = "3"
    }
    evaluate_on_exit {
      action       = "EXIT"
      on_exit_code = "*"
    }
  }

  timeout {
    attempt_duration_seconds = var.shard_timeout_minutes * 60
  }
}

resource "aws_batch_job_definition" "aggregate" {
  name                  = "${local.name}-aggregate"
  type                  = "container"
  platform_capabilities = ["FARGATE"]

  container_properties = jsonencode({
    image            = var.image
    command          = ["aggregate"]
    jobRoleArn       = aws_iam_role.aggregate.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = [
      { type = "VCPU", value = "1" },
      { type = "MEMORY", value = "2048" },
    ]
    environment                  = local.common_environment
    networkConfiguration         = local.network
    fargatePlatformConfiguration = local.fargate_platform
    runtimePlatform              = local.runtime_platform
    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "aggregate" })
    }
  })

  # It only reads and writes the bucket: a second attempt is safe.
  retry_strategy {
    attempts = 2
  }

  timeout {
    attempt_duration_seconds = 3600
  }
}

resource "aws_batch_job_definition" "plan" {
  name                  = "${local.name}-plan"
  type                  = "container"
  platform_capabilities = ["FARGATE"]

  container_properties = jsonencode({
    image            = var.image
    command          = ["plan"]
    jobRoleArn       = aws_iam_role.plan.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = [
      { type = "VCPU", value = "0.25" },
      { type = "MEMORY", value = "512" },
    ]
    environment = concat(
      local.common_environment,
      [
        { name = "AUDIT_ROLE", value = var.audit_role_name },
        { name = "SHARD_SIZE", value = tostring(var.shard_size) },
        { name = "JOB_QUEUE", value = aws_batch_job_queue.fleet.arn },
        { name = "SHARD_JOB_DEFINITION", value = aws_batch_job_definition.shard.arn },
        { name = "AGGREGATE_JOB_DEFINITION", value = aws_batch_job_definition.aggregate.arn },
        { name = "JOB_NAME_PREFIX", value = local.name },
      ],
      # No variable rather than an empty one: Batch drops an empty value, and Terraform would
      # then replace the job definition on every apply.
      length(var.exclude_account_ids) == 0 ? [] : [
        { name = "EXCLUDE_ACCOUNTS", value = join(" ", var.exclude_account_ids) },
      ],
    )
    networkConfiguration         = local.network
    fargatePlatformConfiguration = local.fargate_platform
    runtimePlatform              = local.runtime_platform
    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "plan" })
    }
  })

  # Not retried: a second plan would submit a second set of shards.
  retry_strategy {
    attempts = 1
  }

  timeout {
    attempt_duration_seconds = 900
  }
}

# --- Schedule --------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${local.name}-schedule"
  description         = "Starts the prodready fleet scan (its plan job)"
  schedule_expression = var.schedule
}

data "aws_iam_policy_document" "events_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# The role EventBridge submits the plan job with: that job definition, on this queue.
resource "aws_iam_role" "events" {
  name               = "${local.name}-events"
  assume_role_policy = data.aws_iam_policy_document.events_trust.json
}

data "aws_iam_policy_document" "events_submit_plan" {
  statement {
    sid     = "SubmitPlan"
    actions = ["batch:SubmitJob"]
    resources = [
      aws_batch_job_queue.fleet.arn,
      "${aws_batch_job_definition.plan.arn_prefix}:*",
    ]
  }
}

resource "aws_iam_role_policy" "events_submit_plan" {
  name   = "submit-plan"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events_submit_plan.json
}

resource "aws_cloudwatch_event_target" "plan" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = aws_batch_job_queue.fleet.arn
  role_arn = aws_iam_role.events.arn

  batch_target {
    job_definition = aws_batch_job_definition.plan.arn
    job_name       = "${local.name}-plan"
  }

  retry_policy {
    maximum_retry_attempts       = 2
    maximum_event_age_in_seconds = 3600
  }
}

# --- Alerts ----------------------------------------------------------------------------

resource "aws_sns_topic" "alerts" {
  name = "${local.name}-alerts"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alert_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

# A job of this queue that failed for good: a plan that could not list or submit, a shard
# that could not scan (exit 2) or ran out of attempts, an aggregate that could not read the
# bucket (and an aggregate whose shards failed: it fails with them).
resource "aws_cloudwatch_event_rule" "job_failed" {
  name        = "${local.name}-failed"
  description = "A prodready fleet job failed"
  event_pattern = jsonencode({
    source        = ["aws.batch"]
    "detail-type" = ["Batch Job State Change"]
    detail = {
      jobQueue = [aws_batch_job_queue.fleet.arn]
      status   = ["FAILED"]
    }
  })
}

resource "aws_cloudwatch_event_target" "job_failed" {
  rule = aws_cloudwatch_event_rule.job_failed.name
  arn  = aws_sns_topic.alerts.arn

  input_transformer {
    input_paths = {
      job    = "$.detail.jobName"
      id     = "$.detail.jobId"
      reason = "$.detail.statusReason"
    }
    input_template = "\"prodready fleet: job <job> (<id>) failed: <reason>. Its log is in ${aws_cloudwatch_log_group.fleet.name}.\""
  }
}

data "aws_iam_policy_document" "alerts_topic" {
  statement {
    sid       = "EventBridgePublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.job_failed.arn]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}
