//! Pure aggregation: periods, exact partial sums, and the report built from
//! them. No I/O happens here, so every rule can be tested with numbers
//! worked out by hand, and a library user can feed deals in directly.

pub mod amounts;
pub mod breadth;
pub mod cells;
pub mod chart;
pub mod customers;
pub mod exact;
pub mod explain;
pub mod outliers;
pub mod page;
pub mod partials;
pub mod period;
pub mod potential;
pub mod quotes;
pub mod report;
pub mod sides;
pub mod stats;
pub mod subtotals;
pub mod target;
pub mod trend;

pub use exact::{Fixed, Ratio};
pub use partials::{Overflow, Partial, Partials};
pub use period::{Period, PeriodKey};
pub use report::{LazyRows, Report, ReportRow, TotalRow, build, build_lazy, build_lazy_yoy, build_with, build_yoy};
pub use stats::Stats;
