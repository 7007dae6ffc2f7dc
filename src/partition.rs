//! AWS partitions: which partition a region belongs to, and where that partition's global
//! services (IAM, Route 53, CloudFront and its WAF scope) answer.
//!
//! Every ARN the scanner builds carries the account's own partition (`arn:aws-cn:` in China,
//! `arn:aws-us-gov:` in GovCloud): an ARN of the wrong partition names nothing. Regions by
//! prefix, as the partitions' region patterns in the AWS SDKs' endpoint rules define them.

/// The partition of a region: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`,
/// `aws-iso-e` or `aws-iso-f`.
pub fn of_region(region: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

/// The region through which a partition's global services are read: us-east-1 in the
/// commercial partition, but not elsewhere (IAM and Route 53 of aws-cn sign in China's
/// regions, of aws-us-gov in us-gov-west-1). Given a region of the partition, the SDK's
/// endpoint rules pick each global service's endpoint and signing region from there.
pub fn global_region(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn-northwest-1",
        "aws-us-gov" => "us-gov-west-1",
        "aws-iso" => "us-iso-east-1",
        "aws-iso-b" => "us-isob-east-1",
        "aws-iso-e" => "eu-isoe-west-1",
        "aws-iso-f" => "us-isof-south-1",
        _ => "us-east-1",
    }
}

/// Whether CloudFront serves the partition: the commercial partition and China's do; GovCloud
/// and the isolated partitions have no CloudFront endpoint.
pub fn has_cloudfront(partition: &str) -> bool {
    matches!(partition, "aws" | "aws-cn")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_fall_in_their_partitions() {
        for (region, partition, global) in [
            ("eu-west-1", "aws", "us-east-1"),
            ("us-east-1", "aws", "us-east-1"),
            ("cn-north-1", "aws-cn", "cn-northwest-1"),
            ("cn-northwest-1", "aws-cn", "cn-northwest-1"),
            ("us-gov-east-1", "aws-us-gov", "us-gov-west-1"),
            ("us-iso-east-1", "aws-iso", "us-iso-east-1"),
            ("us-isob-east-1", "aws-iso-b", "us-isob-east-1"),
        ] {
            assert_eq!(of_region(region), partition, "{region}");
            assert_eq!(global_region(of_region(region)), global, "{region}");
        }
        assert!(has_cloudfront("aws") && has_cloudfront("aws-cn"));
        assert!(!has_cloudfront("aws-us-gov"));
    }
}
