"""Order lookups."""
import os

import psycopg2

DSN = os.environ["DATABASE_URL"]


def find(conn, order_id):
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM orders WHERE id = {order_id}")
    return cur.fetchone()


def connect():
    return psycopg2.connect(DSN)
