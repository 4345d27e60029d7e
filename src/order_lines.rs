//! Between the readers and the collector for `aov breadth`: each order
//! line's product is noted on its way, and the deal goes on grouped by its
//! order, so that once every input is read each deal's number of distinct
//! products is known. Every rule of the collector (filters, statuses,
//! credit notes, order lines, row accounting, bad rows) applies unchanged,
//! because every call is passed on to it.

use std::ops::ControlFlow;

use crate::aggregate::breadth::{OrderProducts, order_segment};
use crate::error::RowError;
use crate::model::{Deal, Head, Header, Sink, fold_name};
use crate::pipeline::Collector;

/// A sink that hands everything on to a `Collector`, and what it kept
/// beside it.
pub trait Through: Sink {
    type Rest;
    /// Whether the sink must see each deal: then the fast path, which
    /// hands the collector sums instead of deals, is not taken.
    const EACH_DEAL: bool;
    fn collector(&mut self) -> &mut Collector<'static>;
    fn into_parts(self) -> (Collector<'static>, Self::Rest);
}

impl Through for Collector<'static> {
    type Rest = ();
    const EACH_DEAL: bool = false;
    fn collector(&mut self) -> &mut Collector<'static> {
        self
    }
    fn into_parts(self) -> (Collector<'static>, ()) {
        (self, ())
    }
}

/// The products of every order, noted as its lines pass to the collector.
pub struct ProductLines {
    inner: Collector<'static>,
    products: OrderProducts,
    /// Orders are kept apart per seller (as the collector does in a view
    /// by seller: each seller's lines are that seller's deal).
    by_seller: bool,
    case_sensitive: bool,
    key: String,
}

impl ProductLines {
    pub fn new(inner: Collector<'static>, by_seller: bool, case_sensitive: bool) -> ProductLines {
        ProductLines { inner, products: OrderProducts::new(), by_seller, case_sensitive, key: String::new() }
    }
}

impl Through for ProductLines {
    type Rest = OrderProducts;
    const EACH_DEAL: bool = true;
    fn collector(&mut self) -> &mut Collector<'static> {
        &mut self.inner
    }
    fn into_parts(self) -> (Collector<'static>, OrderProducts) {
        (self.inner, self.products)
    }
}

impl Sink for ProductLines {
    fn deal(&mut self, line: u64, deal: &Deal<'_>) -> ControlFlow<()> {
        if deal.order.is_empty() {
            // A deal of one row: one product.
            return self.inner.deal(line, &Deal { segment: "", ..*deal });
        }
        self.key.clear();
        self.key.push_str(deal.order);
        if self.by_seller {
            self.key.push('\x1f');
            self.key.push_str(&fold_name(deal.seller, self.case_sensitive));
        }
        let index = self.products.order(&self.key);
        let segment = order_segment(index);
        let rejected = self.inner.accounting.rejected;
        let flow = self.inner.deal(line, &Deal { segment: &segment, ..*deal });
        // A line the collector rejects (another customer or currency than
        // its order's) adds no product.
        if self.inner.accounting.rejected == rejected {
            self.products.add(index, &fold_name(deal.segment, self.case_sensitive));
        }
        flow
    }
    fn screen(&mut self, head: &Head<'_>) -> bool {
        self.inner.screen(head)
    }
    fn screen_date(&mut self, date: chrono::NaiveDate) -> bool {
        self.inner.screen_date(date)
    }
    fn reject(&mut self, error: RowError, fields: &[&str]) -> ControlFlow<()> {
        self.inner.reject(error, fields)
    }
    fn columns(&mut self, file: &str, header: &dyn Header) {
        self.inner.columns(file, header)
    }
    fn duplicate(&mut self) {
        self.inner.duplicate()
    }
    fn warn(&mut self, message: String) {
        self.inner.warn(message)
    }
    fn filtered(&mut self, reason: &str) {
        self.inner.filtered(reason)
    }
    fn note(&mut self, message: String) {
        self.inner.note(message)
    }
}
