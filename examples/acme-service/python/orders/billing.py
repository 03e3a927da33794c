"""Calls to the billing service."""
import requests

from orders import settings


def charge(order_id, amount):
    print("charging order", order_id)
    resp = requests.post(f"{settings.BILLING_URL}/charges", json={"order": order_id, "amount": amount})
    resp.raise_for_status()
    return resp.json()


def refund(charge_id):
    resp = requests.post(f"{settings.BILLING_URL}/charges/{charge_id}/refund", timeout=settings.TIMEOUT)
    return resp.json()
