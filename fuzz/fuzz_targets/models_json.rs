//! Arbitrary JSON into the generated models' deserializers: an error, never a panic; what parses
//! serializes again and reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msgraph_beta::models::{RemoteAssistanceSettings, RemoteAssistanceState};

fuzz_target!(|data: &[u8]| {
    if let Ok(settings) = serde_json::from_slice::<RemoteAssistanceSettings>(data) {
        let json = serde_json::to_vec(&settings).expect("a parsed model serializes");
        let again: RemoteAssistanceSettings =
            serde_json::from_slice(&json).expect("a serialized model parses");
        assert_eq!(
            serde_json::to_value(&again).expect("serializes"),
            serde_json::to_value(&settings).expect("serializes"),
            "round trip"
        );
    }
    if let Ok(state) = serde_json::from_slice::<RemoteAssistanceState>(data) {
        let json = serde_json::to_vec(&state).expect("a parsed enum serializes");
        let again: RemoteAssistanceState =
            serde_json::from_slice(&json).expect("a serialized enum parses");
        assert_eq!(again, state, "round trip");
    }
    // the same bytes as a list and as a value wrapper, as responses carry them
    let _ = serde_json::from_slice::<Vec<RemoteAssistanceSettings>>(data);
});
