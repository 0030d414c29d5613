//! A report as text (for people), Markdown (for a pull request) or JSON (for tools), and the
//! one-paragraph summary `cargo xtask codegen` prints.

use serde::Serialize;

use super::report::{Change, Class, Counts, Report};

/// How many Rust items a text or Markdown line lists before it counts the rest.
const MAX_ITEMS: usize = 3;

fn counts_line(c: Counts) -> String {
    format!(
        "{} breaking, {} additive, {} docs-only",
        c.breaking, c.additive, c.docs_only
    )
}

fn items(rust: &[String], quote: &str, separator: &str) -> String {
    let mut text: Vec<String> = rust
        .iter()
        .take(MAX_ITEMS)
        .map(|r| format!("{quote}{r}{quote}"))
        .collect();
    if rust.len() > MAX_ITEMS {
        text.push(format!("and {} more", rust.len() - MAX_ITEMS));
    }
    text.join(separator)
}

fn what(change: &Change) -> String {
    if change.detail.is_empty() {
        change.kind.label().to_string()
    } else {
        format!("{}: {}", change.kind.label(), change.detail)
    }
}

/// Text: a count line, then per area one line per change and one line of Rust items.
pub fn text(report: &Report) -> String {
    if report.is_empty() {
        return "no API changes\n".to_string();
    }
    let mut out = format!("API changes: {}\n", counts_line(report.counts()));
    for (area, changes) in report.areas() {
        out.push_str(&format!("\n{area}\n"));
        for c in changes {
            out.push_str(&format!(
                "  {:<9}  {}  {}\n",
                c.class.label(),
                c.element,
                what(c)
            ));
            if !c.rust.is_empty() {
                out.push_str(&format!("             {}\n", items(&c.rust, "", ", ")));
            }
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Markdown: a count line, then per area a table.
pub fn markdown(report: &Report) -> String {
    if report.is_empty() {
        return "No API changes.\n".to_string();
    }
    let mut out = format!("**API changes:** {}\n", counts_line(report.counts()));
    for (area, changes) in report.areas() {
        out.push_str(&format!(
            "\n### `{}`\n\n| class | element | change | Rust |\n|---|---|---|---|\n",
            cell(area)
        ));
        for c in changes {
            let class = match c.class {
                Class::Breaking => "**breaking**",
                other => other.label(),
            };
            out.push_str(&format!(
                "| {class} | `{}` | {} | {} |\n",
                cell(&c.element),
                cell(&what(c)),
                cell(&items(&c.rust, "`", "<br>"))
            ));
        }
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    summary: Counts,
    breaking: bool,
    areas: Vec<JsonArea<'a>>,
}

#[derive(Serialize)]
struct JsonArea<'a> {
    area: &'a str,
    changes: &'a [Change],
}

/// JSON: `{"summary": {...}, "breaking": bool, "areas": [{"area", "changes": [...]}]}`, every
/// Rust item listed.
pub fn json(report: &Report) -> String {
    let value = JsonReport {
        summary: report.counts(),
        breaking: report.has_breaking(),
        areas: report
            .areas()
            .into_iter()
            .map(|(area, changes)| JsonArea { area, changes })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// One paragraph: the counts and the first changes of each class, by their Rust items.
pub fn summary(report: &Report) -> String {
    if report.is_empty() {
        return "The API did not change.".to_string();
    }
    let mut text = format!("API changes: {}.", counts_line(report.counts()));
    for class in [Class::Breaking, Class::Additive, Class::DocsOnly] {
        let of_class: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        if of_class.is_empty() {
            continue;
        }
        let named: Vec<String> = of_class
            .iter()
            .take(MAX_ITEMS)
            .map(|c| {
                let item = c.rust.first().unwrap_or(&c.element);
                format!("{} {item}", c.kind.label())
            })
            .collect();
        let more = if of_class.len() > MAX_ITEMS {
            format!(" and {} more", of_class.len() - MAX_ITEMS)
        } else {
            String::new()
        };
        text.push_str(&format!(
            " {}: {}{more}.",
            capitalized(class.label()),
            named.join("; ")
        ));
    }
    text
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
