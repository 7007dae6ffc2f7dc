variable "name_prefix" {
  description = "Prefix of every name this stack creates (followed by -fleet)."
  type        = string
  default     = "prodready"
}

variable "region" {
  description = "Region the jobs run in and keep their evidence in."
  type        = string
}

variable "image" {
  description = "The fleet image: docs/examples/fleet-batch/Dockerfile built on the nightly image (docs/examples/nightly-ecs/Dockerfile: prodready and the AWS CLI), with fleet.sh as its entrypoint. Pinned by digest, REPOSITORY@sha256:…, so that every job of a run, and every retry, runs the same build."
  type        = string
  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest: REPOSITORY[:TAG]@sha256:<64 hex digits>."
  }
}

variable "subnet_ids" {
  description = "Subnets for the jobs. Without assign_public_ip they need a NAT gateway: the shards call every scanned region and the member accounts' STS (see docs/nightly.md, Network)."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups for the jobs: no ingress, egress to 443."
  type        = list(string)
}

variable "assign_public_ip" {
  description = "Give each job's task a public IP (subnets with an internet gateway, no NAT gateway)."
  type        = bool
  default     = false
}

variable "max_vcpus" {
  description = "vCPUs the compute environment runs at once, all jobs together: max_vcpus / shard_vcpu shards scan in parallel."
  type        = number
  default     = 16
}

variable "schedule" {
  description = "When the fleet scan starts: an EventBridge schedule expression, in UTC."
  type        = string
  default     = "cron(0 2 * * ? *)"
}

variable "audit_role_name" {
  description = "The role assumed in every member account (a name, or path/name): it carries the policy `prodready permissions` prints and trusts the shard jobs' role (output audit_role_trust_policy)."
  type        = string
  default     = "prodready-audit"
}

variable "exclude_account_ids" {
  description = "Accounts left out of every run: typically the management account, where the audit role is usually not deployed."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for id in var.exclude_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "exclude_account_ids must be 12-digit account ids."
  }
}

variable "scan_regions" {
  description = "Regions each account is scanned in (prodready scan --region, repeated); [\"all\"] scans every region enabled for each account (--all-regions)."
  type        = list(string)
  validation {
    condition     = length(var.scan_regions) > 0
    error_message = "scan_regions needs at least one region (or [\"all\"])."
  }
}

variable "shard_size" {
  description = "Accounts per shard at most (shards are evened out). A shard scans its accounts at once under one --max-concurrency: see docs/scaling.md for its memory."
  type        = number
  default     = 50
  validation {
    condition     = var.shard_size >= 1 && var.shard_size <= 9999 && floor(var.shard_size) == var.shard_size
    error_message = "shard_size must be a whole number from 1 to 9999."
  }
}

variable "shard_vcpu" {
  description = "vCPUs of each shard job (Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16)."
  type        = number
  default     = 1
}

variable "shard_memory" {
  description = "Memory of each shard job in MiB (a Fargate size that fits shard_vcpu)."
  type        = number
  default     = 4096
}

variable "shard_attempts" {
  description = "Attempts of each shard: a partial scan (exit 3) and a job that did not start are tried again, up to this many times in all."
  type        = number
  default     = 3
  validation {
    condition     = var.shard_attempts >= 1 && var.shard_attempts <= 10
    error_message = "shard_attempts must be from 1 to 10 (Batch's limit)."
  }
}

variable "shard_timeout_minutes" {
  description = "Minutes one attempt of a shard may run before Batch stops it."
  type        = number
  default     = 240
}

variable "alert_email" {
  description = "An address subscribed to the alerts topic (the subscription must be confirmed from the mail). Null: subscribe to the topic some other way."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days the jobs' log group keeps its events."
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
  description = "Archive storage class. GLACIER_IR (Glacier Instant Retrieval) stays readable at once, so an old run can still be aggregated or verified; GLACIER or DEEP_ARCHIVE objects need a restore first."
  type        = string
  default     = "GLACIER_IR"
  validation {
    condition     = contains(["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.archive_storage_class)
    error_message = "archive_storage_class must be GLACIER_IR, GLACIER or DEEP_ARCHIVE."
  }
}

variable "kms_key_arn" {
  description = "A customer-managed KMS key for the evidence bucket. Null: SSE-KMS with the AWS managed key aws/s3."
  type        = string
  default     = null
}
