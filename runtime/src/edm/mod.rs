//! OData primitive types that keep what the service sent.
//!
//! Each type holds a parsed value from a well-kept crate *and* the exact text it was read from,
//! and writes that text back, so a round trip is byte-exact: `2026-11-29T06:04:00.1234567Z` keeps
//! its seven fractional digits, `0E57D1FF-...` stays upper-case, `P1D` stays `P1D`, `1.50` keeps
//! its zero (for JSON numbers, see the last paragraph). A value built in Rust
//! (`From<chrono::DateTime<Utc>>`, ...) gets the canonical OData text.
//!
//! | OData | type | value | canonical text of a built value |
//! |---|---|---|---|
//! | `Edm.DateTimeOffset` | [`DateTimeOffset`] | [`chrono::DateTime<FixedOffset>`](chrono::DateTime) | `2026-11-29T06:04:00.1234567Z` |
//! | `Edm.Date` | [`Date`] | [`chrono::NaiveDate`] | `2026-11-29` |
//! | `Edm.TimeOfDay` | [`TimeOfDay`] | [`chrono::NaiveTime`] | `06:04:00.5` |
//! | `Edm.Duration` | [`Duration`] | [`chrono::TimeDelta`] (a day is 24 hours) | `P1DT2H30M` |
//! | `Edm.Guid` | [`Guid`] | [`uuid::Uuid`] | lower-case, hyphenated |
//! | `Edm.Binary` | [`Binary`] | the bytes | standard base64 with padding |
//! | `Edm.Decimal` | [`Decimal`] | [`rust_decimal::Decimal`] | its digits, scale kept |
//! | `Edm.Double` | [`Double`] | `f64`, with `NaN`, `INF`, `-INF` | the shortest exact form |
//!
//! Reading is strict to the OData grammar: a value that does not parse is a [`ParseError`] naming
//! the type, the text and the reason. In a generated model such a value is not an error: it is
//! kept as sent in the model's `additional_properties`, under its own name (see
//! [`crate::ObjectReader`]).
//!
//! **Equality is by value**, not by text: `1.5 == 1.50`, a GUID equals itself in either case,
//! `2026-01-01T01:00:00+01:00` equals `2026-01-01T00:00:00Z` (the same instant), `PT24H == P1D`.
//! `Eq`, `Hash` and `Ord` agree with it. Compare [`as_str`](Guid::as_str) for the text. [`Double`]
//! compares by IEEE 754 total order, so `NaN` equals `NaN` and `0.0` differs from `-0.0`.
//!
//! **URL literals** differ from JSON: a function parameter of these types goes in the URL unquoted
//! (`2026-11-29T06:04:00Z`, `0e57d1ff-...`, `1.50`, `INF`) or with a type prefix
//! (`duration'P1D'`, `binary'AQID'`); [`UrlLiteral`] gives that form.
//!
//! Numbers (`Decimal`, `Double`) from JSON: serde_json reads a JSON number into an `f64` unless its
//! `arbitrary_precision` feature is on, so `1.50` arrives as `1.5` (the same value) and a decimal
//! with more digits than an `f64` holds arrives rounded. Enable this crate's `arbitrary-precision`
//! feature (which turns that on) to keep the digits exactly; serde_json then still writes exponents
//! as `e+`/`e-`. Integers, and numbers sent as strings, are exact either way, and numbers are
//! written with exactly the digits of their text.

mod lexical;
#[cfg(test)]
mod tests;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use chrono;
pub use rust_decimal;
pub use uuid;

/// A text that is not a valid OData literal of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    edm_type: &'static str,
    input: String,
    reason: String,
}

impl ParseError {
    fn new(edm_type: &'static str, input: &str, reason: impl Into<String>) -> Self {
        // enough to recognize the value, never a whole document
        const SHOWN: usize = 64;
        let input = match input.char_indices().nth(SHOWN) {
            Some((end, _)) => format!("{}...", &input[..end]),
            None => input.to_owned(),
        };
        ParseError {
            edm_type,
            input,
            reason: reason.into(),
        }
    }

    /// The OData type name, such as `Edm.DateTimeOffset`.
    pub fn edm_type(&self) -> &'static str {
        self.edm_type
    }

    /// Why the text is not a valid literal.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} `{}`: {}",
            self.edm_type, self.input, self.reason
        )
    }
}

impl std::error::Error for ParseError {}

/// The OData URL literal of a value, for a function parameter (`fn(p=@p)?@p=<literal>`), before
/// percent-encoding. Unlike JSON, most primitives go unquoted.
pub trait UrlLiteral {
    /// The literal, such as `2026-11-29T06:04:00Z` or `duration'P1D'`.
    fn url_literal(&self) -> String;
}

impl<T: UrlLiteral + ?Sized> UrlLiteral for &T {
    fn url_literal(&self) -> String {
        (**self).url_literal()
    }
}

/// What every type shares: the text, `Display`, `Debug`, `FromStr`, and value equality through
/// `key()`.
macro_rules! common {
    ($ty:ident) => {
        impl $ty {
            /// The text as received or, for a value built in Rust, its canonical OData form.
            pub fn as_str(&self) -> &str {
                &self.text
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($ty)).field(&&*self.text).finish()
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.text
            }
        }

        impl FromStr for $ty {
            type Err = ParseError;
            /// Reads an OData literal of the type; the text is kept as it is.
            fn from_str(s: &str) -> Result<Self, ParseError> {
                Self::parse(s.to_owned())
            }
        }

        impl TryFrom<String> for $ty {
            type Error = ParseError;
            fn try_from(s: String) -> Result<Self, ParseError> {
                Self::parse(s)
            }
        }

        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.key() == other.key()
            }
        }

        impl Eq for $ty {}

        impl Hash for $ty {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.key().hash(state)
            }
        }

        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $ty {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.key().cmp(&other.key())
            }
        }
    };
}

/// Serde for the types sent as JSON strings.
macro_rules! string_serde {
    ($ty:ident, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;
                impl Visitor<'_> for TextVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        $ty::parse(v.to_owned()).map_err(E::custom)
                    }
                    fn visit_string<E: de::Error>(self, v: String) -> Result<$ty, E> {
                        $ty::parse(v).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(TextVisitor)
            }
        }
    };
}

/// `Edm.DateTimeOffset`: an instant and the offset it was written with.
///
/// ```
/// use odata_runtime::edm::DateTimeOffset;
/// let t: DateTimeOffset = "2026-11-29T06:04:00.1234567+05:30".parse()?;
/// assert_eq!(t.utc().to_rfc3339(), "2026-11-29T00:34:00.123456700+00:00");
/// assert_eq!(t.offset().local_minus_utc(), 5 * 3600 + 30 * 60);
/// assert_eq!(t.as_str(), "2026-11-29T06:04:00.1234567+05:30");
/// // .NET's DateTimeOffset.MaxValue, which Graph sends for "never"
/// let never: DateTimeOffset = "9999-12-31T23:59:59.9999999Z".parse()?;
/// assert!(never > t);
/// # Ok::<(), odata_runtime::edm::ParseError>(())
/// ```
#[derive(Clone)]
pub struct DateTimeOffset {
    value: chrono::DateTime<chrono::FixedOffset>,
    text: Box<str>,
}

impl DateTimeOffset {
    fn parse(text: String) -> Result<Self, ParseError> {
        let value = lexical::parse_date_time_offset(&text)
            .map_err(|r| ParseError::new("Edm.DateTimeOffset", &text, r))?;
        Ok(DateTimeOffset {
            value,
            text: text.into(),
        })
    }

    /// The date and time as written, with their offset.
    pub fn date_time(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.value
    }

    /// The instant in UTC.
    pub fn utc(&self) -> chrono::DateTime<chrono::Utc> {
        self.value.to_utc()
    }

    /// The offset from UTC the value was written with (`Z` is zero).
    pub fn offset(&self) -> chrono::FixedOffset {
        *self.value.offset()
    }

    fn key(&self) -> chrono::DateTime<chrono::Utc> {
        self.value.to_utc()
    }
}

impl From<chrono::DateTime<chrono::FixedOffset>> for DateTimeOffset {
    /// The date and time in their offset. OData offsets are whole minutes and have no leap
    /// seconds: the offset's seconds, if any, are dropped (the instant is kept), and a leap second
    /// becomes the second before it.
    fn from(value: chrono::DateTime<chrono::FixedOffset>) -> Self {
        use chrono::Timelike;
        let minutes = value.offset().local_minus_utc() / 60 * 60;
        let offset = chrono::FixedOffset::east_opt(minutes)
            .unwrap_or(chrono::FixedOffset::east_opt(0).expect("UTC"));
        let value = value.with_timezone(&offset);
        let value = value
            .with_nanosecond(value.nanosecond() % 1_000_000_000)
            .unwrap_or(value);
        DateTimeOffset {
            value,
            text: lexical::format_date_time_offset(value).into(),
        }
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTimeOffset {
    /// The instant in UTC (`...Z`).
    fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
        DateTimeOffset::from(value.fixed_offset())
    }
}

impl From<DateTimeOffset> for chrono::DateTime<chrono::FixedOffset> {
    fn from(value: DateTimeOffset) -> Self {
        value.value
    }
}

impl UrlLiteral for DateTimeOffset {
    fn url_literal(&self) -> String {
        self.text.to_string()
    }
}

common!(DateTimeOffset);
string_serde!(
    DateTimeOffset,
    "an Edm.DateTimeOffset string such as \"2026-11-29T06:04:00Z\""
);

/// `Edm.Date`: a calendar date.
#[derive(Clone)]
pub struct Date {
    date: chrono::NaiveDate,
    text: Box<str>,
}

impl Date {
    fn parse(text: String) -> Result<Self, ParseError> {
        let date = lexical::parse_date(&text).map_err(|r| ParseError::new("Edm.Date", &text, r))?;
        Ok(Date {
            date,
            text: text.into(),
        })
    }

    /// The date.
    pub fn date(&self) -> chrono::NaiveDate {
        self.date
    }

    fn key(&self) -> chrono::NaiveDate {
        self.date
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(date: chrono::NaiveDate) -> Self {
        Date {
            date,
            text: lexical::format_date(date).into(),
        }
    }
}

impl From<Date> for chrono::NaiveDate {
    fn from(value: Date) -> Self {
        value.date
    }
}

impl UrlLiteral for Date {
    fn url_literal(&self) -> String {
        self.text.to_string()
    }
}

common!(Date);
string_serde!(Date, "an Edm.Date string such as \"2026-11-29\"");

/// `Edm.TimeOfDay`: a clock time without a date or an offset.
#[derive(Clone)]
pub struct TimeOfDay {
    time: chrono::NaiveTime,
    text: Box<str>,
}

impl TimeOfDay {
    fn parse(text: String) -> Result<Self, ParseError> {
        let time =
            lexical::parse_time(&text).map_err(|r| ParseError::new("Edm.TimeOfDay", &text, r))?;
        Ok(TimeOfDay {
            time,
            text: text.into(),
        })
    }

    /// The time.
    pub fn time(&self) -> chrono::NaiveTime {
        self.time
    }

    fn key(&self) -> chrono::NaiveTime {
        self.time
    }
}

impl From<chrono::NaiveTime> for TimeOfDay {
    /// A leap second (`23:59:60.5` in chrono) becomes the second before it: OData has none.
    fn from(time: chrono::NaiveTime) -> Self {
        let time = lexical::without_leap_second(time);
        TimeOfDay {
            time,
            text: lexical::format_time(time).into(),
        }
    }
}

impl From<TimeOfDay> for chrono::NaiveTime {
    fn from(value: TimeOfDay) -> Self {
        value.time
    }
}

impl UrlLiteral for TimeOfDay {
    fn url_literal(&self) -> String {
        self.text.to_string()
    }
}

common!(TimeOfDay);
string_serde!(TimeOfDay, "an Edm.TimeOfDay string such as \"06:04:00\"");

/// `Edm.Duration`: a signed, exact length of time in days, hours, minutes and seconds, such as
/// `PT1H30M`, `P1D` or `-PT0.5S`.
///
/// OData durations are exact (a day is 24 hours; there are no years or months), so `P1D` equals
/// `PT24H`. The value is a [`chrono::TimeDelta`], whose range (about 292 million years) holds any
/// .NET `TimeSpan`, which is what Graph sends.
#[derive(Clone)]
pub struct Duration {
    duration: chrono::TimeDelta,
    text: Box<str>,
}

impl Duration {
    fn parse(text: String) -> Result<Self, ParseError> {
        let duration = lexical::parse_duration(&text)
            .map_err(|r| ParseError::new("Edm.Duration", &text, r))?;
        Ok(Duration {
            duration,
            text: text.into(),
        })
    }

    /// The length of time.
    pub fn duration(&self) -> chrono::TimeDelta {
        self.duration
    }

    fn key(&self) -> chrono::TimeDelta {
        self.duration
    }
}

impl From<chrono::TimeDelta> for Duration {
    fn from(duration: chrono::TimeDelta) -> Self {
        Duration {
            duration,
            text: lexical::format_duration(duration).into(),
        }
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = chrono::OutOfRangeError;
    /// Fails beyond `i64::MAX` milliseconds.
    fn try_from(duration: std::time::Duration) -> Result<Self, chrono::OutOfRangeError> {
        chrono::TimeDelta::from_std(duration).map(Duration::from)
    }
}

impl From<Duration> for chrono::TimeDelta {
    fn from(value: Duration) -> Self {
        value.duration
    }
}

impl UrlLiteral for Duration {
    /// `duration'P1D'`
    fn url_literal(&self) -> String {
        format!("duration'{}'", self.text)
    }
}

common!(Duration);
string_serde!(Duration, "an Edm.Duration string such as \"PT1H30M\"");

/// `Edm.Guid`: a UUID. The case it was sent in is kept; equality ignores it.
#[derive(Clone)]
pub struct Guid {
    uuid: uuid::Uuid,
    text: Box<str>,
}

impl Guid {
    fn parse(text: String) -> Result<Self, ParseError> {
        let uuid = lexical::parse_guid(&text).map_err(|r| ParseError::new("Edm.Guid", &text, r))?;
        Ok(Guid {
            uuid,
            text: text.into(),
        })
    }

    /// The UUID.
    pub fn uuid(&self) -> uuid::Uuid {
        self.uuid
    }

    fn key(&self) -> uuid::Uuid {
        self.uuid
    }
}

impl From<uuid::Uuid> for Guid {
    /// Lower-case and hyphenated, as Graph writes GUIDs.
    fn from(uuid: uuid::Uuid) -> Self {
        Guid {
            uuid,
            text: uuid.hyphenated().to_string().into(),
        }
    }
}

impl From<Guid> for uuid::Uuid {
    fn from(value: Guid) -> Self {
        value.uuid
    }
}

impl UrlLiteral for Guid {
    fn url_literal(&self) -> String {
        self.text.to_string()
    }
}

common!(Guid);
string_serde!(
    Guid,
    "an Edm.Guid string such as \"0e57d1ff-0000-4000-8000-000000000000\""
);

/// `Edm.Binary`: bytes, sent as base64 (the standard or the URL-safe alphabet, with or without
/// padding, are all read).
#[derive(Clone)]
pub struct Binary {
    bytes: Vec<u8>,
    text: Box<str>,
}

impl Binary {
    fn parse(text: String) -> Result<Self, ParseError> {
        let bytes =
            lexical::parse_binary(&text).map_err(|r| ParseError::new("Edm.Binary", &text, r))?;
        Ok(Binary {
            bytes,
            text: text.into(),
        })
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, taken.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn key(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<Vec<u8>> for Binary {
    /// Standard base64 with padding.
    fn from(bytes: Vec<u8>) -> Self {
        Binary {
            text: lexical::format_binary(&bytes).into(),
            bytes,
        }
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary::from(bytes.to_vec())
    }
}

impl From<Binary> for Vec<u8> {
    fn from(value: Binary) -> Self {
        value.bytes
    }
}

impl UrlLiteral for Binary {
    /// `binary'...'` in standard base64 with padding, whatever alphabet the value arrived in.
    /// The OData grammar names the URL-safe alphabet, but the .NET OData reader Graph runs on has
    /// long accepted only the standard one; the query encoding turns `+` into `%2B`.
    fn url_literal(&self) -> String {
        format!("binary'{}'", lexical::format_binary(&self.bytes))
    }
}

common!(Binary);
string_serde!(Binary, "an Edm.Binary base64 string");

/// serde_json's name for a number it hands over as text (`arbitrary_precision`).
const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The shortest text of a finite `f64`, as serde_json writes it (`1.0`, `1e20`, `0.1`).
fn f64_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

/// Writes `text` (a valid JSON number) as a JSON number with exactly its digits: as a plain
/// integer or `f64` when serde_json would write that same text, else as raw JSON.
fn serialize_number<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if let Ok(u) = text.parse::<u64>()
        && u.to_string() == text
    {
        return serializer.serialize_u64(u);
    }
    if let Ok(i) = text.parse::<i64>()
        && i.to_string() == text
    {
        return serializer.serialize_i64(i);
    }
    if let Ok(f) = text.parse::<f64>()
        && f.is_finite()
        && f64_text(f) == text
    {
        return serializer.serialize_f64(f);
    }
    serde_json::value::RawValue::from_string(text.to_owned())
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}

/// The text of a JSON number however the deserializer hands it over: an integer, an `f64`, or
/// with serde_json's `arbitrary_precision` its exact digits (in a one-entry map). Strings go to
/// `on_str`.
fn deserialize_number<'de, D, T>(
    deserializer: D,
    expecting: &'static str,
    from_text: fn(String) -> Result<T, ParseError>,
    on_str: fn(&str) -> Option<Result<T, ParseError>>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct NumberVisitor<T> {
        expecting: &'static str,
        from_text: fn(String) -> Result<T, ParseError>,
        on_str: fn(&str) -> Option<Result<T, ParseError>>,
    }
    impl<T> NumberVisitor<T> {
        fn text<E: de::Error>(self, text: String) -> Result<T, E> {
            (self.from_text)(text).map_err(E::custom)
        }
    }
    impl<'de, T> Visitor<'de> for NumberVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            self.text(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            self.text(v.to_string())
        }
        fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
            self.text(v.to_string())
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
            self.text(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            if !v.is_finite() {
                return Err(E::invalid_value(de::Unexpected::Float(v), &self));
            }
            self.text(f64_text(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            match (self.on_str)(v) {
                Some(r) => r.map_err(E::custom),
                None => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
            }
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            match map.next_key::<String>()? {
                Some(key) if key == JSON_NUMBER_TOKEN => {
                    let text: String = map.next_value()?;
                    self.text(text)
                }
                _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
            }
        }
    }
    deserializer.deserialize_any(NumberVisitor {
        expecting,
        from_text,
        on_str,
    })
}

/// `Edm.Decimal`: an exact decimal number, sent as a JSON number (`1.50`).
///
/// The value is a [`rust_decimal::Decimal`]: 28 significant digits, which holds any decimal
/// Graph declares; a longer one does not parse rather than being rounded. The JSON string form
/// (`"1.50"`, sent under `IEEE754Compatible=true`) is read too, and written back as a number.
#[derive(Clone)]
pub struct Decimal {
    value: rust_decimal::Decimal,
    text: Box<str>,
}

impl Decimal {
    fn parse(text: String) -> Result<Self, ParseError> {
        let error = |r: String| ParseError::new("Edm.Decimal", &text, r);
        if !lexical::is_json_number(&text) {
            return Err(error(
                "expected a decimal number such as 1.50 or 1e-3".into(),
            ));
        }
        let value = match text.find(['e', 'E']) {
            None => rust_decimal::Decimal::from_str_exact(&text),
            Some(e) => rust_decimal::Decimal::from_str_exact(&text[..e])
                .and_then(|_| rust_decimal::Decimal::from_scientific(&text)),
        }
        .map_err(|e| error(format!("not representable exactly: {e}")))?;
        Ok(Decimal {
            value,
            text: text.into(),
        })
    }

    /// The number.
    pub fn value(&self) -> rust_decimal::Decimal {
        self.value
    }

    fn key(&self) -> rust_decimal::Decimal {
        self.value
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    /// Its digits and scale (`1.50` stays `1.50`).
    fn from(value: rust_decimal::Decimal) -> Self {
        Decimal {
            value,
            text: value.to_string().into(),
        }
    }
}

impl From<Decimal> for rust_decimal::Decimal {
    fn from(value: Decimal) -> Self {
        value.value
    }
}

impl UrlLiteral for Decimal {
    fn url_literal(&self) -> String {
        self.text.to_string()
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_number(&self.text, serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_number(
            deserializer,
            "an Edm.Decimal number such as 1.50",
            Decimal::parse,
            |s| Some(Decimal::parse(s.to_owned())),
        )
    }
}

common!(Decimal);

/// `Edm.Double`: an IEEE 754 double, sent as a JSON number or as one of the strings `"NaN"`,
/// `"INF"` and `"-INF"`.
#[derive(Clone)]
pub struct Double {
    value: f64,
    text: Box<str>,
}

impl Double {
    fn parse(text: String) -> Result<Self, ParseError> {
        let value = match &*text {
            "NaN" => f64::NAN,
            "INF" => f64::INFINITY,
            "-INF" => f64::NEG_INFINITY,
            t if lexical::is_json_number(t) => match t.parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    return Err(ParseError::new(
                        "Edm.Double",
                        &text,
                        "out of the range of a double",
                    ));
                }
            },
            _ => {
                return Err(ParseError::new(
                    "Edm.Double",
                    &text,
                    "expected a number such as 1.5 or 1e-3, or NaN, INF or -INF",
                ));
            }
        };
        Ok(Double {
            value,
            text: text.into(),
        })
    }

    /// Reads the special values sent as strings.
    fn parse_special(text: &str) -> Option<Result<Self, ParseError>> {
        matches!(text, "NaN" | "INF" | "-INF").then(|| Double::parse(text.to_owned()))
    }

    /// The number.
    pub fn value(&self) -> f64 {
        self.value
    }

    fn is_special(&self) -> bool {
        !self.value.is_finite()
    }

    /// The bits in IEEE 754 total order (what `f64::total_cmp` compares).
    fn key(&self) -> i64 {
        let bits = self.value.to_bits() as i64;
        bits ^ ((((bits >> 63) as u64) >> 1) as i64)
    }
}

impl From<f64> for Double {
    /// `NaN`, `INF`, `-INF` or the shortest text that reads back as the same `f64`.
    fn from(value: f64) -> Self {
        let text = if value.is_nan() {
            "NaN".to_string()
        } else if value == f64::INFINITY {
            "INF".to_string()
        } else if value == f64::NEG_INFINITY {
            "-INF".to_string()
        } else {
            f64_text(value)
        };
        Double {
            value,
            text: text.into(),
        }
    }
}

impl From<Double> for f64 {
    fn from(value: Double) -> Self {
        value.value
    }
}

impl From<f64> for crate::Nullable<Double> {
    /// A present value: `2.5.into()` for a nullable `Edm.Double` property.
    fn from(value: f64) -> Self {
        crate::Nullable::Value(Double::from(value))
    }
}

impl PartialEq<f64> for Double {
    /// The same number in the total order [`Double`] itself compares by (`NaN` equals `NaN`,
    /// `-0.0` does not equal `0.0`).
    fn eq(&self, other: &f64) -> bool {
        self.value().total_cmp(other).is_eq()
    }
}

impl UrlLiteral for Double {
    /// The number, or `NaN`, `INF`, `-INF`, all unquoted.
    fn url_literal(&self) -> String {
        self.text.to_string()
    }
}

impl Serialize for Double {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_special() {
            serializer.serialize_str(&self.text)
        } else {
            serialize_number(&self.text, serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Double {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_number(
            deserializer,
            "an Edm.Double: a number, \"NaN\", \"INF\" or \"-INF\"",
            Double::parse,
            Double::parse_special,
        )
    }
}

common!(Double);
