//! Phase 3: render pages, pictures and data files from the model and its figures.

pub mod charts;
pub mod credit;
pub mod dcat;
pub mod escape;
pub mod flowerbox;
pub mod format;
pub mod jobs;
pub mod map;
pub mod markdown;
pub mod opendata;
pub mod pages;
pub mod paths;
pub mod png;
pub mod site;
pub mod theme;
