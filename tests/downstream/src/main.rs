//! Uses msgraph-beta the way README.md shows. CI builds it with freshly resolved dependencies and
//! `RUSTFLAGS=-D warnings`, then runs it without `GRAPH_TOKEN`: it builds a client (and so the
//! TLS set-up) and prints the requests it would send, offline.

use msgraph_beta::GraphServiceClient;
use msgraph_beta::models::{RemoteAssistanceSettings, RemoteAssistanceState};
use msgraph_beta::runtime::{Client, Cloud, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let token = std::env::var("GRAPH_TOKEN").ok();
    let client = Client::builder()
        .cloud(Cloud::Global)
        .bearer_token(token.clone().unwrap_or_default())
        .build()?;
    let graph = GraphServiceClient::new(client);
    let body = RemoteAssistanceSettings {
        remote_assistance_state: Some(RemoteAssistanceState::Enabled),
        allow_sessions_to_unenrolled_devices: Some(true),
        block_chat: Some(true),
        ..Default::default()
    };
    let settings = graph.device_management().remote_assistance_settings();
    let update = settings.update(&body);
    let get = settings
        .get()
        .select(["remoteAssistanceState", "blockChat"]);

    if token.is_none() {
        for request in [update.into_request()?, get.into_request()?] {
            let body = request.body.as_deref().map(String::from_utf8_lossy);
            println!(
                "{} {} {}",
                request.method,
                request.path_and_query(),
                body.unwrap_or_default()
            );
        }
        return Ok(());
    }
    let updated = update.send().await?; // Some(settings) on 200, None on 204
    let current = get.send().await?;
    println!("updated: {updated:?}\ncurrent: {current:?}");
    Ok(())
}
