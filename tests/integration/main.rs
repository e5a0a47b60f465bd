//! Integration tests of the `eblog` binary and library, one module per concern.

mod util;

mod adversarial;
mod cli;
mod commands;
mod diagnose;
mod fleet_shape;
mod follow;
mod hardening;
mod human;
mod inputs;
mod layers;
mod properties;
mod readme;
mod recipes;
mod safety;
mod samples;
mod scanner;
mod terminal;
