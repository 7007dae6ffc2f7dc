//! The least-privilege IAM policy the scanner needs, generated from the operations its
//! collectors call. A test asserts every call a full scan makes is listed here, so the policy
//! cannot fall behind the code; another that every action only reads.

use serde_json::json;

use crate::error::iam_action;

/// Every (service, operation) a collector calls, by the service label the call log uses.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("acm", "ListCertificates"),
    ("application-autoscaling", "DescribeScalableTargets"),
    ("application-autoscaling", "DescribeScalingPolicies"),
    ("backup", "DescribeRegionSettings"),
    ("backup", "GetBackupPlan"),
    ("backup", "GetBackupSelection"),
    ("backup", "ListBackupPlans"),
    ("backup", "ListBackupSelections"),
    ("backup", "ListBackupVaults"),
    ("backup", "ListRestoreJobs"),
    ("cloudfront", "ListDistributions"),
    ("cloudtrail", "DescribeTrails"),
    ("cloudtrail", "GetEventSelectors"),
    ("cloudtrail", "GetTrailStatus"),
    ("cloudwatch", "DescribeAlarms"),
    ("cloudwatch", "GetMetricData"),
    ("cloudwatch", "ListDashboards"),
    ("codepipeline", "ListPipelines"),
    ("dynamodb", "DescribeContinuousBackups"),
    ("dynamodb", "DescribeTable"),
    ("dynamodb", "ListGlobalTables"),
    ("dynamodb", "ListTables"),
    ("ec2", "DescribeFlowLogs"),
    ("ec2", "DescribeNatGateways"),
    // --all-regions only.
    ("ec2", "DescribeRegions"),
    ("ec2", "DescribeSecurityGroups"),
    ("ec2", "DescribeSubnets"),
    ("ecr", "DescribeRepositories"),
    ("ecr", "GetRegistryScanningConfiguration"),
    ("ecs", "DescribeClusters"),
    ("ecs", "DescribeServices"),
    ("ecs", "DescribeTaskDefinition"),
    ("ecs", "ListClusters"),
    ("ecs", "ListServices"),
    ("elbv2", "DescribeLoadBalancerAttributes"),
    ("elbv2", "DescribeLoadBalancers"),
    ("elbv2", "DescribeTargetGroups"),
    ("events", "ListRules"),
    ("guardduty", "GetDetector"),
    ("guardduty", "GetUsageStatistics"),
    ("guardduty", "ListDetectors"),
    ("iam", "ListOpenIDConnectProviders"),
    ("kms", "DescribeKey"),
    ("kms", "GetKeyRotationStatus"),
    ("kms", "ListKeys"),
    ("lambda", "ListFunctions"),
    ("logs", "DescribeLogGroups"),
    ("route53", "ListHostedZones"),
    ("route53", "ListResourceRecordSets"),
    ("s3", "GetBucketEncryption"),
    ("s3", "GetBucketLifecycleConfiguration"),
    ("s3", "GetBucketLocation"),
    ("s3", "GetBucketReplication"),
    ("s3", "GetBucketVersioning"),
    ("s3", "GetPublicAccessBlock"),
    ("s3", "ListBuckets"),
    ("s3control", "GetPublicAccessBlock"),
    ("s3", "ListObjectsV2"),
    ("secretsmanager", "ListSecrets"),
    ("sns", "GetTopicAttributes"),
    ("sns", "ListSubscriptions"),
    ("sns", "ListTopics"),
    ("tag", "GetResources"),
    ("wafv2", "GetRuleGroup"),
    ("wafv2", "GetWebACL"),
];

/// The IAM actions, sorted, without duplicates.
pub fn actions() -> Vec<String> {
    let mut actions: Vec<String> = OPERATIONS
        .iter()
        .map(|(service, op)| iam_action(service, op))
        .collect();
    actions.sort();
    actions.dedup();
    actions
}

/// The policy document, pretty-printed.
pub fn policy() -> String {
    let doc = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ProdreadyReadOnly",
            "Effect": "Allow",
            "Action": actions(),
            "Resource": "*"
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_only_reads() {
        for action in actions() {
            let verb = action.split(':').nth(1).unwrap();
            assert!(
                ["Describe", "List", "Get"]
                    .iter()
                    .any(|v| verb.starts_with(v)),
                "{action} is not a read"
            );
        }
    }

    #[test]
    fn the_documented_policy_is_the_generated_one() {
        let doc = include_str!("../../docs/permissions.md");
        let block = doc
            .split("```json\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a json block in docs/permissions.md");
        assert_eq!(block, policy(), "regenerate it: prodready permissions");
    }
}
