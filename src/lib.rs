//! blomlåda: a static site generator for eBlomlådan results.
//!
//! The phases are kept apart: [`content`] loads and validates a content folder into the
//! typed [`model`]; `stats` computes the figures; `render` writes pages and pictures;
//! `output` writes them atomically. The command line in [`cli`] only wires them together.

pub mod build;
pub mod check;
pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod generate;
pub mod geo;
pub mod model;
pub mod output;
pub mod render;
pub mod schema;
pub mod serve;
pub mod skeleton;
pub mod slug;
pub mod stats;
pub mod suggest;
