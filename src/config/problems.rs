//! Reading a config file so that every problem in it is reported at once, each at its line and
//! column: TOML syntax first (the parser recovers and goes on), then each entry read on its own
//! (a wrong type or an unknown key does not hide the next), then the values' meaning.

use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeArray, DeTable, DeValue, Deserializer};
use toml::Spanned;

use super::Config;

/// One problem of a config file, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// The problems as a message: one on its own, several one a line.
pub fn describe(problems: &[Problem]) -> String {
    match problems {
        [one] => one.to_string(),
        many => {
            let lines: Vec<String> = many.iter().map(|p| format!("  {p}")).collect();
            format!("{} problems:\n{}", many.len(), lines.join("\n"))
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

fn problem(text: &str, span: Option<Range<usize>>, message: &str) -> Problem {
    let (line, column) = position(text, span.clone().map_or(0, |s| s.start));
    // toml's messages can carry their own rendering of the position; the first line is the
    // message itself.
    let message = message.lines().next().unwrap_or_default().trim().to_owned();
    Problem {
        line,
        column,
        message,
    }
}

/// A type error, named after the key it is at (`thresholds.max_percent: invalid type …`).
fn shape_problem(text: &str, doc: &DeTable<'_>, e: &toml::de::Error) -> Problem {
    let mut p = problem(text, e.span(), e.message());
    if let Some(key) = e.span().and_then(|s| key_at(doc, s.start)) {
        p.message = format!("{key}: {}", p.message);
    }
    p
}

/// The path of the innermost key whose entry holds `offset`. A table's own span is its
/// header alone, so tables are searched whatever their span.
fn key_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    for (key, value) in table.iter() {
        let name = key.get_ref().to_string();
        let holds = |v: &Spanned<DeValue<'_>>| {
            (key.span().start.min(v.span().start)..v.span().end.max(key.span().end))
                .contains(&offset)
        };
        let found = match value.get_ref() {
            DeValue::Table(t) => key_at(t, offset)
                .map(|k| format!("{name}.{k}"))
                .or_else(|| holds(value).then(|| name.clone())),
            DeValue::Array(a) => a
                .iter()
                .enumerate()
                .find_map(|(i, v)| match v.get_ref() {
                    DeValue::Table(t) => key_at(t, offset)
                        .map(|k| format!("{name}[{i}].{k}"))
                        .or_else(|| v.span().contains(&offset).then(|| format!("{name}[{i}]"))),
                    _ => v.span().contains(&offset).then(|| format!("{name}[{i}]")),
                })
                .or_else(|| holds(value).then(|| name.clone())),
            _ => holds(value).then(|| name.clone()),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The config in `text`, or every problem found in it.
pub fn read(text: &str) -> Result<Config, Vec<Problem>> {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax
            .iter()
            .map(|e| problem(text, e.span(), e.message()))
            .collect());
    }
    // Each entry read alone: a wrong one is reported, the right ones are kept and judged.
    let mut kept = Kept::default();
    let mut problems = Vec::new();
    for entry in entries(&doc) {
        match deserialize(entry.alone(doc.span())) {
            Ok(_) => kept.add(entry),
            Err(e) => problems.push(shape_problem(text, doc.get_ref(), &e)),
        }
    }
    let config = match deserialize(Spanned::new(doc.span(), kept.table.clone())) {
        Ok(config) => config,
        Err(e) => {
            problems.push(shape_problem(text, doc.get_ref(), &e));
            return Err(dedup(problems));
        }
    };
    problems.extend(config.problems().into_iter().map(|(path, message)| {
        let path = kept.original_path(&path);
        let message = kept.original_path(&message);
        problem(text, locate(doc.get_ref(), &path), &message)
    }));
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(dedup(problems))
    }
}

fn deserialize(doc: Spanned<DeTable<'_>>) -> Result<Config, toml::de::Error> {
    Config::deserialize(Deserializer::from(doc))
}

fn dedup(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    problems
}

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;

/// One entry of the document: a top-level key, one key of a top-level table, or one element
/// of a top-level array.
struct Entry<'i> {
    key: Key<'i>,
    /// The top-level value's span, kept on the one-entry value.
    span: Range<usize>,
    part: Part<'i>,
}

enum Part<'i> {
    Whole(Spanned<DeValue<'i>>),
    Key(Key<'i>, Spanned<DeValue<'i>>),
    Element(usize, Spanned<DeValue<'i>>),
}

impl<'i> Entry<'i> {
    /// A document holding this entry alone.
    fn alone(&self, whole: Range<usize>) -> Spanned<DeTable<'i>> {
        let value = match &self.part {
            Part::Whole(v) => v.clone(),
            Part::Key(k, v) => {
                let mut inner = DeTable::new();
                inner.insert(k.clone(), v.clone());
                Spanned::new(self.span.clone(), DeValue::Table(inner))
            }
            Part::Element(_, v) => {
                let one: DeArray<'i> = std::iter::once(v.clone()).collect();
                Spanned::new(self.span.clone(), DeValue::Array(one))
            }
        };
        let mut one = DeTable::new();
        one.insert(self.key.clone(), value);
        Spanned::new(whole, one)
    }
}

/// The entries read without a problem, put back together, and where each kept array
/// element was in the file.
#[derive(Default)]
struct Kept<'i> {
    table: DeTable<'i>,
    elements: std::collections::BTreeMap<String, Vec<usize>>,
}

impl<'i> Kept<'i> {
    fn add(&mut self, entry: Entry<'i>) {
        let span = entry.span.clone();
        let name = entry.key.get_ref().to_string();
        match entry.part {
            Part::Whole(v) => {
                self.table.insert(entry.key, v);
            }
            Part::Key(k, v) => {
                let slot = self.slot(entry.key, span, || DeValue::Table(DeTable::new()));
                if let DeValue::Table(t) = slot {
                    t.insert(k, v);
                }
            }
            Part::Element(i, v) => {
                self.elements.entry(name).or_default().push(i);
                let slot = self.slot(entry.key, span, || DeValue::Array(DeArray::new()));
                if let DeValue::Array(a) = slot {
                    a.push(v);
                }
            }
        }
    }

    fn slot(
        &mut self,
        key: Key<'i>,
        span: Range<usize>,
        empty: impl Fn() -> DeValue<'i>,
    ) -> &mut DeValue<'i> {
        if self.table.get(key.get_ref().as_ref()).is_none() {
            self.table.insert(key.clone(), Spanned::new(span, empty()));
        }
        self.table
            .get_mut(key.get_ref().as_ref())
            .map(Spanned::get_mut)
            .expect("inserted above")
    }

    /// `suppressions[1]` of the kept entries as the file numbers it.
    fn original_path(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (name, positions) in &self.elements {
            for (kept, original) in positions.iter().enumerate().rev() {
                out = out.replace(&format!("{name}[{kept}]"), &format!("{name}[{original}]"));
            }
        }
        out
    }
}

/// The document cut into entries: each key of each top-level table, each element of each
/// top-level array, each other top-level key. Read one by one, each wrong entry gives its own
/// error.
fn entries<'i>(doc: &Spanned<DeTable<'i>>) -> Vec<Entry<'i>> {
    let mut out = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        let entry = |part| Entry {
            key: key.clone(),
            span: value.span(),
            part,
        };
        match value.get_ref() {
            DeValue::Table(table) if !table.is_empty() => {
                out.extend(
                    table
                        .iter()
                        .map(|(k, v)| entry(Part::Key(k.clone(), v.clone()))),
                );
            }
            DeValue::Array(array) if !array.is_empty() => {
                out.extend(
                    array
                        .iter()
                        .enumerate()
                        .map(|(i, v)| entry(Part::Element(i, v.clone()))),
                );
            }
            _ => out.push(entry(Part::Whole(value.clone()))),
        }
    }
    out
}

/// The span of a key path (`thresholds.max_percent`, `suppressions[2].check`) in the
/// document: the deepest part of it the file spells.
fn locate(doc: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut table = Some(doc);
    let mut found = None;
    let segments: Vec<&str> = path.split('.').collect();
    for (n, &segment) in segments.iter().enumerate() {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let Some((key, value)) = table.and_then(|t| t.get_key_value(name)) else {
            break;
        };
        found = Some(key.span());
        let value = match (value.get_ref(), index) {
            (DeValue::Array(array), Some(i)) => match array.get(i) {
                Some(element) => element,
                None => break,
            },
            _ => value,
        };
        // An element, or the value a problem is about: there rather than at its key.
        let last = n + 1 == segments.len();
        let scalar = !matches!(value.get_ref(), DeValue::Table(_));
        if index.is_some() || (last && scalar) {
            found = Some(value.span());
        }
        table = match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    found
}
