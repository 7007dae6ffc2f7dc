//! Which resource a planned value comes from, when the value itself is known only after apply:
//! the plan's `configuration` keeps each argument's expression with the resources it
//! references (`"references": ["aws_lb_target_group.app.arn", "aws_lb_target_group.app"]`),
//! inside the module that declares it. A reference through a module input (`var.NAME`) is
//! followed to the calling module's argument, and one to a module's output
//! (`module.NAME.OUTPUT`) into that module instance's output expression.

use std::collections::HashMap;

use serde_json::Value;

/// A resource address split into its module instances and the resource itself:
/// `module.svc["a"].aws_lb.main[0]` is `["module.svc[\"a\"]"]` and `aws_lb.main[0]`.
#[derive(Debug, PartialEq)]
pub struct Address<'a> {
    pub modules: Vec<&'a str>,
    pub resource: &'a str,
}

/// The top-level dots of an address (not those inside an instance key's brackets or quotes).
fn segments(address: &str) -> Vec<&str> {
    let (mut out, mut start, mut depth, mut quoted) = (Vec::new(), 0, 0u32, false);
    let bytes = address.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'[' if !quoted => depth += 1,
            b']' if !quoted => depth = depth.saturating_sub(1),
            b'.' if !quoted && depth == 0 => {
                out.push(&address[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&address[start..]);
    out
}

fn without_key(segment: &str) -> &str {
    segment.split_once('[').map_or(segment, |(name, _)| name)
}

impl<'a> Address<'a> {
    pub fn parse(address: &'a str) -> Address<'a> {
        let parts = segments(address);
        let mut modules = Vec::new();
        let mut i = 0;
        while i + 2 < parts.len() && parts[i] == "module" {
            let start = parts[i].as_ptr() as usize - address.as_ptr() as usize;
            let end =
                parts[i + 1].as_ptr() as usize - address.as_ptr() as usize + parts[i + 1].len();
            modules.push(&address[start..end]);
            i += 2;
        }
        let start = parts.get(i).map_or(address.len(), |p| {
            p.as_ptr() as usize - address.as_ptr() as usize
        });
        Address {
            modules,
            resource: &address[start..],
        }
    }

    /// The module path the configuration is keyed by: instance keys dropped.
    fn config_path(&self) -> String {
        self.modules
            .iter()
            .map(|m| without_key(m))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// `TYPE.NAME` without its instance key.
    fn config_resource(&self) -> &'a str {
        let parts = segments(self.resource);
        match parts.as_slice() {
            [kind, name, ..] => {
                let end = name.as_ptr() as usize - self.resource.as_ptr() as usize
                    + without_key(name).len();
                let start = kind.as_ptr() as usize - self.resource.as_ptr() as usize;
                &self.resource[start..end]
            }
            _ => self.resource,
        }
    }
}

/// The plan's configuration, module by module (keyed by module path without instance keys,
/// `""` for the root), with the expressions each resource's arguments were written with.
pub struct Configuration<'a> {
    modules: HashMap<String, &'a Value>,
    /// For a module path, the arguments its caller passes (`module_calls.NAME.expressions`).
    calls: HashMap<String, &'a Value>,
}

impl<'a> Configuration<'a> {
    /// Reads the plan document's `configuration` object.
    pub fn read(configuration: &'a Value) -> Configuration<'a> {
        let mut c = Configuration {
            modules: HashMap::new(),
            calls: HashMap::new(),
        };
        let mut pending: Vec<(String, &Value)> = configuration
            .get("root_module")
            .map(|m| (String::new(), m))
            .into_iter()
            .collect();
        while let Some((path, module)) = pending.pop() {
            for (name, call) in module
                .get("module_calls")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let child = if path.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{path}.module.{name}")
                };
                if let Some(e) = call.get("expressions") {
                    c.calls.insert(child.clone(), e);
                }
                if let Some(m) = call.get("module") {
                    pending.push((child, m));
                }
            }
            c.modules.insert(path, module);
        }
        c
    }

    /// The expression of `argument` (a path through nested blocks: `["load_balancer", "0",
    /// "target_group_arn"]`) of the resource at `address`, as written.
    fn expression(&self, address: &Address, argument: &[&str]) -> Option<&'a Value> {
        let module = self.modules.get(&address.config_path())?;
        let resource = module.get("resources")?.as_array()?.iter().find(|r| {
            r.get("address").and_then(Value::as_str) == Some(address.config_resource())
        })?;
        super::values::at(resource.get("expressions")?, argument)
    }

    /// The address of the resource `argument` of the resource at `address` references, in the
    /// module instance that declares it (a module input followed to its caller), as
    /// `module.x["k"].TYPE.NAME` with the instance key the reference gives, if any.
    pub fn referenced(&self, address: &str, argument: &[&str]) -> Option<String> {
        let at = Address::parse(address);
        let expression = self.expression(&at, argument)?;
        self.resolve(&at.modules, expression, 0)
    }

    /// Every resource `argument` references (a list of subnets, say), each once, in the order
    /// written; a resource referenced whole (`aws_subnet.public`, all its instances) as such.
    pub fn referenced_all(&self, address: &str, argument: &[&str]) -> Vec<String> {
        let at = Address::parse(address);
        let Some(expression) = self.expression(&at, argument) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for reference in self.resolve_all(&at.modules, expression, 0) {
            // `aws_subnet.public` after `aws_subnet.public["a"]` adds nothing.
            if !out
                .iter()
                .any(|o| o == &reference || o.starts_with(&format!("{reference}[")))
            {
                out.push(reference);
            }
        }
        out
    }

    fn resolve(&self, modules: &[&str], expression: &Value, depth: usize) -> Option<String> {
        // The first reference is the most specific (`aws_lb.main[0].arn` before `aws_lb.main`).
        self.resolve_all(modules, expression, depth)
            .into_iter()
            .next()
    }

    fn resolve_all(&self, modules: &[&str], expression: &Value, depth: usize) -> Vec<String> {
        let references = expression
            .get("references")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut out = Vec::new();
        for reference in references.iter().filter_map(Value::as_str) {
            match segments(reference).as_slice() {
                ["var", input, ..] if depth < 16 && !modules.is_empty() => {
                    let path: Vec<&str> = modules.iter().map(|m| without_key(m)).collect();
                    if let Some(argument) =
                        self.calls.get(&path.join(".")).and_then(|c| c.get(*input))
                    {
                        out.extend(self.resolve_all(
                            &modules[..modules.len() - 1],
                            argument,
                            depth + 1,
                        ));
                    }
                }
                ["module", call, output, ..] if depth < 16 => {
                    let path: Vec<&str> = modules.iter().map(|m| without_key(m)).collect();
                    let mut child = path.join(".");
                    if !child.is_empty() {
                        child.push('.');
                    }
                    child.push_str("module.");
                    child.push_str(without_key(call));
                    let Some(expression) = self
                        .modules
                        .get(&child)
                        .and_then(|m| m.get("outputs")?.get(*output)?.get("expression"))
                    else {
                        continue;
                    };
                    let instance = &reference
                        [..call.as_ptr() as usize - reference.as_ptr() as usize + call.len()];
                    let mut inside = modules.to_vec();
                    inside.push(instance);
                    out.extend(self.resolve_all(&inside, expression, depth + 1));
                }
                [kind, name, ..] if !NOT_RESOURCES.contains(kind) => {
                    let mut address: String = modules.iter().map(|m| format!("{m}.")).collect();
                    address.push_str(kind);
                    address.push('.');
                    address.push_str(name);
                    out.push(address);
                }
                _ => {}
            }
        }
        out
    }
}

/// The first word of a reference that names no managed resource.
const NOT_RESOURCES: [&str; 9] = [
    "var",
    "local",
    "data",
    "module",
    "each",
    "count",
    "path",
    "self",
    "terraform",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_split_at_their_top_level_dots_only() {
        let a = Address::parse(r#"module.svc["a.b"].module.inner[0].aws_lb.main[0]"#);
        assert_eq!(a.modules, [r#"module.svc["a.b"]"#, "module.inner[0]"]);
        assert_eq!(a.resource, "aws_lb.main[0]");
        assert_eq!(a.config_path(), "module.svc.module.inner");
        assert_eq!(a.config_resource(), "aws_lb.main");
        let root = Address::parse(r#"aws_ecs_service.app["web"]"#);
        assert!(root.modules.is_empty());
        assert_eq!(root.config_resource(), "aws_ecs_service.app");
    }

    #[test]
    fn a_reference_is_followed_within_its_module_instance_and_through_module_inputs() {
        let doc = json!({"root_module": {
            "resources": [{"address": "aws_lb_target_group.app", "expressions": {}}],
            "module_calls": {"svc": {
                "expressions": {"target_group_arn": {"references": ["aws_lb_target_group.app.arn", "aws_lb_target_group.app"]}},
                "module": {"resources": [
                    {"address": "aws_ecs_service.this", "expressions": {
                        "load_balancer": [{"target_group_arn": {"references": ["var.target_group_arn"]}}],
                        "cluster": {"references": ["aws_ecs_cluster.this[0].id", "aws_ecs_cluster.this[0]", "aws_ecs_cluster.this"]},
                        "desired_count": {"constant_value": 2}
                    }}
                ]}
            }}
        }});
        let c = Configuration::read(&doc);
        let service = r#"module.svc["web"].aws_ecs_service.this"#;
        assert_eq!(
            c.referenced(service, &["load_balancer", "0", "target_group_arn"])
                .as_deref(),
            Some("aws_lb_target_group.app"),
            "through the module's input, to the caller's resource"
        );
        assert_eq!(
            c.referenced(service, &["cluster"]).as_deref(),
            Some(r#"module.svc["web"].aws_ecs_cluster.this[0]"#),
            "in the same module instance, with the reference's own key"
        );
        assert_eq!(
            c.referenced(service, &["desired_count"]),
            None,
            "a constant references nothing"
        );
        assert_eq!(c.referenced("aws_ecs_service.nowhere", &["cluster"]), None);
        let list = json!({"root_module": {"resources": [{"address": "aws_lb.web", "expressions": {
            "subnets": {"references": ["aws_subnet.public[\"a\"].id", "aws_subnet.public[\"a\"]", "aws_subnet.public", "aws_subnet.private.id", "aws_subnet.private"]}
        }}]}});
        let c = Configuration::read(&list);
        assert_eq!(
            c.referenced_all("aws_lb.web", &["subnets"]),
            [r#"aws_subnet.public["a"]"#, "aws_subnet.private"]
        );
    }

    #[test]
    fn a_reference_to_a_module_output_is_followed_into_that_module_instance() {
        let doc = json!({"root_module": {
            "resources": [{"address": "aws_lb.web", "expressions": {
                "subnets": {"references": ["module.network.public_subnet_ids", "module.network"]}}}],
            "module_calls": {
                "network": {"module": {
                    "outputs": {"public_subnet_ids": {"expression": {"references": ["aws_subnet.public", "module.zones.ids"]}}},
                    "resources": [{"address": "aws_subnet.public", "expressions": {}}],
                    "module_calls": {"zones": {"module": {
                        "outputs": {"ids": {"expression": {"references": ["aws_subnet.extra[0].id", "aws_subnet.extra[0]", "aws_subnet.extra"]}}}
                    }}}
                }},
                "svc": {"module": {"outputs": {"arn": {"expression": {"references": ["aws_lb_target_group.this.arn", "aws_lb_target_group.this"]}}}}}
            }
        }});
        let c = Configuration::read(&doc);
        assert_eq!(
            c.referenced_all("aws_lb.web", &["subnets"]),
            [
                "module.network.aws_subnet.public",
                "module.network.module.zones.aws_subnet.extra[0]"
            ],
            "through the output, and the output of a module it calls"
        );
        let listener = json!({"root_module": {
            "resources": [{"address": "aws_lb_listener.web", "expressions": {
                "default_action": [{"target_group_arn": {"references": ["module.svc[\"api\"].arn", "module.svc[\"api\"]", "module.svc"]}}]}}],
            "module_calls": {"svc": {"module": {"outputs": {"arn": {"expression": {"references": ["aws_lb_target_group.this.arn", "aws_lb_target_group.this"]}}}}}}
        }});
        let c = Configuration::read(&listener);
        assert_eq!(
            c.referenced(
                "aws_lb_listener.web",
                &["default_action", "0", "target_group_arn"]
            )
            .as_deref(),
            Some(r#"module.svc["api"].aws_lb_target_group.this"#),
            "into the instance the reference names"
        );
    }
}
