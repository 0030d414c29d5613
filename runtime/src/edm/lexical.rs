//! The OData lexical forms (OData ABNF, `odata-abnf-construction-rules`): strict scanners that
//! hand the fields to chrono, uuid, base64 and rust_decimal, and the canonical text of values
//! built in Rust.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Timelike};

/// A cursor over ASCII text. ABNF literals are case-insensitive, so `t`, `z` and `p` are read as
/// `T`, `Z` and `P`.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek().is_some_and(|b| b.eq_ignore_ascii_case(&c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected `{}` {what}", c as char))
        }
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn end(&self) -> Result<(), String> {
        if self.done() {
            Ok(())
        } else {
            Err(format!("unexpected text after position {}", self.at))
        }
    }

    /// The run of ASCII digits at the cursor (possibly empty).
    fn digits(&mut self) -> &'a [u8] {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        &self.bytes[start..self.at]
    }

    /// Exactly two digits.
    fn two(&mut self, what: &str) -> Result<i8, String> {
        let d = self.digits();
        if d.len() != 2 {
            return Err(format!("expected two digits for the {what}"));
        }
        Ok(((d[0] - b'0') * 10 + (d[1] - b'0')) as i8)
    }
}

/// The value of a run of digits, `None` on overflow.
fn number(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |n, d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// Nanoseconds from fractional-second digits: the first nine count, further ones are dropped.
fn nanos(digits: &[u8]) -> u32 {
    let mut n = 0u32;
    for i in 0..9 {
        n = n * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'));
    }
    n
}

/// `year = [ "-" ] ( "0" 3DIGIT / oneToNine 3*DIGIT )`, within chrono's range (about 262,000
/// years either side of year 0).
fn year(s: &mut Scanner<'_>) -> Result<i32, String> {
    let negative = s.eat(b'-');
    let d = s.digits();
    if d.len() < 4 {
        return Err("expected a year of at least four digits".into());
    }
    if d.len() > 4 && d[0] == b'0' {
        return Err("a year of more than four digits cannot start with 0".into());
    }
    let y = number(d)
        .and_then(|n| i32::try_from(n).ok())
        .filter(|y| *y <= 262_142)
        .ok_or("year out of range")?;
    Ok(if negative { -y } else { y })
}

/// `dateValue = year "-" month "-" day`
fn date(s: &mut Scanner<'_>) -> Result<NaiveDate, String> {
    let y = year(s)?;
    s.expect(b'-', "after the year")?;
    let m = s.two("month")?;
    s.expect(b'-', "after the month")?;
    let d = s.two("day")?;
    if !(1..=12).contains(&m) {
        return Err(format!("month {m:02} out of range 01 to 12"));
    }
    NaiveDate::from_ymd_opt(y, m as u32, d as u32)
        .ok_or_else(|| format!("day {d:02} out of range for {y:04}-{m:02}"))
}

/// `hour ":" minute [ ":" second [ "." fractionalSeconds ] ]`, `fractionalSeconds = 1*12DIGIT`.
fn time(s: &mut Scanner<'_>) -> Result<NaiveTime, String> {
    let h = s.two("hour")?;
    s.expect(b':', "after the hour")?;
    let m = s.two("minute")?;
    let (mut sec, mut nano) = (0, 0);
    if s.eat(b':') {
        sec = s.two("second")?;
        if s.eat(b'.') {
            let f = s.digits();
            if f.is_empty() || f.len() > 12 {
                return Err("expected 1 to 12 digits of fractional seconds".into());
            }
            nano = nanos(f);
        }
    }
    if h > 23 || m > 59 || sec > 59 {
        return Err(format!(
            "time {h:02}:{m:02}:{sec:02} out of range 00:00:00 to 23:59:59"
        ));
    }
    NaiveTime::from_hms_nano_opt(h as u32, m as u32, sec as u32, nano)
        .ok_or_else(|| "time out of range".into())
}

/// `Edm.Date`
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let mut s = Scanner::new(text);
    let d = date(&mut s)?;
    s.end()?;
    Ok(d)
}

/// `Edm.TimeOfDay`
pub(super) fn parse_time(text: &str) -> Result<NaiveTime, String> {
    let mut s = Scanner::new(text);
    let t = time(&mut s)?;
    s.end()?;
    Ok(t)
}

/// `Edm.DateTimeOffset`: `dateValue "T" timeOfDayValue ( "Z" / SIGN hour ":" minute )`.
pub(super) fn parse_date_time_offset(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let mut s = Scanner::new(text);
    let d = date(&mut s)?;
    s.expect(b'T', "between the date and the time")?;
    let t = time(&mut s)?;
    let offset = if s.eat(b'Z') {
        FixedOffset::east_opt(0)
    } else {
        let sign = match s.peek() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err("expected an offset: `Z`, `+hh:mm` or `-hh:mm`".into()),
        };
        s.at += 1;
        let h = s.two("offset hour")?;
        s.expect(b':', "in the offset")?;
        let m = s.two("offset minute")?;
        if h > 23 || m > 59 {
            return Err(format!("offset {h:02}:{m:02} out of range"));
        }
        FixedOffset::east_opt(sign * (i32::from(h) * 3600 + i32::from(m) * 60))
    }
    .ok_or("offset out of range")?;
    s.end()?;
    d.and_time(t)
        .and_local_timezone(offset)
        .single()
        .ok_or_else(|| "date and time out of range".into())
}

/// `Edm.Duration`: `[ SIGN ] "P" [ 1*DIGIT "D" ] [ "T" [ 1*DIGIT "H" ] [ 1*DIGIT "M" ]
/// [ 1*DIGIT [ "." 1*DIGIT ] "S" ] ]`, at least one component. Days are 24 hours, as in
/// OData (and .NET's `TimeSpan`, which Graph serializes).
pub(super) fn parse_duration(text: &str) -> Result<TimeDelta, String> {
    const CALENDAR: &str = "Edm.Duration has days, hours, minutes and seconds only";
    let mut s = Scanner::new(text);
    let negative = if s.eat(b'-') {
        true
    } else {
        s.eat(b'+');
        false
    };
    s.expect(b'P', "to start the duration")?;
    let overflow = || "duration out of range".to_string();
    let mut seconds: u64 = 0;
    let mut nano = 0;
    let mut any = false;
    if !s.peek().is_some_and(|b| b.eq_ignore_ascii_case(&b'T')) && !s.done() {
        let d = s.digits();
        if d.is_empty() {
            return Err("expected a number after `P`".into());
        }
        if !s.eat(b'D') {
            return Err(match s.peek() {
                Some(b'Y' | b'y' | b'M' | b'm' | b'W' | b'w') => {
                    format!("{CALENDAR} (no years, months or weeks)")
                }
                _ => "expected `D` after the days".into(),
            });
        }
        seconds = number(d)
            .and_then(|n| n.checked_mul(86_400))
            .ok_or_else(overflow)?;
        any = true;
    }
    if s.eat(b'T') {
        // units in order: H, M, S; a fraction only on seconds
        let mut last = None;
        while !s.done() {
            let d = s.digits();
            if d.is_empty() {
                return Err("expected a number in the time part".into());
            }
            let fraction = if s.eat(b'.') {
                let f = s.digits();
                if f.is_empty() {
                    return Err("expected digits after `.`".into());
                }
                Some(f)
            } else {
                None
            };
            let (unit, scale) = match s.peek().map(|b| b.to_ascii_uppercase()) {
                Some(b'H') => (0, 3600),
                Some(b'M') => (1, 60),
                Some(b'S') => (2, 1),
                _ => return Err("expected `H`, `M` or `S` after a number".into()),
            };
            s.at += 1;
            if last.is_some_and(|l| l >= unit) {
                return Err("hours, minutes and seconds must come once each, in that order".into());
            }
            if fraction.is_some() && unit != 2 {
                return Err("only seconds can have a fraction".into());
            }
            last = Some(unit);
            let n = number(d)
                .and_then(|n| n.checked_mul(scale))
                .ok_or_else(overflow)?;
            seconds = seconds.checked_add(n).ok_or_else(overflow)?;
            if let Some(f) = fraction {
                nano = nanos(f);
            }
        }
        if last.is_none() {
            return Err("expected hours, minutes or seconds after `T`".into());
        }
        any = true;
    }
    s.end()?;
    if !any {
        return Err("expected days, hours, minutes or seconds after `P`".into());
    }
    let delta = i64::try_from(seconds)
        .ok()
        .and_then(|s| TimeDelta::new(s, nano))
        .ok_or_else(overflow)?;
    Ok(if negative { -delta } else { delta })
}

/// `Edm.Guid`: `8HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 12HEXDIG`, either case.
pub(super) fn parse_guid(text: &str) -> Result<uuid::Uuid, String> {
    let b = text.as_bytes();
    let shape = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    if !shape {
        return Err("expected 8-4-4-4-12 hexadecimal digits".into());
    }
    uuid::Uuid::try_parse(text).map_err(|e| e.to_string())
}

/// `Edm.Binary`: base64 in the standard or the URL-safe alphabet, padded or not.
pub(super) fn parse_binary(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
    match STANDARD_PAD_INDIFFERENT.decode(text) {
        Ok(bytes) => Ok(bytes),
        Err(e) if text.contains(['-', '_']) => URL_SAFE_PAD_INDIFFERENT
            .decode(text)
            .map_err(|_| format!("not base64: {e}")),
        Err(e) => Err(format!("not base64: {e}")),
    }
}

/// Standard base64 with padding: what Graph writes and what every OData reader accepts.
pub(super) fn format_binary(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A JSON number (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`), which is also an
/// OData `decimalValue`/`doubleValue`. The text must be valid JSON because it is written back as
/// it is.
pub(super) fn is_json_number(text: &str) -> bool {
    let mut s = Scanner::new(text);
    s.eat(b'-');
    let int = s.digits();
    if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
        return false;
    }
    if s.eat(b'.') && s.digits().is_empty() {
        return false;
    }
    if s.eat(b'e') {
        if !s.eat(b'+') {
            s.eat(b'-');
        }
        if s.digits().is_empty() {
            return false;
        }
    }
    s.done()
}

/// `.fffffffff` without trailing zeros, or nothing.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

pub(super) fn format_date(d: NaiveDate) -> String {
    let y = d.year();
    let sign = if y < 0 { "-" } else { "" };
    format!(
        "{sign}{:04}-{:02}-{:02}",
        y.unsigned_abs(),
        d.month(),
        d.day()
    )
}

/// A time without chrono's leap-second representation (nanoseconds from 1,000,000,000), which
/// OData cannot write: `23:59:60.5` becomes `23:59:59.5`.
pub(super) fn without_leap_second(t: NaiveTime) -> NaiveTime {
    t.with_nanosecond(t.nanosecond() % 1_000_000_000)
        .unwrap_or(t)
}

/// `t` must be without leap second.
pub(super) fn format_time(t: NaiveTime) -> String {
    let mut out = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    push_fraction(&mut out, t.nanosecond());
    out
}

/// The offset must be whole minutes and the time without leap second (see
/// `DateTimeOffset::from`).
pub(super) fn format_date_time_offset(value: DateTime<FixedOffset>) -> String {
    let local = value.naive_local();
    let mut out = format!(
        "{}T{}",
        format_date(local.date()),
        format_time(local.time())
    );
    let seconds = value.offset().local_minus_utc();
    if seconds == 0 {
        out.push('Z');
    } else {
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        out.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    out
}

/// `[-]P[nD][T[nH][nM][n[.f]S]]`, `PT0S` for zero: the form .NET (and so Graph) writes.
pub(super) fn format_duration(d: TimeDelta) -> String {
    let mut out = String::from(if d < TimeDelta::zero() { "-P" } else { "P" });
    let secs = d.num_seconds().unsigned_abs();
    let nanos = d.subsec_nanos().unsigned_abs();
    let (days, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if h > 0 || m > 0 || s > 0 || nanos > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || nanos > 0 || (h == 0 && m == 0) {
            out.push_str(&s.to_string());
            push_fraction(&mut out, nanos);
            out.push('S');
        }
    }
    out
}
