//! Phase 3: pages and pictures.

pub mod png;
