//! Human-readable reports over correlated command executions.
pub mod html;
