//! Server-driven paging (Graph's `concepts/paging.md`) and the advanced-query rules of directory
//! objects (`concepts/aad-advanced-queries.md`).
//!
//! - A collection is answered one page at a time; every page but the last has an absolute
//!   `@odata.nextLink` that holds every query option of the request plus a `$skiptoken`.
//! - `$top` sets the page size.
//! - For a directory collection, `$search` without `ConsistencyLevel: eventual` is a 400
//!   (`Request_UnsupportedQuery`), and `$count=true` without it is silently ignored; with it,
//!   `@odata.count` is on the first page only.
//! - Headers are not carried by Graph: a later page sees only what the client sends again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::{Value, json};

use crate::graph_error;

/// Makes item `index` of a collection.
pub type ItemFn = Arc<dyn Fn(usize) -> Value + Send + Sync>;

/// A collection served page by page at one path.
#[derive(Clone)]
pub struct Collection {
    path: String,
    total: usize,
    page_size: usize,
    item: ItemFn,
    directory: bool,
    next_link_origin: Option<String>,
    fail_once: Option<(usize, StatusCode, Arc<AtomicBool>)>,
}

impl std::fmt::Debug for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collection")
            .field("path", &self.path)
            .field("total", &self.total)
            .field("page_size", &self.page_size)
            .field("directory", &self.directory)
            .finish_non_exhaustive()
    }
}

impl Collection {
    /// `total` items made by `item`, at `path` (`/v1.0/users`), 100 a page unless `$top` says.
    pub fn new(
        path: &str,
        total: usize,
        item: impl Fn(usize) -> Value + Send + Sync + 'static,
    ) -> Self {
        Collection {
            path: path.to_owned(),
            total,
            page_size: 100,
            item: Arc::new(item),
            directory: false,
            next_link_origin: None,
            fail_once: None,
        }
    }

    /// The server's page size when the request has no `$top`.
    pub fn page_size(mut self, n: usize) -> Self {
        self.page_size = n.max(1);
        self
    }

    /// A directory collection (users, groups...): the advanced-query rules apply.
    pub fn directory(mut self) -> Self {
        self.directory = true;
        self
    }

    /// Next links point at `origin` instead of the origin the request came to (a service that
    /// hands its pages out elsewhere).
    pub fn next_link_origin(mut self, origin: &str) -> Self {
        self.next_link_origin = Some(origin.to_owned());
        self
    }

    /// Page `page` (1-based) fails once with `status`, then is served normally.
    pub fn fail_once_on_page(mut self, page: usize, status: StatusCode) -> Self {
        self.fail_once = Some((page, status, Arc::new(AtomicBool::new(false))));
        self
    }

    /// The routes serving this collection.
    pub fn routes(self) -> Router {
        let path = self.path.clone();
        Router::new()
            .route(&path, get(serve))
            .with_state(Arc::new(self))
    }
}

/// The query pairs of a request, decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `application/json` with `body`.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a valid response")
}

/// The origin a request was sent to, from its `Host` header.
pub fn request_origin(request: &Request) -> String {
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn serve(State(c): State<Arc<Collection>>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or("");
    let pairs = query_pairs(query);
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let eventual = request
        .headers()
        .get("consistencylevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("eventual"));
    if c.directory && value("$search").is_some() && !eventual {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "Request_UnsupportedQuery",
            "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
        );
    }
    if let Some(search) = value("$search") {
        let quoted = search.len() >= 2 && search.starts_with('"') && search.ends_with('"');
        if !quoted {
            return graph_error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                "Syntax error: the $search clause must be in double quotes.",
            );
        }
    }
    let page_size = match value("$top") {
        Some(top) => match top.parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    "Invalid value for $top.",
                );
            }
        },
        None => c.page_size,
    };
    let page = match value("$skiptoken") {
        None => 0,
        Some(token) => match token.strip_prefix("page-").and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    "Invalid skip token.",
                );
            }
        },
    };
    if let Some((fail, status, done)) = &c.fail_once
        && *fail == page + 1
        && !done.swap(true, Ordering::SeqCst)
    {
        return graph_error(*status, "serviceError", "This page failed once.");
    }
    let start = page.saturating_mul(page_size).min(c.total);
    let end = start.saturating_add(page_size).min(c.total);
    let items: Vec<Value> = (start..end).map(|i| (c.item)(i)).collect();
    let origin = c
        .next_link_origin
        .clone()
        .unwrap_or_else(|| request_origin(&request));
    let mut body = json!({
        "@odata.context": format!("{origin}{}/$metadata#collection", c.path),
        "value": items,
    });
    if page == 0 && value("$count").as_deref() == Some("true") && (eventual || !c.directory) {
        body["@odata.count"] = json!(c.total);
    }
    if end < c.total {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("$skiptoken="))
            .collect();
        let mut next = format!("{origin}{}?", c.path);
        for p in kept {
            next.push_str(p);
            next.push('&');
        }
        next.push_str(&format!("$skiptoken=page-{}", page + 1));
        body["@odata.nextLink"] = json!(next);
    }
    json_response(StatusCode::OK, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query_pairs() {
        assert_eq!(
            query_pairs("$search=%22a%20b%22&$top=5&x"),
            [
                ("$search".to_string(), "\"a b\"".to_string()),
                ("$top".to_string(), "5".to_string()),
                ("x".to_string(), String::new()),
            ]
        );
        assert_eq!(decode("%zz%4"), "%zz%4");
    }
}
