output "evidence_bucket" {
  description = "The bucket holding runs/RUN/: the shards, each shard's evidence and reports, the organisation report."
  value       = aws_s3_bucket.evidence.id
}

output "job_queue_arn" {
  value = aws_batch_job_queue.fleet.arn
}

output "plan_job_definition_arn" {
  description = "The job the schedule submits: it lists the accounts and submits the other two."
  value       = aws_batch_job_definition.plan.arn
}

output "shard_job_definition_arn" {
  value = aws_batch_job_definition.shard.arn
}

output "aggregate_job_definition_arn" {
  value = aws_batch_job_definition.aggregate.arn
}

output "signing_key_secret_arn" {
  description = "Put the private key into this secret (aws secretsmanager put-secret-value)."
  value       = aws_secretsmanager_secret.signing_key.arn
}

output "shard_role_arn" {
  description = "The role the shard jobs run as: the one principal each member account's audit role trusts."
  value       = aws_iam_role.shard.arn
}

output "audit_role_trust_policy" {
  description = "The trust policy of the audit role (audit_role_name) in every member account. Its permissions: the policy `prodready permissions` prints."
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ProdreadyFleetShards"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.shard.arn }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.fleet.name
}

output "alerts_topic_arn" {
  description = "Subscribe whoever runs the scanner: a job that failed for good is published here."
  value       = aws_sns_topic.alerts.arn
}

output "submit_plan_command" {
  description = "Starts one run now, as the schedule would."
  value = join(" ", [
    "aws batch submit-job --region ${var.region}",
    "--job-name ${local.name}-plan",
    "--job-queue ${aws_batch_job_queue.fleet.arn}",
    "--job-definition ${aws_batch_job_definition.plan.arn}",
  ])
}
