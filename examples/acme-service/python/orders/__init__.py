"""ACME's orders service."""
