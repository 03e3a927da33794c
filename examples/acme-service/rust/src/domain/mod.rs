//! The order aggregate: business rules only.

use crate::infra::db::Orders;

pub struct Order {
    pub id: u64,
    pub paid: bool,
}

impl Order {
    pub fn pay(&mut self, orders: &Orders) {
        self.paid = true;
        orders.save(self);
    }
}
