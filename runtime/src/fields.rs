//! Reading and writing generated models as JSON objects, one property at a time.
//!
//! Generated structs implement `Serialize` and `Deserialize` with these helpers instead of serde's
//! derive: a line per property keeps the generated code small, so a crate of thousands of models
//! compiles in a fraction of the time, with the same JSON:
//! - `Option<T>` properties are left out when `None`; `null` or a missing property reads as `None`;
//! - [`Nullable<T>`] properties are left out when `Absent`, written `null` when `Null`;
//! - properties the model does not declare are kept, in order, in a map and written back;
//! - a property whose value does not fit its declared type (a date that does not parse, a
//!   boolean sent as a string) is kept in that same map under its name, so nothing is lost.

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
    ///
    /// A value that does not deserialize into `T` (a date that does not parse, a boolean sent as
    /// a string) is not an error: it stays in the object under its name, so that [`rest`] returns
    /// it with the properties the model does not declare and writing the model sends it back
    /// unchanged; the property reads as `None`. A `debug` event records it (the property, the
    /// declared type and the JSON kind found, never the value).
    ///
    /// [`rest`]: ObjectReader::rest
    pub fn take<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        match self.properties.remove(name) {
            None | Some(Value::Null) => None,
            Some(value) => self.typed(name, value),
        }
    }

    /// Takes a nullable property: missing is `Absent`, `null` is `Null`. A value that does not
    /// deserialize into `T` is kept as [`take`](ObjectReader::take) keeps it, and the property is
    /// `Absent`.
    pub fn take_nullable<T: DeserializeOwned>(&mut self, name: &str) -> Nullable<T> {
        match self.properties.remove(name) {
            None => Nullable::Absent,
            Some(Value::Null) => Nullable::Null,
            Some(value) => self
                .typed(name, value)
                .map_or(Nullable::Absent, Nullable::Value),
        }
    }

    /// `value` as a `T`, or `None` with `value` put back under `name`. Deserializing from a
    /// reference keeps `value` for that case, at the cost of copying the strings taken.
    fn typed<T: DeserializeOwned>(&mut self, name: &str, value: Value) -> Option<T> {
        match T::deserialize(&value) {
            Ok(typed) => Some(typed),
            Err(_) => {
                tracing::debug!(
                    property = name,
                    expected = std::any::type_name::<T>(),
                    found = json_kind(&value),
                    "a property does not match its declared type: kept in additional_properties"
                );
                self.properties.insert(name.to_owned(), value);
                None
            }
        }
    }

    /// Fails when one of `names` is still in the object once taken: its value did not fit the
    /// declared type (see [`take`](ObjectReader::take)). The error names the property and the
    /// JSON kind found, never the value.
    fn reject_misfits<E: serde::de::Error>(&self, names: &[&str]) -> Result<(), E> {
        match names
            .iter()
            .find_map(|n| self.properties.get(*n).map(|v| (n, v)))
        {
            None => Ok(()),
            Some((name, value)) => Err(E::custom(format_args!(
                "the value of `{name}` does not fit its declared type (found {})",
                json_kind(value)
            ))),
        }
    }

    /// Takes the properties that were not taken, and those whose value did not match their
    /// type.
    pub fn rest(&mut self) -> BTreeMap<String, Value> {
        std::mem::take(&mut self.properties).into_iter().collect()
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
///
/// Neither method returns a `Result` nor uses `?` per property: reading is lenient (see
/// [`ObjectReader::take`]) and the writer keeps the first error for [`serialize_object`] to
/// return, so a model's impl is one plain line per property, which keeps large crates quick to
/// compile.
pub trait Object: Sized {
    /// Builds the value from the object's properties, taking those it reads; what it leaves is
    /// for the caller to check.
    fn read_object(object: &mut ObjectReader) -> Self;
    /// Writes every property, `@odata.type` first (see [`ObjectWriter::odata_type`]).
    fn write_object<M: SerializeMap>(&self, object: &mut ObjectWriter<M>);
}

/// The type of a generated model's field: how it is read from its JSON property and written
/// back. [`object!`](crate::object) reads and writes every declared field through it:
/// - `Option<T>`: missing or `null` is `None`, and `None` is left out;
/// - [`Nullable<T>`]: missing is `Absent` (left out), `null` is `Null` (written `null`).
pub trait Property: Sized {
    /// Takes the property `name` from `object` (see [`ObjectReader::take`]).
    fn read_property(object: &mut ObjectReader, name: &str) -> Self;
    /// Writes the property `name`, or leaves it out.
    fn write_property<M: SerializeMap>(&self, object: &mut ObjectWriter<M>, name: &str);
}

impl<T: DeserializeOwned + Serialize> Property for Option<T> {
    fn read_property(object: &mut ObjectReader, name: &str) -> Self {
        object.take(name)
    }
    fn write_property<M: SerializeMap>(&self, object: &mut ObjectWriter<M>, name: &str) {
        object.optional(name, self);
    }
}

impl<T: DeserializeOwned + Serialize> Property for Nullable<T> {
    fn read_property(object: &mut ObjectReader, name: &str) -> Self {
        object.take_nullable(name)
    }
    fn write_property<M: SerializeMap>(&self, object: &mut ObjectWriter<M>, name: &str) {
        object.nullable(name, self);
    }
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
    value.write_object(&mut writer);
    writer.end()
}

/// Deserializes a model from a JSON object.
pub fn deserialize_object<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    Ok(T::read_object(&mut ObjectReader::read(deserializer)?))
}

/// Deserializes the parameters of an action from a JSON object. Where a model is lenient, a
/// parameter whose value does not fit its type is an error naming it (a struct of parameters has
/// no map to keep the value in); properties that are not in `names` are ignored.
pub fn deserialize_parameters<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
    names: &[&str],
) -> Result<T, D::Error> {
    let mut object = ObjectReader::read(deserializer)?;
    let value = T::read_object(&mut object);
    object.reject_misfits(names)?;
    Ok(value)
}

/// Formats a model for `Debug`: its type's name and the JSON it serializes to, which shows the
/// properties that are set (a Graph type has up to hundreds, most of them unset) under their
/// wire names; `{:#?}` indents the JSON.
pub fn debug_object<T: Object>(value: &T, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    struct AsJson<'a, T>(&'a T);
    impl<T: Object> Serialize for AsJson<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_object(self.0, None, serializer)
        }
    }
    let name = std::any::type_name::<T>();
    let name = name.rsplit("::").next().unwrap_or(name);
    let json = if f.alternate() {
        serde_json::to_string_pretty(&AsJson(value))
    } else {
        serde_json::to_string(&AsJson(value))
    };
    write!(f, "{name} {}", json.map_err(|_| std::fmt::Error)?)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
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

/// Writes a model as a JSON object, property by property. The first error is kept, later
/// properties are skipped, and [`end`](ObjectWriter::end) returns it.
#[derive(Debug)]
pub struct ObjectWriter<M: SerializeMap> {
    map: M,
    /// The `@odata.type` to write when the value has none.
    default_type: Option<&'static str>,
    error: Option<M::Error>,
}

impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts the object.
    pub fn start<S: Serializer<SerializeMap = M, Error = M::Error, Ok = M::Ok>>(
        serializer: S,
    ) -> Result<Self, M::Error> {
        Ok(ObjectWriter {
            map: serializer.serialize_map(None)?,
            default_type: None,
            error: None,
        })
    }

    fn entry<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if self.error.is_none()
            && let Err(e) = self.map.serialize_entry(name, value)
        {
            self.error = Some(e);
        }
    }

    /// Writes `@odata.type`: the value's own, else the one the writer was started with (the
    /// variant of a polymorphic value that is sent), else nothing.
    pub fn odata_type(&mut self, value: &Option<String>) {
        match (value, self.default_type) {
            (Some(own), _) => self.entry("@odata.type", own),
            (None, Some(default)) => self.entry("@odata.type", default),
            (None, None) => {}
        }
    }

    /// Writes an optional property, leaving it out when `None`.
    pub fn optional<T: Serialize>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.entry(name, v);
        }
    }

    /// Writes a nullable property, leaving it out when `Absent`.
    pub fn nullable<T: Serialize>(&mut self, name: &str, value: &Nullable<T>) {
        match value {
            Nullable::Absent => {}
            Nullable::Null => self.entry(name, &Value::Null),
            Nullable::Value(v) => self.entry(name, v),
        }
    }

    /// Writes the properties the model does not declare.
    pub fn rest(&mut self, properties: &BTreeMap<String, Value>) {
        for (k, v) in properties {
            self.entry(k, v);
        }
    }

    /// Ends the object, or returns the first error of a property.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
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
        enabled: Option<bool>,
        created: Nullable<crate::edm::DateTimeOffset>,
        child: Option<Box<Model>>,
        rest: BTreeMap<String, Value>,
    }

    impl Serialize for Model {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut w = ObjectWriter::start(serializer)?;
            w.optional("id", &self.id);
            w.optional("count", &self.count);
            w.nullable("note", &self.note);
            w.optional("enabled", &self.enabled);
            w.nullable("created", &self.created);
            w.optional("child", &self.child);
            w.rest(&self.rest);
            w.end()
        }
    }

    impl<'de> Deserialize<'de> for Model {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut r = ObjectReader::read(deserializer)?;
            Ok(Model {
                id: r.take("id"),
                count: r.take("count"),
                note: r.take_nullable("note"),
                enabled: r.take("enabled"),
                created: r.take_nullable("created"),
                child: r.take("child"),
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

    /// Reads `sent`, checks the round trip gives it back, and returns the model.
    fn lenient(sent: &Value) -> Model {
        let m: Model = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&m).unwrap(), sent);
        let m2: Model = serde_json::from_str(&sent.to_string()).unwrap();
        assert_eq!(m2, m);
        m
    }

    #[test]
    fn a_value_of_the_wrong_type_is_kept_in_rest_under_its_name() {
        // a timestamp that does not parse
        let m = lenient(&json!({"id": "a", "created": "2026-02-30T00:00:00Z"}));
        assert!(m.created.is_absent());
        assert_eq!(m.rest["created"], json!("2026-02-30T00:00:00Z"));
        assert_eq!(m.id.as_deref(), Some("a"));
        let m = lenient(&json!({"created": "2026-11-29T06:04:00.1234567Z"}));
        assert_eq!(
            m.created.as_option().map(|c| c.as_str()),
            Some("2026-11-29T06:04:00.1234567Z")
        );
        assert!(m.rest.is_empty());
        // a boolean sent as a string
        let m = lenient(&json!({"enabled": "true", "count": 3}));
        assert_eq!(m.enabled, None);
        assert_eq!(m.rest["enabled"], json!("true"));
        assert_eq!(m.count, Some(3));
        // numbers that do not fit, strings for numbers, objects for strings
        let m = lenient(&json!({
            "count": u64::MAX,
            "note": {"text": "hi"},
            "id": ["a"],
        }));
        assert_eq!((m.count, &m.id), (None, &None));
        assert!(m.note.is_absent());
        assert_eq!(m.rest.len(), 3);
        let m = lenient(&json!({"count": "1"}));
        assert_eq!(m.rest["count"], json!("1"));
        // a nested object with a bad property: only that property moves, inside the child
        let m = lenient(&json!({
            "id": "parent",
            "child": {"id": "child", "enabled": 1, "created": "soon"},
        }));
        let child = m.child.as_deref().expect("the child is read");
        assert_eq!(child.id.as_deref(), Some("child"));
        assert_eq!(child.enabled, None);
        assert_eq!(child.rest["enabled"], json!(1));
        assert_eq!(child.rest["created"], json!("soon"));
        assert!(m.rest.is_empty());
        // a child that is not an object at all stays in the parent
        let m = lenient(&json!({"child": "none"}));
        assert_eq!(
            (m.child.is_none(), &m.rest["child"]),
            (true, &json!("none"))
        );
    }

    #[test]
    fn only_what_is_not_an_object_fails_and_nothing_panics() {
        assert!(serde_json::from_str::<Model>("[]").is_err());
        assert!(serde_json::from_str::<Model>("null").is_err());
        assert!(serde_json::from_str::<Model>("\"x\"").is_err());
        let m: Model = serde_json::from_str(r#"{"id": null}"#).unwrap();
        assert_eq!(m.id, None);
        assert!(m.rest.is_empty());
    }

    #[test]
    fn a_kept_value_is_recorded_at_debug_without_the_value() {
        use std::sync::{Arc, Mutex};
        use tracing::field::{Field, Visit};

        #[derive(Clone, Default)]
        struct Capture(Arc<Mutex<String>>);
        impl Visit for Capture {
            fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                let line = format!("{}={value:?} ", field.name());
                self.0.lock().unwrap().push_str(&line);
            }
        }
        impl tracing::Subscriber for Capture {
            fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
                true
            }
            fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
                tracing::span::Id::from_u64(1)
            }
            fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
            fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
            fn event(&self, event: &tracing::Event<'_>) {
                assert_eq!(*event.metadata().level(), tracing::Level::DEBUG);
                event.record(&mut self.clone());
            }
            fn enter(&self, _: &tracing::span::Id) {}
            fn exit(&self, _: &tracing::span::Id) {}
        }

        let capture = Capture::default();
        tracing::subscriber::with_default(capture.clone(), || {
            // another test's thread may have registered the event's callsite while no subscriber
            // was interested, and its cached interest would hide the event from this one
            tracing::callsite::rebuild_interest_cache();
            let m: Model = serde_json::from_value(json!({"enabled": "secret-ish"})).unwrap();
            assert_eq!(m.rest["enabled"], json!("secret-ish"));
        });
        let log = capture.0.lock().unwrap().clone();
        assert!(log.contains("property=\"enabled\""), "{log}");
        assert!(log.contains("expected=\"bool\""), "{log}");
        assert!(log.contains("found=\"string\""), "{log}");
        assert!(!log.contains("secret-ish"), "{log}");
    }

    /// A value that never serializes.
    struct Failing;
    impl Serialize for Failing {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot write this"))
        }
    }

    #[derive(PartialEq, Default)]
    struct Pair {
        first: Option<String>,
        second: Nullable<i64>,
    }
    impl Object for Pair {
        fn read_object(object: &mut ObjectReader) -> Self {
            Pair {
                first: object.take("first"),
                second: object.take_nullable("second"),
            }
        }
        fn write_object<M: SerializeMap>(&self, object: &mut ObjectWriter<M>) {
            object.optional("first", &self.first);
            object.nullable("second", &self.second);
        }
    }
    crate::object_impls!(Pair);

    #[test]
    fn the_first_property_that_fails_to_write_is_the_error_and_later_ones_are_skipped() {
        struct Writes(Option<Failing>, Option<&'static str>);
        impl Serialize for Writes {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut w = ObjectWriter::start(serializer)?;
                w.optional("a", &Some("before"));
                w.optional("bad", &self.0);
                w.optional("c", &self.1);
                w.end()
            }
        }
        let e = serde_json::to_string(&Writes(Some(Failing), Some("after"))).unwrap_err();
        assert!(e.to_string().contains("cannot write this"), "{e}");
        let ok = serde_json::to_string(&Writes(None, Some("after"))).unwrap();
        assert_eq!(ok, r#"{"a":"before","c":"after"}"#);
    }

    #[test]
    fn debug_shows_the_type_and_the_properties_that_are_set() {
        let p = Pair {
            first: Some("x".into()),
            second: Nullable::Null,
        };
        assert_eq!(format!("{p:?}"), r#"Pair {"first":"x","second":null}"#);
        assert_eq!(format!("{:?}", Pair::default()), "Pair {}");
        assert_eq!(
            format!("{p:#?}"),
            "Pair {\n  \"first\": \"x\",\n  \"second\": null\n}"
        );
        let back: Pair = serde_json::from_str(r#"{"first":"x","second":null}"#).unwrap();
        assert!(back == p);
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
