//! Delta queries against the loopback Graph emulator: an initial sync page by page, then a later
//! sync from the stored deltaLink with `@removed` entries read as typed removals.
#![cfg(feature = "reqwest")]

mod common;

use std::collections::BTreeMap;

use common::client_for;
use futures_util::StreamExt;
use graph_emulator::Emulator;
use graph_emulator::delta::{Change, DeltaCollection};
use http::Method;
use odata_runtime::{Client, Delta, DeltaPage, Json, Operation, RemovedReason, Request};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

fn user(id: &str, name: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.user", "id": id, "displayName": name})
}

fn delta(client: &Client) -> Operation<Json<DeltaPage<User>>> {
    Operation::new(client.clone(), Request::new(Method::GET, "/users/delta"))
}

#[tokio::test]
async fn an_initial_sync_then_a_later_sync_from_the_stored_delta_link() {
    let users = DeltaCollection::new(
        "/v1.0/users/delta",
        vec![
            user("1", "Ada"),
            user("2", "Grace"),
            user("3", "Edsger"),
            user("4", "Barbara"),
            user("5", "Donald"),
        ],
    );
    let graph = Emulator::start(users.routes()).await;
    let client = client_for(graph.origin(), "delta-token");

    // initial sync: three pages, the last with the deltaLink
    let mut changes = delta(&client).items();
    let mut initial = Vec::new();
    while let Some(change) = changes.next().await {
        initial.push(change.unwrap());
    }
    assert_eq!(initial.len(), 5);
    assert!(initial.iter().all(|c| !c.is_removed()));
    assert_eq!(changes.pages_fetched(), 3);
    let stored = changes
        .delta_link()
        .expect("the last page's deltaLink")
        .to_owned();
    assert!(stored.ends_with("$deltatoken=round-1"), "{stored}");
    assert_eq!(changes.next_link(), None);

    // meanwhile, in the directory
    users.push_round(vec![
        Change::Upsert(user("2", "Grace Hopper")),
        Change::Remove {
            id: "3".into(),
            odata_type: "#microsoft.graph.user".into(),
            reason: "changed".into(),
        },
        Change::Remove {
            id: "4".into(),
            odata_type: "#microsoft.graph.user".into(),
            reason: "deleted".into(),
        },
    ]);

    // later sync: from the stored link, page by page
    let mut pages = delta(&client).resume_from(stored.clone()).pages();
    let mut later = Vec::new();
    while let Some(page) = pages.next().await {
        later.extend(page.unwrap().value);
    }
    assert_eq!(pages.pages_fetched(), 2);
    let next = pages.delta_link().unwrap();
    assert!(next.ends_with("$deltatoken=round-2"), "{next}");

    assert!(
        matches!(&later[0], Delta::Changed(u) if u.id == "2" && u.display_name.as_deref() == Some("Grace Hopper"))
    );
    let Delta::Removed(restorable) = &later[1] else {
        panic!("{:?}", later[1])
    };
    assert_eq!(restorable.reason, RemovedReason::Changed);
    assert_eq!(restorable.value.id, "3");
    assert!(
        !restorable
            .value
            .additional_properties
            .contains_key("@removed")
    );
    let Delta::Removed(gone) = &later[2] else {
        panic!("{:?}", later[2])
    };
    assert_eq!(
        (gone.reason.clone(), gone.value.id.as_str()),
        (RemovedReason::Deleted, "4")
    );

    // on the wire: the stored link as it was, with the token (same origin)
    let seen = graph.seen();
    let resumed = &seen[3];
    assert_eq!(
        format!("{}{}", graph.origin(), resumed.path_and_query),
        stored
    );
    assert_eq!(resumed.header("authorization"), Some("Bearer delta-token"));
    assert!(seen[4].path_and_query.contains("$skiptoken="));

    // nothing changed since: an empty round, and the same deltaLink again
    let mut pages = delta(&client).resume_from(next.to_owned()).pages();
    let page = pages.next().await.unwrap().unwrap();
    assert!(page.value.is_empty());
    assert_eq!(page.delta_link.as_deref(), Some(next));
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_stale_delta_link_is_graphs_error() {
    let users = DeltaCollection::new("/v1.0/users/delta", vec![user("1", "Ada")]);
    let graph = Emulator::start(users.routes()).await;
    let client = client_for(graph.origin(), "delta-token");
    let link = format!("{}/v1.0/users/delta?$deltatoken=bogus", graph.origin());
    let got: Vec<_> = delta(&client).resume_from(link).items().collect().await;
    assert_eq!(got.len(), 1);
    let error = got.into_iter().next().unwrap().unwrap_err();
    assert_eq!(
        error.graph_error().and_then(|g| g.code()),
        Some("syncStateNotFound")
    );
}
