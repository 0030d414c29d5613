use std::collections::HashSet;

use serde_json::json;

use super::*;

/// Reads `text` as a JSON string value, writes it back, and checks the bytes are the same.
fn string_round_trip<T>(text: &str) -> T
where
    T: Serialize + for<'de> Deserialize<'de> + fmt::Display,
{
    let wire = serde_json::to_string(text).unwrap();
    let value: T = serde_json::from_str(&wire).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(serde_json::to_string(&value).unwrap(), wire);
    assert_eq!(value.to_string(), text);
    // through a serde_json::Value too, as models read their properties
    let value: T = serde_json::from_value(json!(text)).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), json!(text));
    value
}

fn error<T: FromStr<Err = ParseError> + fmt::Debug>(text: &str) -> String {
    text.parse::<T>()
        .expect_err(&format!("{text:?} should not parse"))
        .to_string()
}

#[test]
fn date_time_offsets_round_trip_byte_for_byte() {
    for text in [
        "2026-11-29T06:04:00.1234567Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z",
        "2026-11-29T06:04:00Z",
        "2026-11-29T06:04Z",
        "2026-11-29T06:04:00.000Z",
        "2026-11-29T06:04:00.123456789012Z",
        "2026-11-29T11:34:00+05:30",
        "2026-11-28T20:04:00-10:00",
        "2026-11-29T06:04:00+00:00",
        "2026-11-29t06:04:00z",
        "-0044-03-15T12:00:00Z",
        "0000-01-01T00:00:00Z",
    ] {
        string_round_trip::<DateTimeOffset>(text);
    }
    let t: DateTimeOffset = string_round_trip("2026-11-29T06:04:00.1234567Z");
    use chrono::TimeZone;
    let expected = chrono::Utc.with_ymd_and_hms(2026, 11, 29, 6, 4, 0).unwrap();
    assert_eq!(t.utc().timestamp(), expected.timestamp());
    assert_eq!(t.utc().timestamp_subsec_nanos(), 123_456_700);
    assert_eq!(t.offset().local_minus_utc(), 0);
    let t: DateTimeOffset = "0001-01-01T00:00:00Z".parse().unwrap();
    assert_eq!(t.utc().to_rfc3339(), "0001-01-01T00:00:00+00:00");
    let t: DateTimeOffset = "2026-11-29T11:34:00+05:30".parse().unwrap();
    assert_eq!(t.offset().local_minus_utc(), 19_800);
    assert_eq!(t.utc().to_rfc3339(), "2026-11-29T06:04:00+00:00");
    assert_eq!(
        t.date_time().naive_local().to_string(),
        "2026-11-29 11:34:00"
    );
    // twelve fractional digits: the first nine count
    let t: DateTimeOffset = "2026-11-29T06:04:00.123456789012Z".parse().unwrap();
    assert_eq!(t.utc().timestamp_subsec_nanos(), 123_456_789);
    // .NET's DateTimeOffset.MaxValue and MinValue, in any offset
    let max: DateTimeOffset = "9999-12-31T23:59:59.9999999-14:00".parse().unwrap();
    assert_eq!(
        max.utc().to_rfc3339(),
        "+10000-01-01T13:59:59.999999900+00:00"
    );
    let min: DateTimeOffset = "0001-01-01T00:00:00+14:00".parse().unwrap();
    assert!(min < max);
}

#[test]
fn date_time_offsets_compare_as_instants() {
    let utc: DateTimeOffset = "2026-11-29T06:04:00Z".parse().unwrap();
    let india: DateTimeOffset = "2026-11-29T11:34:00+05:30".parse().unwrap();
    let padded: DateTimeOffset = "2026-11-29T06:04:00.0000000Z".parse().unwrap();
    assert_eq!(utc, india);
    assert_eq!(utc, padded);
    assert_ne!(utc.as_str(), india.as_str());
    let later: DateTimeOffset = "2026-11-29T06:04:00.0000001Z".parse().unwrap();
    assert!(later > utc);
    assert_eq!(HashSet::from([utc, india, padded, later]).len(), 2);
}

#[test]
fn date_time_offsets_built_in_rust_get_the_canonical_text() {
    use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
    let utc = Utc.with_ymd_and_hms(2026, 11, 29, 6, 4, 0).unwrap()
        + chrono::TimeDelta::nanoseconds(123_456_700);
    let t = DateTimeOffset::from(utc);
    assert_eq!(t.as_str(), "2026-11-29T06:04:00.1234567Z");
    assert_eq!(t.utc(), utc);
    let epoch = chrono::DateTime::UNIX_EPOCH;
    assert_eq!(DateTimeOffset::from(epoch).as_str(), "1970-01-01T00:00:00Z");
    let west = FixedOffset::west_opt(5 * 3600 + 30 * 60).unwrap();
    let t = DateTimeOffset::from(epoch.with_timezone(&west));
    assert_eq!(t.as_str(), "1969-12-31T18:30:00-05:30");
    assert_eq!(t.to_string().parse::<DateTimeOffset>().unwrap(), t);
    assert_eq!(t, DateTimeOffset::from(epoch));
    // offset seconds are dropped, the instant is kept
    let odd = FixedOffset::east_opt(3600 + 59).unwrap();
    let t = DateTimeOffset::from(epoch.with_timezone(&odd));
    assert_eq!(t.as_str(), "1970-01-01T01:00:00+01:00");
    assert_eq!(t.utc(), epoch);
    let early = NaiveDate::from_ymd_opt(-1, 6, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        DateTimeOffset::from(early.and_utc()).as_str(),
        "-0001-06-01T00:00:00Z"
    );
    let far = NaiveDate::from_ymd_opt(12026, 1, 2)
        .unwrap()
        .and_hms_opt(3, 4, 5)
        .unwrap();
    let t = DateTimeOffset::from(far.and_utc());
    assert_eq!(t.as_str(), "12026-01-02T03:04:05Z");
    assert_eq!(t.as_str().parse::<DateTimeOffset>().unwrap(), t);
    // a leap second becomes the second before it
    let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
        .unwrap()
        .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
        .unwrap();
    assert_eq!(
        DateTimeOffset::from(leap.and_utc()).as_str(),
        "2016-12-31T23:59:59.5Z"
    );
}

#[test]
fn invalid_date_time_offsets_say_why() {
    for (text, reason) in [
        ("2026-11-29T06:04:00", "expected an offset"),
        ("2026-11-29 06:04:00Z", "expected `T`"),
        ("2026-13-01T00:00:00Z", "month"),
        ("2026-02-30T00:00:00Z", "day 30 out of range for 2026-02"),
        ("2026-00-10T00:00:00Z", "month 00 out of range"),
        ("2026-11-29T24:00:00Z", "out of range"),
        ("2026-11-29T23:60:00Z", "out of range"),
        ("2026-11-29T23:59:60Z", "out of range"),
        ("2026-11-29T06:04:00+0530", "two digits for the offset hour"),
        ("2026-11-29T06:04:00+05", "expected `:` in the offset"),
        ("2026-11-29T06:04:00+24:00", "offset 24:00 out of range"),
        ("2026-11-29T06:04:00.Z", "fractional"),
        ("2026-11-29T06:04:00.1234567890123Z", "fractional"),
        ("26-11-29T06:04:00Z", "four digits"),
        ("012026-11-29T06:04:00Z", "cannot start with 0"),
        ("262143-01-01T00:00:00Z", "year out of range"),
        ("2026-11-29T06:04:00Z ", "unexpected text"),
        ("2026-11-29T6:04:00Z", "two digits"),
        ("", "four digits"),
    ] {
        let e = error::<DateTimeOffset>(text);
        assert!(e.starts_with("invalid Edm.DateTimeOffset `"), "{e}");
        assert!(e.contains(reason), "{text}: {e}");
    }
    let e = serde_json::from_str::<DateTimeOffset>(r#""yesterday""#).unwrap_err();
    assert!(
        e.to_string()
            .contains("invalid Edm.DateTimeOffset `yesterday`"),
        "{e}"
    );
    let e = serde_json::from_str::<DateTimeOffset>("1796018640").unwrap_err();
    assert!(
        e.to_string().contains("an Edm.DateTimeOffset string"),
        "{e}"
    );
    // the input shown in an error is cut short
    let e = error::<DateTimeOffset>(&"9".repeat(1000));
    assert!(e.len() < 200, "{e}");
}

#[test]
fn dates_and_times_of_day() {
    for text in [
        "2026-11-29",
        "0001-01-01",
        "9999-12-31",
        "2024-02-29",
        "-0001-01-01",
        "0000-01-01",
        "10000-01-01",
    ] {
        string_round_trip::<Date>(text);
    }
    let d: Date = "0001-01-01".parse().unwrap();
    let ymd = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(d.date(), ymd(1, 1, 1));
    assert_eq!(Date::from(ymd(7, 3, 9)).as_str(), "0007-03-09");
    assert_eq!(Date::from(ymd(-44, 3, 15)).as_str(), "-0044-03-15");
    for (text, reason) in [
        ("2025-02-29", "day"),
        ("2026-1-01", "two digits"),
        ("2026-11-29T00:00:00Z", "unexpected text"),
        ("20261129", "year out of range"),
        ("2026/11/29", "expected `-`"),
    ] {
        let e = error::<Date>(text);
        assert!(e.contains(reason), "{text}: {e}");
    }

    for text in [
        "06:04:00",
        "06:04",
        "23:59:59.9999999",
        "00:00:00.000",
        "12:30:00.5",
    ] {
        string_round_trip::<TimeOfDay>(text);
    }
    let t: TimeOfDay = "23:59:59.9999999".parse().unwrap();
    let hmsn = |h, m, s, n| chrono::NaiveTime::from_hms_nano_opt(h, m, s, n).unwrap();
    assert_eq!(t.time(), hmsn(23, 59, 59, 999_999_900));
    assert_eq!(
        TimeOfDay::from(hmsn(6, 4, 0, 500_000_000)).as_str(),
        "06:04:00.5"
    );
    assert_eq!(TimeOfDay::from(hmsn(0, 0, 0, 0)).as_str(), "00:00:00");
    let leap = TimeOfDay::from(hmsn(23, 59, 59, 1_250_000_000));
    assert_eq!(leap.as_str(), "23:59:59.25");
    assert_eq!(leap, leap.as_str().parse().unwrap());
    assert_eq!(
        "06:04".parse::<TimeOfDay>().unwrap(),
        "06:04:00.000".parse::<TimeOfDay>().unwrap()
    );
    for (text, reason) in [
        ("24:00:00", "out of range"),
        ("6:04:00", "two digits"),
        ("06:04:00Z", "unexpected text"),
        ("06", "expected `:`"),
    ] {
        let e = error::<TimeOfDay>(text);
        assert!(e.contains(reason), "{text}: {e}");
    }
}

#[test]
fn durations_round_trip_and_compare_exactly() {
    for text in [
        "PT1H30M",
        "P1D",
        "-P1D",
        "PT0S",
        "-PT0.5S",
        "P1DT2H3M4.5678S",
        "PT36H",
        "+PT1M",
        "pt1h",
        "P10675199DT2H48M5.4775807S",
        "-P10675199DT2H48M5.4775808S",
        "PT0.000000001S",
    ] {
        string_round_trip::<Duration>(text);
    }
    let d: Duration = "PT1H30M".parse().unwrap();
    use chrono::TimeDelta;
    assert_eq!(d.duration(), TimeDelta::minutes(90));
    let d: Duration = "-P1DT0.5S".parse().unwrap();
    assert_eq!(d.duration(), -TimeDelta::milliseconds(86_400_500));
    // .NET TimeSpan.MaxValue
    let d: Duration = "P10675199DT2H48M5.4775807S".parse().unwrap();
    assert_eq!(d.duration().num_microseconds(), Some(i64::MAX / 10));
    assert_eq!(
        "P1D".parse::<Duration>().unwrap(),
        "PT24H".parse::<Duration>().unwrap()
    );
    assert!("-PT1S".parse::<Duration>().unwrap() < "PT0S".parse::<Duration>().unwrap());
    for (sd, text) in [
        (TimeDelta::minutes(90), "PT1H30M"),
        (TimeDelta::hours(24), "P1D"),
        (TimeDelta::zero(), "PT0S"),
        (-TimeDelta::milliseconds(1500), "-PT1.5S"),
        (TimeDelta::new(90_061, 1).unwrap(), "P1DT1H1M1.000000001S"),
        (TimeDelta::hours(49), "P2DT1H"),
        (TimeDelta::seconds(60), "PT1M"),
        (TimeDelta::MIN, "-P106751991167DT7H12M55.807S"),
        (TimeDelta::MAX, "P106751991167DT7H12M55.807S"),
    ] {
        let d = Duration::from(sd);
        assert_eq!(d.as_str(), text);
        assert_eq!(text.parse::<Duration>().unwrap().duration(), sd, "{text}");
    }
    assert_eq!(
        Duration::try_from(std::time::Duration::from_millis(1500))
            .unwrap()
            .as_str(),
        "PT1.5S"
    );
    for (text, reason) in [
        ("P1Y", "no years, months or weeks"),
        ("P2M", "no years, months or weeks"),
        ("P1W", "no years, months or weeks"),
        ("PT1H1H", "in that order"),
        ("PT1M1H", "in that order"),
        ("PT1.5H", "only seconds"),
        ("P", "expected days"),
        ("PT", "after `T`"),
        ("1D", "expected `P`"),
        ("P1DT", "after `T`"),
        ("PT1S ", "expected a number"),
        ("P99999999999999999999D", "out of range"),
        ("P106751991168D", "out of range"),
        ("01:30:00", "expected `P`"),
    ] {
        let e = error::<Duration>(text);
        assert!(e.starts_with("invalid Edm.Duration"), "{e}");
        assert!(e.contains(reason), "{text}: {e}");
    }
}

#[test]
fn guids_keep_their_case_and_compare_by_value() {
    let upper: Guid = string_round_trip("0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F");
    let lower: Guid = string_round_trip("0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5f");
    assert_eq!(upper, lower);
    assert_eq!(upper.uuid(), lower.uuid());
    assert_eq!(upper.as_str(), "0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F");
    assert_eq!(HashSet::from([upper.clone(), lower]).len(), 1);
    assert_eq!(
        Guid::from(upper.uuid()).as_str(),
        "0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5f"
    );
    string_round_trip::<Guid>("00000000-0000-0000-0000-000000000000");
    for text in [
        "0e57d1ff5c8b4b5a9e2a3f1b2c3d4e5f",
        "{0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5f}",
        "urn:uuid:0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5f",
        "0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5g",
        "0e57d1ff-5c8b-4b5a-9e2a-3f1b2c3d4e5",
        "",
    ] {
        let e = error::<Guid>(text);
        assert!(e.contains("expected 8-4-4-4-12 hexadecimal digits"), "{e}");
    }
}

#[test]
fn binary_reads_both_alphabets_and_keeps_its_text() {
    for text in [
        "AQID", "SGVsbG8=", "SGVsbG8", "SGk=", "SGk", "", "-_8=", "-_8", "+/8=",
    ] {
        string_round_trip::<Binary>(text);
    }
    let b: Binary = "SGVsbG8=".parse().unwrap();
    assert_eq!(b.bytes(), b"Hello");
    assert_eq!(b, "SGVsbG8".parse().unwrap());
    assert_eq!(
        "-_8".parse::<Binary>().unwrap(),
        "+/8=".parse::<Binary>().unwrap()
    );
    assert_eq!(Binary::from(b"Hello".to_vec()).as_str(), "SGVsbG8=");
    assert_eq!(Binary::from(&[0xfb, 0xff][..]).as_str(), "+/8=");
    assert_eq!(b.into_bytes(), b"Hello");
    for text in ["SGVsbG8===", "S", "SGVs bG8=", "+_8=", "SGVsbG9="] {
        let e = error::<Binary>(text);
        assert!(e.contains("not base64"), "{text}: {e}");
    }
}

#[test]
fn decimals_keep_their_digits() {
    for text in [
        "1.50",
        "0",
        "-0.000",
        "12345678901234567890.12345678",
        "1e3",
        "1.5E-3",
    ] {
        let d: Decimal = text.parse().unwrap();
        assert_eq!(d.as_str(), text);
        // written as a JSON number with exactly these digits
        let wire = serde_json::to_string(&d).unwrap();
        assert_eq!(wire, text);
    }
    let back: Decimal = serde_json::from_str("1.5").unwrap();
    assert_eq!(back, "1.50".parse::<Decimal>().unwrap());
    let d: Decimal = "1.50".parse().unwrap();
    assert_eq!(d.value().to_string(), "1.50");
    assert_eq!(d, "1.5".parse::<Decimal>().unwrap());
    assert_eq!(Decimal::from(d.value()).as_str(), "1.50");
    assert_eq!(
        "1e3".parse::<Decimal>().unwrap(),
        "1000".parse::<Decimal>().unwrap()
    );
    // what serde_json hands over: integers exactly, others as the f64's shortest form
    assert_eq!(
        serde_json::from_str::<Decimal>("42").unwrap().as_str(),
        "42"
    );
    assert_eq!(
        serde_json::from_str::<Decimal>("0.1").unwrap().as_str(),
        "0.1"
    );
    // the IEEE754Compatible string form
    assert_eq!(
        serde_json::from_str::<Decimal>(r#""1.50""#)
            .unwrap()
            .as_str(),
        "1.50"
    );
    for (text, reason) in [
        ("1.", "expected a decimal"),
        (".5", "expected a decimal"),
        ("01", "expected a decimal"),
        ("NaN", "expected a decimal"),
        ("1,5", "expected a decimal"),
        ("0.00000000000000000000000000001", "not representable"),
        ("123456789012345678901234567890", "not representable"),
    ] {
        let e = error::<Decimal>(text);
        assert!(e.contains(reason), "{text}: {e}");
    }
    let e = serde_json::from_str::<Decimal>("true").unwrap_err();
    assert!(e.to_string().contains("an Edm.Decimal number"), "{e}");
}

#[test]
fn doubles_take_the_special_strings_and_numbers() {
    for (json, value) in [
        (r#""NaN""#, f64::NAN),
        (r#""INF""#, f64::INFINITY),
        (r#""-INF""#, f64::NEG_INFINITY),
        ("1.5", 1.5),
        ("1", 1.0),
        ("-0.0", -0.0),
        ("1e+20", 1e20),
        ("1e-7", 1e-7),
        ("0.1", 0.1),
    ] {
        let d: Double = serde_json::from_str(json).unwrap();
        assert_eq!(d.value().to_bits(), value.to_bits(), "{json}");
        assert_eq!(serde_json::to_string(&d).unwrap(), json);
        let d: Double = serde_json::from_value(serde_json::from_str(json).unwrap()).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), json);
    }
    assert_eq!(Double::from(f64::NAN), Double::from(f64::NAN));
    assert_ne!(Double::from(0.0), Double::from(-0.0));
    let (lowest, low) = (Double::from(f64::NEG_INFINITY), Double::from(-1e308));
    assert!(lowest < low);
    let (nan, negative_zero) = (Double::from(f64::NAN), Double::from(-0.0));
    assert!(low == -1e308 && nan.eq(&f64::NAN) && negative_zero.ne(&0.0));
    assert_eq!(Double::from(f64::INFINITY).as_str(), "INF");
    assert_eq!(Double::from(-f64::INFINITY).as_str(), "-INF");
    assert_eq!(Double::from(1.0).as_str(), "1.0");
    // without serde_json's arbitrary_precision a JSON number arrives as an f64: the same value,
    // its shortest text
    let d: Double = serde_json::from_str("1E20").unwrap();
    assert_eq!((d.value(), d.as_str()), (1e20, "1e+20"));
    assert_eq!(Double::from(0.1 + 0.2).as_str(), "0.30000000000000004");
    assert_eq!(serde_json::to_string(&Double::from(1.0)).unwrap(), "1.0");
    // text beyond what an f64 shows is kept and written back
    let d: Double = "0.10000000000000000000001".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        "0.10000000000000000000001"
    );
    assert_eq!(d, Double::from(0.1));
    for (text, reason) in [
        ("nan", "expected a number"),
        ("Infinity", "expected a number"),
        ("+1", "expected a number"),
        ("1e400", "out of the range"),
    ] {
        let e = error::<Double>(text);
        assert!(e.contains(reason), "{text}: {e}");
    }
    for json in [r#""1.5""#, r#""inf""#, "true", "{}", r#"{"a": 1}"#] {
        let e = serde_json::from_str::<Double>(json).unwrap_err();
        assert!(e.to_string().contains("an Edm.Double"), "{json}: {e}");
    }
}

#[test]
fn url_literals_are_odata_not_json() {
    let dto: DateTimeOffset = "2026-11-29T06:04:00.1234567+05:30".parse().unwrap();
    assert_eq!(dto.url_literal(), "2026-11-29T06:04:00.1234567+05:30");
    let date: Date = "2026-11-29".parse().unwrap();
    assert_eq!(date.url_literal(), "2026-11-29");
    let time: TimeOfDay = "06:04:00".parse().unwrap();
    assert_eq!(time.url_literal(), "06:04:00");
    let duration: Duration = "P1D".parse().unwrap();
    assert_eq!(duration.url_literal(), "duration'P1D'");
    let guid: Guid = "0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F".parse().unwrap();
    assert_eq!(guid.url_literal(), "0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F");
    let binary: Binary = "-_8".parse().unwrap();
    assert_eq!(binary.url_literal(), "binary'+/8='");
    let decimal: Decimal = "1.50".parse().unwrap();
    assert_eq!(decimal.url_literal(), "1.50");
    assert_eq!(Double::from(f64::INFINITY).url_literal(), "INF");
    assert_eq!(Double::from(f64::NEG_INFINITY).url_literal(), "-INF");
    assert_eq!(Double::from(f64::NAN).url_literal(), "NaN");
    assert_eq!(Double::from(2.5).url_literal(), "2.5");
    assert_eq!((&&guid).url_literal(), guid.url_literal());
}

#[test]
fn debug_shows_the_type_and_the_text() {
    let guid: Guid = "0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F".parse().unwrap();
    assert_eq!(
        format!("{guid:?}"),
        r#"Guid("0E57D1FF-5C8B-4B5A-9E2A-3F1B2C3D4E5F")"#
    );
    assert_eq!(format!("{:?}", Double::from(1.5)), r#"Double("1.5")"#);
    let e = "x".parse::<Duration>().unwrap_err();
    assert_eq!(e.edm_type(), "Edm.Duration");
    assert_eq!(e.reason(), "expected `P` to start the duration");
}

/// With serde_json's `arbitrary_precision` (this crate's `arbitrary-precision` feature), numbers
/// keep their digits from the wire through a `serde_json::Value` into the model and back.
#[cfg(feature = "arbitrary-precision")]
#[test]
fn numbers_keep_their_digits_with_arbitrary_precision() {
    for text in ["1.50", "1e+20", "0.10000000000000000000001", "100.0"] {
        let d: Double = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), text);
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let d: Double = serde_json::from_value(v).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), text);
    }
    for text in ["1.50", "12345678901234567890.12345678", "1e-3", "-0.000"] {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let d: Decimal = serde_json::from_value(v).unwrap();
        assert_eq!(d.as_str(), text);
        assert_eq!(serde_json::to_string(&d).unwrap(), text);
    }
    // serde_json writes every exponent as `e+` or `e-`
    let d: Double = serde_json::from_str("1E20").unwrap();
    assert_eq!(d.as_str(), "1e+20");
}
