//! Request/response exchanges against a local HTTP server.
#![cfg(feature = "reqwest")]

use std::time::Duration;

use odata_runtime::{
    ApiVersion, Client, Cloud, Error, Json, JsonOrEmpty, Operation, Page, Request, RetryPolicy,
    SDK_VERSION,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-123";

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .cloud(Cloud::custom(server.uri()).unwrap())
        .api_version(ApiVersion::Beta)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(10)))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn seed_request_body() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
        "remoteAssistanceState": "enabled",
        "allowSessionsToUnenrolledDevices": true,
        "blockChat": true
    })
}

fn seed_response_body() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
        "id": "cfef360e-360e-cfef-0e36-efcf0e36efcf",
        "remoteAssistanceState": "enabled",
        "allowSessionsToUnenrolledDevices": true,
        "blockChat": true
    })
}

#[tokio::test]
async fn patch_matches_the_seed_exchange() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(seed_request_body()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed_response_body()))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server);
    assert_eq!(client.service_root(), format!("{}/beta", server.uri()));
    let request = Request::new(
        http::Method::PATCH,
        "/deviceManagement/remoteAssistanceSettings",
    )
    .with_json_body(&seed_request_body())
    .unwrap();
    let updated = Operation::<JsonOrEmpty<Value>>::new(client, request)
        .send()
        .await
        .unwrap();
    assert_eq!(updated, Some(seed_response_body()));

    let received = server.received_requests().await.unwrap();
    let headers = &received[0].headers;
    let id = headers["client-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(headers["user-agent"], SDK_VERSION);
    assert_eq!(headers["sdkversion"], SDK_VERSION);
    assert!(SDK_VERSION.starts_with("odata-runtime/"));
    assert!(headers.get("prefer").is_none());
}

#[tokio::test]
async fn get_with_select_and_extra_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .and(query_param("$select", "id,blockChat"))
        .and(header("consistencylevel", "eventual"))
        .and(header("prefer", "include-unknown-enum-members"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "x", "blockChat": false})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .cloud(Cloud::custom(server.uri()).unwrap())
        .api_version(ApiVersion::Beta)
        .bearer_token(TOKEN)
        .include_unknown_enum_members(true)
        .build()
        .unwrap();
    let request = Request::new(
        http::Method::GET,
        "/deviceManagement/remoteAssistanceSettings",
    );
    let op = Operation::<Json<Value>>::new(client, request)
        .select(["id"])
        .select(["blockChat"])
        .header(
            http::HeaderName::from_static("consistencylevel"),
            http::HeaderValue::from_static("eventual"),
        );
    assert_eq!(op.request().query_string(), "$select=id,blockChat");
    assert_eq!(
        op.send().await.unwrap(),
        json!({"id": "x", "blockChat": false})
    );
}

#[tokio::test]
async fn each_request_gets_a_fresh_client_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [1, 2]})))
        .mount(&server)
        .await;
    let client = client_for(&server);
    for _ in 0..2 {
        let page = Operation::<Json<Page<i32>>>::new(
            client.clone(),
            Request::new(http::Method::GET, "/users"),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(page.value, vec![1, 2]);
    }
    let received = server.received_requests().await.unwrap();
    assert_ne!(
        received[0].headers["client-request-id"],
        received[1].headers["client-request-id"]
    );
}

#[tokio::test]
async fn patch_204_is_none_and_json_204_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = || {
        Request::new(
            http::Method::PATCH,
            "/deviceManagement/remoteAssistanceSettings",
        )
        .with_json_body(&seed_request_body())
        .unwrap()
    };
    let none = Operation::<JsonOrEmpty<Value>>::new(client.clone(), request())
        .send()
        .await
        .unwrap();
    assert_eq!(none, None);

    let err = Operation::<Json<Value>>::new(client, request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::EmptyBody { .. }), "{err:?}");
    assert!(err.to_string().contains("204"), "{err}");
}

#[tokio::test]
async fn body_that_does_not_match_the_model_is_a_decode_error() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Settings {
        id: String,
        #[serde(rename = "blockChat")]
        block_chat: bool,
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "x", "blockChat": "yes"})),
        )
        .mount(&server)
        .await;
    let err = Operation::<Json<Settings>>::new(
        client_for(&server),
        Request::new(http::Method::GET, "/x"),
    )
    .send()
    .await
    .unwrap_err();
    match &err {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 200);
            assert!(excerpt.contains("\"blockChat\":\"yes\""), "{excerpt}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[tokio::test]
async fn redirect_to_another_host_drops_the_token() {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/reports/download"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/blob?sig=abc", other.uri()).as_str()),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&other)
        .await;

    let value = Operation::<Json<Value>>::new(
        client_for(&graph),
        Request::new(http::Method::GET, "/reports/download"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(value, json!({"ok": true}));

    let at_graph = graph.received_requests().await.unwrap();
    assert_eq!(
        at_graph[0].headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    let at_other = other.received_requests().await.unwrap();
    assert_eq!(at_other.len(), 1);
    assert!(at_other[0].headers.get("authorization").is_none());
    assert_eq!(
        at_other[0].headers["client-request-id"],
        at_graph[0].headers["client-request-id"]
    );
}

#[tokio::test]
async fn same_host_redirect_keeps_the_token() {
    let graph = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/beta/old"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/beta/new"))
        .mount(&graph)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/beta/new"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(json!({"a": 1})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"moved": true})))
        .expect(1)
        .mount(&graph)
        .await;
    let request = Request::new(http::Method::PATCH, "/old")
        .with_json_body(&json!({"a": 1}))
        .unwrap();
    let value = Operation::<Json<Value>>::new(client_for(&graph), request)
        .send()
        .await
        .unwrap();
    assert_eq!(value, json!({"moved": true}));
}

#[tokio::test]
async fn redirect_loops_are_bounded() {
    let graph = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/beta/loop"))
        .mount(&graph)
        .await;
    let err =
        Operation::<Json<Value>>::new(client_for(&graph), Request::new(http::Method::GET, "/loop"))
            .send()
            .await
            .unwrap_err();
    assert!(matches!(err, Error::Redirect(_)), "{err:?}");
    assert_eq!(graph.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn absolute_link_to_another_host_gets_no_token() {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&other)
        .await;
    let next_link = format!("{}/beta/users?$skiptoken=abc", other.uri());
    let page = Operation::<Json<Page<Value>>>::new(
        client_for(&graph),
        Request::new(http::Method::GET, next_link),
    )
    .send()
    .await
    .unwrap();
    assert!(page.value.is_empty());
    let received = other.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
    assert_eq!(received[0].url.query(), Some("$skiptoken=abc"));
}
