variable "name_prefix" {
  description = "Prefix of every name this stack creates."
  type        = string
  default     = "prodready"
}

variable "region" {
  description = "Region the scanner runs in and keeps its evidence in."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the task. No public IP is assigned: they need a NAT gateway (or VPC endpoints for every service the scan reads, see docs/nightly.md)."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups for the task: no ingress, egress to 443."
  type        = list(string)
}

variable "schedule" {
  description = "When the scan runs: an EventBridge schedule expression, in UTC."
  type        = string
  default     = "cron(0 3 * * ? *)"
}

variable "scan_regions" {
  description = "Regions to scan (prodready scan --region, repeated)."
  type        = list(string)
}

variable "image_tag" {
  description = "Tag of the scanner image in the ECR repository this stack creates."
  type        = string
}

variable "scanner_policy_file" {
  description = "The scanner's read-only IAM policy, as written by `prodready permissions > scanner-policy.json`. Default: scanner-policy.json in this directory."
  type        = string
  default     = null
}

variable "scan_role_arn" {
  description = "A role to assume for the scan (prodready scan --role-arn), e.g. a read-only role in another account that carries the scanner policy. Null: the task role scans this account itself."
  type        = string
  default     = null
}

variable "config_file" {
  description = "A prodready.toml to scan with (see docs/configuration.md), uploaded to config/prodready.toml in the evidence bucket. Null: the default thresholds."
  type        = string
  default     = null
}

variable "alert_email" {
  description = "An address subscribed to the alerts topic (the subscription must be confirmed from the mail). Null: subscribe to the topic some other way."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days the task's log group keeps its events."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "archive_after_days" {
  description = "Days after which evidence and reports move to archive storage."
  type        = number
  default     = 90
}

variable "archive_storage_class" {
  description = "Archive storage class. GLACIER_IR (Glacier Instant Retrieval) stays readable at once, so the task still downloads the whole history for the trend; GLACIER or DEEP_ARCHIVE objects need a restore first, and the task then sees only the last archive_after_days of history."
  type        = string
  default     = "GLACIER_IR"
  validation {
    condition     = contains(["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.archive_storage_class)
    error_message = "archive_storage_class must be GLACIER_IR, GLACIER or DEEP_ARCHIVE."
  }
}

variable "kms_key_arn" {
  description = "A customer-managed KMS key for the evidence bucket. Null: SSE-KMS with the AWS managed key aws/s3 (which cannot be shared with another account)."
  type        = string
  default     = null
}

variable "object_lock_days" {
  description = "Days each evidence object is locked in COMPLIANCE mode: nobody, the root user included, can delete or overwrite it before then. 0: no Object Lock. Decide before the first apply: switching between 0 and non-zero replaces the bucket, and a bucket with locked objects cannot be emptied or destroyed until their retention ends."
  type        = number
  default     = 0
}

variable "task_cpu" {
  description = "Task CPU units (Fargate)."
  type        = number
  default     = 512
}

variable "task_memory" {
  description = "Task memory in MiB (Fargate)."
  type        = number
  default     = 1024
}
