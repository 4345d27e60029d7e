//! `aov`: the average order value of closed deals, per period, customer and
//! seller, with the trend from one period to the next.
//!
//! The library is the whole tool: `load` reads deals and hands them to a
//! `model::Sink`, `pipeline` collects them into the exact mergeable
//! partials of `aggregate`, which builds the views, `render` prints them.
//! `intake` chooses the reader for each input, `tell` says on stderr what
//! was counted, `app` runs one command from its settings (`config`). The
//! binary only parses the command line and maps the result to an exit code.
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod app;
pub mod cli;
pub mod config;
pub mod error;
pub mod intake;
pub mod load;
pub mod manual;
pub mod model;
pub mod order_lines;
pub mod pipeline;
pub mod progress;
pub mod quoting;
pub mod render;
pub mod sql;
pub mod status;
pub mod tell;
