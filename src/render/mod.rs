//! Phase 3: render pages, pictures and data files from the model and its figures.

pub(crate) mod charts;
pub mod credit;
pub(crate) mod dcat;
pub(crate) mod escape;
pub mod flowerbox;
pub(crate) mod format;
pub mod jobs;
pub(crate) mod map;
pub(crate) mod markdown;
pub mod opendata;
pub(crate) mod pages;
pub(crate) mod paths;
pub mod png;
pub(crate) mod reuse;
pub mod site;
pub(crate) mod theme;
