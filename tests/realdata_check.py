#!/usr/bin/env python3
"""Check aov against the real exports in ../shared/realdata, by hand.

Not run in CI (a user's clone has no ../shared): run it from the repository
root after `cargo build`:

    python3 tests/realdata_check.py [path/to/aov]

For each file it computes the monthly deals and totals that the README of
that folder defines, independently of aov (Python's csv and decimal), runs
`aov report FILE --period month --format csv` with no other flags, and
says whether the two agree. Files it cannot find are skipped.
"""

import collections
import csv
import datetime
import io
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "realdata"))
AOV = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "target", "debug", "aov")


def rows(name, delimiter=","):
    with open(os.path.join(REAL, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def month(d):
    return d.strftime("%Y-%m")


def mdy(s):
    return datetime.datetime.strptime(s.split()[0], "%m/%d/%Y").date()


def dmy(s):
    return datetime.datetime.strptime(s.split()[0], "%d/%m/%Y").date()


def iso(s):
    return datetime.date.fromisoformat(s[:10])


def dec(s, comma=False):
    s = s.strip()
    if comma:
        s = s.replace(".", "").replace(",", ".")
    return Decimal(s)


def monthly(deals):
    """(date, amount) pairs -> {month: (count, total)}."""
    out = collections.defaultdict(lambda: [0, Decimal(0)])
    for d, a in deals:
        out[month(d)][0] += 1
        out[month(d)][1] += a
    return {k: (v[0], v[1]) for k, v in out.items()}


def shopify():
    deals = []
    for r in rows("shopify_kidsliving-api_orders_export.csv"):
        if r["Total"] == "":
            continue  # a later line of an order
        if r["Financial Status"] == "voided" or r["Cancelled at"]:
            continue
        deals.append((iso(r["Created at"]), dec(r["Total"])))
    return monthly(deals)


def superstore():
    orders = {}
    for r in rows("superstore_TimLafferty_Sample-Superstore.csv"):
        d, a = orders.get(r["Order ID"], (mdy(r["Order Date"]), Decimal(0)))
        orders[r["Order ID"]] = (min(d, mdy(r["Order Date"])), a + dec(r["Sales"]))
    return monthly(orders.values())


def online_retail():
    invoices = {}
    for r in rows("online-retail_gs_alcides_online_retail_small.csv", ";"):
        line = dec(r["Quantity"]) * dec(r["UnitPrice"], comma=True)
        d, a = invoices.get(r["InvoiceNo"], (dmy(r["InvoiceDate"]), Decimal(0)))
        invoices[r["InvoiceNo"]] = (min(d, dmy(r["InvoiceDate"])), a + line)
    return monthly(v for k, v in invoices.items() if not k.startswith("C") and v[1] >= 0)


def paypal():
    deals = []
    for r in rows("paypal_oca-bank-statement-import_activity_en.csv"):
        if r["Type"] in ("Website Payment", "General Payment") and r["Status"] == "Completed" and dec(r["Gross"]) > 0:
            deals.append((dmy(r["Date"]), dec(r["Gross"])))
    return monthly(deals)


def adyen():
    return monthly(
        (iso(r["Creation Date"]), dec(r["Gross Credit (GC)"]))
        for r in rows("adyen_oca-bank-statement-import_settlement_detail_report_batch_380.csv")
        if r["Type"] == "Settled"
    )


def salesforce():
    return monthly(
        (iso(r["CloseDate"]), dec(r["Amount"]))
        for r in rows("salesforce_data-cloud-workshop_Opportunity.csv")
        if r["StageName"] == "Closed Won"
    )


def stripe():
    return monthly(
        (iso(r["Created date (UTC)"]), dec(r["Amount"]))
        for r in rows("stripe_machine_unified_payments.csv")
        if r["Status"] == "Paid"
    )


def crm():
    return monthly(
        (mdy(r["close_date"]), dec(r["close_value"]))
        for r in rows("crm-maven_CRM-Sales_Analysis_sales_pipeline.csv")
        if r["deal_stage"] == "Won"
    )


CHECKS = [
    ("shopify_kidsliving-api_orders_export.csv", shopify),
    ("superstore_TimLafferty_Sample-Superstore.csv", superstore),
    ("online-retail_gs_alcides_online_retail_small.csv", online_retail),
    ("paypal_oca-bank-statement-import_activity_en.csv", paypal),
    ("adyen_oca-bank-statement-import_settlement_detail_report_batch_380.csv", adyen),
    ("salesforce_data-cloud-workshop_Opportunity.csv", salesforce),
    ("stripe_machine_unified_payments.csv", stripe),
    ("crm-maven_CRM-Sales_Analysis_sales_pipeline.csv", crm),
    ("crm-maven_CRM_analysis_data_model.xlsx", crm),
]


def aov_monthly(path):
    p = subprocess.run([AOV, "report", path, "--period", "month", "--format", "csv"], capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"
    out = {}
    for r in csv.DictReader(io.StringIO(p.stdout)):
        if r.get("period") in (None, "", "Total") or r["deals"] in ("", "0"):
            continue
        out[r["period"]] = (int(r["deals"]), Decimal(r["total"]))
    return out, None


def main():
    if not os.path.isdir(REAL):
        print(f"skipped: {REAL} is not here")
        return 0
    bad = 0
    for name, expected in CHECKS:
        path = os.path.join(REAL, name)
        if not os.path.exists(path):
            print(f"skip  {name}")
            continue
        want = {k: (n, t.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for k, (n, t) in expected().items()}
        got, err = aov_monthly(path)
        if got is None:
            print(f"FAIL  {name}: {err}")
            bad += 1
            continue
        got = {k: (n, t.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for k, (n, t) in got.items()}
        if got == want:
            n = sum(v[0] for v in want.values())
            print(f"ok    {name}: {n} deals in {len(want)} months")
        else:
            bad += 1
            wn, gn = sum(v[0] for v in want.values()), sum(v[0] for v in got.values())
            diff = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
            print(f"FAIL  {name}: {gn} deals, want {wn}; months differing: {', '.join(diff[:6])}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
