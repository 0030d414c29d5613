//! JSON batching: many operations in one `POST /$batch`, as Graph's JSON batching document
//! defines it.
//!
//! A [`Batch`] takes the crate's [`Operation`]s without sending them. Each [`Batch::add`] gives a
//! typed [`BatchStep`] handle; after [`Batch::send`], [`BatchResponse::result`] turns the step's
//! answer into that operation's output or its [`Error`], exactly as `send()` would have.
//!
//! - Graph takes at most [`Batch::MAX_STEPS`] requests per `$batch`. Larger batches are split
//!   into several requests, sent one after the other, in the order the steps were added; steps
//!   linked by `dependsOn` (directly or through other steps) always travel in the same request.
//! - A step answered with 429, 503 or 504 is sent again in a later `$batch` after its own
//!   `Retry-After` (or the policy's backoff), within the client's [`RetryPolicy`](crate::RetryPolicy):
//!   at most `max_attempts` answers of that kind per step, and no wait that would end after
//!   `max_elapsed` since the batch was sent. The steps that failed with 424 only because of it
//!   go again with it.
//! - A step whose dependency failed is answered 424 Failed Dependency by Graph; its result is an
//!   [`Error::Http`] with that status. A dependency that could not even be built (a body that does
//!   not serialize) is never sent, and its dependents get the same 424 without being sent.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::error::{Error, TransportError};
use crate::operation::Operation;
use crate::request::{Request, is_absolute};
use crate::response::{Expect, Response};
use crate::retry::{RetryPolicy, retry_after};

/// Tells batches apart, so that a step handle is never read from another batch's response.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

/// Operations sent together through `POST /$batch`.
///
/// ```no_run
/// # async fn run(client: odata_runtime::Client) -> Result<(), odata_runtime::Error> {
/// use odata_runtime::{Batch, Empty, Json, Operation, Request};
/// use http::Method;
///
/// let mut batch = Batch::new(client.clone());
/// let me = batch.add(Operation::<Json<serde_json::Value>>::new(
///     client.clone(),
///     Request::new(Method::GET, "/me"),
/// ));
/// let delete = batch.add_after(
///     Operation::<Empty>::new(client.clone(), Request::new(Method::DELETE, "/groups/1")),
///     [me.id()],
/// );
/// let mut response = batch.send().await;
/// let me: serde_json::Value = response.result(me)?;
/// response.result(delete)?; // a 424 if `/me` failed
/// # let _ = me; Ok(()) }
/// ```
pub struct Batch {
    client: Client,
    batch: u64,
    steps: Vec<Entry>,
}

struct Entry {
    request: Result<Request, Error>,
    depends_on: Vec<usize>,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("client", &self.client)
            .field("steps", &self.steps.len())
            .finish()
    }
}

/// Names one step of a [`Batch`], for `dependsOn` ([`Batch::add_after`]) and for looking at its
/// answer ([`BatchResponse::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepId {
    batch: u64,
    index: usize,
}

impl StepId {
    /// The step's `id` in the `$batch` body: its position in the batch, from `"1"`.
    pub fn wire_id(&self) -> String {
        (self.index + 1).to_string()
    }
}

/// The handle of one step: [`BatchResponse::result`] turns it into the operation's output.
pub struct BatchStep<E: Expect> {
    id: StepId,
    expect: PhantomData<fn() -> E>,
}

impl<E: Expect> fmt::Debug for BatchStep<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchStep").field("id", &self.id).finish()
    }
}

impl<E: Expect> BatchStep<E> {
    /// The step's id, for `dependsOn` and [`BatchResponse::status`].
    pub fn id(&self) -> StepId {
        self.id
    }
}

impl Batch {
    /// The most requests Graph takes in one `$batch`.
    pub const MAX_STEPS: usize = 20;

    /// An empty batch sent through `client`, to `{service root}/$batch`. Every step must be for
    /// the client's API version (a generated crate's `GraphServiceClient::client()` is pinned to
    /// the crate's version, as are its operations).
    pub fn new(client: Client) -> Batch {
        Batch {
            client,
            batch: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
            steps: Vec::new(),
        }
    }

    /// Adds `operation` as the next step, independent of the others.
    pub fn add<E: Expect>(&mut self, operation: Operation<E>) -> BatchStep<E> {
        self.add_after(operation, [])
    }

    /// Adds `operation` as the next step, run by Graph only after the steps `depends_on`
    /// succeeded (`dependsOn`); if one of them fails, this step is answered 424.
    pub fn add_after<E: Expect>(
        &mut self,
        operation: Operation<E>,
        depends_on: impl IntoIterator<Item = StepId>,
    ) -> BatchStep<E> {
        let index = self.steps.len();
        let (client, mut request) = operation.into_checked_parts();
        let mut deps = Vec::new();
        for dep in depends_on {
            if dep.batch != self.batch || dep.index >= index {
                request = Err(Error::Config(
                    "dependsOn names a step of another batch".to_string(),
                ));
            } else if !deps.contains(&dep.index) {
                deps.push(dep.index);
            }
        }
        if request.is_ok() && client.api_version() != self.client.api_version() {
            request = Err(Error::Config(format!(
                "a step for API version {} cannot go into a batch sent to {}",
                client.api_version(),
                self.client.service_root()
            )));
        }
        self.steps.push(Entry {
            request,
            depends_on: deps,
        });
        BatchStep {
            id: StepId {
                batch: self.batch,
                index,
            },
            expect: PhantomData,
        }
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True when no step was added.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Sends every step, in as many `$batch` requests as needed, retrying throttled steps; each
    /// step's outcome, including a failure of the `$batch` request that carried it, is in the
    /// response.
    pub async fn send(self) -> BatchResponse {
        let Batch {
            client,
            batch,
            steps,
        } = self;
        let n = steps.len();
        let mut results: Vec<Option<Result<Response, Error>>> = (0..n).map(|_| None).collect();
        let mut requests: Vec<Option<Request>> = Vec::with_capacity(n);
        let depends_on: Vec<Vec<usize>> = steps.iter().map(|s| s.depends_on.clone()).collect();
        let mut pending = Vec::new();
        for (index, step) in steps.into_iter().enumerate() {
            match step.request {
                Err(e) => {
                    results[index] = Some(Err(e));
                    requests.push(None);
                }
                Ok(request) => {
                    let failed = step.depends_on.iter().find(|&&d| requests[d].is_none());
                    if let Some(&d) = failed {
                        results[index] = Some(Err(failed_dependency(index, d)));
                        requests.push(None);
                    } else {
                        requests.push(Some(request));
                        pending.push(index);
                    }
                }
            }
        }
        let sender = Sender {
            client: &client,
            requests: &requests,
            depends_on: &depends_on,
        };
        let policy = client.retry_policy();
        let start = Instant::now();
        let mut throttled = vec![0u32; n];
        while !pending.is_empty() {
            let plan = plan(&pending, &depends_on, Batch::MAX_STEPS);
            for group in plan.too_large {
                for &index in &group {
                    results[index] = Some(Err(Error::Config(format!(
                        "step {} is one of {} steps linked by dependsOn; Graph takes at most {} in one $batch",
                        index + 1,
                        group.len(),
                        Batch::MAX_STEPS
                    ))));
                }
            }
            for request in &plan.requests {
                sender.send(request, &mut results).await;
            }
            let (retry, delay) = retries(&pending, &depends_on, &results, &mut throttled, policy);
            if retry.is_empty() {
                break;
            }
            if start.elapsed().saturating_add(delay) > policy.max_elapsed {
                tracing::warn!(
                    steps = retry.len(),
                    delay_ms = delay.as_millis(),
                    "not retrying throttled batch steps: the wait would exceed the retry time budget"
                );
                break;
            }
            tracing::info!(
                steps = retry.len(),
                delay_ms = delay.as_millis(),
                "retrying throttled batch steps"
            );
            tokio::time::sleep(delay).await;
            pending = retry;
        }
        BatchResponse { batch, results }
    }
}

/// Which of `pending`'s answered steps go again, and after how long: those answered with a
/// retryable status that have attempts left, and those answered 424 because of one of them.
fn retries(
    pending: &[usize],
    depends_on: &[Vec<usize>],
    results: &[Option<Result<Response, Error>>],
    throttled: &mut [u32],
    policy: &RetryPolicy,
) -> (Vec<usize>, Duration) {
    let mut retry: Vec<usize> = Vec::new();
    let mut delay = Duration::ZERO;
    for &index in pending {
        let Some(Ok(response)) = &results[index] else {
            continue;
        };
        if RetryPolicy::is_retryable(response.status) {
            throttled[index] += 1;
            if throttled[index] < policy.max_attempts.max(1) {
                let wait = retry_after(&response.headers)
                    .unwrap_or_else(|| policy.backoff(throttled[index]));
                delay = delay.max(wait);
                retry.push(index);
            }
        } else if response.status == StatusCode::FAILED_DEPENDENCY
            && depends_on[index].iter().any(|d| retry.contains(d))
        {
            retry.push(index);
        }
    }
    (retry, delay)
}

/// Builds and sends the `$batch` requests of one round.
struct Sender<'a> {
    client: &'a Client,
    requests: &'a [Option<Request>],
    depends_on: &'a [Vec<usize>],
}

impl Sender<'_> {
    /// Sends the steps `indices` in one `$batch` and stores each step's answer.
    async fn send(&self, indices: &[usize], results: &mut [Option<Result<Response, Error>>]) {
        let root = self.client.service_root();
        let mut body = Vec::with_capacity(indices.len());
        let mut sent = Vec::with_capacity(indices.len());
        for &index in indices {
            let Some(request) = &self.requests[index] else {
                continue;
            };
            let deps: Vec<String> = self.depends_on[index]
                .iter()
                .filter(|d| indices.contains(d))
                .map(|d| (d + 1).to_string())
                .collect();
            match step_json(&(index + 1).to_string(), request, root, &deps) {
                Ok(step) => {
                    body.push(step);
                    sent.push(index);
                }
                Err(e) => results[index] = Some(Err(e)),
            }
        }
        if sent.is_empty() {
            return;
        }
        let answers = match Request::new(Method::POST, "/$batch")
            .with_json_body(&json!({ "requests": body }))
        {
            Ok(request) => self.client.execute(request).await,
            Err(e) => Err(e),
        };
        let mut answers = match answers.and_then(|r| read_answers(&r)) {
            Ok(answers) => answers,
            Err(e) => {
                for &index in &sent {
                    results[index] = Some(Err(copy_error(&e)));
                }
                return;
            }
        };
        for index in sent {
            let id = (index + 1).to_string();
            results[index] = Some(answers.remove(&id).unwrap_or_else(|| {
                Err(Error::Protocol(format!(
                    "the $batch response has no answer for step {id}"
                )))
            }));
        }
    }
}

/// The error of a step that was not sent because step `dependency` could not be built: the 424
/// Graph gives a step whose dependency failed.
fn failed_dependency(index: usize, dependency: usize) -> Error {
    let body = json!({"error": {
        "code": "failedDependency",
        "message": format!("step {} was not sent: step {} it depends on failed before it could be sent", index + 1, dependency + 1),
    }});
    Error::from_response(&Response {
        status: StatusCode::FAILED_DEPENDENCY,
        headers: HeaderMap::new(),
        body: body.to_string().into_bytes(),
    })
}

/// The same failure for each step of a `$batch` request that failed as a whole.
fn copy_error(e: &Error) -> Error {
    match e {
        Error::Http(h) => Error::Http(h.clone()),
        Error::Timeout(limit) => Error::Timeout(*limit),
        Error::Transport(t) => Error::Transport(TransportError::new(
            t.kind(),
            format!("the $batch request failed: {}", t.message()),
        )),
        Error::Config(m) => Error::Config(m.clone()),
        Error::Redirect(m) => Error::Redirect(m.clone()),
        other => Error::Protocol(format!("the $batch request failed: {other}")),
    }
}

/// One step of the `requests` array: `id`, `method`, a `url` relative to the service root,
/// `dependsOn`, `headers` and `body` (JSON as it is, anything else base64-encoded).
fn step_json(
    id: &str,
    request: &Request,
    root: &str,
    depends_on: &[String],
) -> Result<Value, Error> {
    let url = relative_url(request, root)?;
    let mut step = Map::new();
    step.insert("id".into(), Value::String(id.to_owned()));
    step.insert("method".into(), Value::String(request.method.to_string()));
    step.insert("url".into(), Value::String(url));
    if !depends_on.is_empty() {
        step.insert("dependsOn".into(), json!(depends_on));
    }
    let mut headers = Map::new();
    for name in request.headers.keys() {
        if *name == AUTHORIZATION
            || (*name == ACCEPT && request.headers[name] == "application/json")
            || (*name == CONTENT_TYPE && request.body.is_none())
        {
            continue;
        }
        let values: Result<Vec<&str>, _> = request
            .headers
            .get_all(name)
            .iter()
            .map(HeaderValue::to_str)
            .collect();
        let values = values.map_err(|_| {
            Error::Config(format!(
                "header {name} is not text, which a batch step cannot carry"
            ))
        })?;
        headers.insert(name.to_string(), Value::String(values.join(", ")));
    }
    if let Some(body) = &request.body {
        let content_type = request
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_owned();
        let json_body = is_json(&content_type)
            .then(|| serde_json::from_slice::<Value>(body).ok())
            .flatten();
        let value = json_body.unwrap_or_else(|| Value::String(STANDARD.encode(body)));
        headers.insert("content-type".into(), Value::String(content_type));
        step.insert("body".into(), value);
    }
    if !headers.is_empty() {
        step.insert("headers".into(), Value::Object(headers));
    }
    Ok(Value::Object(step))
}

/// The step's URL relative to the service root (`/users?$top=5`); an absolute URL (a next
/// link) must lie under the root.
fn relative_url(request: &Request, root: &str) -> Result<String, Error> {
    let path_and_query = request.path_and_query();
    if !is_absolute(&request.path) {
        return Ok(if path_and_query.starts_with('/') {
            path_and_query
        } else {
            format!("/{path_and_query}")
        });
    }
    let root = root.trim_end_matches('/');
    let rest = path_and_query
        .get(..root.len())
        .filter(|head| head.eq_ignore_ascii_case(root))
        .map(|_| &path_and_query[root.len()..])
        .filter(|rest| rest.starts_with('/') || rest.starts_with('?'));
    match rest {
        Some(rest) if rest.starts_with('/') => Ok(rest.to_owned()),
        Some(rest) => Ok(format!("/{rest}")),
        None => Err(Error::Config(format!(
            "a batch step must be under the service root {root}: {}",
            request.path
        ))),
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

#[derive(Deserialize)]
struct BatchBody {
    responses: Vec<StepAnswer>,
}

#[derive(Deserialize)]
struct StepAnswer {
    id: String,
    status: u64,
    #[serde(default)]
    headers: Option<Map<String, Value>>,
    #[serde(default)]
    body: Option<Value>,
}

/// The answers of a `$batch` response by step id, each as the response the step would have had
/// on its own.
fn read_answers(response: &Response) -> Result<BTreeMap<String, Result<Response, Error>>, Error> {
    let body: BatchBody = response.json()?;
    let mut answers = BTreeMap::new();
    for answer in body.responses {
        let id = answer.id.clone();
        answers.insert(id, step_response(answer));
    }
    Ok(answers)
}

fn step_response(answer: StepAnswer) -> Result<Response, Error> {
    let status = u16::try_from(answer.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok());
    let status = status.ok_or_else(|| {
        Error::Protocol(format!(
            "step {} has the status {}, which is not an HTTP status",
            answer.id, answer.status
        ))
    })?;
    let mut headers = HeaderMap::new();
    for (name, value) in answer.headers.unwrap_or_default() {
        let text = match value {
            Value::String(s) => s,
            other => other.to_string(),
        };
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        ) {
            headers.append(name, value);
        }
    }
    let json_content = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(is_json);
    let body = match answer.body {
        None | Some(Value::Null) => Vec::new(),
        // a body that is not JSON travels base64-encoded
        Some(Value::String(s)) if !json_content => {
            STANDARD.decode(&s).unwrap_or_else(|_| s.into_bytes())
        }
        Some(value) => serde_json::to_vec(&value).map_err(Error::Serialize)?,
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// What came back for each step of a sent [`Batch`].
pub struct BatchResponse {
    batch: u64,
    results: Vec<Option<Result<Response, Error>>>,
}

impl fmt::Debug for BatchResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let statuses: Vec<Option<u16>> = self
            .results
            .iter()
            .map(|r| match r {
                Some(Ok(response)) => Some(response.status.as_u16()),
                _ => None,
            })
            .collect();
        f.debug_struct("BatchResponse")
            .field("statuses", &statuses)
            .finish()
    }
}

impl BatchResponse {
    /// The step's output, decoded as the operation's `send()` would have: its typed value, or
    /// its [`Error`] (an [`Error::Http`] with the step's status and Graph error, 424 for a failed
    /// dependency; or why the step could not be sent).
    pub fn result<E: Expect>(&mut self, step: BatchStep<E>) -> Result<E::Output, Error> {
        let taken = (step.id.batch == self.batch)
            .then(|| self.results.get_mut(step.id.index))
            .flatten()
            .and_then(Option::take);
        match taken {
            Some(Ok(response)) => E::from_response(&response),
            Some(Err(e)) => Err(e),
            None => Err(Error::Config(
                "the step is not one of this batch's, or its result was already taken".into(),
            )),
        }
    }

    /// The HTTP status the step was answered with, if it was answered.
    pub fn status(&self, step: StepId) -> Option<StatusCode> {
        self.response(step).map(|r| r.status)
    }

    /// The step's answer as a response of its own (status, headers, body), if it was answered
    /// and its result not yet taken.
    pub fn response(&self, step: StepId) -> Option<&Response> {
        if step.batch != self.batch {
            return None;
        }
        match self.results.get(step.index)? {
            Some(Ok(response)) => Some(response),
            _ => None,
        }
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// True for a batch without steps.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

/// How the steps of one round travel.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    /// The `$batch` requests, in sending order, each its steps in order.
    requests: Vec<Vec<usize>>,
    /// Groups of steps linked by `dependsOn` that are larger than one request.
    too_large: Vec<Vec<usize>>,
}

/// Splits `steps` (ascending indices; `depends_on[i]` lists earlier indices) into requests of at
/// most `max` steps. Steps linked by `dependsOn` (among `steps`), directly or not, form a group
/// that is never split; groups are taken in the order of their first step and packed while they
/// fit, so steps keep their order within each request and requests follow the batch's order.
fn plan(steps: &[usize], depends_on: &[Vec<usize>], max: usize) -> Plan {
    // union-find over the positions in `steps`
    let position: BTreeMap<usize, usize> = steps.iter().enumerate().map(|(p, &s)| (s, p)).collect();
    let mut parent: Vec<usize> = (0..steps.len()).collect();
    fn root(parent: &mut [usize], mut p: usize) -> usize {
        while parent[p] != p {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        p
    }
    for (p, &step) in steps.iter().enumerate() {
        for dep in &depends_on[step] {
            if let Some(&q) = position.get(dep) {
                let (a, b) = (root(&mut parent, p), root(&mut parent, q));
                // the root is the group's first step
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (p, &step) in steps.iter().enumerate() {
        let r = root(&mut parent, p);
        groups.entry(r).or_default().push(step);
    }
    let mut out = Plan::default();
    let mut current: Vec<usize> = Vec::new();
    for group in groups.into_values() {
        if group.len() > max {
            out.too_large.push(group);
            continue;
        }
        if current.len() + group.len() > max {
            out.requests.push(std::mem::take(&mut current));
        }
        current.extend(group);
        current.sort_unstable();
    }
    if !current.is_empty() {
        out.requests.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(list: &[&[usize]]) -> Vec<Vec<usize>> {
        list.iter().map(|d| d.to_vec()).collect()
    }

    fn all(n: usize) -> Vec<usize> {
        (0..n).collect()
    }

    #[test]
    fn independent_steps_go_twenty_at_a_time_in_order() {
        let p = plan(&all(45), &vec![Vec::new(); 45], 20);
        assert_eq!(
            p.requests,
            [all(20), (20..40).collect(), (40..45).collect()]
        );
        assert!(p.too_large.is_empty());
        assert_eq!(
            plan(&all(20), &vec![Vec::new(); 20], 20).requests,
            [all(20)]
        );
        assert_eq!(plan(&[], &[], 20), Plan::default());
    }

    #[test]
    fn a_chain_is_never_split() {
        // 0..18 independent, then a chain 18 <- 19 <- 20
        let mut d = vec![Vec::new(); 21];
        d[19] = vec![18];
        d[20] = vec![19];
        let p = plan(&all(21), &d, 20);
        assert_eq!(p.requests, [all(18), vec![18, 19, 20]]);
    }

    #[test]
    fn a_group_joined_through_a_later_step_stays_together() {
        // 0 and 1 are independent until 2 depends on both
        let d = deps(&[&[], &[], &[0, 1], &[]]);
        let p = plan(&all(4), &d, 3);
        assert_eq!(p.requests, [vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn interleaved_groups_keep_their_order_inside_a_request() {
        // two chains interleaved: 0 <- 2 <- 4 and 1 <- 3
        let d = deps(&[&[], &[], &[0], &[1], &[2]]);
        assert_eq!(plan(&all(5), &d, 20).requests, [all(5)]);
        // with room for three, the first chain fills a request and the second follows
        assert_eq!(plan(&all(5), &d, 3).requests, [vec![0, 2, 4], vec![1, 3]]);
    }

    #[test]
    fn groups_that_do_not_fit_are_reported_and_the_rest_still_goes() {
        let mut d = vec![Vec::new(); 25];
        for (i, deps) in d.iter_mut().enumerate().take(22).skip(1) {
            deps.push(i - 1);
        }
        let p = plan(&all(25), &d, 20);
        assert_eq!(p.too_large, [all(22)]);
        assert_eq!(p.requests, [vec![22, 23, 24]]);
    }

    #[test]
    fn dependencies_outside_the_round_are_ignored() {
        // a retry round: 0 succeeded, so 1 and 2 travel without it
        let d = deps(&[&[], &[0], &[0]]);
        assert_eq!(plan(&[1, 2], &d, 1).requests, [vec![1], vec![2]]);
    }

    #[test]
    fn exactly_full_requests() {
        let mut d = vec![Vec::new(); 40];
        d[19] = vec![0];
        d[39] = vec![20];
        assert_eq!(
            plan(&all(40), &d, 20).requests,
            [all(20), (20..40).collect::<Vec<_>>()]
        );
    }

    fn request(method: Method, path: &str) -> Request {
        Request::new(method, path)
    }

    #[test]
    fn steps_carry_relative_urls_headers_and_json_bodies() {
        let root = "https://graph.microsoft.com/v1.0";
        let mut r = request(Method::GET, "/users");
        r.query.push(("$filter".into(), "city eq null".into()));
        r.headers.insert(
            HeaderName::from_static("consistencylevel"),
            HeaderValue::from_static("eventual"),
        );
        r.headers
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer secret"));
        let step = step_json("5", &r, root, &[]).unwrap();
        assert_eq!(
            step,
            json!({"id": "5", "method": "GET", "url": "/users?$filter=city%20eq%20null",
                   "headers": {"consistencylevel": "eventual"}})
        );
        let r = request(Method::POST, "/me/sendMail")
            .with_json_body(&json!({"a": 1}))
            .unwrap();
        let step = step_json("2", &r, root, &["1".to_string()]).unwrap();
        assert_eq!(
            step,
            json!({"id": "2", "method": "POST", "url": "/me/sendMail", "dependsOn": ["1"],
                   "headers": {"content-type": "application/json"}, "body": {"a": 1}})
        );
        let mut r = request(Method::PUT, "photo/$value");
        r.body = Some(vec![0xff, 0x00]);
        r.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
        let step = step_json("3", &r, root, &[]).unwrap();
        assert_eq!(step["url"], "/photo/$value");
        assert_eq!(step["body"], "/wA=");
        assert_eq!(step["headers"]["content-type"], "image/jpeg");
    }

    #[test]
    fn absolute_urls_must_lie_under_the_root() {
        let root = "https://graph.microsoft.com/v1.0";
        let next = request(
            Method::GET,
            "https://graph.microsoft.com/v1.0/users?$skiptoken=x",
        );
        assert_eq!(relative_url(&next, root).unwrap(), "/users?$skiptoken=x");
        for elsewhere in [
            "https://graph.microsoft.com/beta/users",
            "https://graph.microsoft.com/v1.0users",
            "https://evil.example/v1.0/users",
        ] {
            let e = relative_url(&request(Method::GET, elsewhere), root).unwrap_err();
            assert!(matches!(e, Error::Config(_)), "{e}");
        }
    }

    #[test]
    fn answers_become_responses() {
        let body = json!({"responses": [
            {"id": "2", "status": 429, "headers": {"Retry-After": "3"}, "body": {"error": {"code": "TooMany"}}},
            {"id": "1", "status": 200, "headers": {"Content-Type": "image/png"}, "body": "AAE="},
            {"id": "3", "status": 204},
            {"id": "4", "status": 99999},
        ]});
        let answers = read_answers(&Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.to_string().into_bytes(),
        })
        .unwrap();
        let one = answers["1"].as_ref().unwrap();
        assert_eq!(one.body, [0, 1]);
        let two = answers["2"].as_ref().unwrap();
        assert_eq!(retry_after(&two.headers), Some(Duration::from_secs(3)));
        assert_eq!(two.json::<Value>().unwrap()["error"]["code"], "TooMany");
        assert!(answers["3"].as_ref().unwrap().body.is_empty());
        assert!(matches!(answers["4"], Err(Error::Protocol(_))));
        let not_batch = Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: b"<html>".to_vec(),
        };
        assert!(matches!(
            read_answers(&not_batch),
            Err(Error::Decode { .. })
        ));
    }

    fn answered(status: u16, retry_after: Option<&str>) -> Option<Result<Response, Error>> {
        let mut headers = HeaderMap::new();
        if let Some(r) = retry_after {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from_str(r).unwrap());
        }
        Some(Ok(Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Vec::new(),
        }))
    }

    #[test]
    fn throttled_steps_and_their_failed_dependents_go_again() {
        // 0: 429 after 2 s; 1: 424 because of 0; 2: 503 after 1 s; 3: 404; 4: 424 because of 3
        let d = deps(&[&[], &[0], &[], &[], &[3]]);
        let results = vec![
            answered(429, Some("2")),
            answered(424, None),
            answered(503, Some("1")),
            answered(404, None),
            answered(424, None),
        ];
        let mut throttled = vec![0; 5];
        let policy = RetryPolicy::default().with_max_attempts(2);
        let (retry, delay) = retries(&all(5), &d, &results, &mut throttled, &policy);
        assert_eq!(retry, [0, 1, 2]);
        assert_eq!(delay, Duration::from_secs(2));
        // the second 429 of step 0 uses up its attempts
        let (retry, _) = retries(&[0, 1, 2], &d, &results, &mut throttled, &policy);
        assert!(retry.is_empty(), "{retry:?}");
    }
}
