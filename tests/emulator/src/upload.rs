//! Upload sessions, as Graph documents them for `driveItem: createUploadSession` and for large
//! Outlook attachments.
//!
//! `POST {create path}` creates a session and answers `{uploadUrl, expirationDateTime,
//! nextExpectedRanges: ["0-"]}`; the upload URL is `{origin}/upload/{n}` on the origin the
//! request came to, or on [`UploadControl::set_upload_origin`]'s (a second emulator serving the
//! same routes, for a pre-authenticated URL on another host). On the upload URL:
//!
//! - `PUT` with `Content-Range: bytes {first}-{last}/{total}` and a body of exactly that length
//!   (`Content-Length` must agree) appends the range. The ranges must come in order: a range that
//!   starts before the next expected byte is answered 416, one that starts after it 400. Every
//!   range but the last must be a multiple of 320 KiB and under 60 MiB (400 otherwise), and
//!   `total` must not change (400). A request with an `Authorization` header is answered 401, as
//!   Graph's documentation warns it may be. Until the last byte: 202 with `nextExpectedRanges`;
//!   then 201 with the drive item (`{id, name, size, file}`), or, for Outlook
//!   ([`UploadControl::complete_like_outlook`]), 201 with a `Location` and no body.
//! - `GET` answers `{expirationDateTime, nextExpectedRanges}`.
//! - `DELETE` deletes the session (204); the session then answers 404.
//!
//! [`UploadControl::fail_put`] makes the n-th `PUT` fail after keeping some of its bytes (none: a
//! request that fails is ignored as a whole, as Graph says), for resume tests;
//! [`UploadControl::hold_put`] keeps the n-th `PUT` waiting before it is looked at, for tests of
//! what happens while a range is in flight.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{post, put};
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use crate::graph_error;

/// Every range but the last is a multiple of this (320 KiB).
pub const CHUNK_UNIT: usize = 320 * 1024;

/// A range is under 60 MiB.
pub const MAX_RANGE: usize = 60 * 1024 * 1024;

const EXPIRATION: &str = "2026-12-06T00:00:00Z";

/// Adjusts the upload emulator and tells what it holds.
#[derive(Debug, Clone, Default)]
pub struct UploadControl {
    state: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    sessions: BTreeMap<usize, Session>,
    upload_origin: Option<String>,
    outlook: bool,
    puts: usize,
    faults: Vec<Fault>,
    holds: Vec<(usize, HeldPut)>,
}

/// A `PUT` kept waiting by [`UploadControl::hold_put`].
#[derive(Debug, Clone, Default)]
pub struct HeldPut {
    arrived: Arc<Notify>,
    released: Arc<Notify>,
}

impl HeldPut {
    /// Waits until the `PUT` has arrived (its headers and body received) and is waiting.
    pub async fn arrived(&self) {
        self.arrived.notified().await;
    }

    /// Lets the `PUT` go on, if its client still waits for it.
    pub fn release(&self) {
        self.released.notify_one();
    }
}

#[derive(Debug, Clone, Default)]
struct Session {
    total: Option<u64>,
    received: Vec<u8>,
    deleted: bool,
    completed: bool,
}

#[derive(Debug)]
struct Fault {
    put: usize,
    status: StatusCode,
    retry_after: Option<u64>,
    keep: usize,
}

/// What a session holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// The bytes received, in order.
    pub received: Vec<u8>,
    pub deleted: bool,
    pub completed: bool,
}

impl UploadControl {
    /// Upload URLs point at `origin` (`http://127.0.0.1:PORT`) from now on.
    pub fn set_upload_origin(&self, origin: &str) {
        self.lock().upload_origin = Some(origin.to_owned());
    }

    /// The last range is answered as Outlook does: 201, `Location`, no body.
    pub fn complete_like_outlook(&self) {
        self.lock().outlook = true;
    }

    /// The `put`-th `PUT` (from 1, over all sessions) keeps the first `keep` bytes of its range,
    /// then answers `status` with an optional `Retry-After`.
    pub fn fail_put(&self, put: usize, status: StatusCode, retry_after: Option<u64>, keep: usize) {
        self.lock().faults.push(Fault {
            put,
            status,
            retry_after,
            keep,
        });
    }

    /// The `put`-th `PUT` (from 1, over all sessions) waits, before the session looks at it,
    /// until [`HeldPut::release`]; a session deleted meanwhile answers it 404.
    pub fn hold_put(&self, put: usize) -> HeldPut {
        let held = HeldPut::default();
        self.lock().holds.push((put, held.clone()));
        held
    }

    /// Every session, in creation order.
    pub fn sessions(&self) -> Vec<SessionState> {
        self.lock()
            .sessions
            .values()
            .map(|s| SessionState {
                received: s.received.clone(),
                deleted: s.deleted,
                completed: s.completed,
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `POST {create_path}` creates a session; `/upload/{n}` serves it.
pub fn routes(create_path: &str) -> (Router, UploadControl) {
    let control = UploadControl::default();
    let router = Router::new()
        .route(create_path, post(create))
        .route("/upload/{n}", put(put_range).get(status).delete(delete))
        .with_state(control.clone());
    (router, control)
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a valid response")
}

fn expected(session: &Session) -> Value {
    json!({
        "expirationDateTime": EXPIRATION,
        "nextExpectedRanges": [format!("{}-", session.received.len())],
    })
}

async fn create(State(control): State<UploadControl>, headers: HeaderMap) -> Response {
    let mut inner = control.lock();
    let n = inner.sessions.len() + 1;
    inner.sessions.insert(n, Session::default());
    let origin = inner.upload_origin.clone().unwrap_or_else(|| {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    });
    json_response(
        StatusCode::OK,
        &json!({
            "uploadUrl": format!("{origin}/upload/{n}"),
            "expirationDateTime": EXPIRATION,
            "nextExpectedRanges": ["0-"],
        }),
    )
}

fn bad_request(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, "invalidRequest", message)
}

/// `bytes {first}-{last}/{total}`.
fn content_range(headers: &HeaderMap) -> Option<(u64, u64, u64)> {
    let value = headers.get(http::header::CONTENT_RANGE)?.to_str().ok()?;
    let (range, total) = value.strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let (first, last, total) = (first.parse().ok()?, last.parse().ok()?, total.parse().ok()?);
    (first <= last && last < total).then_some((first, last, total))
}

async fn put_range(
    State(control): State<UploadControl>,
    Path(n): Path<usize>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if headers.contains_key(http::header::AUTHORIZATION) {
        return graph_error(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "the upload URL is pre-authenticated: send no Authorization header",
        );
    }
    let (put, held) = {
        let mut inner = control.lock();
        inner.puts += 1;
        let put = inner.puts;
        let held = inner
            .holds
            .iter()
            .position(|(n, _)| *n == put)
            .map(|i| inner.holds.remove(i).1);
        (put, held)
    };
    if let Some(held) = held {
        held.arrived.notify_one();
        held.released.notified().await;
    }
    let mut inner = control.lock();
    let fault = inner
        .faults
        .iter()
        .position(|f| f.put == put)
        .map(|i| inner.faults.remove(i));
    let outlook = inner.outlook;
    let Some(session) = inner
        .sessions
        .get_mut(&n)
        .filter(|s| !s.deleted && !s.completed)
    else {
        return graph_error(
            StatusCode::NOT_FOUND,
            "itemNotFound",
            "no such upload session",
        );
    };
    let Some((first, last, total)) = content_range(&headers) else {
        return bad_request("Content-Range must be `bytes {first}-{last}/{total}`");
    };
    let length = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let size = last - first + 1;
    if length != Some(size) || body.len() as u64 != size {
        return bad_request("Content-Length, Content-Range and the body disagree");
    }
    if *session.total.get_or_insert(total) != total {
        return bad_request("the total size changed between ranges");
    }
    let next = session.received.len() as u64;
    if first < next {
        return graph_error(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "invalidRange",
            "the range starts before the next expected byte",
        );
    }
    if first > next {
        return bad_request("fragments must be uploaded in order");
    }
    if body.len() >= MAX_RANGE {
        return bad_request("a range must be under 60 MiB");
    }
    if last + 1 < total && !body.len().is_multiple_of(CHUNK_UNIT) {
        return bad_request("a range that is not the last must be a multiple of 320 KiB");
    }
    if let Some(fault) = fault {
        session
            .received
            .extend_from_slice(&body[..fault.keep.min(body.len())]);
        let mut response = graph_error(fault.status, "serviceNotAvailable", "try again later");
        if let Some(seconds) = fault.retry_after {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
        return response;
    }
    session.received.extend_from_slice(&body);
    if (session.received.len() as u64) < total {
        return json_response(StatusCode::ACCEPTED, &expected(session));
    }
    session.completed = true;
    if outlook {
        return Response::builder()
            .status(StatusCode::CREATED)
            .header(
                http::header::LOCATION,
                format!("https://outlook.office.com/api/v2.0/Users('u')/Messages('m')/Attachments('a{n}')"),
            )
            .body(Body::empty())
            .expect("a valid response");
    }
    json_response(
        StatusCode::CREATED,
        &json!({"id": format!("item-{n}"), "name": "upload.bin", "size": total, "file": {}}),
    )
}

async fn status(State(control): State<UploadControl>, Path(n): Path<usize>) -> Response {
    let inner = control.lock();
    match inner
        .sessions
        .get(&n)
        .filter(|s| !s.deleted && !s.completed)
    {
        Some(session) => json_response(StatusCode::OK, &expected(session)),
        None => graph_error(
            StatusCode::NOT_FOUND,
            "itemNotFound",
            "no such upload session",
        ),
    }
}

async fn delete(State(control): State<UploadControl>, Path(n): Path<usize>) -> Response {
    let mut inner = control.lock();
    match inner.sessions.get_mut(&n).filter(|s| !s.deleted) {
        Some(session) => {
            session.deleted = true;
            Response::builder()
                .status(StatusCode::NO_CONTENT)
                .body(Body::empty())
                .expect("a valid response")
        }
        None => graph_error(
            StatusCode::NOT_FOUND,
            "itemNotFound",
            "no such upload session",
        ),
    }
}
