//! Where a Terraform configuration declares each resource: the `resource` blocks of the `.tf`
//! files of a directory and of the modules it calls, local ones through their `source` paths,
//! registry and git ones where `terraform init` left them (`.terraform/modules/modules.json`).
//! Parsed with an HCL parser; an error names the file, line and column, never the text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::structure::{BlockLabel, Body};
use hcl_edit::Span;

use crate::inventory::Declaration;

/// Modules deeper than this are not followed (a module calling itself would never end).
const MAX_DEPTH: usize = 16;

/// Every `resource` block under `root`, its address without instance keys, file and line.
pub fn read(root: &Path) -> Result<Vec<Declaration>, String> {
    let installed = installed_modules(root)?;
    let mut out = Vec::new();
    // (the module's address prefix, its key in modules.json, its directory, depth)
    let mut todo = vec![(String::new(), String::new(), root.to_path_buf(), 0)];
    while let Some((prefix, key, dir, depth)) = todo.pop() {
        for file in tf_files(&dir)? {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let body = hcl_edit::parser::parse_body(&text).map_err(|e| {
                let at = e.location();
                format!(
                    "{}: line {}, column {}: {}",
                    file.display(),
                    at.line(),
                    at.column(),
                    e.message()
                )
            })?;
            let shown = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for (address, line) in resources(&body, &text) {
                out.push(Declaration {
                    address: format!("{prefix}{address}"),
                    file: shown.clone(),
                    line,
                });
            }
            if depth >= MAX_DEPTH {
                continue;
            }
            for (name, source) in module_calls(&body) {
                let child_key = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                let child_dir = if source.starts_with("./") || source.starts_with("../") {
                    Some(dir.join(&source))
                } else {
                    installed.get(&child_key).map(|d| root.join(d))
                };
                if let Some(child_dir) = child_dir {
                    todo.push((
                        format!("{prefix}module.{name}."),
                        child_key,
                        child_dir,
                        depth + 1,
                    ));
                }
            }
        }
    }
    out.sort_by(|a, b| a.address.cmp(&b.address));
    out.dedup_by(|a, b| a.address == b.address);
    Ok(out)
}

/// The `.tf` files of a directory, sorted.
fn tf_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    Ok(files)
}

fn label(l: &BlockLabel) -> &str {
    match l {
        BlockLabel::Ident(i) => i.as_str(),
        BlockLabel::String(s) => s.as_str(),
    }
}

/// `TYPE.NAME` and the 1-based line of each `resource "TYPE" "NAME"` block.
fn resources(body: &Body, text: &str) -> Vec<(String, usize)> {
    body.blocks()
        .filter(|b| b.has_ident("resource") && b.labels.len() == 2)
        .map(|b| {
            let start = b.span().map_or(0, |s| s.start);
            let line = text[..start.min(text.len())].matches('\n').count() + 1;
            (
                format!("{}.{}", label(&b.labels[0]), label(&b.labels[1])),
                line,
            )
        })
        .collect()
}

/// Each `module "NAME"` block and its `source` string.
fn module_calls(body: &Body) -> Vec<(String, String)> {
    body.blocks()
        .filter(|b| b.has_ident("module") && b.labels.len() == 1)
        .filter_map(|b| {
            let source = b.body.get_attribute("source")?.value.as_str()?;
            Some((label(&b.labels[0]).to_owned(), source.to_owned()))
        })
        .collect()
}

/// modules.json's `Key` → `Dir` (relative to the root), when `terraform init` wrote one.
fn installed_modules(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let path = root.join(".terraform/modules/modules.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(BTreeMap::new());
    };
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: not JSON (line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    Ok(doc
        .get("Modules")
        .and_then(serde_json::Value::as_array)
        .map(|modules| {
            modules
                .iter()
                .filter_map(|m| {
                    let key = m.get("Key")?.as_str()?;
                    let dir = m.get("Dir")?.as_str()?;
                    Some((key.to_owned(), dir.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/staging")
    }

    #[test]
    fn resources_of_the_root_local_and_installed_modules_with_their_lines() {
        let got: Vec<(String, String, usize)> = read(&fixture())
            .unwrap()
            .into_iter()
            .map(|d| (d.address, d.file, d.line))
            .collect();
        let want = [
            ("aws_cloudwatch_log_group.app", "main.tf", 31),
            ("aws_ecr_repository.frontend", "main.tf", 42),
            ("aws_ecs_cluster.main", "main.tf", 20),
            ("aws_ecs_service.frontend", "main.tf", 24),
            ("aws_security_group.frontend", "main.tf", 37),
            (
                "module.data.aws_dynamodb_table.maps",
                "modules/data/main.tf",
                1,
            ),
            (
                "module.data.aws_s3_bucket.map_input",
                "modules/data/main.tf",
                12,
            ),
            (
                "module.edge.aws_lambda_function.map_processor",
                ".terraform/modules/edge/main.tf",
                7,
            ),
        ];
        let want: Vec<(String, String, usize)> = want
            .iter()
            .map(|(a, f, l)| (a.to_string(), f.to_string(), *l))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_syntax_error_names_file_line_and_column_but_not_the_text() {
        let dir = std::env::temp_dir().join(format!("prodready-hcl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("main.tf"),
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n\npassword = \"canary-hcl-secret\" {\n",
        )
        .unwrap();
        let err = read(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.contains("main.tf: line 5, column"), "{err}");
        assert!(!err.contains("canary-hcl-secret"), "{err}");
    }
}
