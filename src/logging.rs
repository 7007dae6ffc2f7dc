//! `--verbose` / `RUST_LOG` logging to stderr, redacted. The SDK marks its sensitive fields
//! and a trace of a full scan shows no credential today (tested); this is the second line:
//! every log line passes through [`redact`] before it is written, so a signature, a session
//! token or the secret key in the environment never reaches a terminal or a CI log, whatever a
//! future SDK version chooses to print.

use std::io::{IsTerminal, Write};

/// The fragments that are replaced by `[redacted]`, up to the next delimiter.
const SECRET_MARKERS: &[&str] = &[
    "Signature=",
    "x-amz-security-token:",
    "x-amz-security-token=",
    "X-Amz-Security-Token=",
    "X-Amz-Security-Token:",
    "SessionToken",
    "SecretAccessKey",
    "secret_access_key",
    "session_token",
    "Authorization:",
    "authorization:",
];

/// The values of the environment's credentials, when set: replaced wherever they appear.
fn secret_values() -> Vec<String> {
    ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .filter(|v| v.len() >= 8)
        .collect()
}

/// `line` with every secret marker's value, and every known secret value, replaced.
pub fn redact(line: &str, secrets: &[String]) -> String {
    let mut out = line.to_owned();
    for s in secrets {
        out = out.replace(s.as_str(), "[redacted]");
    }
    for marker in SECRET_MARKERS {
        let mut from = 0;
        while let Some(i) = out[from..].find(marker) {
            let start = from + i + marker.len();
            // The value: after optional separators, up to a delimiter.
            let rest = &out[start..];
            let skip = rest.len() - rest.trim_start_matches([' ', '"', '=', ':', '>']).len();
            let value_start = start + skip;
            let value_len = out[value_start..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ',' | '"' | '<' | '&' | ';' | ')' | '}')
                })
                .unwrap_or(out.len() - value_start);
            if value_len > 0 && &out[value_start..value_start + value_len] != "[redacted]" {
                out.replace_range(value_start..value_start + value_len, "[redacted]");
            }
            from = value_start + "[redacted]".len().min(out.len() - value_start);
        }
    }
    out
}

/// Writes one log event to stderr, redacted.
struct RedactingWriter {
    buffer: Vec<u8>,
    secrets: std::sync::Arc<Vec<String>>,
}

impl Write for RedactingWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buffer.is_empty() {
            let text = String::from_utf8_lossy(&self.buffer);
            let clean = redact(&text, &self.secrets);
            self.buffer.clear();
            std::io::stderr().lock().write_all(clean.as_bytes())?;
        }
        Ok(())
    }
}

impl Drop for RedactingWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

pub fn init(verbose: u8) {
    // The SDK's own warnings (a config file not found, an instance metadata service that
    // refused a token) precede the scanner's one clear error on bad input: shown from -v on.
    let default = match verbose {
        0 => "prodready=warn",
        1 => "prodready=debug,warn",
        _ => "prodready=trace,aws_config=debug,info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let secrets = std::sync::Arc::new(secret_values());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || RedactingWriter {
            buffer: Vec::new(),
            secrets: secrets.clone(),
        })
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn signatures_tokens_and_known_secrets_are_redacted() {
        let secrets = vec!["wJalrXUtnFEMI/K7MDENG".to_owned()];
        let line = "authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261128/eu-west-1/sts/aws4_request, SignedHeaders=host, Signature=0123abcd \
                    x-amz-security-token: IQoJb3JpZ2luX2VjEJr<SessionToken>FwoGZXIvYXdzE</SessionToken> key wJalrXUtnFEMI/K7MDENG";
        let clean = redact(line, &secrets);
        for leaked in [
            "0123abcd",
            "IQoJb3JpZ2luX2VjEJr",
            "FwoGZXIvYXdzE",
            "wJalrXUtnFEMI",
            "AWS4-HMAC",
        ] {
            assert!(!clean.contains(leaked), "{leaked} in {clean}");
        }
        assert!(clean.contains("Credential=AKIA") || clean.contains("[redacted]"));
        assert_eq!(
            redact("DescribeTables in eu-west-1: 3 tables", &secrets),
            "DescribeTables in eu-west-1: 3 tables"
        );
    }
}
