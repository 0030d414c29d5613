//! Run inside the generated `request_patterns` crate: its builders against the loopback Graph
//! emulator, checked on what the emulator saw.

mod emulated;

use fixture_request_patterns::GraphServiceClient;
use fixture_request_patterns::models::{AnyDirectoryObject, DriveItem, Group, User};
use fixture_request_patterns::runtime::http::{HeaderName, HeaderValue, Method, StatusCode};
use fixture_request_patterns::runtime::{Batch, Delta, RemovedReason, navigation_delta};
use futures_util::StreamExt;
use graph_emulator::batch::{self, sent_batches};
use graph_emulator::content::Drive;
use graph_emulator::delta::{Change, DeltaCollection};
use graph_emulator::paging::{Collection, query_pairs};
use graph_emulator::{Emulator, Seen};
use serde_json::{Value, json};

const TOKEN: &str = "wire-token";
const BEARER: &str = "Bearer wire-token";

fn graph_for(emulator: &Emulator) -> GraphServiceClient {
    GraphServiceClient::new(emulated::client_for(emulator, TOKEN))
}

fn user(i: usize) -> Value {
    json!({"@odata.type": "#microsoft.graph.user", "id": format!("u{i}"), "displayName": format!("User {i}")})
}

fn member(i: usize) -> Value {
    if i.is_multiple_of(2) {
        user(i)
    } else {
        json!({"@odata.type": "#microsoft.graph.group", "id": format!("g{i}"), "mailEnabled": true})
    }
}

/// The decoded query of a request, sorted.
fn query(seen: &Seen) -> Vec<(String, String)> {
    let mut pairs = query_pairs(seen.path_and_query.split_once('?').map_or("", |(_, q)| q));
    pairs.sort();
    pairs
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = list
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn every_page_of_a_directory_search_carries_the_first_requests_headers() {
    let emulator =
        Emulator::start(Collection::new("/v1.0/users", 5, user).directory().routes()).await;
    let graph = graph_for(&emulator);
    let users: Vec<User> = graph
        .users()
        .list()
        .search("displayName:User")
        .top(2)
        .header(
            HeaderName::from_static("prefer"),
            HeaderValue::from_static("odata.maxpagesize=2"),
        )
        .items()
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<_> = users.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, ["u0", "u1", "u2", "u3", "u4"]);
    assert_eq!(users[4].display_name.as_option().unwrap(), "User 4");

    let seen = emulator.seen();
    assert_eq!(seen.len(), 3);
    for (n, page) in seen.iter().enumerate() {
        assert_eq!(page.path(), "/v1.0/users", "page {}", n + 1);
        assert_eq!(
            page.header("consistencylevel"),
            Some("eventual"),
            "page {}",
            n + 1
        );
        assert_eq!(
            page.header("prefer"),
            Some("odata.maxpagesize=2"),
            "page {}",
            n + 1
        );
        assert_eq!(page.header("authorization"), Some(BEARER), "page {}", n + 1);
    }
    // the clause in double quotes, and the next link used as the service wrote it
    assert_eq!(
        query(&seen[2]),
        pairs(&[
            ("$search", "\"displayName:User\""),
            ("$top", "2"),
            ("$skiptoken", "page-2")
        ])
    );
}

#[tokio::test]
async fn search_is_eventual_on_directory_objects_only() {
    let routes = Collection::new("/v1.0/groups/g1/members", 3, member)
        .directory()
        .routes()
        .merge(Collection::new("/v1.0/items", 2, |i| json!({"id": format!("i{i}")})).routes());
    let emulator = Emulator::start(routes).await;
    let graph = graph_for(&emulator);
    // a navigation to directory objects: polymorphic items, ConsistencyLevel added
    let page = graph
        .groups()
        .by_id("g1")
        .members()
        .list()
        .search("displayName:a")
        .count(true)
        .send()
        .await
        .unwrap();
    assert_eq!(page.count, Some(3));
    assert!(matches!(&page.value[0], AnyDirectoryObject::User(u) if u.id.as_deref() == Some("u0")));
    assert!(
        matches!(&page.value[1], AnyDirectoryObject::Group(g) if g.mail_enabled.as_option() == Some(&true))
    );
    // opting out: Graph refuses the search
    let refused = graph
        .groups()
        .by_id("g1")
        .members()
        .list()
        .search("displayName:a")
        .eventual_consistency(false)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(StatusCode::BAD_REQUEST), "{refused}");
    // drive items are no directory objects: no header
    let items = graph.items().list().search("report").send().await.unwrap();
    assert_eq!(items.value.len(), 2);

    let seen = emulator.seen();
    let wire: Vec<_> = seen
        .iter()
        .map(|s| (s.path(), s.header("consistencylevel")))
        .collect();
    assert_eq!(
        wire,
        [
            ("/v1.0/groups/g1/members", Some("eventual")),
            ("/v1.0/groups/g1/members", None),
            ("/v1.0/items", None),
        ]
    );
    assert_eq!(
        query(&seen[0]),
        pairs(&[("$search", "\"displayName:a\""), ("$count", "true")])
    );
    assert_eq!(query(&seen[2]), pairs(&[("$search", "\"report\"")]));
}

#[tokio::test]
async fn a_next_link_to_another_origin_gets_no_token() {
    let elsewhere =
        Emulator::start(Collection::new("/v1.0/users", 4, user).directory().routes()).await;
    let emulator = Emulator::start(
        Collection::new("/v1.0/users", 4, user)
            .directory()
            .next_link_origin(elsewhere.origin())
            .routes(),
    )
    .await;
    let graph = graph_for(&emulator);
    let mut pages = graph.users().list().top(2).pages();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        ids.extend(page.unwrap().value.into_iter().map(|u| u.id.unwrap()));
    }
    assert_eq!(ids, ["u0", "u1", "u2", "u3"]);
    let at_graph = emulator.seen();
    assert_eq!(at_graph.len(), 1);
    assert_eq!(at_graph[0].header("authorization"), Some(BEARER));
    let at_other = elsewhere.seen();
    assert_eq!(at_other.len(), 1);
    assert_eq!(
        query(&at_other[0]),
        pairs(&[("$top", "2"), ("$skiptoken", "page-1")])
    );
    assert_eq!(at_other[0].header("authorization"), None);
}

#[tokio::test]
async fn a_delta_sync_resumes_from_its_stored_link() {
    let users = DeltaCollection::new(
        "/v1.0/users/microsoft.graph.delta()",
        (0..3).map(user).collect(),
    );
    let emulator = Emulator::start(users.routes()).await;
    let graph = graph_for(&emulator);
    let mut changes = graph.users().delta().items();
    let mut first = Vec::new();
    while let Some(change) = changes.next().await {
        match change.unwrap() {
            Delta::Changed(user) => first.push(user.id.unwrap()),
            Delta::Removed(r) => panic!("{r:?}"),
        }
    }
    assert_eq!(first, ["u0", "u1", "u2"]);
    let stored = changes.delta_link().unwrap().to_owned();

    users.push_round(vec![
        Change::Upsert(
            json!({"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Renamed"}),
        ),
        Change::Remove {
            id: "u2".into(),
            odata_type: "#microsoft.graph.user".into(),
            reason: "deleted".into(),
        },
        Change::Remove {
            id: "u0".into(),
            odata_type: "#microsoft.graph.user".into(),
            reason: "changed".into(),
        },
    ]);
    let next: Vec<Delta<User>> = graph
        .users()
        .delta()
        .resume_from(stored)
        .items()
        .map(Result::unwrap)
        .collect()
        .await;
    assert!(
        matches!(&next[0], Delta::Changed(u) if u.display_name.as_option().map(String::as_str) == Some("Renamed"))
    );
    let removed: Vec<_> = next[1..]
        .iter()
        .map(|d| match d {
            Delta::Removed(r) => (r.value.id.clone().unwrap(), r.reason.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        removed,
        [
            ("u2".to_string(), RemovedReason::Deleted),
            ("u0".to_string(), RemovedReason::Changed)
        ]
    );

    let seen = emulator.seen();
    let wire: Vec<_> = seen.iter().map(|s| s.path_and_query.as_str()).collect();
    assert_eq!(
        wire,
        [
            "/v1.0/users/microsoft.graph.delta()",
            "/v1.0/users/microsoft.graph.delta()?$skiptoken=from-0-page-1",
            "/v1.0/users/microsoft.graph.delta()?$deltatoken=round-1",
            "/v1.0/users/microsoft.graph.delta()?$skiptoken=from-1-page-1",
        ]
    );
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == Some(BEARER))
    );
}

#[tokio::test]
async fn group_delta_keeps_members_delta_and_reads_it_typed() {
    // as Graph's group: delta documents it, with a member removed
    let sent = json!({
        "@odata.type": "#microsoft.graph.group",
        "id": "g1",
        "mailEnabled": true,
        "members@delta": [
            {"@odata.type": "#microsoft.graph.user", "id": "693acd06-2877-4339-8ade-b704261fe7a0"},
            {"@odata.type": "#microsoft.graph.group", "id": "g2"},
            {"@odata.type": "#microsoft.graph.user", "id": "u9", "@removed": {"reason": "deleted"}}
        ]
    });
    let groups = DeltaCollection::new("/v1.0/groups/microsoft.graph.delta()", vec![sent.clone()]);
    let emulator = Emulator::start(groups.routes()).await;
    let graph = graph_for(&emulator);
    let page = graph
        .groups()
        .delta()
        .select(["mailEnabled", "members"])
        .send()
        .await
        .unwrap();
    assert!(page.delta_link.is_some());
    let Delta::Changed(group) = &page.value[0] else {
        panic!("{:?}", page.value[0])
    };
    let group: &Group = group;
    assert_eq!(group.mail_enabled.as_option(), Some(&true));
    assert_eq!(group.members, None);
    // kept as sent: written back, nothing is lost
    assert_eq!(
        group.additional_properties["members@delta"],
        sent["members@delta"]
    );
    assert_eq!(serde_json::to_value(group).unwrap(), sent);
    // and read typed: members added or removed
    let members: Vec<Delta<AnyDirectoryObject>> =
        navigation_delta(&group.additional_properties, "members")
            .unwrap()
            .unwrap();
    assert!(
        matches!(&members[0], Delta::Changed(AnyDirectoryObject::User(u)) if u.id.as_deref() == Some("693acd06-2877-4339-8ade-b704261fe7a0"))
    );
    assert!(
        matches!(&members[1], Delta::Changed(AnyDirectoryObject::Group(g)) if g.id.as_deref() == Some("g2"))
    );
    assert!(
        matches!(&members[2], Delta::Removed(r) if r.reason == RemovedReason::Deleted && r.value.id().as_deref() == Some("u9"))
    );
    assert!(
        navigation_delta::<AnyDirectoryObject>(&group.additional_properties, "owners")
            .unwrap()
            .is_none()
    );
    let seen = emulator.seen();
    assert_eq!(
        query(&seen[0]),
        pairs(&[("$select", "mailEnabled,members")])
    );
}

#[tokio::test]
async fn media_content_downloads_through_the_redirect_without_the_token() {
    let drive = Drive::new();
    let photo: Vec<u8> = (0..5000u32).map(|i| (i % 253) as u8).collect();
    let report: Vec<u8> = (0..1_500_000u32).map(|i| (i % 251) as u8).collect();
    drive.put("photo", "image/jpeg", photo.clone());
    drive.put("report.pdf", "application/pdf", report.clone());
    let downloads = Emulator::start(drive.download_routes()).await;
    drive.redirect_downloads_to(downloads.origin());
    let emulator = Emulator::start(drive.routes()).await;
    let graph = graph_for(&emulator);

    assert_eq!(graph.me().photo().content().bytes().await.unwrap(), photo);
    let mut file = graph
        .drives()
        .by_id("d1")
        .items()
        .by_id("report.pdf")
        .content()
        .send()
        .await
        .unwrap();
    assert_eq!(file.content_type(), Some("application/pdf"));
    assert_eq!(file.content_length(), Some(report.len() as u64));
    let mut body = Vec::new();
    while let Some(chunk) = file.next().await {
        body.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(body, report);
    let written: Option<DriveItem> = graph
        .drives()
        .by_id("d1")
        .items()
        .by_id("notes.txt")
        .put_content(b"hello".to_vec(), "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(
        written.unwrap().name.as_option().map(String::as_str),
        Some("notes.txt")
    );
    assert_eq!(
        drive.file("notes.txt"),
        Some(("text/plain".to_string(), b"hello".to_vec()))
    );

    let at_graph = emulator.seen();
    let wire: Vec<_> = at_graph
        .iter()
        .map(|s| (s.method.as_str(), s.path(), s.header("authorization")))
        .collect();
    assert_eq!(
        wire,
        [
            ("GET", "/v1.0/me/photo/$value", Some(BEARER)),
            (
                "GET",
                "/v1.0/drives/d1/items/report.pdf/content",
                Some(BEARER)
            ),
            (
                "PUT",
                "/v1.0/drives/d1/items/notes.txt/content",
                Some(BEARER)
            ),
        ]
    );
    assert_eq!(at_graph[2].header("content-type"), Some("text/plain"));
    assert_eq!(&at_graph[2].body[..], b"hello");
    let at_download = downloads.seen();
    assert_eq!(at_download.len(), 1);
    assert_eq!(at_download[0].path(), "/download/report.pdf");
    assert_eq!(at_download[0].header("authorization"), None);
}

#[tokio::test]
async fn a_batch_of_generated_operations_keeps_its_order_and_dependencies() {
    let drive = Drive::new();
    let steps = Collection::new("/v1.0/users", 3, user)
        .directory()
        .routes()
        .merge(drive.routes());
    let (routes, control) = batch::routes("v1.0", steps);
    let emulator = Emulator::start(routes).await;
    // the first read is throttled once: it goes again, with the step that depends on it
    control.throttle(Method::GET, "/users", 1, StatusCode::TOO_MANY_REQUESTS, 0);
    let graph = graph_for(&emulator);

    let mut batch = Batch::new(graph.client().clone());
    let first = batch.add(graph.users().list().top(2));
    let first_id = first.id();
    let upload = batch.add(
        graph
            .drives()
            .by_id("d1")
            .items()
            .by_id("notes.txt")
            .put_content(b"hello".to_vec(), "text/plain"),
    );
    let then = batch.add_after(graph.users().list().select(["id"]).top(1), [first_id]);
    let mut answers = batch.send().await;
    let page = answers.result(first).unwrap();
    assert_eq!(page.value.len(), 2);
    assert!(page.next_link.is_some());
    let item: DriveItem = answers.result(upload).unwrap().unwrap();
    assert_eq!(item.name.as_option().map(String::as_str), Some("notes.txt"));
    assert_eq!(
        answers.result(then).unwrap().value[0].id.as_deref(),
        Some("u0")
    );
    assert_eq!(drive.file("notes.txt").unwrap().1, b"hello");

    let seen = emulator.seen();
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == Some(BEARER))
    );
    let sent = sent_batches(&seen);
    let steps = |n: usize| -> Vec<(String, String, Value)> {
        sent[n]
            .iter()
            .map(|s| {
                (
                    s["method"].as_str().unwrap().to_owned(),
                    s["url"].as_str().unwrap().to_owned(),
                    s.get("dependsOn").cloned().unwrap_or(Value::Null),
                )
            })
            .collect()
    };
    let depends = json!([first_id.wire_id()]);
    assert_eq!(sent.len(), 2);
    assert_eq!(
        steps(0),
        [
            ("GET".into(), "/users?$top=2".into(), Value::Null),
            (
                "PUT".into(),
                "/drives/d1/items/notes.txt/content".into(),
                Value::Null
            ),
            (
                "GET".into(),
                "/users?$select=id&$top=1".into(),
                depends.clone()
            ),
        ]
    );
    assert_eq!(
        steps(1),
        [
            ("GET".into(), "/users?$top=2".into(), Value::Null),
            ("GET".into(), "/users?$select=id&$top=1".into(), depends),
        ]
    );
    // the content goes as base64 with its type; no step carries the token
    let content_type = sent[0][1]["headers"]
        .as_object()
        .and_then(|h| {
            h.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        })
        .map(|(_, v)| v.clone());
    assert_eq!(content_type, Some(json!("text/plain")), "{}", sent[0][1]);
    assert_eq!(sent[0][1]["body"], "aGVsbG8=");
    for step in sent.iter().flatten() {
        let headers = step.get("headers").and_then(Value::as_object);
        assert!(
            headers.is_none_or(|h| h.keys().all(|k| !k.eq_ignore_ascii_case("authorization"))),
            "{step}"
        );
    }
    let ran: Vec<_> = control
        .ran()
        .into_iter()
        .map(|(m, u)| format!("{m} {u}"))
        .collect();
    assert_eq!(
        ran,
        [
            "PUT /drives/d1/items/notes.txt/content",
            "GET /users?$top=2",
            "GET /users?$select=id&$top=1",
        ]
    );
}
