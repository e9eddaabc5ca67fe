//! The YAML reader on its own: any bytes give a tree or an error, within the limits.
#![no_main]

use blomlada::content::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = yaml::decode(data) {
        match yaml::parse(text) {
            Ok(node) => assert!(node.pos.line >= 1),
            Err(e) => assert!(e.message.starts_with("invalid YAML")),
        }
    }
});
