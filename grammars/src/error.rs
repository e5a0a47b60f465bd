//! The error every payload grammar reports when it cannot parse its input.

use std::fmt;

/// Why an embedded payload (a Python `repr`, a Ruby `inspect`, a result JSON) could not be
/// parsed, and where: `offset` is the byte offset inside the payload text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    /// Byte offset, relative to the start of the payload text, where parsing stopped.
    pub offset: usize,
    /// What was expected or found there.
    pub message: String,
}

impl PayloadError {
    /// Builds an error at `offset` with a human-readable `message`.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for PayloadError {}

/// Deepest nesting of containers a payload grammar accepts before it reports an error
/// instead of recursing further (real payloads nest three or four levels).
pub const MAX_DEPTH: usize = 64;
