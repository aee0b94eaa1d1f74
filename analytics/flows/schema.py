"""The two relations every flows component reads, and the reference data they share.

``txns`` — one row per transfer, as imported (account identifiers kept exactly as given):

=============  ==================  =====================================================
column         type                meaning
=============  ==================  =====================================================
txn_id         VARCHAR             unique across all imports (a repeated id is one transfer)
ts             TIMESTAMP           UTC, naive in the engine
src, dst       VARCHAR             account identifiers, as in the input
amount         DOUBLE              in ``currency``, > 0
currency       VARCHAR             ISO 4217 code, or a token (USDT, USDC, TRX, BTC, ETH)
amount_usd     DOUBLE              ``amount`` at the reference rate (``USD_RATES``)
channel        VARCHAR (nullable)  bank, usdt_trc20, other_crypto, cash_courier, card, ...
source         VARCHAR (nullable)  who supplied the row (a bank, an exchange, a complaint)
=============  ==================  =====================================================

``accounts`` — what is known about an account (an account missing here is an ordinary one):

=============  ==================  =====================================================
account        VARCHAR             as in ``txns``
kind           VARCHAR             one of ``ACCOUNT_KINDS``
opened         TIMESTAMP (null)    when the account was opened, if a bank said so
label          VARCHAR (null)      a display name (an exchange, a casino), never a victim's
=============  ==================  =====================================================
"""

from __future__ import annotations

import pyarrow as pa

TXN_SCHEMA = pa.schema([
    ("txn_id", pa.string()),
    ("ts", pa.timestamp("us")),
    ("src", pa.string()),
    ("dst", pa.string()),
    ("amount", pa.float64()),
    ("currency", pa.string()),
    ("amount_usd", pa.float64()),
    ("channel", pa.string()),
    ("source", pa.string()),
])

ACCOUNT_SCHEMA = pa.schema([
    ("account", pa.string()),
    ("kind", pa.string()),
    ("opened", pa.timestamp("us")),
    ("label", pa.string()),
])

# Where money is known to come from, and where it leaves the traceable system (cash-out points).
VICTIM = "victim"
ORDINARY = "account"
EXCHANGE = "exchange"
GUARANTEE = "guarantee"  # guarantee marketplaces (Haowang, Xinbi)
CASINO = "casino"  # casinos and junkets
CASH = "cash"  # cash couriers, underground banking
MERCHANT = "merchant"  # ordinary shops and payees of background activity
ACCOUNT_KINDS = (VICTIM, ORDINARY, EXCHANGE, GUARANTEE, CASINO, CASH, MERCHANT)
CASH_OUT_KINDS = frozenset({EXCHANGE, GUARANTEE, CASINO, CASH})

CHANNELS = ("bank", "usdt_trc20", "other_crypto", "cash_courier", "card", "wallet")
CRYPTO_CURRENCIES = frozenset({"USDT", "USDC", "ETH", "BTC", "TRX"})  # tokens and coins among USD_RATES

# Reference rates (USD per unit), for comparing amounts across currencies and for thresholds.
# Fixed on purpose: detection needs a stable yardstick, not the day's price. Late-2025 levels.
USD_RATES: dict[str, float] = {
    "USD": 1.0, "USDT": 1.0, "USDC": 1.0, "THB": 0.029, "CNY": 0.14, "MYR": 0.22, "MMK": 0.00048,
    "KHR": 0.00025, "LAK": 0.000046, "VND": 0.000039, "IDR": 0.000062, "PHP": 0.017, "INR": 0.012,
    "KES": 0.0077, "EUR": 1.08, "GBP": 1.27, "HKD": 0.128, "SGD": 0.74, "TWD": 0.031, "KRW": 0.00072,
    "JPY": 0.0066, "TRX": 0.24, "ETH": 3000.0, "BTC": 90000.0,
}


def usd(amount: float, currency: str) -> float | None:
    rate = USD_RATES.get((currency or "").upper())
    return None if rate is None else amount * rate
