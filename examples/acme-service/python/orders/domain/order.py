"""The order aggregate: business rules only."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..infra import db


@dataclass
class Order:
    id: int
    amount: int
    status: str = "new"

    def pay(self, session: Session):
        self.status = "paid"
        session.commit()


def load(order_id):
    with db.connect() as conn:
        return db.find_order(conn.cursor(), order_id)
