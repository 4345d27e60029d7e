//! `aov`: the average order value of closed deals, per period, customer and
//! seller, with the trend from one period to the next.
//!
//! The library is the whole tool: `load` reads deals, `aggregate` keeps
//! exact mergeable partials and builds the report, `render` prints it. The
//! binary only parses the command line and maps the result to an exit code.
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod app;
pub mod cli;
pub mod config;
pub mod error;
pub mod load;
pub mod manual;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod quoting;
pub mod render;
pub mod sql;
pub mod status;
