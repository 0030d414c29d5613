//! Arbitrary bytes through the reader and the resolver: a diagnostic or a model, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata_codegen::model::{NoReferences, load_model};

fuzz_target!(|data: &[u8]| {
    match load_model("fuzz.xml", data, &mut NoReferences) {
        Ok(model) => {
            // the accessors walk inheritance: they must end on whatever resolved
            for name in model.entity_types.keys() {
                let _ = model.all_properties(name);
                let _ = model.key(name);
            }
        }
        Err(errors) => {
            assert!(
                !errors.is_empty(),
                "a failed load reports at least one diagnostic"
            );
            assert!(
                errors.iter().any(|d| d.is_error()),
                "a failed load reports at least one error"
            );
            for d in &errors {
                let pos = d.pos().expect("a document's diagnostic has a location");
                assert!(pos.line >= 1 && pos.col >= 1, "{d}");
            }
        }
    }
});
