//! Phase 3: render pages, pictures and data files from the model and its figures.

pub mod format;
pub mod markdown;
pub mod opendata;
pub mod theme;
