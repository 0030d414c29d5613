//! Helpers shared by the runtime's integration tests against the loopback emulator.

use std::time::Duration;

use odata_runtime::{Client, Cloud, RetryPolicy};

/// A client for the emulator at `origin` with a static bearer `token`, short retry delays and a
/// 10 s timeout.
pub fn client_for(origin: &str, token: &str) -> Client {
    Client::builder()
        .cloud(Cloud::custom(origin).unwrap())
        .bearer_token(token)
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(5)))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}
