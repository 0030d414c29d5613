//! Located messages about the input: errors stop generation, warnings do not.
//!
//! Every diagnostic has the same kind of location: a named source (a file path, or the label a
//! caller gives its input) and a 1-based line and column in it. The model keeps the place of each
//! element more compactly ([`crate::model::Loc`], an index into its sources) and turns it into a
//! [`Location`] when it reports.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A place in a source: shown as `FILE:LINE:COL`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The source as the caller named it (a path for files).
    pub file: String,
    pub pos: Pos,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.pos)
    }
}

/// One message about one place in one source, or about input that no source holds (an option
/// given on the command line).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            location,
            message: message.into(),
        }
    }

    pub fn error(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        let file = file.into();
        Diagnostic::new(Severity::Error, Some(Location { file, pos }), message)
    }

    pub fn warning(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        let file = file.into();
        Diagnostic::new(Severity::Warning, Some(Location { file, pos }), message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The position in the source; `None` for input that no source holds.
    pub fn pos(&self) -> Option<Pos> {
        self.location.as_ref().map(|l| l.pos)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Some(location) => write!(f, "{location}: {level}: {}", self.message),
            None => write!(f, "{level}: {}", self.message),
        }
    }
}

/// The lines a command prints for `warnings`: the first `max`, then how many more there are.
pub fn warning_lines(warnings: &[Diagnostic], max: usize) -> Vec<String> {
    let mut lines: Vec<String> = warnings.iter().take(max).map(ToString::to_string).collect();
    if warnings.len() > max {
        lines.push(format!("... and {} more warnings", warnings.len() - max));
    }
    lines
}

/// All diagnostics of a failed run, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
