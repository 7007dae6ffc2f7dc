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
/// Where a Terraform address is declared, as a report says it: `address (file:line)`.
pub fn terraform_place(t: &crate::checks::addresses::TerraformRef) -> String {
    match (&t.file, t.line) {
        (Some(file), Some(line)) => format!("{} ({file}:{line})", t.address),
        _ => t.address.clone(),
    }
}

/// The catalog's Terraform snippet for the resource at `address`: its `resource "TYPE" "NAME"`
/// block renamed to the address's own name when the types agree, under a comment naming the
/// address and where it is declared.
pub fn terraform_snippet(snippet: &str, t: &crate::checks::addresses::TerraformRef) -> String {
    let bare = crate::checks::addresses::without_keys(&t.address);
    let mut parts = bare.rsplit('.');
    let (name, kind) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let opening = format!("resource \"{kind}\" \"");
    let renamed = match snippet.find(&opening) {
        Some(at) => {
            let label = at + opening.len();
            let end = snippet[label..].find('"').map_or(label, |e| label + e);
            format!("{}{name}{}", &snippet[..label], &snippet[end..])
        }
        None => snippet.to_owned(),
    };
    format!("# {}\n{renamed}", terraform_place(t))
}

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

/// One shell script that applies the command to every target: the command itself for one
/// target; for several, a loop over the values that differ between them (a `for` over one
/// placeholder, a `while read` over a here-document for several), the values they share
/// filled in. Where the targets span regions and the command names none, each `aws` call gets
/// `--region`: the operator's default region is not necessarily the resource's. `None` when
/// no target's ARN answers a placeholder.
pub fn script(cli: &str, targets: &[(&str, Option<&str>)]) -> Option<String> {
    let cli = with_region(cli, targets);
    let used: Vec<&'static str> = PLACEHOLDERS
        .iter()
        .copied()
        .filter(|p| replace_word(&cli, p, "") != cli)
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (arn, region) in targets {
        let answered = values(arn, *region);
        let row: Option<Vec<String>> = used
            .iter()
            .map(|p| {
                answered
                    .iter()
                    .find(|(q, _)| q == p)
                    .map(|(_, v)| v.clone())
            })
            .collect();
        match row {
            Some(row) if !used.is_empty() && !rows.contains(&row) => rows.push(row),
            _ => {}
        }
    }
    let first = rows.first()?.clone();
    let (mut body, mut varying) = (cli.clone(), Vec::new());
    for (i, p) in used.iter().enumerate() {
        if rows.iter().all(|r| r[i] == first[i]) {
            body = replace_word(&body, p, &first[i]);
        } else {
            body = as_variable(&body, p);
            varying.push(i);
        }
    }
    Some(match varying.as_slice() {
        [] => body,
        [i] => {
            let names: Vec<String> = rows.iter().map(|r| format!("  {}", r[*i])).collect();
            format!(
                "for {} in \\\n{}\ndo\n{}\ndone",
                used[*i],
                names.join(" \\\n"),
                indent(&body)
            )
        }
        _ => {
            let vars: Vec<&str> = varying.iter().map(|i| used[*i]).collect();
            let lines: Vec<String> = rows
                .iter()
                .map(|r| {
                    varying
                        .iter()
                        .map(|i| r[*i].as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            format!(
                "while read -r {}; do\n{}\ndone <<'EOF'\n{}\nEOF",
                vars.join(" "),
                indent(&body),
                lines.join("\n")
            )
        }
    })
}

/// Every placeholder an ARN can answer, in the order a loop names them.
const PLACEHOLDERS: &[&str] = &[
    "REGION",
    "CLUSTER",
    "SERVICE",
    "TABLE",
    "BUCKET",
    "LOG_GROUP",
    "FUNCTION",
    "KEY_ID",
    "DISTRIBUTION_ID",
    "SG_ID",
    "VPC_ID",
    "REPOSITORY",
    "SECRET_ARN",
];

/// The command with `--region REGION` after each `aws SERVICE OPERATION` that names no region,
/// when the targets are in more than one region (and all in a known one).
fn with_region(cli: &str, targets: &[(&str, Option<&str>)]) -> String {
    let mut regions: Vec<&str> = Vec::new();
    for (_, region) in targets {
        match region.filter(|r| !r.is_empty()) {
            Some(r) if !regions.contains(&r) => regions.push(r),
            Some(_) => {}
            None => return cli.to_owned(),
        }
    }
    if regions.len() < 2 || replace_word(cli, "REGION", "") != cli {
        return cli.to_owned();
    }
    let lines: Vec<String> = cli
        .lines()
        .map(|line| {
            let words: Vec<&str> = line.splitn(4, ' ').collect();
            match words.as_slice() {
                ["aws", service, operation, rest] if !line.contains("--region") => {
                    format!("aws {service} {operation} --region REGION {rest}")
                }
                _ => line.to_owned(),
            }
        })
        .collect();
    lines.join("\n")
}

/// `word` replaced by a reference to the shell variable of that name, quoted for where it
/// stands: `"${W}"` bare, `${W}` inside double quotes, `'"${W}"'` inside single quotes.
fn as_variable(text: &str, word: &str) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let (mut single, mut double) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let standalone = rest.starts_with(word)
            && !out.chars().next_back().is_some_and(is_word)
            && !rest[word.len()..].chars().next().is_some_and(is_word);
        if standalone {
            out.push_str(&match (single, double) {
                (true, _) => format!("'\"${{{word}}}\"'"),
                (_, true) => format!("${{{word}}}"),
                _ => format!("\"${{{word}}}\""),
            });
            rest = &rest[word.len()..];
            continue;
        }
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn indent(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(|l| format!("  {l}")).collect();
    lines.join("\n")
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

    const TABLES: &[(&str, Option<&str>)] = &[
        ("arn:aws:dynamodb:eu-west-1:1:table/maps", Some("eu-west-1")),
        (
            "arn:aws:dynamodb:eu-west-1:1:table/users",
            Some("eu-west-1"),
        ),
    ];

    #[test]
    fn one_target_is_one_command_and_several_a_loop_over_the_values_that_differ() {
        let cli = "aws dynamodb update-continuous-backups --table-name TABLE --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true";
        assert_eq!(
            script(cli, &TABLES[..1]).unwrap(),
            "aws dynamodb update-continuous-backups --table-name maps --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true"
        );
        assert_eq!(
            script(cli, TABLES).unwrap(),
            "for TABLE in \\\n  maps \\\n  users\ndo\n  aws dynamodb update-continuous-backups --table-name \"${TABLE}\" --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true\ndone"
        );
        assert_eq!(script("aws s3 ls", TABLES), None);
        assert_eq!(script(cli, &[("no arn", None)]), None);
    }

    #[test]
    fn services_of_several_clusters_in_several_regions_are_read_line_by_line() {
        let cli = "aws ecs update-service --cluster CLUSTER --service SERVICE --desired-count 3";
        let targets = [
            ("arn:aws:ecs:eu-west-1:1:service/a/web", Some("eu-west-1")),
            ("arn:aws:ecs:us-east-1:1:service/b/api", Some("us-east-1")),
        ];
        assert_eq!(
            script(cli, &targets).unwrap(),
            "while read -r REGION CLUSTER SERVICE; do\n  aws ecs update-service --region \"${REGION}\" --cluster \"${CLUSTER}\" --service \"${SERVICE}\" --desired-count 3\ndone <<'EOF'\neu-west-1 a web\nus-east-1 b api\nEOF"
        );
    }

    #[test]
    fn a_variable_is_quoted_for_where_it_stands() {
        assert_eq!(
            as_variable(
                "--alarm-name TABLE-throttled --dimensions '[{\"Value\":\"TABLE\"}]' --q \"x TABLE\" TABLE_X",
                "TABLE"
            ),
            "--alarm-name \"${TABLE}\"-throttled --dimensions '[{\"Value\":\"'\"${TABLE}\"'\"}]' --q \"x ${TABLE}\" TABLE_X"
        );
    }

    #[test]
    fn a_command_that_names_its_region_is_left_alone() {
        let cli = "aws acm describe-certificate --region us-east-1 --certificate-arn CERT_ARN";
        let targets = [("a", Some("eu-west-1")), ("b", Some("us-east-1"))];
        assert_eq!(with_region(cli, &targets), cli);
        let cli = "aws logs put-retention-policy --log-group-name LOG_GROUP --retention-in-days 90";
        assert_eq!(with_region(cli, &targets[..1]), cli);
        assert_eq!(
            with_region(cli, &targets),
            "aws logs put-retention-policy --region REGION --log-group-name LOG_GROUP --retention-in-days 90"
        );
        assert_eq!(
            with_region(cli, &[("a", Some("eu-west-1")), ("b", None)]),
            cli
        );
    }
}
