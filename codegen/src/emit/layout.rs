//! Which file each generated item goes to.
//!
//! A module (a models namespace, the request builders) holds items that compile with different
//! sets of area features. Its items are grouped by that set; each group is a private submodule,
//! gated once and re-exported with `pub use`, so an item's path does not change, a feature that is
//! off costs rustc nothing (the file is never read), and no item carries its own `cfg`. A group
//! larger than [`PART_BUDGET`] is cut into numbered parts, so that no file is too big for an
//! editor. A module whose items all compile unconditionally and that fits stays one file.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::PieceId;
use super::features;
use super::names::Names;

/// The most formatted text one file gets before a group is cut into parts, so that files stay
/// well under a megabyte.
const PART_BUDGET: usize = 640 * 1024;

/// The area features an item compiles with: `None` for always.
pub(crate) type Areas = Option<BTreeSet<String>>;

/// One emitted item (or a few that belong together) of a module.
#[derive(Debug)]
pub(crate) struct Item {
    pub areas: Areas,
    pub piece: PieceId,
    /// The length of its formatted text.
    pub size: usize,
    /// Whether it names something a `pub use` re-exports (a type, function, constant...), not
    /// only `impl` blocks: a file of impls alone is not re-exported.
    pub declares: bool,
}

/// Whether `file` declares a named item (`impl` blocks and macro calls such as `object_impls!`
/// name nothing).
pub(crate) fn declares_items(file: &syn::File) -> bool {
    file.items
        .iter()
        .any(|i| !matches!(i, syn::Item::Impl(_) | syn::Item::Macro(_)))
}

/// A module to lay out: `dir` is its folder (`src/models`, `src/models/security`,
/// `src/requests`), `file` its file when it stays one (`src/models/security.rs`).
#[derive(Debug)]
pub(crate) struct Module {
    pub dir: String,
    pub file: String,
    /// The module's own first piece (inner docs, submodule declarations, the client...).
    pub head: Vec<PieceId>,
    /// Names the module already uses for submodules (namespaces), which groups must avoid.
    pub taken: Vec<String>,
    /// What a group's doc says it holds (`Models of the `microsoft.graph` namespace`).
    pub what: String,
    /// Whether group files need the parent's names (request builders name each other unqualified).
    pub glob_parent: bool,
    pub items: Vec<Item>,
}

/// The files of `module`, each with its pieces in order; `push` queues the extra pieces the
/// layout writes itself (group declarations and group headers).
pub(crate) fn files(
    module: Module,
    push: &mut dyn FnMut(TokenStream) -> PieceId,
) -> Vec<(String, Vec<PieceId>)> {
    let total: usize = module.items.iter().map(|i| i.size).sum();
    let largest = module.items.iter().map(|i| i.size).max().unwrap_or(0);
    // one file when splitting would not make it smaller (a single huge item)
    if module.items.iter().all(|i| i.areas.is_none()) && (total <= PART_BUDGET || total == largest)
    {
        let mut ids = module.head;
        ids.extend(module.items.into_iter().map(|i| i.piece));
        return vec![(module.file, ids)];
    }
    let mut groups: BTreeMap<Areas, Vec<Item>> = BTreeMap::new();
    for item in module.items {
        groups.entry(item.areas.clone()).or_default().push(item);
    }
    let group_names = Names::area_groups(groups.keys().map(Option::as_ref), &module.taken);
    let mut declarations = Vec::new();
    let mut files = Vec::new();
    for (areas, items) in groups {
        let name = &group_names[&areas];
        let gate = features::gate(areas.as_ref());
        let parts = split(items);
        let numbered = parts.len() > 1;
        for (n, part) in parts.into_iter().enumerate() {
            let part_name = if numbered {
                format!("{name}_part_{}", n + 1)
            } else {
                name.clone()
            };
            let ident = format_ident!("{}", part_name);
            let reexport = part.iter().any(|i| i.declares).then(|| {
                quote! {
                    #gate
                    pub use #ident::*;
                }
            });
            declarations.push(quote! {
                #gate
                mod #ident;
                #reexport
            });
            let doc = match &areas {
                None => format!(" {} that compile with every feature.", module.what),
                Some(set) => {
                    let features: Vec<String> = set.iter().map(|f| format!("`{f}`")).collect();
                    if features.len() == 1 {
                        format!(
                            " {} that compile with the {} feature.",
                            module.what, features[0]
                        )
                    } else {
                        format!(
                            " {} that compile with any of the features {}.",
                            module.what,
                            features.join(", ")
                        )
                    }
                }
            };
            let glob = module.glob_parent.then(|| {
                quote! {
                    #[allow(unused_imports)]
                    use super::*;
                }
            });
            let head = push(quote! {
                #![doc = #doc]
                #glob
            });
            let mut ids = vec![head];
            ids.extend(part.into_iter().map(|i| i.piece));
            files.push((format!("{}/{part_name}.rs", module.dir), ids));
        }
    }
    let declared = push(quote! { #( #declarations )* });
    let mut ids = module.head;
    ids.push(declared);
    files.insert(0, (format!("{}/mod.rs", module.dir), ids));
    files
}

/// `items` in parts of at most [`PART_BUDGET`] (an item larger than that is a part of its own).
fn split(items: Vec<Item>) -> Vec<Vec<Item>> {
    let mut parts: Vec<Vec<Item>> = vec![Vec::new()];
    let mut size = 0;
    for item in items {
        if size + item.size > PART_BUDGET && size > 0 {
            parts.push(Vec::new());
            size = 0;
        }
        size += item.size;
        parts.last_mut().expect("one part at least").push(item);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: usize, size: usize) -> Item {
        Item {
            areas: None,
            piece: PieceId(id),
            size,
            declares: true,
        }
    }

    fn module(items: Vec<Item>) -> Module {
        Module {
            dir: "src/models".into(),
            file: "src/models/mod.rs".into(),
            head: vec![PieceId(100)],
            taken: vec!["in_users".into()],
            what: "Models".into(),
            glob_parent: true,
            items,
        }
    }

    fn areas(features: &[&str]) -> Areas {
        Some(features.iter().map(|f| f.to_string()).collect())
    }

    fn laid_out(module: Module) -> Vec<(String, Vec<usize>)> {
        let mut next = 200;
        files(module, &mut |_| {
            next += 1;
            PieceId(next)
        })
        .into_iter()
        .map(|(path, ids)| (path, ids.into_iter().map(|PieceId(id)| id).collect()))
        .collect()
    }

    #[test]
    fn a_module_that_always_compiles_and_fits_stays_one_file() {
        let files = laid_out(module(vec![item(0, 10), item(1, 10)]));
        assert_eq!(files, [("src/models/mod.rs".to_string(), vec![100, 0, 1])]);
    }

    #[test]
    fn items_are_grouped_by_their_areas_in_gated_submodules() {
        let mut items = vec![item(0, 10), item(1, 10), item(2, 10), item(3, PART_BUDGET)];
        items[1].areas = areas(&["users"]);
        items[2].areas = areas(&["device-management", "me", "users", "groups"]);
        items[3].areas = areas(&["users"]);
        let files = laid_out(module(items));
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "src/models/mod.rs",
                "src/models/always.rs",
                "src/models/in_device_management_groups_and_2_more.rs",
                // `in_users` is a namespace module's name already
                "src/models/in_users_2_part_1.rs",
                "src/models/in_users_2_part_2.rs",
            ]
        );
        // each group file: its own header piece, then its items in order
        assert_eq!(files[2].1[1..], [2]);
        assert_eq!(files[3].1[1..], [1]);
        assert_eq!(files[4].1[1..], [3]);
        assert_eq!(files[0].1[0], 100);
    }

    #[test]
    fn parts_stay_within_the_budget_and_keep_the_order() {
        let parts = split(vec![
            item(0, PART_BUDGET / 2),
            item(1, PART_BUDGET / 2),
            item(2, 1),
            item(3, PART_BUDGET * 2),
            item(4, 1),
        ]);
        let ids: Vec<Vec<usize>> = parts
            .iter()
            .map(|p| p.iter().map(|i| i.piece.0).collect())
            .collect();
        assert_eq!(ids, [vec![0, 1], vec![2], vec![3], vec![4]]);
    }

    #[test]
    fn a_part_of_impls_alone_is_declared_but_not_re_exported() {
        let mut items = vec![item(0, PART_BUDGET), item(1, PART_BUDGET)];
        for i in &mut items {
            i.areas = areas(&["users"]);
        }
        items[1].declares = false;
        let mut pushed = Vec::new();
        files(module(items), &mut |t| {
            pushed.push(t.to_string());
            PieceId(pushed.len() + 200)
        });
        let declarations = pushed.last().expect("the declarations piece");
        assert!(declarations.contains("mod in_users_2_part_1"));
        assert!(declarations.contains("pub use in_users_2_part_1"));
        assert!(declarations.contains("mod in_users_2_part_2"));
        assert!(!declarations.contains("pub use in_users_2_part_2"));
    }

    #[test]
    fn impls_and_macro_calls_declare_nothing() {
        let file = |tokens: TokenStream| syn::parse2::<syn::File>(tokens).expect("parses");
        let impls = file(quote! {
            impl AnyEntity { pub fn id(&self) -> &str { "" } }
            impl From<Entity> for AnyEntity { fn from(v: Entity) -> Self { todo!() } }
            odata_runtime::object_impls!(Entity);
        });
        assert!(!declares_items(&impls));
        let declared = [
            quote! { #[derive(Clone)] pub struct Entity {} },
            quote! { pub enum AnyEntity { Entity(Box<Entity>) } },
            quote! { impl Entity {} pub fn helper() {} },
            quote! { pub use in_users::*; },
        ];
        for tokens in declared {
            assert!(declares_items(&file(tokens.clone())), "{tokens}");
        }
    }
}
