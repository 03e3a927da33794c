from orders import billing


def test_charge(monkeypatch):
    monkeypatch.setattr(billing.requests, "post", lambda *a, **k: None)
    print("tests may print")
