# prodready every night on ECS Fargate, started by EventBridge (see docs/nightly.md).
#
#   evidence bucket   history/ACCOUNT/scan-ACCOUNT-YYYYMMDDTHHMMSSZ.json  signed evidence, the baselines
#                     runs/ACCOUNT/YYYYMMDDTHHMMSSZ/                      evidence.json, report.md/.html/.txt, trend.html
#                     config/prodready.toml                               the thresholds (optional)
#   ECR repository    the image (Dockerfile, entrypoint.sh)
#   ECS               a cluster and a task definition; the task role reads the account, the
#                     execution role pulls the image and injects the signing key
#   EventBridge       the schedule, and an alert on a task that stops with a non-zero exit code

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
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
  name       = "${var.name_prefix}-scanner"

  # Written by `prodready permissions`: the exact read-only actions of this prodready,
  # regenerated on every upgrade, never copied by hand.
  scanner_policy = jsondecode(file(coalesce(var.scanner_policy_file, "${path.module}/scanner-policy.json")))

  config_key = "config/prodready.toml"
}

# --- Evidence bucket -------------------------------------------------------------------

resource "aws_s3_bucket" "evidence" {
  bucket              = "${var.name_prefix}-evidence-${local.account_id}-${var.region}"
  object_lock_enabled = var.object_lock_days > 0
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

resource "aws_s3_bucket_object_lock_configuration" "evidence" {
  count  = var.object_lock_days > 0 ? 1 : 0
  bucket = aws_s3_bucket.evidence.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = var.object_lock_days
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

resource "aws_s3_object" "config" {
  count              = var.config_file == null ? 0 : 1
  bucket             = aws_s3_bucket.evidence.id
  key                = local.config_key
  source             = var.config_file
  source_hash        = filemd5(var.config_file) # not etag: an SSE-KMS object's ETag is no MD5
  content_type       = "application/toml"
  checksum_algorithm = "SHA256" # Object Lock requires a checksum on every upload

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.evidence]
}

# --- Image, logs, cluster --------------------------------------------------------------

resource "aws_ecr_repository" "scanner" {
  name                 = local.name
  image_tag_mutability = "IMMUTABLE" # a tag names one build of prodready, for good
  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_cloudwatch_log_group" "scanner" {
  name              = "/ecs/${local.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "scanner" {
  name = local.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# --- The signing key -------------------------------------------------------------------

# Only the secret is created here. Its value (the file `prodready keygen --private` wrote)
# is put in with the AWS CLI, so the private key never enters the Terraform state.
resource "aws_secretsmanager_secret" "signing_key" {
  name                    = "${local.name}/signing-key"
  description             = "prodready Ed25519 private key for signing the nightly evidence"
  recovery_window_in_days = 30
}

# --- Roles -----------------------------------------------------------------------------

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

# The execution role: ECS uses it to pull the image, write the logs and read the secret.
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

# The task role: what the scanner itself may do.
resource "aws_iam_role" "task" {
  name               = "${local.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

# Reading the account. With scan_role_arn, the role assumed carries this policy instead.
resource "aws_iam_role_policy" "task_read_only" {
  count  = var.scan_role_arn == null ? 1 : 0
  name   = "prodready-read-only"
  role   = aws_iam_role.task.id
  policy = jsonencode(local.scanner_policy)
}

data "aws_iam_policy_document" "task_evidence" {
  # The scanner policy also allows s3:ListBucket on every bucket (it looks for Terraform
  # state files); this statement is what remains when scan_role_arn is set.
  statement {
    sid       = "ListHistory"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.evidence.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["history/*"]
    }
  }
  statement {
    sid     = "ReadHistoryAndConfig"
    actions = ["s3:GetObject"]
    resources = [
      "${aws_s3_bucket.evidence.arn}/history/*",
      "${aws_s3_bucket.evidence.arn}/${local.config_key}",
    ]
  }
  statement {
    sid     = "WriteHistoryAndReports"
    actions = ["s3:PutObject"]
    resources = [
      "${aws_s3_bucket.evidence.arn}/history/*",
      "${aws_s3_bucket.evidence.arn}/runs/*",
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
  dynamic "statement" {
    for_each = var.scan_role_arn == null ? [] : [var.scan_role_arn]
    content {
      sid       = "AssumeScanRole"
      actions   = ["sts:AssumeRole"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "task_evidence" {
  name   = "evidence-bucket"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_evidence.json
}

# --- Task definition -------------------------------------------------------------------

resource "aws_ecs_task_definition" "scanner" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = "prodready"
      image     = "${aws_ecr_repository.scanner.repository_url}:${var.image_tag}"
      essential = true
      environment = concat(
        [
          { name = "AWS_REGION", value = var.region },
          { name = "EVIDENCE_BUCKET", value = aws_s3_bucket.evidence.id },
          { name = "SCAN_REGIONS", value = join(" ", var.scan_regions) },
        ],
        var.scan_role_arn == null ? [] : [{ name = "SCAN_ROLE_ARN", value = var.scan_role_arn }],
        var.config_file == null ? [] : [{ name = "CONFIG_S3_KEY", value = local.config_key }],
      )
      # The private key reaches the container as a secret, never as a plain environment value.
      secrets = [
        { name = "PRODREADY_SIGNING_KEY", valueFrom = aws_secretsmanager_secret.signing_key.arn },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.scanner.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "scan"
        }
      }
    }
  ])
}

# --- Schedule --------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${local.name}-schedule"
  description         = "Runs the prodready scan"
  schedule_expression = var.schedule
}

data "aws_iam_policy_document" "events_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

# The role EventBridge starts the task with: this task definition on this cluster, and
# passing exactly the two roles the task uses.
resource "aws_iam_role" "events" {
  name               = "${local.name}-events"
  assume_role_policy = data.aws_iam_policy_document.events_trust.json
}

data "aws_iam_policy_document" "events_run_task" {
  statement {
    sid       = "RunScanTask"
    actions   = ["ecs:RunTask"]
    resources = ["${aws_ecs_task_definition.scanner.arn_without_revision}:*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.scanner.arn]
    }
  }
  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task.arn, aws_iam_role.execution.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "events_run_task" {
  name   = "run-scan-task"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events_run_task.json
}

resource "aws_cloudwatch_event_target" "scan" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = aws_ecs_cluster.scanner.arn
  role_arn = aws_iam_role.events.arn

  ecs_target {
    task_definition_arn = aws_ecs_task_definition.scanner.arn
    task_count          = 1
    launch_type         = "FARGATE"
    platform_version    = "LATEST"
    network_configuration {
      subnets          = var.subnet_ids
      security_groups  = var.security_group_ids
      assign_public_ip = false
    }
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

# A scan task that stopped with a non-zero exit code (1 new failures, 2 nothing scanned,
# 3 partial scan), or that never started (image pull, secret, network).
resource "aws_cloudwatch_event_rule" "task_failed" {
  name        = "${local.name}-failed"
  description = "A prodready scan task stopped with a non-zero exit code, or did not start"
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      clusterArn = [aws_ecs_cluster.scanner.arn]
      lastStatus = ["STOPPED"]
      "$or" = [
        { containers = { exitCode = [{ "anything-but" = 0 }] } },
        { stopCode = ["TaskFailedToStart"] },
      ]
    }
  })
}

resource "aws_cloudwatch_event_target" "task_failed" {
  rule = aws_cloudwatch_event_rule.task_failed.name
  arn  = aws_sns_topic.alerts.arn

  input_transformer {
    input_paths = {
      exit_code = "$.detail.containers[0].exitCode"
      reason    = "$.detail.stoppedReason"
      task      = "$.detail.taskArn"
    }
    input_template = "\"prodready scan: exit code <exit_code> (1 = something newly fails, 3 = partial scan: some reads failed, 2 = nothing scanned or results not stored; blank = the task did not start). Stopped: <reason>. Task: <task>. Log group: ${aws_cloudwatch_log_group.scanner.name}.\""
  }
}

# EventBridge could not start the task at all (RunTask refused).
resource "aws_cloudwatch_metric_alarm" "schedule_failed" {
  alarm_name          = "${local.name}-not-started"
  alarm_description   = "EventBridge could not start the prodready scan task"
  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = { RuleName = aws_cloudwatch_event_rule.schedule.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
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
      values   = [aws_cloudwatch_event_rule.task_failed.arn]
    }
  }
  statement {
    sid       = "CloudWatchAlarmPublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_metric_alarm.schedule_failed.arn]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}
