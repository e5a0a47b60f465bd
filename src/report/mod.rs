//! Human-readable reports over correlated command executions.
#![forbid(unsafe_code)]
pub mod html;
