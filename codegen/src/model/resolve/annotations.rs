//! Annotations into the model: terms qualified, and checked against the vocabularies that are
//! known.

use super::scope::Kind;
use super::{Builder, loc};
use crate::model::load::STANDARD_VOCABULARIES;
use crate::model::{Annotation, Annotations};
use crate::syntax::{self, Pos};

impl Builder<'_> {
    pub(super) fn annotations(
        &mut self,
        doc: usize,
        list: Vec<syntax::Annotation>,
        qualifier: Option<&str>,
    ) -> Annotations {
        self.convert_annotations(doc, list, qualifier, |b, term, pos| {
            b.check_term_namespace(doc, pos, term)
                .unwrap_or_else(|| b.check_declared_term(doc, pos, term))
        })
    }

    pub(super) fn convert_annotations(
        &mut self,
        doc: usize,
        list: Vec<syntax::Annotation>,
        qualifier: Option<&str>,
        mut check: impl FnMut(&mut Self, &str, Pos) -> bool,
    ) -> Annotations {
        if list.is_empty() {
            return Annotations::default();
        }
        // `map` + `collect` reuses the list's allocation for the resolved annotations
        let list = list
            .into_iter()
            .map(|a| {
                let term = self.qualify_owned(doc, a.term);
                let term_resolved = check(self, &term, a.pos);
                Annotation {
                    term,
                    qualifier: a.qualifier.or_else(|| qualifier.map(str::to_string)),
                    value: a.value,
                    term_resolved,
                    loc: loc(doc, a.pos),
                }
            })
            .collect();
        Annotations(list)
    }

    /// Whether a term is known, as far as its namespace tells; `None` when the namespace is
    /// declared by a loaded schema, whose declarations then tell.
    pub(super) fn check_term_namespace(
        &mut self,
        doc: usize,
        pos: Pos,
        term: &str,
    ) -> Option<bool> {
        let Some((ns, _)) = term.rsplit_once('.') else {
            self.found.warn(
                loc(doc, pos),
                format!("annotation term `{term}` is not qualified by a namespace"),
            );
            return Some(false);
        };
        if STANDARD_VOCABULARIES.contains(&ns) {
            return Some(true);
        }
        if self.declared_namespaces.contains(ns) {
            return None;
        }
        if !self.unavailable.contains_key(ns) {
            self.found.warn(
                loc(doc, pos),
                format!(
                    "annotation term `{term}`: namespace `{ns}` is neither declared nor referenced"
                ),
            );
        }
        Some(false)
    }

    /// Whether a term of a namespace that a loaded schema declares is declared there.
    pub(super) fn check_declared_term(&mut self, doc: usize, pos: Pos, term: &str) -> bool {
        if matches!(self.kinds.get(term), Some((Kind::Term, _))) {
            return true;
        }
        let ns = term.rsplit_once('.').map_or("", |(ns, _)| ns);
        self.found.warn(
            loc(doc, pos),
            format!("annotation term `{term}` is not declared in schema `{ns}`"),
        );
        false
    }
}
