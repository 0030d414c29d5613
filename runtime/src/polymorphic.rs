//! What a generated polymorphic enum (`AnyPolicy { Policy(Box<Policy>), IosPolicy(Box<IosPolicy>),
//! ... }`) does with whichever variant it holds, written once: the enum has one `match` over its
//! variants ([`Polymorphic::visit`]) and a table of `@odata.type` names, and its `Clone`,
//! `PartialEq`, `Debug`, `Serialize` and `Deserialize` go through them. Derived impls and a
//! `match` per trait would cost the compiler five arms per variant, and `AnyEntity` of Graph v1.0
//! has 1,146 variants.

use std::any::Any;
use std::fmt;

use serde::{Deserializer, Serializer};

use crate::{Object, ObjectReader, serialize_object};

/// A type that one variant of the polymorphic enum `A` holds.
pub trait VariantOf<A>: Object + Clone + PartialEq + fmt::Debug + Into<A> + 'static {}

impl<A, T: Object + Clone + PartialEq + fmt::Debug + Into<A> + 'static> VariantOf<A> for T {}

/// What to do with the value of whichever variant an enum holds (see [`Polymorphic::visit`]).
pub trait VariantVisitor<'a, A> {
    /// What the visit gives.
    type Output;
    /// Visits `value`, held by the variant named `variant`; `odata_type` is the `@odata.type`
    /// the variant stands for, with its `#` (`#microsoft.graph.iosPolicy`; `None` for the base
    /// variant).
    fn visit<T: VariantOf<A>>(
        self,
        value: &'a T,
        variant: &'static str,
        odata_type: Option<&'static str>,
    ) -> Self::Output;
}

/// Reads a value of one variant of the polymorphic enum `A` (see [`read_variant`]).
pub type ReadVariant<A> = fn(&mut ObjectReader) -> A;

/// A generated polymorphic enum, implemented by [`polymorphic!`](crate::polymorphic). Its
/// `Clone` and `PartialEq` rely on what the macro guarantees: each variant holds a type of its
/// own, and that type's `Into` gives back that variant.
pub trait Polymorphic: Sized + 'static {
    /// Each derived variant: the names its `@odata.type` may give (without `#`) and how to read
    /// it.
    const VARIANTS: &'static [(&'static [&'static str], ReadVariant<Self>)];
    /// How to read the base variant: a value of the base type itself, or of a type derived from
    /// it that this crate does not know (or has gated out).
    const BASE: ReadVariant<Self>;
    /// Hands the value of the variant to `visitor`.
    fn visit<'a, V: VariantVisitor<'a, Self>>(&'a self, visitor: V) -> V::Output;
}

/// Reads a `T` as the variant of the enum `A` that holds it.
pub fn read_variant<T: Object + Into<A>, A>(object: &mut ObjectReader) -> A {
    T::read_object(object).into()
}

/// `Clone` of a polymorphic enum: the same variant with a clone of its value.
pub fn clone_polymorphic<A: Polymorphic>(value: &A) -> A {
    struct Cloned;
    impl<A> VariantVisitor<'_, A> for Cloned {
        type Output = A;
        fn visit<T: VariantOf<A>>(self, value: &T, _: &'static str, _: Option<&'static str>) -> A {
            value.clone().into()
        }
    }
    value.visit(Cloned)
}

/// `PartialEq` of a polymorphic enum: the same variant (each holds a type of its own) with equal
/// values.
pub fn eq_polymorphic<A: Polymorphic>(a: &A, b: &A) -> bool {
    struct AsAny;
    impl<'a, A> VariantVisitor<'a, A> for AsAny {
        type Output = &'a dyn Any;
        fn visit<T: VariantOf<A>>(
            self,
            value: &'a T,
            _: &'static str,
            _: Option<&'static str>,
        ) -> &'a dyn Any {
            value
        }
    }
    struct EqualTo<'b>(&'b dyn Any);
    impl<A> VariantVisitor<'_, A> for EqualTo<'_> {
        type Output = bool;
        fn visit<T: VariantOf<A>>(
            self,
            value: &T,
            _: &'static str,
            _: Option<&'static str>,
        ) -> bool {
            self.0.downcast_ref::<T>() == Some(value)
        }
    }
    a.visit(EqualTo(b.visit(AsAny)))
}

/// `Debug` of a polymorphic enum, as derived: `IosPolicy(IosPolicy {"pinLength":4})`.
pub fn debug_polymorphic<A: Polymorphic>(value: &A, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    struct Tuple<'f, 'g>(&'f mut fmt::Formatter<'g>);
    impl<A> VariantVisitor<'_, A> for Tuple<'_, '_> {
        type Output = fmt::Result;
        fn visit<T: VariantOf<A>>(
            self,
            value: &T,
            variant: &'static str,
            _: Option<&'static str>,
        ) -> fmt::Result {
            self.0.debug_tuple(variant).field(value).finish()
        }
    }
    value.visit(Tuple(f))
}

/// `Serialize` of a polymorphic enum: the variant's value, with the variant's `@odata.type` when
/// the value has none of its own.
pub fn serialize_polymorphic<A: Polymorphic, S: Serializer>(
    value: &A,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    struct Write<S>(S);
    impl<A, S: Serializer> VariantVisitor<'_, A> for Write<S> {
        type Output = Result<S::Ok, S::Error>;
        fn visit<T: VariantOf<A>>(
            self,
            value: &T,
            _: &'static str,
            odata_type: Option<&'static str>,
        ) -> Self::Output {
            serialize_object(value, odata_type, self.0)
        }
    }
    value.visit(Write(serializer))
}

/// `Deserialize` of a polymorphic enum: the variant whose names hold the object's `@odata.type`,
/// else the base variant.
pub fn deserialize_polymorphic<'de, A: Polymorphic, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<A, D::Error> {
    let mut object = ObjectReader::read(deserializer)?;
    let read = object
        .type_name()
        .and_then(|t| {
            A::VARIANTS
                .iter()
                .find(|(names, _)| names.contains(&t.as_str()))
        })
        .map_or(A::BASE, |(_, read)| *read);
    Ok(read(&mut object))
}
