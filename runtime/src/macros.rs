//! The macros generated crates call, so that what every model, enum and request builder repeats is
//! written once here: the generated code keeps the types, their fields, docs and method
//! signatures, and states the rest (which JSON name a field travels under, which `@odata.type` a
//! variant stands for) as a table.

/// Implements `Serialize`, `Deserialize` and `Debug` for generated models through their
/// [`Object`](crate::Object) impl, in one line per model.
#[macro_export]
macro_rules! object_impls {
    ($($model:ty),* $(,)?) => {$(
        $crate::__write_impls!($model);
        impl<'de> $crate::serde::Deserialize<'de> for $model {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_object(deserializer)
            }
        }
    )*};
}

/// `Serialize` and `Debug` through the type's [`Object`](crate::Object) impl.
#[doc(hidden)]
#[macro_export]
macro_rules! __write_impls {
    ($model:ty) => {
        impl $crate::serde::Serialize for $model {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serialize_object(self, ::core::option::Option::None, serializer)
            }
        }
        impl ::core::fmt::Debug for $model {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::debug_object(self, f)
            }
        }
    };
}

/// The JSON of a generated model: `object!(Group { display_name("displayName"), ... })`
/// implements [`Object`](crate::Object) (each listed field read and written through
/// [`Property`](crate::Property) under its JSON name, `odata_type` as `@odata.type` first,
/// `additional_properties` last), then `Serialize`, `Deserialize` and `Debug` through it. A
/// field's attributes (a `cfg` gate) apply to its reading and writing.
#[macro_export]
macro_rules! object {
    ($model:ident { $( $(#[$attr:meta])* $field:ident($name:literal) ),* $(,)? }) => {
        impl $crate::Object for $model {
            fn read_object(object: &mut $crate::ObjectReader) -> Self {
                Self {
                    odata_type: object.take("@odata.type"),
                    $( $(#[$attr])* $field: $crate::Property::read_property(object, $name), )*
                    additional_properties: object.rest(),
                }
            }
            fn write_object<M: $crate::serde::ser::SerializeMap>(&self, object: &mut $crate::ObjectWriter<M>) {
                object.odata_type(&self.odata_type);
                $( $(#[$attr])* $crate::Property::write_property(&self.$field, object, $name); )*
                object.rest(&self.additional_properties);
            }
        }
        $crate::object_impls!($model);
    };
}

/// The JSON object an action's parameters travel in: like [`object!`] for a struct of
/// parameters, without `@odata.type` and without other properties. Reading is strict where a
/// model's is lenient: a struct of parameters has no map to keep a value in, so a parameter whose
/// value does not fit its type is an error ([`deserialize_parameters`](crate::deserialize_parameters));
/// properties that are not parameters are ignored.
#[macro_export]
macro_rules! parameters {
    ($parameters:ident { $( $field:ident($name:literal) ),* $(,)? }) => {
        impl $crate::Object for $parameters {
            fn read_object(object: &mut $crate::ObjectReader) -> Self {
                let _ = &object;
                Self { $( $field: $crate::Property::read_property(object, $name), )* }
            }
            fn write_object<M: $crate::serde::ser::SerializeMap>(&self, object: &mut $crate::ObjectWriter<M>) {
                let _ = &object;
                $( $crate::Property::write_property(&self.$field, object, $name); )*
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $parameters {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_parameters(deserializer, &[$($name),*])
            }
        }
        $crate::__write_impls!($parameters);
    };
}

/// The enum of a polymorphic type, whose variants box the base type and its derived types:
///
/// ```text
/// polymorphic!(AnyPolicy {
///     Policy(crate::models::Policy),
///     IosPolicy(crate::models::IosPolicy, "microsoft.graph.iosPolicy" | "graph.iosPolicy"),
/// }
///     id(id, "id") -> Option<String>;
/// );
/// ```
///
/// gives `odata_type()`, `additional_properties()`, a reader per listed property of the base
/// type, `From` each variant's type, [`Polymorphic`](crate::Polymorphic), and through it `Clone`,
/// `PartialEq`, `Debug` (as derived), `Serialize` and `Deserialize`: a value is read into the
/// variant its `@odata.type` names (any of the listed names, without `#`), else into the base
/// variant, and written with the variant's `@odata.type` when it has none of its own. Attributes
/// of a variant (a `cfg` gate) apply to everything that names it. The enum derives none of
/// these traits itself (a crate generated before the macro gave them must be regenerated).
#[macro_export]
macro_rules! polymorphic {
    ($any:ident $variants:tt $( $(#[$attr:meta])* $method:ident($field:ident, $name:literal) -> $ty:ty; )*) => {
        $crate::__polymorphic_impls!($any $variants);
        impl $any {
            $( $crate::__polymorphic_accessor!($variants $(#[$attr])* $method($field, $name) -> $ty); )*
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __polymorphic_impls {
    ($any:ident {
        $base:ident($base_ty:ty)
        $(, $(#[$gate:meta])* $variant:ident($ty:ty, $name:literal $(| $alias:literal)*) )* $(,)?
    }) => {
        impl $any {
            /// The value's `@odata.type`: its own, else its variant's type (`None` for the base
            /// variant without one).
            pub fn odata_type(&self) -> ::core::option::Option<&str> {
                match self {
                    Self::$base(v) => v.odata_type.as_deref(),
                    $( $(#[$gate])* Self::$variant(v) => ::core::option::Option::Some(
                        v.odata_type.as_deref().unwrap_or(::core::concat!("#", $name)),
                    ), )*
                }
            }

            /// Properties the metadata does not declare for the value's type, kept as sent.
            pub fn additional_properties(
                &self,
            ) -> &::std::collections::BTreeMap<::std::string::String, $crate::serde_json::Value> {
                match self {
                    Self::$base(v) => &v.additional_properties,
                    $( $(#[$gate])* Self::$variant(v) => &v.additional_properties, )*
                }
            }
        }

        impl ::core::convert::From<$base_ty> for $any {
            fn from(value: $base_ty) -> Self {
                Self::$base(::std::boxed::Box::new(value))
            }
        }
        $(
            $(#[$gate])*
            impl ::core::convert::From<$ty> for $any {
                fn from(value: $ty) -> Self {
                    Self::$variant(::std::boxed::Box::new(value))
                }
            }
        )*

        impl $crate::Polymorphic for $any {
            const VARIANTS: &'static [(&'static [&'static str], $crate::ReadVariant<Self>)] = &[
                $( $(#[$gate])* (&[$name $(, $alias)*], $crate::read_variant::<$ty, Self>), )*
            ];
            const BASE: $crate::ReadVariant<Self> = $crate::read_variant::<$base_ty, Self>;
            fn visit<'a, V: $crate::VariantVisitor<'a, Self>>(&'a self, visitor: V) -> V::Output {
                match self {
                    Self::$base(v) => visitor.visit(&**v, ::core::stringify!($base), ::core::option::Option::None),
                    $( $(#[$gate])* Self::$variant(v) => visitor.visit(
                        &**v,
                        ::core::stringify!($variant),
                        ::core::option::Option::Some(::core::concat!("#", $name)),
                    ), )*
                }
            }
        }
        impl ::core::clone::Clone for $any {
            fn clone(&self) -> Self {
                $crate::clone_polymorphic(self)
            }
        }
        impl ::core::cmp::PartialEq for $any {
            fn eq(&self, other: &Self) -> bool {
                $crate::eq_polymorphic(self, other)
            }
        }
        impl ::core::fmt::Debug for $any {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::debug_polymorphic(self, f)
            }
        }
        impl $crate::serde::Serialize for $any {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serialize_polymorphic(self, serializer)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $any {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_polymorphic(deserializer)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __polymorphic_accessor {
    ({
        $base:ident($base_ty:ty)
        $(, $(#[$gate:meta])* $variant:ident($ty:ty, $vname:literal $(| $alias:literal)*) )* $(,)?
    } $(#[$attr:meta])* $method:ident($field:ident, $name:literal) -> $fty:ty) => {
        #[doc = ::core::concat!("The `", $name, "` property, whatever the variant.")]
        $(#[$attr])*
        pub fn $method(&self) -> &$fty {
            match self {
                Self::$base(v) => &v.$field,
                $( $(#[$gate])* Self::$variant(v) => &v.$field, )*
            }
        }
    };
}

/// The methods and impls of a generated open enum, from a table of its members:
/// `open_enum!(Color, "a `ns.color` member name", sentinel = UnknownFutureValue { Red("red", 0), ... })`
/// gives `MEMBERS`, `as_str`, `value`, `from_value`, `is_unknown` (true for `UnknownValue` and
/// the optional sentinel member), `From<&str>`, and through [`enum_impls!`](crate::enum_impls) `FromStr`, `Display`,
/// `Serialize` and `Deserialize`. The enum declares the listed variants and
/// `UnknownValue(String)`.
#[macro_export]
macro_rules! open_enum {
    ($enum:ident, $expecting:literal $(, sentinel = $sentinel:ident)? {
        $( $variant:ident($name:literal, $value:literal) ),* $(,)?
    }) => {
        impl $enum {
            /// The member names, in declaration order.
            pub const MEMBERS: &'static [&'static str] = &[$($name),*];

            /// The member name as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $name, )*
                    Self::UnknownValue(s) => s.as_str(),
                }
            }

            /// The member's numeric value in the metadata; `None` for an unknown member.
            pub fn value(&self) -> ::core::option::Option<i64> {
                match self {
                    $( Self::$variant => ::core::option::Option::Some($value), )*
                    Self::UnknownValue(_) => ::core::option::Option::None,
                }
            }

            /// The known member with that numeric value (the first declared, when several share
            /// it).
            pub fn from_value(value: i64) -> ::core::option::Option<Self> {
                $( if value == $value { return ::core::option::Option::Some(Self::$variant); } )*
                let _ = value;
                ::core::option::Option::None
            }

            /// Whether the member is not one this crate can act on: unknown, or the
            /// `unknownFutureValue` sentinel.
            pub fn is_unknown(&self) -> bool {
                ::core::matches!(self, Self::UnknownValue(_) $(| Self::$sentinel)?)
            }
        }

        impl ::core::convert::From<&str> for $enum {
            fn from(s: &str) -> Self {
                match s {
                    $( $name => Self::$variant, )*
                    other => Self::UnknownValue(::std::string::ToString::to_string(other)),
                }
            }
        }

        $crate::enum_impls!($enum, $expecting);
    };
}

/// Implements `FromStr`, `Display`, `Serialize` and `Deserialize` for a generated open enum
/// through its `as_str()` and `From<&str>`, in one line per enum; `$expecting` names the enum in
/// the error for a value that is not a string.
#[macro_export]
macro_rules! enum_impls {
    ($enum:ty, $expecting:literal) => {
        impl ::core::str::FromStr for $enum {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<Self as ::core::convert::From<&str>>::from(s))
            }
        }
        impl ::core::fmt::Display for $enum {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl $crate::serde::Serialize for $enum {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $enum {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_str(deserializer, $expecting)
            }
        }
    };
}

/// `new` and `path` of a generated request builder, a struct whose one field is
/// `resource: Resource`: `resource_builder!(GroupRequest, V1_0)`. The [`ApiVersion`](crate::ApiVersion)
/// variant is the version the builder's requests go to, whatever version the client was built
/// with (the crate's `PINNED_API_VERSION`).
#[macro_export]
macro_rules! resource_builder {
    ($builder:ident, $version:ident) => {
        impl $builder {
            /// A builder for the resource at `path`, relative to the service root. Requests go to
            /// the API version this crate was generated for (`PINNED_API_VERSION`), whatever
            /// version `client` was built with.
            pub fn new(
                client: $crate::Client,
                path: impl ::core::convert::Into<::std::string::String>,
            ) -> Self {
                Self {
                    resource: $crate::Resource::new(
                        client.with_api_version($crate::ApiVersion::$version),
                        path,
                    ),
                }
            }

            /// The path of the resource relative to the service root.
            pub fn path(&self) -> &str {
                self.resource.path()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{Value, json};

    use crate::Nullable;

    #[derive(Clone, PartialEq, Default)]
    pub struct Policy {
        pub odata_type: Option<String>,
        pub id: Option<String>,
        pub note: Nullable<String>,
        #[cfg(any())]
        pub gated: Option<bool>,
        pub additional_properties: BTreeMap<String, Value>,
    }
    crate::object!(Policy {
        id("id"),
        note("note"),
        #[cfg(any())]
        gated("gated"),
    });

    #[derive(Clone, PartialEq, Default)]
    pub struct IosPolicy {
        pub odata_type: Option<String>,
        pub id: Option<String>,
        pub note: Nullable<String>,
        pub pin: Option<i32>,
        pub additional_properties: BTreeMap<String, Value>,
    }
    crate::object!(IosPolicy {
        id("id"),
        note("note"),
        pin("pinLength"),
    });

    #[derive(Clone, PartialEq, Default)]
    pub struct AndroidPolicy {
        pub odata_type: Option<String>,
        pub id: Option<String>,
        pub note: Nullable<String>,
        pub additional_properties: BTreeMap<String, Value>,
    }
    crate::object!(AndroidPolicy { id("id"), note("note") });

    #[derive(Clone, PartialEq, Default)]
    pub struct GatedPolicy {
        pub odata_type: Option<String>,
        pub id: Option<String>,
        pub note: Nullable<String>,
        pub additional_properties: BTreeMap<String, Value>,
    }
    crate::object!(GatedPolicy { id("id"), note("note") });

    pub enum AnyPolicy {
        Policy(Box<Policy>),
        IosPolicy(Box<IosPolicy>),
        #[cfg(any())]
        GatedPolicy(Box<GatedPolicy>),
        #[cfg(test)]
        AndroidPolicy(Box<AndroidPolicy>),
    }
    crate::polymorphic!(AnyPolicy {
        Policy(Policy),
        IosPolicy(IosPolicy, "ns.iosPolicy" | "alias.iosPolicy"),
        #[cfg(any())]
        GatedPolicy(GatedPolicy, "ns.gatedPolicy"),
        #[cfg(test)]
        AndroidPolicy(AndroidPolicy, "ns.androidPolicy"),
    }
        id(id, "id") -> Option<String>;
        #[deprecated]
        note(note, "note") -> Nullable<String>;
    );

    #[derive(Clone, PartialEq, Default)]
    pub struct RenameParameters {
        pub display_name: Option<String>,
        pub count: Option<i64>,
    }
    crate::parameters!(RenameParameters {
        display_name("displayName"),
        count("count"),
    });

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Color {
        Red,
        Crimson,
        Blue,
        Negative,
        UnknownFutureValue,
        UnknownValue(String),
    }
    crate::open_enum!(Color, "a `ns.color` member name", sentinel = UnknownFutureValue {
        Red("red", 0),
        Crimson("crimson", 0),
        Blue("blue", 2),
        Negative("negative", -1),
        UnknownFutureValue("unknownFutureValue", 3),
    });

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Empty {
        UnknownValue(String),
    }
    crate::open_enum!(Empty, "a `ns.empty` member name" {});

    #[derive(Debug, Clone)]
    pub struct PolicyRequest {
        pub(crate) resource: crate::Resource,
    }
    crate::resource_builder!(PolicyRequest, Beta);

    #[test]
    fn object_reads_and_writes_fields_under_their_json_names() {
        let sent = json!({"@odata.type": "#ns.policy", "id": "a", "note": null, "extra": 1});
        let p: Policy = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(p.odata_type.as_deref(), Some("#ns.policy"));
        assert_eq!(p.id.as_deref(), Some("a"));
        assert!(p.note.is_null());
        assert_eq!(p.additional_properties["extra"], json!(1));
        assert_eq!(serde_json::to_value(&p).unwrap(), sent);
        // a gated-out field is an unknown property
        let p: Policy = serde_json::from_value(json!({"gated": true})).unwrap();
        assert_eq!(p.additional_properties["gated"], json!(true));
        assert_eq!(format!("{p:?}"), r#"Policy {"gated":true}"#);
    }

    #[test]
    fn polymorphic_reads_the_variant_its_odata_type_names() {
        let ios: AnyPolicy =
            serde_json::from_value(json!({"@odata.type": "#ns.iosPolicy", "pinLength": 4}))
                .unwrap();
        let AnyPolicy::IosPolicy(inner) = &ios else {
            panic!("{ios:?}")
        };
        assert_eq!(inner.pin, Some(4));
        let aliased: AnyPolicy =
            serde_json::from_value(json!({"@odata.type": "alias.iosPolicy", "id": "x"})).unwrap();
        assert!(matches!(aliased, AnyPolicy::IosPolicy(_)));
        assert_eq!(aliased.id().as_deref(), Some("x"));
        // a type this crate does not know, or one gated out, is the base variant
        for t in ["#ns.other", "#ns.gatedPolicy"] {
            let other: AnyPolicy =
                serde_json::from_value(json!({"@odata.type": t, "pinLength": 4})).unwrap();
            assert!(matches!(other, AnyPolicy::Policy(_)), "{t}");
            assert_eq!(other.odata_type(), Some(t));
            assert_eq!(other.additional_properties()["pinLength"], json!(4));
        }
        // written with the variant's type when the value has none
        let built = AnyPolicy::from(IosPolicy {
            pin: Some(6),
            ..Default::default()
        });
        assert_eq!(built.odata_type(), Some("#ns.iosPolicy"));
        assert_eq!(
            serde_json::to_value(&built).unwrap(),
            json!({"@odata.type": "#ns.iosPolicy", "pinLength": 6})
        );
        // the variant gated out leaves its type a plain model
        let gated: GatedPolicy = serde_json::from_value(json!({"id": "g"})).unwrap();
        assert_eq!(gated.id.as_deref(), Some("g"));
        let base = AnyPolicy::from(Policy::default());
        assert_eq!(base.odata_type(), None);
        assert_eq!(serde_json::to_value(&base).unwrap(), json!({}));
        #[allow(deprecated)]
        let note = base.note();
        assert!(note.is_absent());
    }

    #[test]
    fn polymorphic_clone_eq_and_debug_go_by_variant() {
        let ios = AnyPolicy::from(IosPolicy {
            id: Some("a".into()),
            pin: Some(4),
            ..Default::default()
        });
        let copy = ios.clone();
        assert!(matches!(&copy, AnyPolicy::IosPolicy(p) if p.pin == Some(4)));
        assert_eq!(copy, ios);
        let AnyPolicy::IosPolicy(mut changed) = copy else {
            unreachable!()
        };
        changed.pin = Some(5);
        assert_ne!(AnyPolicy::IosPolicy(changed), ios);
        // the same properties in another variant are another value
        let base = AnyPolicy::from(Policy {
            id: Some("a".into()),
            ..Default::default()
        });
        let bare_ios = AnyPolicy::from(IosPolicy {
            id: Some("a".into()),
            ..Default::default()
        });
        assert_ne!(base, bare_ios);
        assert_ne!(bare_ios, base);
        assert_eq!(base, base.clone());
        // as derived: the variant's name around the value's own Debug
        assert_eq!(
            format!("{ios:?}"),
            r#"IosPolicy(IosPolicy {"id":"a","pinLength":4})"#
        );
        assert_eq!(format!("{base:?}"), r#"Policy(Policy {"id":"a"})"#);
        assert_eq!(
            format!("{ios:#?}"),
            "IosPolicy(\n    IosPolicy {\n      \"id\": \"a\",\n      \"pinLength\": 4\n    },\n)"
        );
    }

    #[test]
    fn polymorphic_table_names_each_derived_variant() {
        use crate::Polymorphic;
        let names: Vec<&[&str]> = AnyPolicy::VARIANTS.iter().map(|(n, _)| *n).collect();
        // the gated-out variant is not in the table, the gated-in one is
        assert_eq!(
            names,
            [
                &["ns.iosPolicy", "alias.iosPolicy"][..],
                &["ns.androidPolicy"][..]
            ]
        );
        let android: AnyPolicy =
            serde_json::from_value(json!({"@odata.type": "#ns.androidPolicy", "id": "d"})).unwrap();
        assert!(matches!(&android, AnyPolicy::AndroidPolicy(p) if p.id.as_deref() == Some("d")));
        assert_eq!(
            serde_json::to_value(AnyPolicy::from(AndroidPolicy::default())).unwrap(),
            json!({"@odata.type": "#ns.androidPolicy"})
        );
    }

    #[test]
    fn parameters_leave_out_unset_fields() {
        let p = RenameParameters {
            display_name: Some("n".into()),
            count: None,
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"displayName": "n"})
        );
        let back: RenameParameters =
            serde_json::from_value(json!({"displayName": "n", "count": 2})).unwrap();
        assert_eq!(back.count, Some(2));
        assert_eq!(
            format!("{back:?}"),
            r#"RenameParameters {"displayName":"n","count":2}"#
        );
        // null and missing are None; other properties are ignored
        let sparse: RenameParameters =
            serde_json::from_value(json!({"displayName": null, "other": [1]})).unwrap();
        assert_eq!(sparse, RenameParameters::default());
        // a parameter whose value does not fit is an error, not a silent None
        let err = serde_json::from_value::<RenameParameters>(json!({"count": "two"})).unwrap_err();
        assert!(err.to_string().contains("`count`"), "{err}");
        assert!(err.to_string().contains("string"), "{err}");
    }

    #[test]
    fn open_enum_members_values_and_unknown_names() {
        assert_eq!(
            Color::MEMBERS,
            &["red", "crimson", "blue", "negative", "unknownFutureValue"]
        );
        assert_eq!(Color::from("blue"), Color::Blue);
        assert_eq!(Color::Crimson.as_str(), "crimson");
        assert_eq!(Color::Crimson.value(), Some(0));
        // the first member declared with a value answers for it
        assert_eq!(Color::from_value(0), Some(Color::Red));
        assert_eq!(Color::from_value(-1), Some(Color::Negative));
        assert_eq!(Color::from_value(7), None);
        let unknown = Color::from("teal");
        assert_eq!(unknown, Color::UnknownValue("teal".into()));
        assert_eq!((unknown.as_str(), unknown.value()), ("teal", None));
        assert!(unknown.is_unknown() && Color::UnknownFutureValue.is_unknown());
        assert!(!Color::Red.is_unknown());
        assert_eq!(serde_json::to_value(Color::Blue).unwrap(), json!("blue"));
        let read: Color = serde_json::from_value(json!("teal")).unwrap();
        assert_eq!(read.to_string(), "teal");
        let err = serde_json::from_value::<Color>(json!(1)).unwrap_err();
        assert!(
            err.to_string().contains("a `ns.color` member name"),
            "{err}"
        );
        assert!(Empty::MEMBERS.is_empty());
        assert_eq!(Empty::from_value(0), None);
        assert!(Empty::from("x").is_unknown());
        assert_eq!(Empty::from("x").value(), None);
    }

    #[test]
    fn resource_builder_pins_the_api_version() {
        let b = PolicyRequest::new(crate::resource::tests::client(), "/policies/1");
        assert_eq!(b.path(), "/policies/1");
        assert_eq!(b.resource.client().api_version(), crate::ApiVersion::Beta);
    }
}
