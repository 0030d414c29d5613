//! Reading a document and the documents its `edmx:Reference`s name, then resolving them together.

use std::collections::BTreeSet;

use super::Model;
use crate::diagnostics::Diagnostic;
use crate::syntax::{Document, ReadOptions, read_document};

/// A referenced document, as the loader found it.
#[derive(Debug, Clone)]
pub struct LoadedSource {
    /// A stable name for the document (for files, the normalized path): documents are loaded once
    /// per name, which also stops reference cycles.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Fetches referenced documents. The library never touches files itself; the command line and the
/// xtask pass a loader that reads relative file URIs next to the referencing file.
pub trait SourceLoader {
    /// Loads `uri` as referenced from the document named `from`; `Err` says why it is not available.
    fn load(&mut self, uri: &str, from: &str) -> Result<LoadedSource, String>;
}

/// A loader for which every reference is unavailable.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoReferences;

impl SourceLoader for NoReferences {
    fn load(&mut self, _uri: &str, _from: &str) -> Result<LoadedSource, String> {
        Err("references are not loaded here".to_string())
    }
}

/// Namespaces of the OASIS standard vocabularies: their terms are known without a file.
pub(crate) const STANDARD_VOCABULARIES: &[&str] = &[
    "Org.OData.Core.V1",
    "Org.OData.Capabilities.V1",
    "Org.OData.Measures.V1",
    "Org.OData.Validation.V1",
    "Org.OData.Authorization.V1",
    "Org.OData.Aggregation.V1",
    "Org.OData.Community.V1",
    "Org.OData.JSON.V1",
    "Org.OData.Repeatability.V1",
    "Org.OData.Temporal.V1",
    "Org.OData.Session.V1",
];

/// Upper bound on the number of documents one model may pull in through references.
const MAX_DOCUMENTS: usize = 512;

/// A document read from a source, with the reason references of it could not be loaded.
pub(crate) struct LoadedDocument {
    pub name: String,
    pub doc: Document,
    /// `Include` namespaces of references that were not available, with the reason and where
    /// the reference was written.
    pub unavailable: Vec<(String, String, crate::syntax::Pos)>,
}

/// Options of [`load_model_with`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// How each document is read.
    pub read: ReadOptions,
}

/// Reads `bytes` (named `name`) and every document it references, then resolves the model.
///
/// Errors come back all at once, in source order, followed by the warnings of the run; on
/// success warnings travel in [`Model::warnings`].
pub fn load_model(
    name: &str,
    bytes: &[u8],
    loader: &mut dyn SourceLoader,
) -> Result<Model, Vec<Diagnostic>> {
    load_model_with(name, bytes, loader, &LoadOptions::default())
}

/// [`load_model`] with explicit options.
pub fn load_model_with(
    name: &str,
    bytes: &[u8],
    loader: &mut dyn SourceLoader,
    load_options: &LoadOptions,
) -> Result<Model, Vec<Diagnostic>> {
    let options = &load_options.read;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut docs: Vec<LoadedDocument> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut requested: BTreeSet<(String, String)> = BTreeSet::new();
    seen.insert(name.to_string());
    let mut main = read_document(bytes, name, options)?;
    warnings.append(&mut main.warnings);
    docs.push(LoadedDocument {
        name: name.to_string(),
        doc: main,
        unavailable: Vec::new(),
    });

    let mut next = 0;
    while next < docs.len() {
        let from = docs[next].name.clone();
        let references: Vec<_> = docs[next]
            .doc
            .references
            .iter()
            .map(|r| {
                (
                    r.uri.clone(),
                    r.pos,
                    r.includes
                        .iter()
                        .map(|i| i.namespace.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        for (uri, pos, namespaces) in references {
            let standard = !namespaces.is_empty()
                && namespaces
                    .iter()
                    .all(|n| STANDARD_VOCABULARIES.contains(&n.as_str()));
            if standard {
                continue;
            }
            if docs.len() >= MAX_DOCUMENTS {
                errors.push(Diagnostic::error(
                    &from,
                    pos,
                    format!("too many referenced documents (more than {MAX_DOCUMENTS})"),
                ));
                break;
            }
            // a document may name the same reference many times: ask the loader once
            if !requested.insert((from.clone(), uri.clone())) {
                continue;
            }
            match loader.load(&uri, &from) {
                Ok(source) => {
                    if !seen.insert(source.name.clone()) {
                        continue;
                    }
                    match read_document(&source.bytes, &source.name, options) {
                        Ok(mut doc) => {
                            warnings.append(&mut doc.warnings);
                            docs.push(LoadedDocument {
                                name: source.name,
                                doc,
                                unavailable: Vec::new(),
                            });
                        }
                        Err(e) => {
                            let (mut e, mut w): (Vec<_>, Vec<_>) =
                                e.into_iter().partition(Diagnostic::is_error);
                            errors.append(&mut e);
                            warnings.append(&mut w);
                        }
                    }
                }
                Err(reason) => {
                    warnings.push(Diagnostic::warning(
                        &from,
                        pos,
                        format!("referenced document `{uri}` is not available: {reason}"),
                    ));
                    for ns in namespaces {
                        docs[next].unavailable.push((ns, uri.clone(), pos));
                    }
                }
            }
        }
        next += 1;
    }
    if !errors.is_empty() {
        errors.append(&mut warnings);
        return Err(errors);
    }
    let mut model = match super::resolve::resolve(docs) {
        Ok(model) => model,
        Err(mut errors) => {
            // the warnings (an unavailable reference, say) often explain the errors
            errors.append(&mut warnings);
            return Err(errors);
        }
    };
    warnings.append(&mut model.warnings);
    model.warnings = warnings;
    Ok(model)
}
