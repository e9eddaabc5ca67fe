//! Phase 3: pages and pictures.

pub mod flowerbox;
pub mod png;
