//! Storage for orders.

use crate::domain::Order;

pub struct Orders;

impl Orders {
    pub fn save(&self, order: &Order) {
        let _ = order.id;
    }
}
