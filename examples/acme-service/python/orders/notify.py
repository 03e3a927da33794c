"""Order notifications, sent through the notification service."""
import httpx as hx

from orders import settings


async def order_paid(order_id):
    async with hx.AsyncClient(base_url=settings.NOTIFY_URL) as client:
        await client.post("/events", json={"type": "order.paid", "order": order_id})
