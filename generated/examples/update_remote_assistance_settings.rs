//! Updates a tenant's Intune remote assistance settings and prints the updated object.
//!
//! ```sh
//! GRAPH_TOKEN=eyJ0... GRAPH_CLOUD=global \
//!     cargo run -p msgraph-beta --example update_remote_assistance_settings -- \
//!     --state enabled --allow-unenrolled-devices false --block-chat true
//! ```
//!
//! `GRAPH_TOKEN`: an access token for the cloud's Graph scope with
//! `DeviceManagementServiceConfig.ReadWrite.All`. `GRAPH_CLOUD`: `global` (default), `usgov-l4`,
//! `usgov-l5`, `china`, or a root URL (`http://127.0.0.1:PORT` for a local test server).
//! Only the properties given as flags are sent.

use std::process::ExitCode;

use msgraph_beta::GraphServiceClient;
use msgraph_beta::models::{RemoteAssistanceSettings, RemoteAssistanceState};
use msgraph_beta::runtime::{Client, Cloud};

const USAGE: &str = "usage: update_remote_assistance_settings [--state enabled|disabled] \
[--allow-unenrolled-devices true|false] [--block-chat true|false]
environment: GRAPH_TOKEN (required), GRAPH_CLOUD (global, usgov-l4, usgov-l5, china or a root URL)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args, |name| std::env::var(name).ok()).await {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the flags, sends the PATCH and returns the updated object as pretty JSON.
pub async fn run(args: &[String], env: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let body = parse_flags(args)?;
    let token = env("GRAPH_TOKEN")
        .filter(|t| !t.trim().is_empty())
        .ok_or("GRAPH_TOKEN is not set")?;
    let cloud: Cloud = env("GRAPH_CLOUD")
        .unwrap_or_else(|| "global".to_string())
        .parse()
        .map_err(|e| format!("GRAPH_CLOUD: {e}"))?;
    // no API version: the crate sends to the one it was generated for (beta)
    let client = Client::builder()
        .cloud(cloud)
        .bearer_token(token)
        .build()
        .map_err(|e| e.to_string())?;
    let graph = GraphServiceClient::new(client);
    let updated = graph
        .device_management()
        .remote_assistance_settings()
        .update(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match updated {
        Some(settings) => serde_json::to_string_pretty(&settings).map_err(|e| e.to_string()),
        None => Ok("updated (the service returned no content)".to_string()),
    }
}

fn parse_flags(args: &[String]) -> Result<RemoteAssistanceSettings, String> {
    let mut body = RemoteAssistanceSettings::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--state" => {
                let v = value()?;
                let state = RemoteAssistanceState::from(v.as_str());
                if state.is_unknown() {
                    return Err(format!(
                        "--state: expected one of {:?}, found {v:?}",
                        RemoteAssistanceState::MEMBERS
                    ));
                }
                body.remote_assistance_state = Some(state);
            }
            "--allow-unenrolled-devices" => {
                body.allow_sessions_to_unenrolled_devices = Some(boolean(flag, value()?)?)
            }
            "--block-chat" => body.block_chat = Some(boolean(flag, value()?)?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown flag {other:?}\n{USAGE}")),
        }
    }
    if body == RemoteAssistanceSettings::default() {
        return Err(format!(
            "nothing to update: give at least one flag\n{USAGE}"
        ));
    }
    Ok(body)
}

fn boolean(flag: &str, value: &str) -> Result<bool, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: expected true or false, found {value:?}"))
}
