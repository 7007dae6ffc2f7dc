//! Terraform, read beside the account: the state that says which address manages each
//! resource (`state`), and the configuration that says where each address is declared
//! (`declarations`). Inputs the user gives, read before and during the scan; what they yield
//! goes into the inventory's `terraform` part.

pub mod declarations;
pub mod plan;
pub mod state;

/// A Terraform JSON document (`expected` says which, for the error), parsed; an error names
/// where it breaks and never quotes it (states and plans hold secrets in plain text).
fn json(source: &str, text: &str, expected: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "truncated: the JSON ends early",
            _ => "not JSON",
        };
        format!(
            "{source}: {what} (line {}, column {}); {expected} was expected",
            e.line(),
            e.column()
        )
    })
}

/// `s3://BUCKET/KEY` split into its bucket and key.
pub fn s3_url(source: &str) -> Option<(&str, &str)> {
    let (bucket, key) = source.strip_prefix("s3://")?.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then_some((bucket, key))
}

/// What the scan is given of Terraform, read before it starts: local states parsed, `s3://`
/// states to fetch, and the configuration's declarations.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub local: Vec<crate::inventory::StateFile>,
    pub s3: Vec<String>,
    pub declarations: Vec<crate::inventory::Declaration>,
}

impl Sources {
    /// Reads every local state and the configuration directory; the first problem, naming
    /// the file and where in it, is the error.
    pub fn load(states: &[String], dir: Option<&std::path::Path>) -> Result<Sources, String> {
        let mut sources = Sources::default();
        for source in states {
            if source.starts_with("s3://") {
                if s3_url(source).is_none() {
                    return Err(format!("{source}: an S3 state is given as s3://BUCKET/KEY"));
                }
                sources.s3.push(source.clone());
                continue;
            }
            let text = std::fs::read_to_string(source).map_err(|e| format!("{source}: {e}"))?;
            sources.local.push(state::parse(source, &text)?);
        }
        if let Some(dir) = dir {
            sources.declarations = declarations::read(dir)?;
        }
        Ok(sources)
    }
}
