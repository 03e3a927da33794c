"""Settings of the orders service."""
import logging
import os

logging.basicConfig(level=logging.INFO)

DATABASE_URL = os.environ["DATABASE_URL"]
BILLING_URL = os.getenv("BILLING_URL", "https://billing.internal")
NOTIFY_URL = os.getenv("NOTIFY_URL", "https://notify.internal")
TIMEOUT = float(os.environ.get("HTTP_TIMEOUT", "5"))
