//! Delta queries (Graph's `concepts/delta-query-overview.md`).
//!
//! - The first request (no token) answers the current state, page by page: every page but the
//!   last has an `@odata.nextLink` with a `$skiptoken`; the last has an `@odata.deltaLink` with a
//!   `$deltatoken`.
//! - A request with a `$deltatoken` answers the changes made since that token was handed out:
//!   changed instances in full, removed ones as `id` and `@removed` (`changed`: restorable,
//!   `deleted`: gone for good), then a new `@odata.deltaLink`.
//! - An unknown token is a 400 (`syncStateNotFound` in Graph's directory).

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use serde_json::{Value, json};

use crate::graph_error;
use crate::paging::{json_response, query_pairs, request_origin};

/// One change in a round: a value in full, or a removal with its reason.
#[derive(Debug, Clone)]
pub enum Change {
    /// Created or updated: the instance as the service returns it.
    Upsert(Value),
    /// Removed: `id`, `@odata.type` and the reason (`changed` or `deleted`).
    Remove {
        id: String,
        odata_type: String,
        reason: String,
    },
}

impl Change {
    fn to_json(&self) -> Value {
        match self {
            Change::Upsert(v) => v.clone(),
            Change::Remove {
                id,
                odata_type,
                reason,
            } => json!({"@odata.type": odata_type, "id": id, "@removed": {"reason": reason}}),
        }
    }
}

/// A collection with a `delta` function: its initial state, then rounds of changes.
#[derive(Debug, Clone)]
pub struct DeltaCollection {
    /// `/v1.0/users/delta`.
    path: String,
    page_size: usize,
    /// Round 0 is the initial state; round N the changes made after the deltaLink of round N-1.
    rounds: Arc<Mutex<Vec<Vec<Change>>>>,
}

impl DeltaCollection {
    /// The `delta` function at `path` (`/v1.0/users/delta`), whose initial state is `initial`.
    pub fn new(path: &str, initial: Vec<Value>) -> Self {
        DeltaCollection {
            path: path.to_owned(),
            page_size: 2,
            rounds: Arc::new(Mutex::new(vec![
                initial.into_iter().map(Change::Upsert).collect(),
            ])),
        }
    }

    /// Items per page (default 2).
    pub fn page_size(mut self, n: usize) -> Self {
        self.page_size = n.max(1);
        self
    }

    /// Records the changes of a new round: a deltaLink handed out before this call answers them.
    pub fn push_round(&self, changes: Vec<Change>) {
        self.rounds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(changes);
    }

    /// The routes serving the delta function.
    pub fn routes(&self) -> Router {
        Router::new()
            .route(&self.path, get(serve))
            .with_state(self.clone())
    }
}

async fn serve(State(c): State<DeltaCollection>, request: Request) -> Response {
    let pairs = query_pairs(request.uri().query().unwrap_or(""));
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let rounds = c
        .rounds
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    // a state token: which rounds it still has to answer, and the page within them
    let (from, page) = match (value("$skiptoken"), value("$deltatoken")) {
        (None, None) => (0, 0),
        (Some(skip), None) => match parse_skip(&skip) {
            Some(state) => state,
            None => return sync_state_not_found(),
        },
        (None, Some(delta)) => match delta.strip_prefix("round-").and_then(|n| n.parse().ok()) {
            Some(round) if round <= rounds.len() => (round, 0),
            _ => return sync_state_not_found(),
        },
        (Some(_), Some(_)) => return sync_state_not_found(),
    };
    let changes: Vec<&Change> = rounds[from.min(rounds.len())..].iter().flatten().collect();
    let start = (page * c.page_size).min(changes.len());
    let end = (start + c.page_size).min(changes.len());
    let origin = request_origin(&request);
    let mut body = json!({
        "@odata.context": format!("{origin}{}/$metadata#collection", c.path),
        "value": changes[start..end].iter().map(|c| c.to_json()).collect::<Vec<_>>(),
    });
    if end < changes.len() {
        body["@odata.nextLink"] = json!(format!(
            "{origin}{}?$skiptoken=from-{from}-page-{}",
            c.path,
            page + 1
        ));
    } else {
        body["@odata.deltaLink"] = json!(format!(
            "{origin}{}?$deltatoken=round-{}",
            c.path,
            rounds.len()
        ));
    }
    json_response(StatusCode::OK, &body)
}

fn parse_skip(token: &str) -> Option<(usize, usize)> {
    let rest = token.strip_prefix("from-")?;
    let (from, page) = rest.split_once("-page-")?;
    Some((from.parse().ok()?, page.parse().ok()?))
}

fn sync_state_not_found() -> Response {
    graph_error(
        StatusCode::BAD_REQUEST,
        "syncStateNotFound",
        "The sync state token is not valid.",
    )
}
