//! What the emulator-driven tests share.

use std::time::Duration;

use graph_emulator::Emulator;
use odata_runtime::{ApiVersion, Client, Cloud, RetryPolicy};

/// A `v1.0` client for `graph` with `token`, three attempts and quick backoffs.
pub fn client_for(graph: &Emulator, token: &str) -> Client {
    Client::builder()
        .cloud(Cloud::custom(graph.origin()).unwrap())
        .api_version(ApiVersion::V1_0)
        .bearer_token(token)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_base_delay(Duration::from_millis(10)),
        )
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}
