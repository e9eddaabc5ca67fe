//! Phase 2: the figures computed from the model (counts, shares, population weights).

pub mod tally;

pub use tally::Tally;
