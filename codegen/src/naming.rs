//! Rust names for CSDL names: the one place where naming rules live.
//!
//! Rules, applied in order:
//! 1. Case: types and variants are UpperCamelCase, fields, methods and modules snake_case (heck).
//! 2. Characters: `-` becomes `_` (`request-id` -> `request_id`, a property name Graph uses);
//!    anything else but ASCII letters, digits and `_` becomes `uXXXX` (its code point), so
//!    non-ASCII CSDL names map to plain identifiers deterministically.
//! 3. A leading digit gets a prefix: `N` for UpperCamelCase, `n_` for snake_case.
//! 4. Rust keywords and reserved words (including `self`, `Self`, `crate`, `super`, `_`) get a
//!    trailing `_`.
//! 5. Names that collide within one scope after 1-4 get `_2`, `_3`, ... in declaration order
//!    ([`Scope`]).
//!
//! Module names also name files (`src/models/<module>.rs`): they are cut to [`MAX_MODULE_NAME`]
//! characters, and a name Windows reserves for a device (`con`, `aux`, `nul`, `com1`...) gets a
//! trailing `_`, so every generated path is a portable file name.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union", "_",
];

/// Method names of standard traits: a builder method of that name (a bound action called
/// `clone`, say) would read as the trait's method, so such names are taken in advance.
pub const TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "fmt",
    "from",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into",
    "into_iter",
    "mul",
    "ne",
    "neg",
    "next",
    "not",
    "partial_cmp",
    "rem",
    "shl",
    "shr",
    "sub",
    "to_owned",
    "to_string",
];

/// Names the generated code defines itself and that a CSDL-derived name must not take.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "Default",
];

fn ascii_only(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if c == '-' {
            // `request-id` reads as `request_id`; a collision gets a number in its scope
            out.push('_');
        } else {
            out.push_str(&format!("_u{:04x}_", c as u32));
        }
    }
    out
}

fn finish(mut name: String, digit_prefix: &str) -> String {
    if name.is_empty() {
        name.push('_');
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, digit_prefix);
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `remoteAssistanceSettings` -> `RemoteAssistanceSettings`.
pub fn type_name(name: &str) -> String {
    let camel = ascii_only(name).to_upper_camel_case();
    let mut out = finish(camel, "N");
    if RESERVED_TYPES.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// `allowSessionsToUnenrolledDevices` -> `allow_sessions_to_unenrolled_devices`.
pub fn field_name(name: &str) -> String {
    finish(ascii_only(name).to_snake_case(), "n_")
}

/// File names Windows reserves for devices, whatever the extension (`aux.rs` included).
const RESERVED_FILE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The longest module name: `<name>_NN.rs` stays within the 128 characters of a generated path
/// segment.
pub const MAX_MODULE_NAME: usize = 120;

/// Module names follow the field rules, cut to [`MAX_MODULE_NAME`] characters; a reserved file
/// name gets a trailing `_`.
pub fn module_name(name: &str) -> String {
    let mut module = field_name(name);
    // field names are ASCII: any byte index is a character boundary
    module.truncate(MAX_MODULE_NAME);
    if RESERVED_FILE_NAMES.contains(&module.as_str()) {
        module.push('_');
    }
    module
}

/// Enum variants follow the type rules.
pub fn variant_name(name: &str) -> String {
    type_name(name)
}

/// Cargo feature names: kebab-case ASCII (`deviceManagement` -> `device-management`).
pub fn feature_name(name: &str) -> String {
    let kebab = heck::ToKebabCase::to_kebab_case(ascii_only(name).as_str());
    if kebab.starts_with(|c: char| c.is_ascii_alphabetic()) {
        kebab
    } else {
        format!("area-{kebab}")
    }
}

/// `SCREAMING_CASE` constant names.
pub fn const_name(name: &str) -> String {
    let s = field_name(name).trim_end_matches('_').to_ascii_uppercase();
    finish(s, "N_")
}

/// A set of names already taken in one scope (the fields of a struct, the variants of an enum,
/// the items of a module).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// Per collided base, the number its last numbered variant got: the search for a free one
    /// resumes there, so N names colliding on one base cost O(N log N), not O(N^2). Names are only
    /// ever added, so the lowest free number of a base never goes down.
    next: BTreeMap<String, u64>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            next: BTreeMap::new(),
        }
    }

    /// Takes `candidate`, or the first free numbered variant for N = 2, 3, ...: `name_N` for
    /// snake_case names, `NameN` for UpperCamelCase ones.
    pub fn claim(&mut self, candidate: String) -> String {
        if self.taken.insert(candidate.clone()) {
            return candidate;
        }
        let base = candidate.trim_end_matches('_').to_string();
        let camel = base.starts_with(|c: char| c.is_ascii_uppercase());
        let start = self.next.get(&base).copied().unwrap_or(2);
        for n in start.. {
            let numbered = if camel {
                format!("{base}{n}")
            } else {
                format!("{base}_{n}")
            };
            if self.taken.insert(numbered.clone()) {
                self.next.insert(base, n + 1);
                return numbered;
            }
        }
        candidate
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(
            type_name("remoteAssistanceSettings"),
            "RemoteAssistanceSettings"
        );
        assert_eq!(
            field_name("allowSessionsToUnenrolledDevices"),
            "allow_sessions_to_unenrolled_devices"
        );
        assert_eq!(variant_name("unknownFutureValue"), "UnknownFutureValue");
        assert_eq!(
            const_name("remoteAssistanceState"),
            "REMOTE_ASSISTANCE_STATE"
        );
    }

    #[test]
    fn keywords_and_reserved_words() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("request-id"), "request_id");
        assert_eq!(field_name("client-request-id"), "client_request_id");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("_"), "__");
        assert_eq!(type_name("option"), "Option_");
        assert_eq!(field_name("async"), "async_");
    }

    #[test]
    fn digits_and_non_ascii() {
        assert_eq!(type_name("4k"), "N4k");
        assert_eq!(field_name("4k"), "n_4k");
        assert_eq!(variant_name("v4_0_3"), "V403");
        assert_eq!(type_name("Größe"), "GrU00f6U00dfE");
        assert_eq!(field_name("Größe"), "gr_u00f6_u00df_e");
        assert!(syn::parse_str::<syn::Ident>(&field_name("Größe")).is_ok());
        assert!(syn::parse_str::<syn::Ident>(&type_name("日本")).is_ok());
    }

    #[test]
    fn numbering_skips_taken_names_and_resumes() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("a_3".into()), "a_3");
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a_2");
        assert_eq!(scope.claim("a".into()), "a_4");
        assert_eq!(scope.claim("a_".into()), "a_");
        assert_eq!(scope.claim("a_".into()), "a_5");
        assert_eq!(scope.claim("a_6".into()), "a_6");
        assert_eq!(scope.claim("a".into()), "a_7");
        // many collisions stay fast
        let started = std::time::Instant::now();
        for _ in 0..20_000 {
            scope.claim("b".into());
        }
        assert_eq!(scope.claim("b".into()), "b_20001");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn module_names_are_portable_file_names() {
        assert_eq!(module_name("aux"), "aux_");
        assert_eq!(module_name("Con"), "con_");
        assert_eq!(module_name("LPT9"), "lpt9_");
        assert_eq!(module_name("console"), "console");
        assert_eq!(module_name("self"), "self_");
        let long = module_name(&"a".repeat(128 * 3));
        assert_eq!(long.len(), MAX_MODULE_NAME);
        let mut scope = Scope::default();
        scope.claim(long.clone());
        assert!(crate::output::is_safe_relative_path(&format!(
            "src/models/{}.rs",
            scope.claim(long)
        )));
    }

    #[test]
    fn collisions_get_numbered_in_order() {
        let mut scope = Scope::with_reserved(&["odata_type"]);
        assert_eq!(scope.claim(field_name("Name")), "name");
        assert_eq!(scope.claim(field_name("name")), "name_2");
        assert_eq!(scope.claim(field_name("NAME")), "name_3");
        assert_eq!(scope.claim(field_name("odataType")), "odata_type_2");
        assert_eq!(scope.claim(field_name("type")), "type_");
        assert_eq!(scope.claim(field_name("type_")), "type_2");
    }
}
