"""Send order events to a partner's webhook."""
import httpx


def send(url, event):
    print("sending", event["id"])
    with httpx.Client() as client:
        client.post(url, json=event)
