"""The gateway side of Make Payment: a key is charged once even when the server fails after
the charge, gateway failures never leak what was sent, and the test gateway refuses tokens
it does not know."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal_tui.server import gateway
from portal_tui.server.gateway import Declined, DeclineReason, KeyReused
from portal_tui.server.services.access import FamilyAccess
from tests.server.test_payments import VISA, account, card, pay, payments
from tests.servers import set_settings


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> gateway.TestGateway:
    """A fresh test gateway for this test, counting its charges."""
    fresh = gateway.TestGateway()
    monkeypatch.setattr(gateway, "TEST_GATEWAY", fresh)
    return fresh


def test_a_retry_after_a_failure_past_the_charge_is_charged_once(
    api: TestClient,
    auth: dict[str, str],
    db_url: str,
    provider: gateway.TestGateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    audit = FamilyAccess.audit
    failures = [RuntimeError("the database went away")]

    def fail_once(self: FamilyAccess, *args: Any, **kwargs: Any) -> None:
        if failures:
            raise failures.pop()
        audit(self, *args, **kwargs)

    monkeypatch.setattr(FamilyAccess, "audit", fail_once)
    key = uuid.uuid4().hex
    body = {"amount_cents": 2000, "new_card": card()}
    with pytest.raises(RuntimeError):
        pay(api, auth, body, key)
    assert provider.charges == 1  # money was taken, nothing recorded
    assert [p.idempotency_key for p in payments(db_url)].count(key) == 0
    again = pay(api, auth, body, key)
    assert again.status_code == 200, again.text
    assert provider.charges == 1
    assert [p.idempotency_key for p in payments(db_url)].count(key) == 1
    assert account(api, auth).outstanding_cents == 49000 - 2000


def test_a_retry_after_online_payments_were_turned_off_gets_its_receipt(
    api: TestClient, auth: dict[str, str], db_url: str, provider: gateway.TestGateway
) -> None:
    key = uuid.uuid4().hex
    body = {"amount_cents": 2000, "new_card": card()}
    first = pay(api, auth, body, key)
    assert first.status_code == 200
    set_settings(db_url, payment_gateway="none")
    again = pay(api, auth, body, key)
    assert again.status_code == 200, again.text
    assert again.json() == first.json() and provider.charges == 1
    assert pay(api, auth, body).status_code == 403


def test_a_card_declined_when_tokenized_is_a_decline(
    api: TestClient,
    auth: dict[str, str],
    provider: gateway.TestGateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def declined(*_args: Any) -> Any:
        raise Declined(DeclineReason.DECLINED)

    monkeypatch.setattr(provider, "tokenize_card", declined)
    response = pay(api, auth, {"amount_cents": 2000, "new_card": card()})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_declined"


@pytest.mark.parametrize("step", ["tokenize_card", "charge"])
def test_a_gateway_failure_is_logged_by_its_class_only(
    api: TestClient,
    auth: dict[str, str],
    provider: gateway.TestGateway,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    step: str,
) -> None:
    def broken(*args: Any) -> Any:
        raise ConnectionError(f"could not send {args!r} with {VISA} cvc 987")

    monkeypatch.setattr(provider, step, broken)
    with caplog.at_level(logging.INFO):
        response = pay(api, auth, {"amount_cents": 2000, "new_card": card(cvc="987")})
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "gateway_failed"
    assert "ConnectionError" in caplog.text
    assert VISA not in caplog.text and "987" not in caplog.text and VISA not in response.text
    assert account(api, auth).outstanding_cents == 49000


@pytest.mark.parametrize(
    "token", ["", "tok", "tok-ok", "garbage-ok-1", "tok-unknown-1", "tok--1", "-ok-"]
)
def test_the_test_gateway_declines_a_token_it_does_not_know(token: str) -> None:
    with pytest.raises(Declined) as refused:
        gateway.TestGateway().charge(token, 100, uuid.uuid4().hex)
    assert refused.value.reason is DeclineReason.DECLINED


def test_the_test_gateway_charges_a_key_once() -> None:
    provider = gateway.TestGateway()
    first = provider.charge("tok-ok-1", 100, "key")
    assert provider.charge("tok-ok-1", 100, "key") == first and provider.charges == 1
    assert provider.charge("tok-ok-1", 100, "other") != first and provider.charges == 2


def test_the_test_gateway_refunds_a_key_once() -> None:
    provider = gateway.TestGateway()
    charged = provider.charge("tok-ok-1", 100, "charge-key")
    first = provider.refund(charged.reference, 100, "refund-key")
    assert provider.refund(charged.reference, 100, "refund-key") == first
    assert provider.refunds == 1
    assert provider.refund(charged.reference, 100, "other") != first and provider.refunds == 2
    assert provider.charges == 1


def test_a_key_that_moved_one_amount_refuses_another() -> None:
    provider = gateway.TestGateway()
    provider.charge("tok-ok-1", 100, "key")
    with pytest.raises(KeyReused):
        provider.charge("tok-ok-1", 200, "key")
    charged = provider.charge("tok-ok-1", 100, "key2")
    provider.refund(charged.reference, 100, "refund-key")
    with pytest.raises(KeyReused):
        provider.refund(charged.reference, 50, "refund-key")
    assert (provider.charges, provider.refunds) == (2, 1)
