//! JSON batching: `POST /{version}/$batch`, as Graph's JSON batching document describes it.
//!
//! The body is `{"requests": [...]}`: at most 20 requests, each with a unique `id` (compared
//! without case), a `method`, a `url` relative to the version root (`/users` or `users`), and
//! optional `dependsOn`, `headers` and `body` (JSON, or a base64 string for other content; a body
//! needs a `Content-Type` header). A malformed batch is answered 400 as a whole. Otherwise each
//! request is run through the test's own routes as if it had come alone, and the answer is
//! `{"responses": [...]}` with each request's `id`, `status`, `headers` and `body`, in reverse
//! order (Graph says the order may differ from the requests'; answering in reverse makes a
//! client that pairs them by position fail).
//!
//! Requests run in the order listed. A request that names in `dependsOn` a request that failed
//! (status 400 or more) is not run and is answered 424 Failed Dependency, as are, in turn, those
//! that depend on it. The emulator asks that `dependsOn` name requests listed earlier; Graph's
//! document shows no other case.
//!
//! [`BatchControl::throttle`] makes a request answer 429 (or 503) with a `Retry-After` the next
//! few times it comes, without running it: Graph evaluates each request of a batch against its
//! throttling limits on its own.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};
use tower::ServiceExt as _;

use crate::graph_error;

/// The most requests Graph takes in one batch.
pub const MAX_REQUESTS: usize = 20;

/// Adjusts a running batch emulator and tells what it ran.
#[derive(Debug, Clone, Default)]
pub struct BatchControl {
    state: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    throttles: Vec<Throttle>,
    /// (method, url as listed) of every request run through the routes, in order.
    ran: Vec<(String, String)>,
}

#[derive(Debug)]
struct Throttle {
    method: Method,
    path: String,
    remaining: usize,
    status: StatusCode,
    retry_after: u64,
}

impl BatchControl {
    /// The next `times` batch requests for `method path` (the `url` without its query, with
    /// its leading `/`) are answered `status` (429 or 503) with `Retry-After: retry_after`.
    pub fn throttle(
        &self,
        method: Method,
        path: &str,
        times: usize,
        status: StatusCode,
        retry_after: u64,
    ) {
        self.lock().throttles.push(Throttle {
            method,
            path: path.to_owned(),
            remaining: times,
            status,
            retry_after,
        });
    }

    /// (method, url) of every batch request that was run through the routes, in order.
    pub fn ran(&self) -> Vec<(String, String)> {
        self.lock().ran.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The status and `Retry-After` of a throttle that applies to this request, used up once.
    fn throttled(&self, method: &Method, path: &str) -> Option<(StatusCode, u64)> {
        let mut inner = self.lock();
        let throttle = inner
            .throttles
            .iter_mut()
            .find(|t| t.remaining > 0 && t.method == *method && t.path == path)?;
        throttle.remaining -= 1;
        Some((throttle.status, throttle.retry_after))
    }
}

#[derive(Clone)]
struct Service {
    version: String,
    steps: Router,
    control: BatchControl,
}

/// `POST /{version}/$batch`, running each request through `steps` (routes under
/// `/{version}/...`, as a test would serve them without batching).
pub fn routes(version: &str, steps: Router) -> (Router, BatchControl) {
    let control = BatchControl::default();
    let service = Service {
        version: version.to_owned(),
        steps,
        control: control.clone(),
    };
    let router = Router::new()
        .route(&format!("/{version}/$batch"), post(batch))
        .with_state(service);
    (router, control)
}

/// The `requests` of every `$batch` body among `seen`, in order: what went over the wire.
pub fn sent_batches(seen: &[crate::Seen]) -> Vec<Vec<Value>> {
    seen.iter()
        .filter(|s| s.method == Method::POST && s.path().ends_with("/$batch"))
        .map(|s| {
            serde_json::from_slice::<Value>(&s.body)
                .ok()
                .and_then(|v| v.get("requests").and_then(Value::as_array).cloned())
                .unwrap_or_default()
        })
        .collect()
}

fn bad_request(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// One request of the batch, checked.
struct Step {
    id: String,
    method: Method,
    url: String,
    depends_on: Vec<String>,
    headers: Map<String, Value>,
    body: Option<Value>,
}

fn read_steps(body: &[u8]) -> Result<Vec<Step>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let requests = value
        .get("requests")
        .and_then(Value::as_array)
        .ok_or("the body has no requests array")?;
    if requests.is_empty() || requests.len() > MAX_REQUESTS {
        return Err(format!(
            "a batch holds 1 to {MAX_REQUESTS} requests, not {}",
            requests.len()
        ));
    }
    let mut ids = HashSet::new();
    let mut steps = Vec::new();
    for request in requests {
        let text = |name: &str| {
            request
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(format!("a request has no {name}"))
        };
        let id = text("id")?;
        let method = Method::from_bytes(text("method")?.as_bytes())
            .map_err(|_| format!("request {id}: invalid method"))?;
        let url = text("url")?;
        let depends_on: Vec<String> = match request.get("dependsOn") {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| d.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or(format!("request {id}: dependsOn holds a non-string"))?,
            Some(_) => return Err(format!("request {id}: dependsOn is not an array")),
        };
        for dep in &depends_on {
            if !ids.contains(&dep.to_lowercase()) {
                return Err(format!(
                    "request {id} depends on {dep}, which is not an earlier request of the batch"
                ));
            }
        }
        if !ids.insert(id.to_lowercase()) {
            return Err(format!("the id {id} appears twice"));
        }
        let headers = match request.get("headers") {
            None => Map::new(),
            Some(Value::Object(h)) => h.clone(),
            Some(_) => return Err(format!("request {id}: headers is not an object")),
        };
        steps.push(Step {
            id,
            method,
            url,
            depends_on,
            headers,
            body: request.get("body").cloned(),
        });
    }
    Ok(steps)
}

async fn batch(State(service): State<Service>, body: axum::body::Bytes) -> Response {
    let steps = match read_steps(&body) {
        Ok(steps) => steps,
        Err(message) => return bad_request(&message),
    };
    let mut failed: HashSet<String> = HashSet::new();
    let mut answers = Vec::new();
    for step in steps {
        let failed_dep = step
            .depends_on
            .iter()
            .find(|d| failed.contains(&d.to_lowercase()));
        let answer = if let Some(dep) = failed_dep {
            error_answer(
                StatusCode::FAILED_DEPENDENCY,
                "FailedDependency",
                &format!("request {dep} it depends on failed"),
                None,
            )
        } else {
            service.run(&step).await
        };
        if answer.0.as_u16() >= 400 {
            failed.insert(step.id.to_lowercase());
        }
        let (status, headers, body) = answer;
        let mut out = json!({"id": step.id, "status": status.as_u16(), "headers": headers});
        if let Some(body) = body {
            out["body"] = body;
        }
        answers.push(out);
    }
    answers.reverse();
    Response::builder()
        .status(StatusCode::OK)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "responses": answers }).to_string()))
        .expect("a valid response")
}

type Answer = (StatusCode, Map<String, Value>, Option<Value>);

fn error_answer(status: StatusCode, code: &str, message: &str, retry_after: Option<u64>) -> Answer {
    let mut headers = Map::new();
    headers.insert("Content-Type".into(), json!("application/json"));
    if let Some(seconds) = retry_after {
        headers.insert("Retry-After".into(), json!(seconds.to_string()));
    }
    let body = json!({"error": {"code": code, "message": message,
        "innerError": {"request-id": "emulator", "date": "2026-12-05T00:00:00"}}});
    (status, headers, Some(body))
}

impl Service {
    async fn run(&self, step: &Step) -> Answer {
        if step.url.starts_with("http://") || step.url.starts_with("https://") {
            return error_answer(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "the url of a batch request is relative to the version root",
                None,
            );
        }
        let relative = if step.url.starts_with('/') {
            step.url.clone()
        } else {
            format!("/{}", step.url)
        };
        let path = relative.split('?').next().unwrap_or_default();
        if let Some((status, retry_after)) = self.control.throttled(&step.method, path) {
            return error_answer(
                status,
                "TooManyRequests",
                "Too many requests; retry after the time Retry-After gives",
                Some(retry_after),
            );
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &step.headers {
            let (Ok(name), Some(Ok(value))) = (
                HeaderName::from_bytes(name.as_bytes()),
                value.as_str().map(HeaderValue::from_str),
            ) else {
                return error_answer(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    "a header is not a text value",
                    None,
                );
            };
            headers.append(name, value);
        }
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = match (&step.body, &content_type) {
            (None, _) => Vec::new(),
            (Some(_), None) => {
                return error_answer(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    "a request with a body needs a Content-Type header",
                    None,
                );
            }
            (Some(Value::String(s)), Some(ct)) if !ct.contains("json") => {
                match STANDARD.decode(s) {
                    Ok(bytes) => bytes,
                    Err(_) => {
                        return error_answer(
                            StatusCode::BAD_REQUEST,
                            "BadRequest",
                            "a body that is not JSON must be base64",
                            None,
                        );
                    }
                }
            }
            (Some(value), Some(_)) => value.to_string().into_bytes(),
        };
        self.control
            .lock()
            .ran
            .push((step.method.to_string(), step.url.clone()));
        let mut request = http::Request::new(Body::from(body));
        *request.method_mut() = step.method.clone();
        *request.headers_mut() = headers;
        match format!("/{}{relative}", self.version).parse() {
            Ok(uri) => *request.uri_mut() = uri,
            Err(_) => {
                return error_answer(StatusCode::BAD_REQUEST, "BadRequest", "invalid url", None);
            }
        }
        let response = match self.steps.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let mut headers = Map::new();
        for (name, value) in &parts.headers {
            if let Ok(value) = value.to_str() {
                headers.insert(name.to_string(), json!(value));
            }
        }
        let body = if bytes.is_empty() {
            None
        } else {
            Some(
                serde_json::from_slice(&bytes)
                    .unwrap_or_else(|_| Value::String(STANDARD.encode(&bytes))),
            )
        };
        (parts.status, headers, body)
    }
}
