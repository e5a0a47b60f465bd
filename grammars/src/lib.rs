//! Pure nom grammars for the logs AWS Elastic Beanstalk's on-instance agents write.
//!
//! No I/O, no threads, no `unsafe`: every function takes a byte or string slice and returns
//! borrowed, structured output or an error that says where parsing stopped. The `eblog`
//! crate frames files into records and calls these grammars on one record at a time.
//!
//! Modules, one per log format and one per embedded payload language:
//!
//! | module | what it parses |
//! |---|---|
//! | [`common`] | shared combinators: digits, timestamps |
//! | [`amzn`] | the `amzn` line header of cfn-hup.log, cfn-init.log, cfn-wire.log |
//! | [`cfn_hup`] | cfn-hup.log message templates |
//! | [`cfn_wire`] | cfn-wire.log message templates |
//! | [`cfn_init`] | cfn-init.log message templates |
//! | [`cfn_init_cmd`] | cfn-init-cmd.log block lines |
//! | [`cloud_init`] | the line header of cloud-init.log |
//! | [`eb_cfn_init`] | eb-cfn-init.log script lines |
//! | [`engine`] | eb-engine.log (AL2/AL2023 platform engine) header and templates |
//! | [`healthd`] | healthd application.log and daemon.log |
//! | [`nginx`] | nginx access.log and error.log |
//! | [`web_stdout`] | the application's web.stdout.log (syslog style) |
//! | [`ruby_logger`] | the header of eb-commandprocessor.log and eb-activity.log |
//! | [`cmd_processor`] | eb-commandprocessor.log message templates |
//! | [`activity`] | eb-activity.log message templates |
//! | [`ruby_exception`] | `ElasticBeanstalk.format_exception` chains |
//! | [`py_traceback`] | Python tracebacks under cfn-hup `ERROR` records |
//! | [`py_repr`] | Python 2/3 `repr` literals |
//! | [`ruby_hash`] | Ruby `Hash#inspect` / `Array#to_s` literals |
//! | [`result_json`] | the command result JSON and cfn-hup's `Sending` message |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod activity;
pub mod amzn;
pub mod cfn_hup;
pub mod cfn_init;
pub mod cfn_init_cmd;
pub mod cfn_wire;
pub mod cloud_init;
pub mod cmd_processor;
pub mod common;
pub mod eb_cfn_init;
pub mod engine;
pub mod error;
pub mod healthd;
pub mod nginx;
mod payload;
pub mod py_repr;
pub mod py_traceback;
pub mod result_json;
pub mod ruby_exception;
pub mod ruby_hash;
pub mod ruby_logger;
pub mod web_stdout;

pub use error::PayloadError;
