output "evidence_bucket" {
  description = "The bucket holding history/, runs/ and config/."
  value       = aws_s3_bucket.evidence.id
}

output "ecr_repository_url" {
  description = "Push the scanner image here, tagged with image_tag."
  value       = aws_ecr_repository.scanner.repository_url
}

output "signing_key_secret_arn" {
  description = "Put the private key into this secret (aws secretsmanager put-secret-value)."
  value       = aws_secretsmanager_secret.signing_key.arn
}

output "cluster_arn" {
  value = aws_ecs_cluster.scanner.arn
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.scanner.arn
}

output "task_role_arn" {
  description = "The role the scanner reads the account with."
  value       = aws_iam_role.task.arn
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.scanner.name
}

output "alerts_topic_arn" {
  description = "Subscribe whoever answers a failed or regressed scan."
  value       = aws_sns_topic.alerts.arn
}

output "run_task_command" {
  description = "Starts one scan now, as the schedule would."
  value = join(" ", [
    "aws ecs run-task --region ${var.region}",
    "--cluster ${aws_ecs_cluster.scanner.arn}",
    "--task-definition ${aws_ecs_task_definition.scanner.arn}",
    "--launch-type FARGATE",
    "--network-configuration 'awsvpcConfiguration={subnets=[${join(",", var.subnet_ids)}],securityGroups=[${join(",", var.security_group_ids)}],assignPublicIp=DISABLED}'",
  ])
}
