//! Peak memory while paging through a large collection: run with 1,000 and with 100,000 items
//! (`bench/paging-memory.sh` does both). The collection is served page by page (999 items a page,
//! Graph's largest for directory objects) by the loopback emulator, and read with `items()`, one
//! item at a time; memory should not grow with the number of items.
//!
//!     cargo run --release -p odata-runtime --example paging_memory -- serve 100000   # prints its origin
//!     cargo run --release -p odata-runtime --example paging_memory -- 100000 http://127.0.0.1:PORT
//!
//! Without an origin the emulator runs in the same process (and its request log is measured too).

use futures_util::StreamExt;
use graph_emulator::Emulator;
use graph_emulator::paging::Collection;
use odata_runtime::{Client, Cloud, Json, Operation, Page, Request};
use serde_json::{Value, json};

fn user(i: usize) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.user",
        "id": format!("{i:08}-0000-0000-0000-000000000000"),
        "displayName": format!("User {i}"),
        "userPrincipalName": format!("user{i}@contoso.example"),
        "jobTitle": "Engineer",
        "accountEnabled": true,
    })
}

/// Peak resident set size of this process so far, in KiB (`VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), odata_runtime::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let serve = args.first().is_some_and(|a| a == "serve");
    let args = if serve { &args[1..] } else { &args[..] };
    let total: usize = match args.first() {
        Some(n) => n
            .parse()
            .map_err(|_| odata_runtime::Error::Config(format!("not a number of items: {n}")))?,
        None => 100_000,
    };
    let (origin, _emulator) = match args.get(1) {
        Some(origin) => (origin.clone(), None),
        None => {
            let graph = Emulator::start(Collection::new("/v1.0/users", total, user).routes()).await;
            (graph.origin().to_owned(), Some(graph))
        }
    };
    if serve {
        println!("{origin}");
        std::future::pending::<()>().await;
    }
    let client = Client::builder()
        .cloud(Cloud::custom(origin)?)
        .bearer_token("memory")
        .build()?;
    let users =
        Operation::<Json<Page<Value>>>::new(client, Request::new(http::Method::GET, "/users"))
            .top(999);
    let mut items = users.items();
    let mut count = 0usize;
    let mut after_first_page = None;
    while let Some(item) = items.next().await {
        let item = item?;
        if item.get("id").is_some() {
            count += 1;
        }
        if count == 999 {
            after_first_page = peak_rss_kib();
        }
    }
    let peak = peak_rss_kib();
    let show = |k: Option<u64>| {
        k.map_or("unknown".to_string(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "items: {count}  pages: {}  peak RSS after page 1: {}  peak RSS at the end: {}",
        items.pages_fetched(),
        show(after_first_page),
        show(peak)
    );
    Ok(())
}
