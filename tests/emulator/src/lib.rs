//! A loopback Graph emulator for tests.
//!
//! A real HTTP server on `127.0.0.1` that implements Graph's request protocols as Graph's
//! documentation describes them, one module per protocol, and records every request it sees so
//! that tests can check what went over the wire, not only what the client returned.
//!
//! A test composes the protocols it needs into one [`axum::Router`] and starts it:
//!
//! ```ignore
//! let graph = Emulator::start(my_routes).await;
//! let client = Client::builder().cloud(Cloud::custom(graph.origin())?)...;
//! // ... drive the client ...
//! assert_eq!(graph.seen()[2].header("consistencylevel"), Some("eventual"));
//! ```
//!
//! A second emulator is a second origin (a download URL, an upload URL): tokens must not reach it.

pub mod batch;
pub mod content;
pub mod delta;
pub mod paging;
pub mod upload;

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, Method};
use tokio::sync::oneshot;

/// One request as the emulator received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    /// The path and query, as sent (`/v1.0/users?$top=2`).
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path)
    }
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A running emulator; it stops when dropped.
#[derive(Debug)]
pub struct Emulator {
    origin: String,
    log: Log,
    stop: Option<oneshot::Sender<()>>,
}

impl Emulator {
    /// Serves `routes` on a fresh loopback port, recording every request.
    pub async fn start(routes: Router) -> Emulator {
        let log = Log::default();
        let app = routes.layer(middleware::from_fn_with_state(log.clone(), record));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .expect("emulator server");
        });
        Emulator {
            origin,
            log,
            stop: Some(stop),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every request received so far, in arrival order.
    pub fn seen(&self) -> Vec<Seen> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn record(State(log): State<Log>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Seen {
            method: parts.method.clone(),
            path_and_query: parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
            headers: parts.headers.clone(),
            body: body.clone(),
        });
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// A Graph error body (`{"error": {"code", "message", "innerError"}}`) with `status`.
pub fn graph_error(status: http::StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {"request-id": "emulator", "date": "2026-12-05T00:00:00"}
        }
    });
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a valid response")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn records_what_it_serves() {
        let graph = Emulator::start(Router::new().route("/v1.0/me", get(|| async { "{}" }))).await;
        let (status, _) = raw_get(graph.origin(), "/v1.0/me?$select=id").await;
        assert_eq!(status, 200);
        let seen = graph.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].path(), "/v1.0/me");
        assert_eq!(seen[0].path_and_query, "/v1.0/me?$select=id");
    }

    /// A minimal HTTP/1.1 GET over a TCP stream, so that this crate's own test needs no client.
    async fn raw_get(origin: &str, path: &str) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = origin.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status = response[9..12].parse().unwrap();
        (status, response)
    }
}
