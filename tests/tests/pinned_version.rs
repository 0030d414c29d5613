//! A generated crate sends only to the API version it was generated for, whatever client it is
//! given: the checked-in beta crate, and a crate generated for v1.0 used by a downstream project.

use std::process::Command;

use msgraph_beta::GraphServiceClient;
use msgraph_beta::requests::RemoteAssistanceSettingsRequest;
use msgraph_beta::runtime::{ApiVersion, Client, Cloud};
use odata_codegen::emit::{GenerateOptions, generate};
use odata_codegen::model::{NoReferences, load_model};
use odata_codegen_tests::{workspace, write_file};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_beta_crate_sends_to_beta_even_with_a_v1_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/deviceManagement/remoteAssistanceSettings"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"blockChat": true})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let v1_client = Client::builder()
        .cloud(Cloud::custom(server.uri()).expect("loopback root"))
        .api_version(ApiVersion::V1_0)
        .bearer_token("t")
        .build()
        .expect("client");
    assert_eq!(msgraph_beta::PINNED_API_VERSION, ApiVersion::Beta);
    let graph = GraphServiceClient::new(v1_client.clone());
    assert_eq!(graph.client().api_version(), ApiVersion::Beta);
    let settings = graph
        .device_management()
        .remote_assistance_settings()
        .get()
        .send()
        .await
        .expect("GET /beta");
    assert_eq!(settings.block_chat, Some(true));
    // a builder made directly with its public constructor pins the version too
    RemoteAssistanceSettingsRequest::new(v1_client, "/deviceManagement/remoteAssistanceSettings")
        .get()
        .send()
        .await
        .expect("GET /beta");
}

/// A small service: `/users/{id}` can be deleted.
const METADATA: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="test.pinned" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="user">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityContainer Name="GraphService">
        <EntitySet Name="users" EntityType="test.pinned.user" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// The downstream project's test: its own transport records where requests go.
const USER_TEST: &str = r#"
use std::sync::{Arc, Mutex};

use pinned_v1::GraphServiceClient;
use pinned_v1::requests::UserRequest;
use pinned_v1::runtime::{ApiVersion, BoxFuture, Client, Response, Transport, TransportError, http};

/// Records every request's URI and answers 204.
#[derive(Debug, Default, Clone)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Transport for Recorder {
    fn send(&self, request: http::Request<Vec<u8>>) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.0.lock().unwrap().push(request.uri().to_string());
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
async fn a_default_client_sends_to_v1() {
    let recorder = Recorder::default();
    let client = Client::builder().transport(recorder.clone()).build().unwrap();
    let graph = GraphServiceClient::new(client);
    graph.users().by_id("a").delete().send().await.unwrap();
    assert_eq!(*recorder.0.lock().unwrap(), ["https://graph.microsoft.com/v1.0/users/a"]);
}

#[tokio::test]
async fn a_beta_client_still_sends_to_v1() {
    let recorder = Recorder::default();
    let client = Client::builder()
        .api_version(ApiVersion::Beta)
        .transport(recorder.clone())
        .build()
        .unwrap();
    GraphServiceClient::new(client.clone()).users().by_id("b").delete().send().await.unwrap();
    UserRequest::new(client, "/users/c").delete().send().await.unwrap();
    assert_eq!(
        *recorder.0.lock().unwrap(),
        [
            "https://graph.microsoft.com/v1.0/users/b",
            "https://graph.microsoft.com/v1.0/users/c",
        ]
    );
    assert_eq!(pinned_v1::PINNED_API_VERSION, ApiVersion::V1_0);
}
"#;

#[test]
fn a_v1_crate_sends_to_v1_whatever_its_client() {
    let runtime = workspace()
        .join("runtime")
        .canonicalize()
        .expect("runtime folder");
    let model = load_model("pinned.xml", METADATA.as_bytes(), &mut NoReferences).expect("loads");
    let options = GenerateOptions {
        crate_name: "pinned-v1".into(),
        api_version: "v1.0".into(),
        all: true,
        metadata_label: "pinned.xml".into(),
        runtime_path: runtime.to_string_lossy().into_owned(),
        standalone: true,
        ..Default::default()
    };
    let files = generate(&model, &options).expect("generates");
    // the target folder is kept between runs, so only the generated crate is rebuilt
    let root = workspace().join("target/downstream");
    let dir = root.join("pinned-v1");
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files
        .files
        .iter()
        .chain([(&"tests/user.rs".to_string(), &USER_TEST.to_string())])
    {
        write_file(&dir.join(file), text);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--no-default-features"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the downstream test fails:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
