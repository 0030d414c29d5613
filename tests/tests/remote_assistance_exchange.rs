//! The generated crate over HTTP against a local server: the seed's PATCH exchange and GET.

use msgraph_beta::GraphServiceClient;
use msgraph_beta::models::{RemoteAssistanceSettings, RemoteAssistanceState};
use msgraph_beta::runtime::{Client, Cloud};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-123";

async fn client_for(server: &MockServer) -> GraphServiceClient {
    let cloud = Cloud::custom(server.uri()).expect("loopback root");
    let client = Client::builder()
        .cloud(cloud)
        .bearer_token(TOKEN)
        .build()
        .expect("client");
    GraphServiceClient::new(client)
}

#[tokio::test]
async fn the_seed_patch_exchange() {
    let server = MockServer::start().await;
    let response = json!({
        "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
        "id": "cfef360e-360e-cfef-0e36-efcf0e36efcf",
        "remoteAssistanceState": "enabled",
        "allowSessionsToUnenrolledDevices": true,
        "blockChat": true
    });
    Mock::given(method("PATCH"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
            "remoteAssistanceState": "enabled",
            "allowSessionsToUnenrolledDevices": true,
            "blockChat": true
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(response))
        .expect(1)
        .mount(&server)
        .await;
    let body = RemoteAssistanceSettings {
        odata_type: Some("#microsoft.graph.remoteAssistanceSettings".into()),
        remote_assistance_state: Some(RemoteAssistanceState::Enabled),
        allow_sessions_to_unenrolled_devices: Some(true),
        block_chat: Some(true),
        ..Default::default()
    };
    let updated = client_for(&server)
        .await
        .device_management()
        .remote_assistance_settings()
        .update(&body)
        .send()
        .await
        .expect("PATCH succeeds")
        .expect("200 carries the object");
    assert_eq!(
        updated.id.as_deref(),
        Some("cfef360e-360e-cfef-0e36-efcf0e36efcf")
    );
    assert_eq!(updated.block_chat, Some(true));
    let requests = server.received_requests().await.expect("recorded");
    let id = requests[0]
        .headers
        .get("client-request-id")
        .expect("client-request-id")
        .to_str()
        .expect("ascii");
    assert_eq!(id.len(), 36, "a GUID: {id}");
}

#[tokio::test]
async fn update_accepts_204_no_content() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let body = RemoteAssistanceSettings {
        block_chat: Some(false),
        ..Default::default()
    };
    let updated = client_for(&server)
        .await
        .device_management()
        .remote_assistance_settings()
        .update(&body)
        .send()
        .await
        .expect("PATCH succeeds");
    assert_eq!(updated, None);
}

#[tokio::test]
async fn get_with_select() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .and(query_param("$select", "remoteAssistanceState,blockChat"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "remoteAssistanceState": "disabled",
            "blockChat": false,
            "newProperty": 5
        })))
        .expect(1)
        .mount(&server)
        .await;
    let settings = client_for(&server)
        .await
        .device_management()
        .remote_assistance_settings()
        .get()
        .select(["remoteAssistanceState", "blockChat"])
        .send()
        .await
        .expect("GET succeeds");
    assert_eq!(
        settings.remote_assistance_state,
        Some(RemoteAssistanceState::Disabled)
    );
    assert_eq!(settings.additional_properties["newProperty"], json!(5));
}

#[tokio::test]
async fn graph_errors_come_back_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "error": {
                "code": "Forbidden",
                "message": "Application is not authorized to perform this operation.",
                "innerError": {"code": "AccessDenied", "request-id": "req-1", "date": "2024-01-01T00:00:00"}
            }
        })))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .await
        .device_management()
        .remote_assistance_settings()
        .get()
        .send()
        .await
        .expect_err("403");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    let text = err.to_string();
    assert!(
        text.contains("Forbidden") && text.contains("AccessDenied") && text.contains("req-1"),
        "{text}"
    );
}
