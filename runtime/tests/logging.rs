//! Tracing output never contains the bearer token.
#![cfg(feature = "reqwest")]

use std::fmt::{Debug, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use odata_runtime::{Client, Cloud, Error, Json, Operation, Request, RetryPolicy};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "do-not-log-this-token";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

impl Visit for Capture {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if let Ok(mut out) = self.0.lock() {
            let _ = write!(out, "{}={value:?} ", field.name());
        }
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut self.clone());
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut self.clone());
        if let Ok(mut out) = self.0.lock() {
            out.push('\n');
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn logs_do_not_contain_the_token() {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/x", other.uri()).as_str()),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "NotFound", "message": "gone"}})),
        )
        .mount(&other)
        .await;

    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let client = Client::builder()
        .cloud(Cloud::custom(graph.uri()).unwrap())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(5)))
        .build()
        .unwrap();
    let err: Error =
        Operation::<Json<Value>>::new(client.clone(), Request::new(http::Method::GET, "/me"))
            .send()
            .await
            .unwrap_err();

    let log = capture.0.lock().unwrap().clone();
    assert!(log.contains("client_request_id"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(log.contains("following redirect"), "{log}");
    for text in [
        log,
        err.to_string(),
        format!("{err:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn public_types_are_thread_safe() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Client>();
    send_sync::<Error>();
    send_sync::<Operation<Json<Value>>>();

    fn send<T: Send>(_: &T) {}
    let client = Client::builder().build().unwrap();
    let future =
        Operation::<Json<Value>>::new(client.clone(), Request::new(http::Method::GET, "/me"))
            .send();
    send(&future);
    let execute = client.execute(Request::new(http::Method::GET, "/me"));
    send(&execute);
}
