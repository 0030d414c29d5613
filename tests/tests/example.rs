//! The example program of the generated crate, run against a local server.

#[allow(dead_code)]
#[path = "../../generated/examples/update_remote_assistance_settings.rs"]
mod example;

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn the_example_updates_the_settings_and_prints_them() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .and(header("authorization", "Bearer example-token"))
        .and(body_json(
            json!({"remoteAssistanceState": "enabled", "blockChat": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
            "id": "cfef360e-360e-cfef-0e36-efcf0e36efcf",
            "remoteAssistanceState": "enabled",
            "allowSessionsToUnenrolledDevices": false,
            "blockChat": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    let env = |name: &str| match name {
        "GRAPH_TOKEN" => Some("example-token".to_string()),
        "GRAPH_CLOUD" => Some(uri.clone()),
        _ => None,
    };
    let printed = example::run(&args(&["--state", "enabled", "--block-chat", "true"]), env)
        .await
        .expect("runs");
    let printed: serde_json::Value = serde_json::from_str(&printed).expect("prints JSON");
    assert_eq!(printed["id"], "cfef360e-360e-cfef-0e36-efcf0e36efcf");
    assert_eq!(printed["blockChat"], true);
}

#[tokio::test]
async fn the_example_explains_bad_input() {
    let env = |_: &str| Some("t".to_string());
    let err = example::run(&args(&["--state", "sometimes"]), env)
        .await
        .expect_err("bad state");
    assert!(err.contains("expected one of"), "{err}");
    let err = example::run(&args(&[]), env).await.expect_err("no flags");
    assert!(err.contains("nothing to update"), "{err}");
    let err = example::run(&args(&["--block-chat", "yes"]), env)
        .await
        .expect_err("bad bool");
    assert!(err.contains("expected true or false"), "{err}");
    let no_token = |_: &str| None;
    let err = example::run(&args(&["--block-chat", "true"]), no_token)
        .await
        .expect_err("no token");
    assert!(err.contains("GRAPH_TOKEN"), "{err}");
    let bad_cloud = |n: &str| {
        if n == "GRAPH_CLOUD" {
            Some("mars".into())
        } else {
            Some("t".into())
        }
    };
    let err = example::run(&args(&["--block-chat", "true"]), bad_cloud)
        .await
        .expect_err("bad cloud");
    assert!(err.contains("GRAPH_CLOUD"), "{err}");
}
