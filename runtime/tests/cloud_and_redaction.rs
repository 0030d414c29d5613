//! Clouds, the transport seam and secret redaction; no network needed.

use std::str::FromStr;
use std::sync::{Arc, Mutex};

use odata_runtime::{
    AccessToken, ApiVersion, BoxFuture, Client, Cloud, Empty, Operation, Request, Response,
    StaticToken, Transport, TransportError,
};

#[test]
fn each_cloud_has_its_documented_endpoints() {
    let cases = [
        (
            Cloud::Global,
            "https://graph.microsoft.com",
            "https://login.microsoftonline.com",
        ),
        (
            Cloud::UsGovL4,
            "https://graph.microsoft.us",
            "https://login.microsoftonline.us",
        ),
        (
            Cloud::UsGovL5Dod,
            "https://dod-graph.microsoft.us",
            "https://login.microsoftonline.us",
        ),
        (
            Cloud::China21Vianet,
            "https://microsoftgraph.chinacloudapi.cn",
            "https://login.chinacloudapi.cn",
        ),
    ];
    for (cloud, root, login) in cases {
        assert_eq!(cloud.graph_root(), root);
        assert_eq!(cloud.login_endpoint(), login);
        assert_eq!(
            cloud.authority("contoso.onmicrosoft.com"),
            format!("{login}/contoso.onmicrosoft.com")
        );
        assert_eq!(
            cloud.token_endpoint("t"),
            format!("{login}/t/oauth2/v2.0/token")
        );
        assert_eq!(cloud.scope(), format!("{root}/.default"));
        assert_eq!(cloud.service_root(ApiVersion::V1_0), format!("{root}/v1.0"));
        assert_eq!(Cloud::from_str(&cloud.to_string()).unwrap(), cloud);
    }
    let custom = Cloud::custom("http://127.0.0.1:8080/").unwrap();
    assert_eq!(custom.graph_root(), "http://127.0.0.1:8080");
    assert_eq!(custom.scope(), "http://127.0.0.1:8080/.default");
}

#[test]
fn cloud_names_parse() {
    for (name, cloud) in [
        ("global", Cloud::Global),
        ("usgov-l4", Cloud::UsGovL4),
        ("USGOVL4", Cloud::UsGovL4),
        ("usgov-l5", Cloud::UsGovL5Dod),
        ("dod", Cloud::UsGovL5Dod),
        ("china", Cloud::China21Vianet),
        (
            "http://localhost:9",
            Cloud::Custom("http://localhost:9".into()),
        ),
    ] {
        assert_eq!(name.parse::<Cloud>().unwrap(), cloud, "{name}");
    }
    assert!("http://graph.example".parse::<Cloud>().is_err());
    assert!("moon".parse::<Cloud>().is_err());
}

#[test]
fn non_loopback_http_roots_are_refused_at_build() {
    let err = Client::builder()
        .cloud(Cloud::Custom("http://graph.example".into()))
        .transport(Recorder::default())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("https"), "{err}");
}

/// Records requests and answers 204.
#[derive(Debug, Default, Clone)]
struct Recorder(Arc<Mutex<Vec<http::Request<Vec<u8>>>>>);

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.0.lock().unwrap().push(request);
        Box::pin(async {
            Ok(Response {
                status: http::StatusCode::NO_CONTENT,
                headers: http::HeaderMap::new(),
                body: Vec::new(),
            })
        })
    }
}

#[tokio::test]
async fn custom_transport_sees_the_full_request() {
    let recorder = Recorder::default();
    let client = Client::builder()
        .cloud(Cloud::UsGovL5Dod)
        .api_version(ApiVersion::V1_0)
        .bearer_token("secret-token")
        .transport(recorder.clone())
        .build()
        .unwrap();
    assert_eq!(client.service_root(), "https://dod-graph.microsoft.us/v1.0");
    Operation::<Empty>::new(client, Request::new(http::Method::DELETE, "/users/a%2Fb"))
        .send()
        .await
        .unwrap();
    let sent = recorder.0.lock().unwrap();
    assert_eq!(
        sent[0].uri(),
        "https://dod-graph.microsoft.us/v1.0/users/a%2Fb"
    );
    assert_eq!(sent[0].headers()["authorization"], "Bearer secret-token");
    assert!(sent[0].headers()["authorization"].is_sensitive());
    assert!(sent[0].headers().get("content-type").is_none());
}

#[test]
fn debug_output_redacts_tokens() {
    let token = "super-secret-value";
    let client = Client::builder()
        .bearer_token(token)
        .transport(Recorder::default())
        .build()
        .unwrap();
    let builder = Client::builder().bearer_token(token);
    for debug in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{:?}", StaticToken::new(token)),
        format!("{:?}", AccessToken::new(token)),
    ] {
        assert!(!debug.contains(token), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }
}

/// Fails, and records the scope it was asked for.
#[derive(Debug, Default)]
struct FailingProvider(Mutex<Vec<String>>);

impl odata_runtime::TokenProvider for FailingProvider {
    fn token<'a>(
        &'a self,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, odata_runtime::Error>> {
        self.0.lock().unwrap().push(scope.to_owned());
        Box::pin(async { Err(odata_runtime::Error::Auth("tenant not found".into())) })
    }
}

#[tokio::test]
async fn token_failures_stop_the_request() {
    let recorder = Recorder::default();
    let provider = Arc::new(FailingProvider::default());
    let client = Client::builder()
        .cloud(Cloud::China21Vianet)
        .token_provider_arc(provider.clone())
        .transport(recorder.clone())
        .build()
        .unwrap();
    let err = client
        .execute(Request::new(http::Method::GET, "/me"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "token acquisition failed: tenant not found"
    );
    assert!(recorder.0.lock().unwrap().is_empty());
    assert_eq!(
        *provider.0.lock().unwrap(),
        ["https://microsoftgraph.chinacloudapi.cn/.default"]
    );
}
