"""Render benchmark: 100,000 messages from the platform defaults, half SMS, half e-mail HTML.

Run: python bench/render.py   (no Django settings or database needed)
Prints one JSON object on stdout.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

from messaging.default_copy import default_template  # noqa: E402
from messaging.tags import render, render_html  # noqa: E402
from tracking.statuses import ALL_CODES, status_label  # noqa: E402

TOTAL = 100_000
LANGUAGES = ("en", "fr", "de", "nl", "es", "it")

SHOPPERS = (
    {"customer_name": "Sophie Martin", "companyname": "Maison Lumière", "carrier": "Colissimo",
     "eta": "jeudi 14 mars", "pickup_point": "Relais Tabac Presse, 12 rue de la Paix, 75002 Paris"},
    {"customer_name": "Jonas Becker", "companyname": "Nordlicht Outdoor", "carrier": "DHL",
     "eta": "Donnerstag, 14. März", "pickup_point": "DHL Packstation 112, Hauptstraße 5, 10827 Berlin"},
    {"customer_name": "Emma de Vries", "companyname": "Fietsfabriek", "carrier": "PostNL",
     "eta": "donderdag 14 maart", "pickup_point": "Primera, Oudegracht 120, 3511 AX Utrecht"},
    {"customer_name": "Lucía García", "companyname": "Olivo & Co", "carrier": "SEUR",
     "eta": "jueves 14 de marzo", "pickup_point": "SEUR Pickup, Calle Mayor 8, 28013 Madrid"},
    {"customer_name": "Giulia Rossi", "companyname": "Bottega Verde Casa", "carrier": "BRT",
     "eta": "giovedì 14 marzo", "pickup_point": "BRT Fermopoint, Via Roma 21, 20121 Milano"},
    {"customer_name": "Oliver Smith", "companyname": "Harbour & Thread", "carrier": "Royal Mail",
     "eta": "Thursday 14 March", "pickup_point": "Post Office, 3 High Street, Bristol BS1 2AW"},
)


def _values(index: int, status: str, language: str) -> dict[str, str]:
    values = dict(SHOPPERS[index % len(SHOPPERS)])
    values.update(
        order_number=f"#{100_000 + index}",
        tracking_number=f"JJD00{390_000_000 + index}",
        tracking_url=f"https://track.parcelcast.example/t/{index:08x}a91c",
        unsubscribe_url=f"https://parcelcast.example/u/{index:08x}3f7e2d",
        whatsappnumber="+33 6 12 34 56 78",
        status=status_label(status, language),
    )
    return values


def _jobs(channel: str, count: int) -> list[tuple[str, dict[str, str]]]:
    combos = itertools.cycle(itertools.product(ALL_CODES, LANGUAGES))
    jobs = []
    for index in range(count):
        status, language = next(combos)
        jobs.append((default_template(channel, status, language).body, _values(index, status, language)))
    return jobs


def _time(render_one, jobs) -> float:
    started = time.perf_counter()
    for text, values in jobs:
        render_one(text, values)
    return time.perf_counter() - started


def main() -> None:
    sms_jobs = _jobs("sms", TOTAL // 2)
    email_jobs = _jobs("email", TOTAL - len(sms_jobs))
    sms_seconds = _time(render, sms_jobs)
    email_seconds = _time(render_html, email_jobs)
    seconds = sms_seconds + email_seconds
    print(json.dumps({
        "benchmark": "render",
        "renders": TOTAL,
        "seconds": round(seconds, 4),
        "renders_per_second": round(TOTAL / seconds),
        "sms_per_second": round(len(sms_jobs) / sms_seconds),
        "email_html_per_second": round(len(email_jobs) / email_seconds),
    }))


if __name__ == "__main__":
    main()
