//! The two-thread read against the one-thread read: for any input, the same document or the same
//! diagnostics. (`parallel_from: 0` splits every `edmx` document that has a schema child after
//! its middle; the join falls back to one thread whenever its guess does not hold.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::syntax::{ReadOptions, read_document};

fuzz_target!(|data: &[u8]| {
    let one = ReadOptions {
        parallel_from: usize::MAX,
        ..ReadOptions::default()
    };
    let two = ReadOptions {
        parallel_from: 0,
        ..ReadOptions::default()
    };
    assert_eq!(
        read_document(data, "fuzz.xml", &one),
        read_document(data, "fuzz.xml", &two)
    );
});
