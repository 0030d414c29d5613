//! The generated crate as a downstream project uses it: the seed page's PATCH, built without a
//! network, and the seed's response read back.

use msgraph_beta::GraphServiceClient;
use msgraph_beta::models::{RemoteAssistanceSettings, RemoteAssistanceState};
use msgraph_beta::runtime::{Client, Cloud, http};
use serde_json::json;

fn client() -> GraphServiceClient {
    let client = Client::builder()
        .cloud(Cloud::Global)
        .bearer_token("not-a-real-token")
        .build()
        .expect("client");
    GraphServiceClient::new(client)
}

/// The request body of the seed page's example.
fn seed_request_body() -> serde_json::Value {
    json!({
        "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
        "remoteAssistanceState": "enabled",
        "allowSessionsToUnenrolledDevices": true,
        "blockChat": true
    })
}

/// The response body of the seed page's example.
const SEED_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.remoteAssistanceSettings",
  "id": "cfef360e-360e-cfef-0e36-efcf0e36efcf",
  "remoteAssistanceState": "enabled",
  "allowSessionsToUnenrolledDevices": true,
  "blockChat": true
}"##;

#[test]
fn builds_the_seed_patch_request() {
    let body = RemoteAssistanceSettings {
        odata_type: Some("#microsoft.graph.remoteAssistanceSettings".into()),
        remote_assistance_state: Some(RemoteAssistanceState::Enabled),
        allow_sessions_to_unenrolled_devices: Some(true),
        block_chat: Some(true),
        ..Default::default()
    };
    let request = client()
        .device_management()
        .remote_assistance_settings()
        .update(&body)
        .into_request()
        .expect("body serializes");
    assert_eq!(request.method, http::Method::PATCH);
    assert_eq!(request.path, "/deviceManagement/remoteAssistanceSettings");
    assert!(request.query.is_empty());
    assert_eq!(
        request.headers.get("accept").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(request.body_json(), Some(seed_request_body()));
}

#[test]
fn get_takes_select_and_expand() {
    let request = client()
        .device_management()
        .remote_assistance_settings()
        .get()
        .select(["id", "blockChat"])
        .expand(["x"])
        .into_request()
        .expect("nothing to serialize");
    assert_eq!(request.method, http::Method::GET);
    assert_eq!(request.path, "/deviceManagement/remoteAssistanceSettings");
    assert_eq!(
        request.path_and_query(),
        "/deviceManagement/remoteAssistanceSettings?$select=id,blockChat&$expand=x"
    );
    assert!(request.body.is_none());
    assert!(request.headers.get("content-type").is_none());
}

#[test]
fn reads_and_round_trips_the_seed_response() {
    let settings: RemoteAssistanceSettings =
        serde_json::from_str(SEED_RESPONSE).expect("seed response");
    assert_eq!(
        settings.id.as_deref(),
        Some("cfef360e-360e-cfef-0e36-efcf0e36efcf")
    );
    assert_eq!(
        settings.remote_assistance_state,
        Some(RemoteAssistanceState::Enabled)
    );
    assert_eq!(settings.allow_sessions_to_unenrolled_devices, Some(true));
    assert_eq!(settings.block_chat, Some(true));
    assert!(settings.additional_properties.is_empty());
    let back = serde_json::to_value(&settings).expect("serializes");
    let original: serde_json::Value = serde_json::from_str(SEED_RESPONSE).expect("json");
    assert_eq!(back, original);
}

#[test]
fn unknown_members_and_properties_survive_a_round_trip() {
    let sent = json!({
        "id": "x",
        "remoteAssistanceState": "enabledForEveryone",
        "futureSetting": {"nested": [1, 2, 3]},
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/remoteAssistanceSettings/$entity"
    });
    let settings: RemoteAssistanceSettings = serde_json::from_value(sent.clone()).expect("reads");
    assert_eq!(
        settings.remote_assistance_state,
        Some(RemoteAssistanceState::UnknownValue(
            "enabledForEveryone".into()
        ))
    );
    assert!(
        settings
            .remote_assistance_state
            .as_ref()
            .is_some_and(RemoteAssistanceState::is_unknown)
    );
    assert_eq!(
        settings.additional_properties["futureSetting"],
        json!({"nested": [1, 2, 3]})
    );
    assert_eq!(serde_json::to_value(&settings).expect("writes"), sent);
}

#[test]
fn a_patch_with_one_field_sends_only_that_field() {
    let body = RemoteAssistanceSettings {
        block_chat: Some(false),
        ..Default::default()
    };
    let request = client()
        .device_management()
        .remote_assistance_settings()
        .update(&body)
        .into_request()
        .expect("body serializes");
    assert_eq!(request.body_json(), Some(json!({"blockChat": false})));
}

#[test]
fn enum_values_and_names_come_from_the_metadata() {
    assert_eq!(RemoteAssistanceState::Disabled.value(), Some(1));
    assert_eq!(RemoteAssistanceState::Enabled.value(), Some(2));
    assert_eq!(
        RemoteAssistanceState::from_value(2),
        Some(RemoteAssistanceState::Enabled)
    );
    assert_eq!(RemoteAssistanceState::from_value(3), None);
    assert_eq!(RemoteAssistanceState::MEMBERS, ["disabled", "enabled"]);
    assert_eq!(
        "disabled".parse::<RemoteAssistanceState>(),
        Ok(RemoteAssistanceState::Disabled)
    );
    assert_eq!(RemoteAssistanceState::Enabled.to_string(), "enabled");
}
