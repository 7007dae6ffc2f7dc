//! Evidence read back: from a file or a text, with an error that says what is wrong.

use super::Evidence;

/// An evidence file, read: a clear error naming the file when it is not one.
pub fn load(path: &std::path::Path) -> Result<Evidence, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// An evidence document's text, read: the error says what is wrong (not JSON, a version this
/// prodready does not read, a field of the wrong shape).
pub fn parse(text: &str) -> Result<Evidence, String> {
    // The version first, without a tree of the whole document (a large account's evidence is
    // 15 MB of JSON; as a serde_json::Value it took several times that).
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(default)]
        schema_version: serde_json::Value,
    }
    let version = match serde_json::from_str::<Head>(text) {
        Ok(head) => head.schema_version,
        Err(e) if e.is_syntax() || e.is_eof() => return Err(format!("not a JSON document: {e}")),
        // JSON, but not an object: the version check names what is missing.
        Err(_) => serde_json::Value::Null,
    };
    super::check_version(&serde_json::json!({ "schema_version": version }))?;
    serde_json::from_str(text).map_err(|e| format!("not an evidence document: {e}"))
}
