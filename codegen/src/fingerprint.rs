//! What an output folder was generated from, as one digest: the generator's version, every
//! option, the metadata and every document it referenced. Two runs with the same digest produce
//! the same files, so a run whose digest matches the one recorded beside the output (and whose
//! output nobody touched since, which the `fs` module checks) has nothing to do.
//!
//! Pure: the caller reads the documents and hands their bytes in.

use sha2::{Digest, Sha256};

use crate::emit::GenerateOptions;

/// The generator's version: the crate version and a digest of its own source, `Cargo.toml` and
/// lock file, taken by `build.rs` at build time. Any change to the emitter or to a dependency's
/// version changes it, also in a build from a crate tarball (no git is consulted).
pub const GENERATOR: &str = concat!(
    "odata-codegen ",
    env!("CARGO_PKG_VERSION"),
    " source ",
    env!("ODATA_CODEGEN_SOURCE_DIGEST")
);

/// A document that loading the metadata asked for, by the name the loader resolved it to:
/// its bytes, or `None` when it could not be read (a warning, and a different output once it
/// can be).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document<'a> {
    pub name: &'a str,
    pub bytes: Option<&'a [u8]>,
}

/// The hex sha256 of everything the output depends on: [`GENERATOR`], every field of `options`
/// (the metadata's bytes among them), the referenced `documents` in the order they were loaded,
/// and `extra`, what the caller adds to the generated files itself (name, value).
pub fn inputs(
    options: &GenerateOptions,
    documents: &[Document<'_>],
    extra: &[(&str, &str)],
) -> String {
    // Every field by name: a new option does not compile until it is fingerprinted.
    let GenerateOptions {
        crate_name,
        api_version,
        include_paths,
        include_types,
        all,
        overlay,
        metadata_label,
        metadata_bytes,
        runtime_path,
        standalone,
        regenerate_command,
        area_features,
        no_derived_types,
    } = options;
    let mut hasher = Sha256::new();
    // length-prefixed, so no two different inputs hash the same bytes
    let mut field = |name: &str, value: &[u8]| {
        for part in [name.as_bytes(), value] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    };
    field("generator", GENERATOR.as_bytes());
    field("crate_name", crate_name.as_bytes());
    field("api_version", api_version.as_bytes());
    field("include_paths", format!("{include_paths:?}").as_bytes());
    field("include_types", format!("{include_types:?}").as_bytes());
    // the parsed overlay: comments and layout of its file do not change the output
    field("overlay", format!("{overlay:?}").as_bytes());
    field("metadata_label", metadata_label.as_bytes());
    field("metadata", metadata_bytes);
    field("runtime_path", runtime_path.as_bytes());
    field("regenerate_command", regenerate_command.as_bytes());
    let flags = [*all, *standalone, *area_features, *no_derived_types].map(u8::from);
    field("all,standalone,area_features,no_derived_types", &flags);
    for document in documents {
        field("document", document.name.as_bytes());
        match document.bytes {
            Some(bytes) => field("bytes", bytes),
            None => field("unreadable", b""),
        }
    }
    for (name, value) in extra {
        field(name, value.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> GenerateOptions {
        GenerateOptions {
            crate_name: "c".into(),
            api_version: "beta".into(),
            include_paths: vec!["/a".into()],
            include_types: Vec::new(),
            all: false,
            overlay: Default::default(),
            metadata_label: "m.csdl".into(),
            metadata_bytes: b"<Edmx/>".to_vec(),
            runtime_path: "../runtime".into(),
            standalone: false,
            regenerate_command: String::new(),
            area_features: false,
            no_derived_types: false,
        }
    }

    #[test]
    fn every_input_changes_the_digest() {
        let base = inputs(&options(), &[], &[]);
        assert_eq!(base, inputs(&options(), &[], &[]), "deterministic");
        assert_eq!(base.len(), 64);
        let changed: Vec<GenerateOptions> = vec![
            GenerateOptions {
                crate_name: "d".into(),
                ..options()
            },
            GenerateOptions {
                api_version: "v1.0".into(),
                ..options()
            },
            GenerateOptions {
                include_paths: vec!["/a".into(), "/b".into()],
                ..options()
            },
            GenerateOptions {
                include_types: vec!["t".into()],
                ..options()
            },
            GenerateOptions {
                all: true,
                ..options()
            },
            GenerateOptions {
                overlay: crate::config::parse_overlay(
                    "[[path]]\npath = \"/a\"\noperations = [\"get\"]\n",
                    "o.toml",
                )
                .unwrap(),
                ..options()
            },
            GenerateOptions {
                metadata_label: "n.csdl".into(),
                ..options()
            },
            GenerateOptions {
                metadata_bytes: b"<Edmx />".to_vec(),
                ..options()
            },
            GenerateOptions {
                runtime_path: "/runtime".into(),
                ..options()
            },
            GenerateOptions {
                standalone: true,
                ..options()
            },
            GenerateOptions {
                regenerate_command: "x".into(),
                ..options()
            },
            GenerateOptions {
                area_features: true,
                ..options()
            },
            GenerateOptions {
                no_derived_types: true,
                ..options()
            },
        ];
        let mut seen = std::collections::BTreeSet::from([base.clone()]);
        for o in &changed {
            assert!(seen.insert(inputs(o, &[], &[])), "{o:?}");
        }
        let doc = |bytes| Document {
            name: "ref.xml",
            bytes,
        };
        for documents in [
            vec![doc(Some(b"a".as_slice()))],
            vec![doc(Some(b"b".as_slice()))],
            vec![doc(None)],
        ] {
            assert!(seen.insert(inputs(&options(), &documents, &[])));
        }
        assert!(seen.insert(inputs(&options(), &[], &[("api summary", "api.json")])));
    }
}
