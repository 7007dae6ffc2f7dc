//! A catalog entry's CLI remediation filled in for one failing resource: the placeholders
//! (`TABLE`, `BUCKET`, `CLUSTER`, `SERVICE` …) replaced by what the resource's ARN says.
//! Placeholders the ARN cannot answer (a key to encrypt with, a topic to notify) stay, for the
//! operator to choose.

/// The placeholder values an ARN yields.
fn values(arn: &str, region: Option<&str>) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if let Some(r) = region.filter(|r| !r.is_empty()) {
        v.push(("REGION", r.to_owned()));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 {
        return v;
    }
    let (service, resource) = (parts[2], parts[5]);
    let after = |prefix: &str| resource.strip_prefix(prefix).map(str::to_owned);
    match service {
        "ecs" => {
            if let Some(rest) = after("service/") {
                if let Some((cluster, name)) = rest.split_once('/') {
                    v.push(("CLUSTER", cluster.to_owned()));
                    v.push(("SERVICE", name.to_owned()));
                }
            } else if let Some(name) = after("cluster/") {
                v.push(("CLUSTER", name));
            }
        }
        "dynamodb" => v.extend(after("table/").map(|t| ("TABLE", t))),
        "s3" if !resource.is_empty() && !resource.contains('/') => {
            v.push(("BUCKET", resource.to_owned()))
        }
        "logs" => v.extend(after("log-group:").map(|g| ("LOG_GROUP", g))),
        "lambda" => v.extend(after("function:").map(|f| ("FUNCTION", f))),
        "kms" => v.extend(after("key/").map(|k| ("KEY_ID", k))),
        "cloudfront" => v.extend(after("distribution/").map(|d| ("DISTRIBUTION_ID", d))),
        "ec2" => {
            v.extend(after("security-group/").map(|g| ("SG_ID", g)));
            v.extend(after("vpc/").map(|id| ("VPC_ID", id)));
        }
        "ecr" => v.extend(after("repository/").map(|r| ("REPOSITORY", r))),
        "secretsmanager" => v.push(("SECRET_ARN", arn.to_owned())),
        _ => {}
    }
    v
}

/// A resource's name as its ARN ends: `maps` for a table, `frontend` for a service, the
/// bucket's name, a key's id. Not an ARN: returned as is.
pub fn short_name(arn: &str) -> &str {
    if !arn.starts_with("arn:") {
        return arn;
    }
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    // A log group's name is a path: all of it is the name.
    if let Some(group) = resource.strip_prefix("log-group:") {
        return group;
    }
    resource
        .rsplit(['/', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(resource)
}

/// The command with every placeholder the ARN answers filled in; `None` when it answers none
/// (the generic command is then all there is to say).
pub fn fill(cli: &str, arn: &str, region: Option<&str>) -> Option<String> {
    let mut filled = cli.to_owned();
    let mut changed = false;
    for (placeholder, value) in values(arn, region) {
        let replaced = replace_word(&filled, placeholder, &value);
        changed |= replaced != filled;
        filled = replaced;
    }
    changed.then_some(filled)
}

/// Replaces `word` where it stands alone (not inside `SUBNET_A` or `app-TABLE-x`'s neighbours
/// of letters, digits and underscores).
fn replace_word(text: &str, word: &str, value: &str) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + word.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            out.push_str(word);
        } else {
            out.push_str(value);
        }
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ecs_service_fills_cluster_and_service() {
        let cli = "aws ecs update-service --cluster CLUSTER --service SERVICE --desired-count 3";
        assert_eq!(
            fill(
                cli,
                "arn:aws:ecs:eu-west-1:111122223333:service/mra-mines/frontend",
                Some("eu-west-1")
            )
            .unwrap(),
            "aws ecs update-service --cluster mra-mines --service frontend --desired-count 3"
        );
    }

    #[test]
    fn placeholders_inside_words_and_unknown_ones_stay() {
        let cli = "aws cloudwatch put-metric-alarm --alarm-name TABLE-throttled --dimensions Name=TableName,Value=TABLE --alarm-actions TOPIC_ARN";
        assert_eq!(
            fill(cli, "arn:aws:dynamodb:eu-west-1:1:table/maps", None).unwrap(),
            "aws cloudwatch put-metric-alarm --alarm-name maps-throttled --dimensions Name=TableName,Value=maps --alarm-actions TOPIC_ARN"
        );
        assert_eq!(
            replace_word("SUBNET_A TABLE_X xTABLE", "TABLE", "t"),
            "SUBNET_A TABLE_X xTABLE"
        );
        assert_eq!(fill("aws s3 ls", "arn:aws:s3:::b", None), None);
    }

    #[test]
    fn short_names_are_the_end_of_the_arn() {
        assert_eq!(
            short_name("arn:aws:dynamodb:eu-west-1:1:table/maps"),
            "maps"
        );
        assert_eq!(
            short_name("arn:aws:ecs:eu-west-1:1:service/mra-mines/frontend"),
            "frontend"
        );
        assert_eq!(
            short_name("arn:aws:s3:::mra-mines-map-input"),
            "mra-mines-map-input"
        );
        assert_eq!(
            short_name("arn:aws:logs:eu-west-1:1:log-group:/ecs/app"),
            "/ecs/app"
        );
        assert_eq!(short_name("no arn"), "no arn");
    }

    #[test]
    fn buckets_log_groups_and_distributions() {
        assert_eq!(
            fill("--bucket BUCKET", "arn:aws:s3:::mra-mines-map-input", None).unwrap(),
            "--bucket mra-mines-map-input"
        );
        assert_eq!(
            fill(
                "--log-group-name LOG_GROUP",
                "arn:aws:logs:eu-west-1:1:log-group:/ecs/app",
                None
            )
            .unwrap(),
            "--log-group-name /ecs/app"
        );
        assert_eq!(
            fill(
                "--id DISTRIBUTION_ID",
                "arn:aws:cloudfront::1:distribution/E2ABC",
                None
            )
            .unwrap(),
            "--id E2ABC"
        );
    }
}
