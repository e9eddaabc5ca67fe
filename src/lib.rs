//! blomlåda: a static site generator for eBlomlådan results.
//!
//! The phases are kept apart: [`content`] loads and validates a content folder into the
//! typed [`model`]; [`stats`] computes the figures; [`render`] turns them into pages and
//! pictures; [`output`] writes them atomically. [`pipeline`] runs the phases, the same way
//! for `build`, `watch` and `serve`; the command line in [`cli`] only wires it up.

pub(crate) mod check;
pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod generate;
pub(crate) mod geo;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub(crate) mod schema;
pub(crate) mod serve;
pub(crate) mod skeleton;
pub(crate) mod slug;
pub mod stats;
pub(crate) mod suggest;
