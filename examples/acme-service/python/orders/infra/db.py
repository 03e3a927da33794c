"""Database access for orders (raw psycopg2, before the move to acme_db)."""
import psycopg2

from orders import settings


def connect():
    return psycopg2.connect(settings.DATABASE_URL)


def find_order(cursor, order_id):
    cursor.execute(f"SELECT * FROM orders WHERE id = {order_id}")
    return cursor.fetchone()


def find_by_customer(cursor, customer, status):
    cursor.execute(f"SELECT * FROM orders WHERE customer = '{customer}' AND status = {status}")
    return cursor.fetchall()
