//! The periods a report can be by, and the key of one period: the
//! vocabulary the readers (an engine's partials say their grain) and the
//! core share. Which period a date falls in, and its label, is the core's
//! calendar (`aggregate::period`).

use std::fmt;

/// The granularity of the report's time axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Day,
    /// ISO 8601 week, Monday to Sunday, labelled `2013-W01`.
    Week,
    Month,
    Quarter,
    Half,
    Year,
    /// One bucket for the whole selection.
    All,
}

/// A period counted from a fixed origin; consecutive periods differ by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeriodKey(pub i64);

impl PeriodKey {
    pub fn prev(self) -> PeriodKey {
        PeriodKey(self.0 - 1)
    }
    pub fn next(self) -> PeriodKey {
        PeriodKey(self.0 + 1)
    }
}

impl Period {
    pub const ALL: [Period; 7] =
        [Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Half, Period::Year, Period::All];

    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Half => "half",
            Period::Year => "year",
            Period::All => "all",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
