//! Reading and writing generated models as JSON objects, one property at a time.
//!
//! Generated structs implement `Serialize` and `Deserialize` with these helpers instead of serde's
//! derive: a line per property keeps the generated code small, so a crate of thousands of models
//! compiles in a fraction of the time, with the same JSON:
//! - `Option<T>` properties are left out when `None`; `null` or a missing property reads as `None`;
//! - [`Nullable<T>`] properties are left out when `Absent`, written `null` when `Null`;
//! - properties the model does not declare are kept, in order, in a map and written back.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Nullable;

/// The properties of a JSON object being read into a model.
#[derive(Debug, Clone, Default)]
pub struct ObjectReader {
    properties: Map<String, Value>,
}

impl<'de> Deserialize<'de> for ObjectReader {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(ObjectReader {
            properties: Map::deserialize(deserializer)?,
        })
    }
}

impl ObjectReader {
    /// Reads an object from any deserializer.
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::deserialize(deserializer)
    }

    /// Takes an optional property: missing or `null` is `None`.
    pub fn take<T: DeserializeOwned, E: serde::de::Error>(
        &mut self,
        name: &str,
    ) -> Result<Option<T>, E> {
        match self.properties.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value)
                .map(Some)
                .map_err(|e| property_error(name, e)),
        }
    }

    /// Takes a nullable property: missing is `Absent`, `null` is `Null`.
    pub fn take_nullable<T: DeserializeOwned, E: serde::de::Error>(
        &mut self,
        name: &str,
    ) -> Result<Nullable<T>, E> {
        match self.properties.remove(name) {
            None => Ok(Nullable::Absent),
            Some(Value::Null) => Ok(Nullable::Null),
            Some(value) => T::deserialize(value)
                .map(Nullable::Value)
                .map_err(|e| property_error(name, e)),
        }
    }

    /// The properties that were not taken.
    pub fn rest(self) -> BTreeMap<String, Value> {
        self.properties.into_iter().collect()
    }

    /// The qualified name of the object's `@odata.type`, without the leading `#`
    /// (`microsoft.graph.group`), if it has one.
    pub fn type_name(&self) -> Option<String> {
        match self.properties.get("@odata.type") {
            Some(Value::String(t)) => Some(t.strip_prefix('#').unwrap_or(t).to_owned()),
            _ => None,
        }
    }
}

/// A generated model read from and written to a JSON object property by property; its serde
/// implementations call [`serialize_object`] and [`deserialize_object`], and the enum of a
/// polymorphic type calls the variant's.
pub trait Object: Sized {
    /// Builds the value from the object's properties.
    fn read_object<E: serde::de::Error>(object: ObjectReader) -> Result<Self, E>;
    /// Writes every property, `@odata.type` first (see [`ObjectWriter::odata_type`]).
    fn write_object<M: SerializeMap>(&self, object: ObjectWriter<M>) -> Result<M::Ok, M::Error>;
}

/// Serializes a model; `odata_type` (`#microsoft.graph.group`) is written as `@odata.type`
/// when the value has none of its own.
pub fn serialize_object<T: Object, S: Serializer>(
    value: &T,
    odata_type: Option<&'static str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut writer = ObjectWriter::start(serializer)?;
    writer.default_type = odata_type;
    value.write_object(writer)
}

/// Deserializes a model from a JSON object.
pub fn deserialize_object<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::read_object(ObjectReader::read(deserializer)?)
}

fn property_error<E: serde::de::Error>(name: &str, e: serde_json::Error) -> E {
    E::custom(format_args!("property `{name}`: {e}"))
}

/// Deserializes a value sent as a JSON string (an enum member name, comma-separated flags) through
/// its `From<&str>`; `expecting` names it in the error for anything but a string. Generated enums
/// call this instead of carrying a serde visitor each.
pub fn deserialize_str<'de, D, T>(deserializer: D, expecting: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StrVisitor<T> {
        expecting: &'static str,
        value: std::marker::PhantomData<T>,
    }
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(StrVisitor {
        expecting,
        value: std::marker::PhantomData,
    })
}

/// Writes a model as a JSON object, property by property.
#[derive(Debug)]
pub struct ObjectWriter<M> {
    map: M,
    /// The `@odata.type` to write when the value has none.
    default_type: Option<&'static str>,
}

impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts the object.
    pub fn start<S: Serializer<SerializeMap = M, Error = M::Error, Ok = M::Ok>>(
        serializer: S,
    ) -> Result<Self, M::Error> {
        Ok(ObjectWriter {
            map: serializer.serialize_map(None)?,
            default_type: None,
        })
    }

    /// Writes `@odata.type`: the value's own, else the one the writer was started with (the
    /// variant of a polymorphic value that is sent), else nothing.
    pub fn odata_type(&mut self, value: &Option<String>) -> Result<(), M::Error> {
        match (value, self.default_type) {
            (Some(own), _) => self.map.serialize_entry("@odata.type", own),
            (None, Some(default)) => self.map.serialize_entry("@odata.type", default),
            (None, None) => Ok(()),
        }
    }

    /// Writes an optional property, leaving it out when `None`.
    pub fn optional<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(v) => self.map.serialize_entry(name, v),
            None => Ok(()),
        }
    }

    /// Writes a nullable property, leaving it out when `Absent`.
    pub fn nullable<T: Serialize>(
        &mut self,
        name: &str,
        value: &Nullable<T>,
    ) -> Result<(), M::Error> {
        match value {
            Nullable::Absent => Ok(()),
            Nullable::Null => self.map.serialize_entry(name, &Value::Null),
            Nullable::Value(v) => self.map.serialize_entry(name, v),
        }
    }

    /// Writes the properties the model does not declare.
    pub fn rest(&mut self, properties: &BTreeMap<String, Value>) -> Result<(), M::Error> {
        properties
            .iter()
            .try_for_each(|(k, v)| self.map.serialize_entry(k, v))
    }

    /// Ends the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Default)]
    struct Model {
        id: Option<String>,
        count: Option<i64>,
        note: Nullable<String>,
        rest: BTreeMap<String, Value>,
    }

    impl Serialize for Model {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut w = ObjectWriter::start(serializer)?;
            w.optional("id", &self.id)?;
            w.optional("count", &self.count)?;
            w.nullable("note", &self.note)?;
            w.rest(&self.rest)?;
            w.end()
        }
    }

    impl<'de> Deserialize<'de> for Model {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut r = ObjectReader::read(deserializer)?;
            Ok(Model {
                id: r.take("id")?,
                count: r.take("count")?,
                note: r.take_nullable("note")?,
                rest: r.rest(),
            })
        }
    }

    #[test]
    fn round_trips_and_keeps_unknown_properties() {
        let sent = json!({"id": "a", "note": null, "extra": [1, {"x": true}]});
        let m: Model = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(m.id.as_deref(), Some("a"));
        assert_eq!(m.count, None);
        assert!(m.note.is_null());
        assert_eq!(serde_json::to_value(&m).unwrap(), sent);
        let empty: Model = serde_json::from_str("{}").unwrap();
        assert!(empty.note.is_absent());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn errors_name_the_property_and_never_panic() {
        let e = serde_json::from_str::<Model>(r#"{"count": 99999999999999999999}"#).unwrap_err();
        assert!(e.to_string().contains("property `count`"), "{e}");
        let e = serde_json::from_str::<Model>(r#"{"count": "1"}"#).unwrap_err();
        assert!(e.to_string().contains("property `count`"), "{e}");
        assert!(serde_json::from_str::<Model>("[]").is_err());
        assert!(serde_json::from_str::<Model>("null").is_err());
        let m: Model = serde_json::from_str(r#"{"id": null}"#).unwrap();
        assert_eq!(m.id, None);
    }

    #[derive(Debug, PartialEq)]
    struct Word(String);

    impl From<&str> for Word {
        fn from(s: &str) -> Self {
            Word(s.to_uppercase())
        }
    }

    impl<'de> Deserialize<'de> for Word {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize_str(deserializer, "a word")
        }
    }

    #[test]
    fn strings_deserialize_through_from_and_anything_else_names_what_was_expected() {
        let w: Word = serde_json::from_str(r#""enabled""#).unwrap();
        assert_eq!(w, Word("ENABLED".into()));
        let words: Vec<Word> = serde_json::from_str(r#"["a", "b\u00e9"]"#).unwrap();
        assert_eq!(words, [Word("A".into()), Word("BÉ".into())]);
        let e = serde_json::from_str::<Word>("1").unwrap_err();
        assert!(e.to_string().contains("expected a word"), "{e}");
        assert!(serde_json::from_str::<Word>("null").is_err());
    }
}
