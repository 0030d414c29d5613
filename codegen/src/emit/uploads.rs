//! Large uploads on the builders whose entity declares `createUploadSession`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::deprecations;
use super::docs::Doc;
use super::names::BoundNames;
use crate::model::{Operation, TypeRef};
use crate::syntax::OperationKind;

/// Graph's upload sessions: an action `createUploadSession` that answers one `uploadSession`
/// (drive items, attachments, print documents...).
pub fn creates_upload_session(op: &Operation) -> bool {
    op.kind == OperationKind::Action
        && op.simple_name == "createUploadSession"
        && op.return_type.as_ref().is_some_and(|r| {
            !r.ty.collection
                && matches!(&r.ty.ty, TypeRef::Complex(q) if q.rsplit('.').next() == Some("uploadSession"))
        })
}

/// `large_upload(&self, body)`: the runtime's `LargeUpload` of the `createUploadSession` call.
pub fn method(op: &Operation, bound: &BoundNames, name: &str) -> TokenStream {
    let method = format_ident!("{}", name);
    let create = format_ident!("{}", bound.method);
    let doc = Doc::default()
        .markdown(format!(
            "Uploads a file through a new upload session: [`Self::{}`], then the file in ranges to the session's pre-authenticated URL.",
            bound.method
        ))
        .markdown(
            "Give the bytes or a reader to the returned [`odata_runtime::LargeUpload`] (range size, progress, cancelling, resuming).",
        )
        .tokens();
    let deprecated = deprecations::attribute(&op.annotations);
    match &bound.parameters {
        Some(parameters) => {
            let parameters = format_ident!("{}", parameters);
            quote! {
                #doc
                #deprecated
                pub fn #method(&self, body: &#parameters) -> odata_runtime::LargeUpload {
                    odata_runtime::LargeUpload::new(self.#create(body))
                }
            }
        }
        None => quote! {
            #doc
            #deprecated
            pub fn #method(&self) -> odata_runtime::LargeUpload {
                odata_runtime::LargeUpload::new(self.#create())
            }
        },
    }
}
