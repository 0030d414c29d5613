//! Delta queries (Graph's `concepts/delta-query-overview.md`): a `delta` function answers the
//! changes of a collection page by page (`@odata.nextLink`); the last page carries an
//! `@odata.deltaLink`, which a later sync requests to get the changes since.
//!
//! A removed instance comes as its `id` and an `@removed` object (`{"reason": "changed"}`: it can
//! be restored from `deletedItems`; `"deleted"`: it cannot). [`Delta`] reads it as
//! [`Delta::Removed`], so a removal is never mistaken for an update.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::paging::Paged;

/// One page of a delta query's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: DeserializeOwned"))]
pub struct DeltaPage<T> {
    /// The changes of this page.
    pub value: Vec<Delta<T>>,
    /// `@odata.nextLink`: more changes of this round follow.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: on the last page; request it later for the changes since.
    #[serde(
        rename = "@odata.deltaLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_link: Option<String>,
    /// The other control information of the page (`@odata.context`...).
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, Value>,
}

/// One change: an instance created or updated, or one removed.
#[derive(Debug, Clone, PartialEq)]
pub enum Delta<T> {
    /// Created or updated: a new instance in full, an updated one with at least the properties
    /// that changed.
    Changed(T),
    /// Removed (`@removed`).
    Removed(Removed<T>),
}

/// A removed instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed<T> {
    /// Why it was removed.
    pub reason: RemovedReason,
    /// The instance as Graph sent it: its `id` (and `@odata.type`), rarely more.
    pub value: T,
    /// The other members of the `@removed` object, if any.
    pub details: Map<String, Value>,
}

/// `@removed.reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemovedReason {
    /// `changed`: deleted, and can be restored from `deletedItems`.
    Changed,
    /// `deleted`: deleted for good.
    Deleted,
    /// A reason this crate does not know, as sent (or empty when there was none).
    Other(String),
}

impl RemovedReason {
    fn from_wire(s: &str) -> Self {
        match s {
            "changed" => RemovedReason::Changed,
            "deleted" => RemovedReason::Deleted,
            other => RemovedReason::Other(other.to_owned()),
        }
    }

    /// The reason as Graph writes it.
    pub fn as_str(&self) -> &str {
        match self {
            RemovedReason::Changed => "changed",
            RemovedReason::Deleted => "deleted",
            RemovedReason::Other(s) => s,
        }
    }
}

impl<T> Delta<T> {
    /// The instance, changed or removed.
    pub fn value(&self) -> &T {
        match self {
            Delta::Changed(v) => v,
            Delta::Removed(r) => &r.value,
        }
    }

    /// Whether this is a removal.
    pub fn is_removed(&self) -> bool {
        matches!(self, Delta::Removed(_))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Delta<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = Map::<String, Value>::deserialize(deserializer)?;
        let removed = object.remove("@removed");
        let value = T::deserialize(Value::Object(object)).map_err(D::Error::custom)?;
        Ok(match removed {
            None => Delta::Changed(value),
            Some(Value::Object(mut details)) => {
                let reason = match details.remove("reason") {
                    Some(Value::String(s)) => RemovedReason::from_wire(&s),
                    Some(other) => RemovedReason::Other(other.to_string()),
                    None => RemovedReason::Other(String::new()),
                };
                Delta::Removed(Removed {
                    reason,
                    value,
                    details,
                })
            }
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "@removed is not an object: {other}"
                )));
            }
        })
    }
}

impl<T: Serialize> Serialize for Delta<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Delta::Changed(v) => v.serialize(serializer),
            Delta::Removed(r) => {
                let mut object = match serde_json::to_value(&r.value).map_err(S::Error::custom)? {
                    Value::Object(o) => o,
                    other => {
                        return Err(S::Error::custom(format!(
                            "a removed instance is not an object: {other}"
                        )));
                    }
                };
                let mut removed = r.details.clone();
                if !matches!(&r.reason, RemovedReason::Other(s) if s.is_empty()) {
                    removed.insert("reason".into(), Value::String(r.reason.as_str().into()));
                }
                object.insert("@removed".into(), Value::Object(removed));
                object.serialize(serializer)
            }
        }
    }
}

/// The changes of a navigation property that a delta item carries as `{navigation}@delta`
/// (a group's `members@delta`: members added, and removed ones with `@removed`), read from the
/// item's `additional_properties`, where they stay as sent. `None` when the item has none.
///
/// ```
/// # use std::collections::BTreeMap;
/// use odata_runtime::{Delta, navigation_delta};
/// let mut rest = BTreeMap::new();
/// rest.insert("members@delta".to_string(), serde_json::json!([
///     {"id": "u1"}, {"id": "u2", "@removed": {"reason": "deleted"}}
/// ]));
/// let members: Vec<Delta<serde_json::Value>> = navigation_delta(&rest, "members")?.unwrap();
/// assert!(members[1].is_removed());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn navigation_delta<T: DeserializeOwned>(
    additional_properties: &BTreeMap<String, Value>,
    navigation: &str,
) -> Result<Option<Vec<Delta<T>>>, serde_json::Error> {
    additional_properties
        .get(&format!("{navigation}@delta"))
        .map(Vec::<Delta<T>>::deserialize)
        .transpose()
}

impl<T: DeserializeOwned + Send + 'static> Paged for DeltaPage<T> {
    type Item = Delta<T>;
    fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }
    fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }
    fn into_items(self) -> Vec<Delta<T>> {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct User {
        id: String,
        #[serde(rename = "displayName", skip_serializing_if = "Option::is_none")]
        display_name: Option<String>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, Value>,
    }

    #[test]
    fn removed_entries_are_typed_and_round_trip() {
        let body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x",
            "value": [
                {"id": "1", "displayName": "Ada"},
                {"id": "2", "@removed": {"reason": "changed"}},
                {"id": "3", "@removed": {"reason": "deleted"}},
                {"id": "4", "@removed": {"reason": "gone", "when": "now"}}
            ]
        });
        let page: DeltaPage<User> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            page.delta_link.as_deref(),
            Some("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x")
        );
        assert!(
            matches!(&page.value[0], Delta::Changed(u) if u.display_name.as_deref() == Some("Ada"))
        );
        let Delta::Removed(r) = &page.value[1] else {
            panic!("{:?}", page.value[1])
        };
        assert_eq!(r.reason, RemovedReason::Changed);
        assert_eq!(r.value.id, "2");
        // not left in the instance's unknown properties
        assert!(r.value.additional_properties.is_empty());
        assert!(matches!(&page.value[2], Delta::Removed(r) if r.reason == RemovedReason::Deleted));
        let Delta::Removed(r) = &page.value[3] else {
            panic!()
        };
        assert_eq!(r.reason, RemovedReason::Other("gone".into()));
        assert_eq!(r.details["when"], "now");
        assert_eq!(serde_json::to_value(&page).unwrap(), body);
    }

    #[test]
    fn a_removed_member_that_is_not_an_object_is_an_error() {
        let e = serde_json::from_value::<Delta<User>>(json!({"id": "1", "@removed": true}))
            .unwrap_err();
        assert!(e.to_string().contains("@removed is not an object"), "{e}");
    }
}
