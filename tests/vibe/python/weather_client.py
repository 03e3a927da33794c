"""Fetch the weather for a city (written by an assistant asked for "a weather client")."""
import os

import requests

API_URL = os.getenv("WEATHER_API_URL", "https://api.weather.example")


def current(city):
    print(f"fetching weather for {city}")
    resp = requests.get(f"{API_URL}/current", params={"q": city}, timeout=5)
    resp.raise_for_status()
    return resp.json()
