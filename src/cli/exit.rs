//! The exit status of each outcome, decided here and nowhere else.

/// Everything went well.
pub(super) const SUCCESS: u8 = 0;
/// Content errors: bad submissions, a bad catalogue, a theme that does not render.
pub(super) const CONTENT: u8 = 1;
/// Usage and I/O errors.
pub(super) const USAGE: u8 = 2;
