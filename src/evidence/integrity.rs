//! Tamper evidence for the evidence document: a SHA-256 digest over its canonical form, and an
//! optional Ed25519 signature of that digest; and `verify`, which checks both and then re-runs
//! the rules on the stored inventory to confirm the stored findings follow from it.
//!
//! The canonical form is the document as compact JSON with object keys sorted and the
//! `integrity` member removed: what any JSON library can reproduce from the file itself.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::evidence::{check_results, Evidence};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integrity {
    /// `sha256`.
    pub algorithm: String,
    /// Hex SHA-256 of the canonical document.
    pub digest: String,
    pub signature: Option<SignatureBlock>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureBlock {
    /// `ed25519`.
    pub algorithm: String,
    /// Base64 of the 32-byte public key the signature verifies with.
    pub public_key: String,
    /// Base64 of the 64-byte signature over the digest's bytes.
    pub value: String,
}

const PRIVATE_HEADER: &str = "prodready ed25519 private key";
const PUBLIC_HEADER: &str = "prodready ed25519 public key";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The canonical form of a JSON text: compact JSON, every object's keys sorted (written here,
/// not left to a map type, whose order a dependency's feature could change), without the top
/// level's `integrity`.
///
/// Streamed from the text: each object's members are borrowed slices of it, sorted by key,
/// and only scalars are parsed. A `serde_json::Value` tree of a large account's evidence
/// (15 MB of JSON) took about 80 MB more than the text itself.
pub fn canonical(text: &str) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(text.len());
    write_canonical(text, &mut out)?;
    // Only whole UTF-8 strings and ASCII punctuation were written.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// The canonical form of `text`, written to `out` piece by piece.
pub fn write_canonical(text: &str, out: &mut impl std::io::Write) -> Result<(), serde_json::Error> {
    let top: &serde_json::value::RawValue = serde_json::from_str(text)?;
    write_raw(top, true, out)
}

fn write_raw(
    raw: &serde_json::value::RawValue,
    top: bool,
    out: &mut impl std::io::Write,
) -> Result<(), serde_json::Error> {
    use serde_json::value::RawValue;
    let io = serde_json::Error::io;
    match raw.get().trim_start().as_bytes().first() {
        Some(b'{') => {
            // Sorted by the keys' text; a repeated key keeps its last value, as a parser does.
            let members: std::collections::BTreeMap<String, &RawValue> =
                serde_json::from_str(raw.get())?;
            out.write_all(b"{").map_err(io)?;
            let mut first = true;
            for (key, value) in &members {
                if top && key == "integrity" {
                    continue;
                }
                if !first {
                    out.write_all(b",").map_err(io)?;
                }
                first = false;
                serde_json::to_writer(&mut *out, key)?;
                out.write_all(b":").map_err(io)?;
                write_raw(value, false, out)?;
            }
            out.write_all(b"}").map_err(io)
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(raw.get())?;
            out.write_all(b"[").map_err(io)?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",").map_err(io)?;
                }
                write_raw(item, false, out)?;
            }
            out.write_all(b"]").map_err(io)
        }
        // A scalar is parsed and written back: numbers and escapes as serde_json writes them.
        _ => serde_json::to_writer(
            &mut *out,
            &serde_json::from_str::<serde_json::Value>(raw.get())?,
        ),
    }
}

/// SHA-256 of the canonical form of `text`, hashed as it is written.
pub fn digest(text: &str) -> Result<[u8; 32], serde_json::Error> {
    let mut hasher = Sha256::new();
    write_canonical(text, &mut hasher)?;
    Ok(hasher.finalize().into())
}

/// Seals the evidence: its digest, and a signature when a key is given.
pub fn seal(evidence: &mut Evidence, key: Option<&SigningKey>) {
    evidence.integrity = None;
    // Through the text, as a verifier reads it: numbers (f32 above all) become what the file
    // says, not their in-memory f64 widening.
    let d = serde_json::to_string(&*evidence)
        .and_then(|text| digest(&text))
        .unwrap_or_default();
    evidence.integrity = Some(Integrity {
        algorithm: "sha256".into(),
        digest: hex(&d),
        signature: key.map(|k| SignatureBlock {
            algorithm: "ed25519".into(),
            public_key: aws_smithy_types::base64::encode(k.verifying_key().as_bytes()),
            value: aws_smithy_types::base64::encode(k.sign(&d).to_bytes()),
        }),
    });
}

/// A new key pair, from the operating system's random source.
pub fn generate() -> Result<SigningKey, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no random source: {e}"))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn private_key_text(key: &SigningKey) -> String {
    format!(
        "{PRIVATE_HEADER}\n{}\n",
        aws_smithy_types::base64::encode(key.to_bytes())
    )
}

pub fn public_key_text(key: &VerifyingKey) -> String {
    format!(
        "{PUBLIC_HEADER}\n{}\n",
        aws_smithy_types::base64::encode(key.as_bytes())
    )
}

fn key_bytes(path: &Path, header: &str) -> Result<[u8; 32], String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    if lines.next().map(str::trim) != Some(header) {
        return Err(format!(
            "{}: not a {header} file (its first line must be {header:?}; `prodready keygen` writes one)",
            path.display()
        ));
    }
    let body = lines.next().unwrap_or_default().trim();
    let bytes = aws_smithy_types::base64::decode(body)
        .map_err(|e| format!("{}: the key is not base64: {e}", path.display()))?;
    bytes.try_into().map_err(|b: Vec<u8>| {
        format!(
            "{}: a key has 32 bytes, this one {}",
            path.display(),
            b.len()
        )
    })
}

pub fn load_private(path: &Path) -> Result<SigningKey, String> {
    Ok(SigningKey::from_bytes(&key_bytes(path, PRIVATE_HEADER)?))
}

pub fn load_public(path: &Path) -> Result<VerifyingKey, String> {
    VerifyingKey::from_bytes(&key_bytes(path, PUBLIC_HEADER)?)
        .map_err(|e| format!("{}: not an Ed25519 public key: {e}", path.display()))
}

/// What `verify` found: each failed property, in words.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// Checks a stored evidence document: digest, signature (against `pubkey` when given), and
/// that the rules, re-run on its inventory with its config, give its findings.
pub fn verify(text: &str, pubkey: Option<&VerifyingKey>) -> Result<Report, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a JSON document: {e}"))?;
    crate::evidence::check_version(&value)?;
    let mut report = Report::default();
    let integrity: Option<Integrity> = serde_json::from_value(value["integrity"].clone())
        .map_err(|e| format!("integrity: {e}"))?;
    let d = digest(text).map_err(|e| format!("not a JSON document: {e}"))?;
    match &integrity {
        None => report
            .problems
            .push("no integrity block: the document was not sealed by prodready".into()),
        Some(i) if i.digest != hex(&d) => report.problems.push(format!(
            "digest mismatch: the document says {}, its content hashes to {}: it was changed after it was written",
            i.digest,
            hex(&d)
        )),
        Some(_) => report.notes.push(format!("digest {} matches", hex(&d))),
    }
    match (
        integrity.as_ref().and_then(|i| i.signature.as_ref()),
        pubkey,
    ) {
        (None, Some(_)) => report
            .problems
            .push("no signature, but a public key was given to check it with".into()),
        (None, None) => report.notes.push("not signed".into()),
        (Some(sig), wanted) => {
            let embedded = aws_smithy_types::base64::decode(&sig.public_key)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .and_then(|b| VerifyingKey::from_bytes(&b).ok());
            let signature = aws_smithy_types::base64::decode(&sig.value)
                .ok()
                .and_then(|b| <[u8; 64]>::try_from(b).ok())
                .map(|b| Signature::from_bytes(&b));
            match (embedded, signature) {
                (Some(key), Some(signature)) => {
                    if let Some(wanted) = wanted {
                        if wanted != &key {
                            report.problems.push(
                                "signed with a different key than the public key given".into(),
                            );
                        }
                    }
                    if key.verify(&d, &signature).is_err() {
                        report.problems.push(
                            "signature does not verify: the digest or the signature was changed"
                                .into(),
                        );
                    } else {
                        report.notes.push("signature verifies".into());
                    }
                }
                _ => report
                    .problems
                    .push("signature block is malformed (public key or value)".into()),
            }
        }
    }
    let evidence: Evidence = serde_json::from_value(value)
        .map_err(|e| format!("the document does not have the evidence's shape: {e}"))?;
    report.problems.extend(reevaluate(&evidence));
    Ok(report)
}

/// The fields in which a finding given again differs from the one stored.
fn differences(f: &crate::checks::Finding, stored: &crate::checks::Finding) -> Vec<String> {
    let mut fields = Vec::new();
    if f.status != stored.status {
        fields.push(format!(
            "status {} (stored {})",
            f.status.as_str(),
            stored.status.as_str()
        ));
    }
    for (name, given, kept) in [
        ("observed", &f.observed, &stored.observed),
        ("message", &f.message, &stored.message),
        ("expected", &f.expected, &stored.expected),
    ] {
        if given != kept {
            fields.push(format!("{name} {given:?} (stored {kept:?})"));
        }
    }
    if f.severity != stored.severity {
        fields.push("severity".into());
    }
    fields
}

/// The findings the stored inventory and config give, against the stored ones.
/// The custom checks kept in the evidence, loaded and made this run's: a policy whose source
/// no longer hashes to its recorded digest is a problem, as is one that no longer loads.
fn custom_checks(e: &Evidence, problems: &mut Vec<String>) -> Vec<crate::checks::custom::Policy> {
    if e.policies.is_empty() {
        return Vec::new();
    }
    let policies = match crate::checks::custom::load_records(&e.policies) {
        Ok(p) => p,
        Err(err) => {
            problems.push(format!("a custom check's policy no longer loads: {err}"));
            return Vec::new();
        }
    };
    for (p, r) in policies.iter().zip(&e.policies) {
        if p.sha256 != r.sha256 || p.spec.id != r.check_id {
            problems.push(format!(
                "policy {} ({}): its source hashes to {}, the evidence records {}: the policy was changed",
                r.file, r.check_id, p.sha256, r.sha256
            ));
        }
    }
    if let Err(err) = crate::checks::custom::install(policies.clone()) {
        problems.push(format!("the custom checks could not be installed: {err}"));
    }
    policies
}

fn reevaluate(e: &Evidence) -> Vec<String> {
    let mut problems = Vec::new();
    let policies = custom_checks(e, &mut problems);
    let custom = crate::checks::custom::outcomes(
        &policies,
        &e.schema_version,
        &e.inventory,
        &e.config,
        &e.out_of_scope,
    );
    let (judged, _) = crate::checks::scope::narrow(&e.inventory, &e.config.scope);
    let findings = crate::checks::evaluate_all(&judged, &e.config, &custom);
    // Looked up by key, not searched: a large account has tens of thousands of findings.
    fn key(f: &crate::checks::Finding) -> (&str, &str, &str) {
        (
            f.check_id.as_str(),
            f.resource_arn.as_deref().unwrap_or_default(),
            f.region.as_deref().unwrap_or_default(),
        )
    }
    let given: std::collections::HashMap<_, _> = findings.iter().map(|f| (key(f), f)).collect();
    let stored_keys: std::collections::HashSet<_> = e.findings.iter().map(key).collect();
    for (i, stored) in e.findings.iter().enumerate() {
        match given.get(&key(stored)).copied() {
            None => problems.push(format!(
                "finding {i} ({} {}): the inventory gives no such finding",
                stored.check_id,
                stored.resource_arn.as_deref().unwrap_or("(account)")
            )),
            Some(f) if f != stored => problems.push(format!(
                "finding {i} ({} {}): the inventory gives {}",
                stored.check_id,
                stored.resource_arn.as_deref().unwrap_or("(account)"),
                differences(f, stored).join(", ")
            )),
            Some(_) => {}
        }
    }
    for f in &findings {
        if !stored_keys.contains(&key(f)) {
            problems.push(format!(
                "the inventory gives a finding the document lacks: {} {} {}",
                f.check_id,
                f.status.as_str(),
                f.resource_arn.as_deref().unwrap_or("(account)")
            ));
        }
    }
    let checks = check_results(&findings);
    for (stored, again) in e.checks.iter().zip(&checks) {
        if stored.status != again.status {
            problems.push(format!(
                "check {}: stored status {}, the findings give {}",
                stored.check_id,
                stored.status.as_str(),
                again.status.as_str()
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_form_ignores_key_order_and_the_integrity_block() {
        let a = r#"{"b":1,"a":[1,2],"integrity":{"x":1}}"#;
        let b = r#" { "a" : [ 1 , 2 ] , "b" : 1 } "#;
        assert_eq!(canonical(a).unwrap(), canonical(b).unwrap());
        assert_eq!(canonical(b).unwrap(), r#"{"a":[1,2],"b":1}"#);
        assert!(canonical(r#"{"a":"#).is_err());
    }

    /// The form as it was first defined, on a parsed tree: the streamed form must not differ
    /// from it, or evidence sealed before would stop verifying.
    fn canonical_of_tree(v: &serde_json::Value, top: bool, out: &mut String) {
        use serde_json::Value;
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> =
                    map.keys().filter(|k| !top || *k != "integrity").collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push(':');
                    canonical_of_tree(&map[k.as_str()], false, out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canonical_of_tree(item, false, out);
                }
                out.push(']');
            }
            scalar => out.push_str(&serde_json::to_string(scalar).unwrap()),
        }
    }

    #[test]
    fn the_streamed_canonical_form_is_the_tree_form() {
        for text in [
            r#"{"z":{"b":[1.0,1e2,-0,0.1,12345678901234567890,-3],"a":null},"integrity":{"d":"x"},"a":true}"#,
            r#"{"k\u00e9y":"caf\u00e9 \"q\" \\ \n \u0001 \ud83d\ude00","b\nx":[[],{},[{}]],"é":"é"}"#,
            r#"{"dup":1,"dup":2,"inner":{"integrity":"kept below the top"}}"#,
            r#"[{"b":1,"a":2},"s",3.25,false]"#,
            "\"just a string\"",
            " 42 ",
        ] {
            let mut want = String::new();
            canonical_of_tree(&serde_json::from_str(text).unwrap(), true, &mut want);
            assert_eq!(canonical(text).unwrap(), want, "{text}");
            assert_eq!(
                digest(text).unwrap(),
                <[u8; 32]>::from(Sha256::digest(want.as_bytes()))
            );
        }
    }

    #[test]
    fn keys_round_trip_through_their_files() {
        let dir = std::env::temp_dir().join(format!("prodready-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = generate().unwrap();
        std::fs::write(dir.join("k"), private_key_text(&key)).unwrap();
        std::fs::write(dir.join("k.pub"), public_key_text(&key.verifying_key())).unwrap();
        assert_eq!(
            load_private(&dir.join("k")).unwrap().to_bytes(),
            key.to_bytes()
        );
        assert_eq!(
            load_public(&dir.join("k.pub")).unwrap(),
            key.verifying_key()
        );
        // A public key file is not a private key.
        assert!(load_private(&dir.join("k.pub"))
            .unwrap_err()
            .contains("private key"));
    }
}
