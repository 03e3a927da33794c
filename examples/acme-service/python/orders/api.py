"""The orders service's HTTP endpoints."""

import acme_authz
from acme_web import app

from orders.infra import db


@app.route("/orders/<order_id>")
def get_order(order_id):
    acme_authz.require("orders:read")
    return db.fetch_order(order_id)


@app.route("/orders/<order_id>/cancel", methods=["POST"])
def cancel_order(order_id):
    order = db.fetch_order(order_id)
    order.cancel()
    db.save(order)
    return {"status": "cancelled"}
