//! Error responses, retries and timeouts against a local HTTP server.
#![cfg(feature = "reqwest")]

use std::time::Duration;

use odata_runtime::{
    ApiVersion, Client, Cloud, Error, Json, Operation, Request, RetryPolicy, TransportErrorKind,
};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server_uri: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .cloud(Cloud::custom(server_uri).unwrap())
        .api_version(ApiVersion::V1_0)
        .bearer_token("tok")
        .retry_policy(policy)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_base_delay(Duration::from_millis(10))
}

async fn get(client: Client) -> Result<Value, Error> {
    Operation::<Json<Value>>::new(client, Request::new(http::Method::GET, "/me"))
        .send()
        .await
}

/// The error of a GET (with fast retries) that a server answering `response` to every request
/// gives; the server must see exactly `requests` requests.
async fn error_for(response: ResponseTemplate, requests: u64) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .expect(requests)
        .mount(&server)
        .await;
    get(client_for(&server.uri(), fast_retries()))
        .await
        .unwrap_err()
}

fn graph_error(code: &str, message: &str, inner_code: Option<&str>) -> Value {
    let mut inner = json!({
        "date": "2024-05-01T12:00:00",
        "request-id": "req-1",
        "client-request-id": "client-1"
    });
    if let Some(c) = inner_code {
        inner["code"] = json!(c);
    }
    json!({"error": {"code": code, "message": message, "innerError": inner}})
}

#[tokio::test]
async fn graph_error_bodies_are_parsed() {
    let cases = [
        (
            401,
            graph_error(
                "InvalidAuthenticationToken",
                "Access token has expired.",
                None,
            ),
            "HTTP 401 Unauthorized: InvalidAuthenticationToken: Access token has expired. [request-id: req-1]",
        ),
        (
            403,
            graph_error(
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
                Some("AccessDenied"),
            ),
            "HTTP 403 Forbidden: Authorization_RequestDenied: Insufficient privileges to complete the operation. [inner code: AccessDenied] [request-id: req-1]",
        ),
        (
            404,
            graph_error(
                "ResourceNotFound",
                "Resource not found\nfor the segment 'x'.",
                None,
            ),
            "HTTP 404 Not Found: ResourceNotFound: Resource not found for the segment 'x'. [request-id: req-1]",
        ),
    ];
    for (status, body, display) in cases {
        let response = ResponseTemplate::new(status)
            .set_body_json(body)
            .insert_header("request-id", "header-id");
        let err = error_for(response, 1).await;
        assert_eq!(err.to_string(), display);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.request_id(), Some("req-1"));
        let http = err.http().unwrap();
        assert_eq!(http.client_request_id(), Some("client-1"));
        let graph = err.graph_error().unwrap();
        assert_eq!(graph.date(), Some("2024-05-01T12:00:00"));
        assert_eq!(graph.inner_errors().count(), 1);
        assert!(http.excerpt().is_none());
    }
}

#[tokio::test]
async fn nested_lowercase_innererror_chain() {
    let body = json!({"error": {"code": "BadRequest", "message": "Invalid request.",
        "innererror": {"code": "invalidProperty", "innererror": {"code": "blockChatNotSupported",
            "request-id": "deep-id", "date": "garbage date"}}}});
    let err = error_for(ResponseTemplate::new(400).set_body_json(body), 1).await;
    let graph = err.graph_error().unwrap();
    let codes: Vec<_> = graph.inner_errors().filter_map(|e| e.code()).collect();
    assert_eq!(codes, ["invalidProperty", "blockChatNotSupported"]);
    assert_eq!(graph.date(), Some("garbage date"));
    assert_eq!(
        err.to_string(),
        "HTTP 400 Bad Request: BadRequest: Invalid request. [inner code: blockChatNotSupported] [request-id: deep-id]"
    );
}

#[tokio::test]
async fn html_502_keeps_a_bounded_excerpt() {
    let page = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
        "é".repeat(2000)
    );
    let err = error_for(
        ResponseTemplate::new(502).set_body_raw(page, "text/html"),
        1,
    )
    .await;
    let http = err.http().unwrap();
    assert_eq!(http.status(), 502);
    assert!(http.graph_error().is_none());
    assert_eq!(http.content_type(), Some("text/html"));
    let excerpt = http.excerpt().unwrap();
    assert!(
        excerpt.starts_with("<html> <head><title>502 Bad Gateway</title>"),
        "{excerpt}"
    );
    assert!(excerpt.chars().count() <= 301);
    let display = err.to_string();
    assert!(
        display.starts_with("HTTP 502 Bad Gateway (text/html): <html>"),
        "{display}"
    );
    assert!(!display.contains('\n'));
}

#[tokio::test]
async fn throttled_429_honours_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
        .mount(&server)
        .await;
    let value = get(client_for(&server.uri(), fast_retries()))
        .await
        .unwrap();
    assert_eq!(value, json!({"id": "me"}));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].headers["client-request-id"],
        received[1].headers["client-request-id"]
    );
}

#[tokio::test]
async fn retry_after_beyond_the_time_budget_is_not_awaited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let policy = fast_retries().with_max_elapsed(Duration::from_secs(5));
    let err = get(client_for(&server.uri(), policy)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        err.http().unwrap().retry_after(),
        Some(Duration::from_secs(3600))
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn service_unavailable_503_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": 1})))
        .mount(&server)
        .await;
    assert_eq!(
        get(client_for(&server.uri(), fast_retries()))
            .await
            .unwrap(),
        json!({"ok": 1})
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn gateway_timeout_504_exhausts_attempts() {
    let body = graph_error("UnknownError", "Gateway timeout", None);
    let err = error_for(ResponseTemplate::new(504).set_body_json(body), 3).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(504));
    assert_eq!(
        err.graph_error().and_then(|g| g.code()),
        Some("UnknownError")
    );
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    let err = error_for(ResponseTemplate::new(500), 1).await;
    assert_eq!(
        err.to_string(),
        "HTTP 500 Internal Server Error: empty body"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .cloud(Cloud::custom(server.uri()).unwrap())
        .bearer_token("tok")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = get(client).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(300)),
        "{err:?}"
    );
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = get(client_for(
        &format!("http://127.0.0.1:{port}"),
        fast_retries(),
    ))
    .await
    .unwrap_err();
    match err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Connect, "{t}"),
        other => panic!("unexpected {other:?}"),
    }
}
