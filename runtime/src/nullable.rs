//! Tri-state values for `Nullable="true"` properties: absent, explicit null, or a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that may be left out, sent as `null`, or set.
///
/// Generated models write such fields with [`crate::ObjectWriter::nullable`] and read them
/// with [`crate::ObjectReader::take_nullable`], so `Absent` is omitted from the JSON, `Null` is
/// written as `null` (clearing the property in a PATCH) and `Value(v)` as `v`. Reading, a
/// missing property is `Absent`, `null` is `Null` and anything else is `Value`. (With serde's
/// derive, use `#[serde(default, skip_serializing_if = "odata_runtime::Nullable::is_absent")]`.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not present: the property is left out.
    #[default]
    Absent,
    /// Explicitly `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True for [`Nullable::Absent`].
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// True for [`Nullable::Value`].
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Maps the value, keeping `Absent` and `Null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached when a struct forgets `skip_serializing_if`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Model {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        count: Nullable<i32>,
    }

    #[test]
    fn serializes_three_states() {
        let m = Model {
            name: Nullable::Null,
            count: Nullable::Absent,
        };
        assert_eq!(serde_json::to_value(&m).unwrap(), json!({"name": null}));
        let m = Model {
            name: "x".to_string().into(),
            count: 3.into(),
        };
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            json!({"name": "x", "count": 3})
        );
    }

    #[test]
    fn deserializes_three_states() {
        let m: Model = serde_json::from_value(json!({"name": null})).unwrap();
        assert_eq!(m.name, Nullable::Null);
        assert_eq!(m.count, Nullable::Absent);
        let m: Model = serde_json::from_value(json!({"count": 5})).unwrap();
        assert_eq!(m.count, Nullable::Value(5));
        assert!(serde_json::from_value::<Model>(json!({"count": "x"})).is_err());
    }

    #[test]
    fn accessors_and_conversions() {
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::<i32>::from(Some(1)), Nullable::Value(1));
        assert_eq!(Nullable::Value(2).as_option(), Some(&2));
        assert_eq!(Nullable::<i32>::Null.into_option(), None);
        assert!(Nullable::<i32>::default().is_absent());
        assert!(Nullable::<i32>::Null.is_null());
        assert_eq!(Nullable::Value(2).map(|v| v * 2), Nullable::Value(4));
        // Without skip_serializing_if, Absent degrades to null rather than failing.
        assert_eq!(
            serde_json::to_value(Nullable::<i32>::Absent).unwrap(),
            json!(null)
        );
    }
}
