//! Resolve on two threads against resolve on one: for any input, the same model or the same
//! diagnostics. (`resolve_parallel_from: 0` resolves every document on two threads on a machine
//! with two cores; on one core both sides run on one thread.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::model::{LoadOptions, NoReferences, load_model_with};
use odata_codegen::syntax::ReadOptions;

fuzz_target!(|data: &[u8]| {
    let read = ReadOptions::default();
    let one = LoadOptions {
        read: read.clone(),
        resolve_parallel_from: usize::MAX,
    };
    let two = LoadOptions {
        read,
        resolve_parallel_from: 0,
    };
    assert!(
        load_model_with("fuzz.xml", data, &mut NoReferences, &one)
            == load_model_with("fuzz.xml", data, &mut NoReferences, &two)
    );
});
